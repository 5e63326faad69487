"""Text from pages and file names never drives a terminal or a spreadsheet, through the real CLI:
no bidirectional controls or raw C1 controls on screen, no formulas in CSV cells, no forged
message lines."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from pathlib import Path

import orjson
import pytest

BIDI = ["\u202e", "\u2066", "\u2067", "\u2068", "\u2069", "\u200f", "\u061c", "\u202a", "\u200e"]
C1 = ["\u0085", "\u009b", "\u0090", "\u009d"]
FORMULAS = ["=HYPERLINK(\"http://evil.example\",\"click\")", "+1+cmd|' /C calc'!A0", "-2+3", "@SUM(1+1)",
            "\tTabbed", "\rReturned"]


def cli(*args: str) -> subprocess.CompletedProcess:
    done = subprocess.run([sys.executable, "-m", "searchkit", *args], capture_output=True, timeout=120)
    assert b"Traceback" not in done.stderr, done.stderr.decode()
    return done


def decoded(done: subprocess.CompletedProcess) -> str:
    return done.stdout.decode() + done.stderr.decode()


@pytest.fixture(scope="module")
def hostile(tmp_path_factory) -> tuple[Path, Path, list[str]]:
    """An index of records whose every field carries bidi controls, and of records whose fields
    start like spreadsheet formulas; the records file, the index, the ids."""
    folder = tmp_path_factory.mktemp("hostile")
    trojan = "".join(BIDI)
    records = [{
        "id": f"bidi-{n}",
        "title": f"Harbour strike{trojan} gniht eht si {BIDI[n]}ceasefire",
        "body": f"The harbour strike {trojan}ended on Friday{BIDI[n]}. Officials said the ceasefire holds.",
        "authors": [f"Jane{BIDI[n]} Doe"], "source": f"Coastal{trojan} Courier", "section": f"Ports{BIDI[n]}",
        "tags": [f"Strikes{trojan}"], "url": f"https://news.example.org/{n}{BIDI[n]}",
        "published": "2024-03-01",
    } for n in range(3)]
    records += [{
        "id": f"formula-{n}", "title": formula, "body": f"{formula} A story about the harbour strike, number {n}.",
        "authors": [formula], "source": formula, "section": formula, "tags": [formula], "published": "2024-03-02",
    } for n, formula in enumerate(FORMULAS)]
    path = folder / "hostile.jsonl"
    path.write_bytes(b"".join(orjson.dumps(record) + b"\n" for record in records))
    index = folder / "index"
    assert cli("index", str(path), "--index", str(index)).returncode == 0
    return path, index, [record["id"] for record in records]


def assert_no_bidi(text: str) -> None:
    assert not any(mark in text for mark in BIDI), [hex(ord(c)) for c in text if c in BIDI][:5]


@pytest.mark.parametrize("command", [
    ["query", "harbour strike", "--facet", "tag", "--facet", "source"], ["query", "harbour", "--json"],
    ["query", "harbour", "--all"], ["similar", "bidi-0"], ["similar", "bidi-0", "--json"], ["show", "bidi-1"],
    ["show", "bidi-1", "--json"], ["stats"], ["stats", "--json"], ["query", "harbour", "--csv"],
])
def test_bidi_controls_never_reach_the_terminal(hostile, command):
    _, index, _ = hostile
    done = cli(*command, "--index", str(index))
    assert done.returncode == 0 and done.stdout
    assert_no_bidi(decoded(done))
    if "--json" in command or "--all" in command:  # JSON keeps the data, as \u escapes
        first = done.stdout.decode().splitlines()[0]
        assert "\\u202e" in first and "\u202e" in json.dumps(json.loads(first), ensure_ascii=False)


def test_bidi_controls_never_reach_the_terminal_from_parse(hostile):
    path, _, _ = hostile
    for done in (cli("parse", str(path)), cli("parse", str(path), "--json")):
        assert done.returncode == 0
        assert_no_bidi(decoded(done))
    records = [json.loads(line) for line in cli("parse", str(path), "--json").stdout.decode().splitlines()]
    assert "\u202e" in records[0]["title"]  # still there in the data, escaped in the output


@pytest.mark.parametrize("command", [["query", "harbour strike", "--csv", "--limit", "50"],
                                     ["query", "harbour strike", "--csv", "--all"], ["similar", "formula-0", "--csv"]])
def test_csv_cells_never_start_like_a_formula(hostile, command):
    _, index, _ = hostile
    done = cli(*command, "--index", str(index))
    assert done.returncode == 0
    rows = list(csv.reader(io.StringIO(done.stdout.decode())))
    cells = [cell for row in rows[1:] for cell in row]
    assert len(rows) > 2
    assert not [cell for cell in cells if cell.startswith(("=", "+", "-", "@", "\t", "\r"))]
    titles = {row[4] for row in rows[1:]}
    if command[0] == "query":
        assert {"'=HYPERLINK(\"http://evil.example\",\"click\")", "'@SUM(1+1)", "'-2+3",
                "'+1+cmd|' /C calc'!A0"} <= titles


def test_show_and_parse_json_never_print_raw_c1_controls_from_a_records_own_path(tmp_path):
    path = "evil\u009b2J\u0085story\u009d0;title\u0007.txt"
    record = tmp_path / "record.jsonl"
    record.write_bytes(orjson.dumps({"title": "A harbour story", "body": "The harbour reopened on Monday.",
                                     "path": path}) + b"\n")
    index = tmp_path / "index"
    assert cli("index", str(record), "--index", str(index)).returncode == 0
    parsed = cli("parse", str(record), "--json")
    article_id = json.loads(parsed.stdout)["id"]
    for done in (parsed, cli("show", article_id, "--index", str(index), "--json"),
                 cli("show", article_id, "--index", str(index)), cli("parse", str(record))):
        assert done.returncode == 0
        output = decoded(done)
        assert not any(mark in output for mark in C1) and "\x07" not in output
    assert json.loads(parsed.stdout)["path"] == path  # the data itself is unchanged


def test_a_newline_in_a_file_name_never_forges_a_message_line(tmp_path, corpus):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "good.txt").write_bytes((corpus / "sputnik-pentagon-daesh-coordinates.txt").read_bytes())
    (folder / "bad\nsearchkit: everything is fine.txt").write_bytes(bytes(range(256)) * 8)
    (folder / "gone\nsearchkit: forged.txt").symlink_to(folder / "nowhere.txt")
    (folder / "records\nforged.jsonl").write_bytes(b'{"title": "Fine", "body": "A fine story."}\n{broken\n')
    done = cli("index", str(folder), "--index", str(tmp_path / "index"))
    assert done.returncode == 0
    lines = done.stderr.decode().splitlines()
    assert len(lines) == 3, lines
    assert not [line for line in lines if not line.startswith(("searchkit: skipped", "searchkit: passed over"))]
    assert any("bad\\nsearchkit: everything is fine.txt: binary file" in line for line in lines)
    assert any("gone\\nsearchkit: forged.txt: a broken or looping symlink" in line for line in lines)
    shown = cli("parse", str(folder / "records\nforged.jsonl")).stdout.decode()
    assert "records\\nforged.jsonl#1" in shown and "\nforged" not in shown
