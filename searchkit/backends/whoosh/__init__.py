"""The Whoosh backend: the only code that imports Whoosh."""
