"""Search engines behind one seam: each backend stores articles and answers searches."""
