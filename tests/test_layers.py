"""The layers stay apart: only backends/whoosh imports Whoosh, and the engine-free layers talk to
backends only through the seam (backends/base.py)."""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "searchkit"
ENGINE_FREE = ("ingest", "search", "querylang", "readers", "web", "analysis.py", "fields.py", "model.py", "archive.py",
               "cli.py", "duplicates.py", "results.py", "normalize.py", "dates.py")


def imports(path: Path) -> set[str]:
    """Every module a source file imports, relative imports resolved to absolute names."""
    module = ".".join(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    package = module if path.name == "__init__.py" else module.rsplit(".", 1)[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parent = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*parent, base] if base else parent)
            found.add(base)
            found.update(f"{base}.{alias.name}" for alias in node.names)
    return found


def sources(*parts: str) -> list[Path]:
    found = []
    for part in parts:
        path = PACKAGE / part
        found.extend(sorted(path.rglob("*.py")) if path.is_dir() else [path] if path.exists() else [])
    return found


def test_only_the_whoosh_backend_imports_whoosh():
    importers = {path.relative_to(PACKAGE).as_posix() for path in PACKAGE.rglob("*.py")
                 if any(name == "whoosh" or name.startswith("whoosh.") for name in imports(path))}
    assert importers and all(name.startswith("backends/whoosh/") for name in importers), importers


def test_engine_free_layers_reach_backends_only_through_the_seam():
    for path in sources(*ENGINE_FREE):
        reached = {name for name in imports(path) if name.startswith("searchkit.backends.")}
        allowed = {"searchkit.backends.base"} | {name for name in reached if name.startswith("searchkit.backends.base.")}
        if path.name == "archive.py":  # the Archive opens the backend an index names
            allowed |= {"searchkit.backends.open_backend"}
        assert reached <= allowed, (path.relative_to(PACKAGE).as_posix(), reached - allowed)
