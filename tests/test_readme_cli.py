"""The README shows every command and option that exists, and nothing that does not; every
command line it shows parses, and those that are cheap run on the sample corpus as it says."""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import typer.main

from conftest import CORPUS, ROOT
from searchkit.cli import app

README = (ROOT / "README.md").read_text()
GROUP = typer.main.get_command(app)
COMMAND = str(Path(sys.executable).parent / "searchkit")


def long_options(params) -> set[str]:
    return {name for param in params for name in param.opts if name.startswith("--")} - {"--help"}


def command_options(command) -> set[str]:
    """A command's long options; a group's (``cluster``) are its subcommands'."""
    if hasattr(command, "commands"):
        return set().union(*(command_options(sub) for sub in command.commands.values()))
    return long_options(command.params)


def synopsis() -> dict[str, set[str]]:
    """The options of each command in the README's "Every command and option" block ("" for
    the options of searchkit itself)."""
    block = re.search(r"### Every command and option\n+```text\n(.*?)```", README, re.S).group(1)
    lines = re.sub(r"\n\s+", " ", block).splitlines()  # continuation lines join their command
    listed = {}
    for line in lines:
        words = line.split()
        name = "" if words[1].startswith("--") else words[1]
        listed[name] = set(re.findall(r"--[a-z][a-z-]*", line)) - {"--help"}
    return listed


def test_the_synopsis_lists_every_command_with_exactly_its_options():
    expected = {name: command_options(command) for name, command in GROUP.commands.items()}
    expected[""] = long_options(GROUP.params)
    assert synopsis() == expected


def test_every_option_the_readme_names_exists():
    existing = long_options(GROUP.params) | {
        name for command in GROUP.commands.values() for name in command_options(command)}
    named = set(re.findall(r"(?<![\w-])--[a-z][a-z-]*", README)) - {"--help"}
    assert named <= existing, named - existing


def command_lines() -> list[str]:
    """Every searchkit command line of the README: in its shell blocks (comments dropped) and
    in its inline code (but a command's bare name, as in "re-running `searchkit index`")."""
    lines = []
    for block in re.findall(r"```sh\n(.*?)```", README, re.S):
        lines += [line.split("  #")[0].strip() for line in block.splitlines() if line.startswith("searchkit ")]
    spans = re.findall(r"`(searchkit [^`]+)`", README)
    return lines + [span for span in spans if span.split()[1] not in GROUP.commands or len(span.split()) > 2]


def test_every_command_line_of_the_readme_parses():
    lines = command_lines()
    assert len(lines) >= 20
    for line in lines:
        name, *args = shlex.split(line.split(" > ")[0])[1:]
        if name in GROUP.commands:  # raises on an unknown option, a missing argument or a bad value
            try:
                GROUP.commands[name].make_context(name, list(args))  # (it consumes the list)
            except typer.Exit as stop:  # --help, parsed, prints and stops
                assert stop.exit_code == 0 and "--help" in args
        else:  # searchkit's own options (run, not only parsed, they would print and exit)
            assert {name, *args} <= long_options(GROUP.params) | {"bash", "zsh", "fish"}, line


def test_the_readme_commands_run_on_the_sample_corpus(tmp_path):
    """The sample corpus in a folder of its own, indexed to indexes/main as the quick start does;
    each command line that reads only it runs there, in a shell, as shown."""
    shutil.copytree(CORPUS, tmp_path / "corpus")
    environment = {**os.environ, "PATH": f"{Path(COMMAND).parent}:{os.environ['PATH']}", "NO_COLOR": "1"}
    environment.pop("SEARCHKIT_INDEX", None)

    def shell(line: str) -> subprocess.CompletedProcess:
        return subprocess.run(["bash", "-c", line], cwd=tmp_path, env=environment, capture_output=True, text=True,
                              timeout=120)

    assert shell("searchkit index corpus/").returncode == 0
    seed = shell('searchkit query "al-Bab ceasefire" --json').stdout
    seed_id = re.search(r'"id":"([^"]+)"', seed).group(1)
    def runs_here(line: str) -> bool:
        """Whether a line reads only what the folder holds (not ~/news/ or a CSV of the README's)."""
        name, *args = shlex.split(line.split(" > ")[0])[1:]
        if name in ("parse", "index"):
            params = GROUP.commands[name].make_context(name, list(args)).params
            return all(list(tmp_path.glob(str(path))) for path in params.get("files") or params["paths"])
        # Not serve (it runs until stopped; its own tests drive it) nor --install-completion (it
        # would change the shell's start-up files).
        return name in ("query", "show", "similar", "stats", "check", "--version", "--show-completion")

    ran = 0
    for line in command_lines():  # in the README's order: a file one line writes, a later one reads
        if runs_here(line):
            result = shell(line.replace(" ID", f" {seed_id}"))
            output = (tmp_path / line.split(" > ")[1]).read_text() if " > " in line else result.stdout
            assert result.returncode == 0 and output and "Traceback" not in result.stderr, (line, result.stderr)
            if "--tag Turkey --section" in line:  # the filter example finds what it promises
                assert "What May Be Behind Pentagon's Denial" in result.stdout
            ran += 1
    assert ran >= 15


@pytest.mark.parametrize("name", sorted(GROUP.commands))
def test_every_command_is_shown_in_use(name):
    assert f"searchkit {name}" in README
