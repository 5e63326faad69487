"""The README's promises: its quick start commands exist, and its library example runs."""

from __future__ import annotations

import contextlib
import io
import os
import re

from conftest import CORPUS, CORPUS_SIZE, ROOT

README = (ROOT / "README.md").read_text()


def test_quick_start_is_two_commands_and_ci_runs_the_second():
    section = README.split("## Quick start", 1)[1]
    block = re.search(r"```\w*\n(.*?)```", section, re.S).group(1)
    commands = [line for line in block.splitlines() if line.strip()]
    assert commands == ["make demo", "make test"]
    assert "make test" in (ROOT / ".ci" / "run").read_text()


def test_library_example_runs(tmp_path):
    example = re.search(r"## Using searchkit as a library.*?```python\n(.*?)```", README, re.S).group(1)
    (tmp_path / "corpus").symlink_to(CORPUS)
    output = io.StringIO()
    cwd = os.getcwd()
    os.chdir(tmp_path)
    try:
        with contextlib.redirect_stdout(output):
            exec(compile(example, "README.md", "exec"), {})
    finally:
        os.chdir(cwd)
    printed = output.getvalue()
    assert f"{CORPUS_SIZE} articles added" in printed
    hits = [line for line in printed.splitlines() if not line.startswith("  ") and "articles added" not in line]
    assert "What May Be Behind Pentagon's Denial" in hits[0]
    assert "7 comments; the second is by Mikhas" in printed
    assert (tmp_path / "indexes" / "example").is_dir()
