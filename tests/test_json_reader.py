"""JSON and JSON Lines: our own records, news-please output, and broken lines."""

from __future__ import annotations

import orjson
import pytest

from conftest import CORPUS
from searchkit import Article, ReadError, read_file
from searchkit.readers import RecordError, jsonl


def test_parse_output_reads_back_to_identical_records(tmp_path):
    originals = [a for path in sorted(CORPUS.glob("*.txt")) for a in read_file(path)]
    exported = tmp_path / "records.jsonl"
    exported.write_bytes(b"".join(orjson.dumps(a.to_dict()) + b"\n" for a in originals))
    assert list(read_file(exported)) == originals


def test_news_please_output_is_recognised_by_its_keys(tmp_path):
    item = {
        "title": "Ceasefire holds in Idlib",
        "maintext": "The truce held overnight.\nMonitors reported no violations.",
        "date_publish": "2020-03-07 10:15:00",
        "authors": ["Jane Doe"],
        "url": "https://www.example.com/world/idlib-ceasefire",
        "source_domain": "www.example.com",
        "language": "en",
        "description": "Monitors say the truce held.",
        "image_url": "https://www.example.com/a.jpg",
    }
    path = tmp_path / "np.json"
    path.write_bytes(orjson.dumps(item))
    [article] = list(read_file(path))
    assert article.title == "Ceasefire holds in Idlib"
    assert article.body == "The truce held overnight.\n\nMonitors reported no violations."
    assert article.published == "2020-03-07T10:15:00"
    assert article.source == "www.example.com"
    assert article.language == "en"
    assert article.url == item["url"]
    assert article.extra == {"description": "Monitors say the truce held."}


def test_url_gives_a_stable_id_independent_of_the_file(tmp_path):
    item = {"title": "T", "maintext": "B.", "url": "https://example.com/a"}
    for name in ("one.json", "two.json"):
        (tmp_path / name).write_bytes(orjson.dumps(item))
    [first], [second] = list(read_file(tmp_path / "one.json")), list(read_file(tmp_path / "two.json"))
    assert first.id == second.id


def test_bad_line_in_json_lines_is_reported_and_the_good_lines_still_come(tmp_path):
    path = tmp_path / "mixed.jsonl"
    path.write_bytes(
        b'{"title": "First", "body": "One."}\n'
        b'{"title": "Broken", "body": \n'
        b"[1, 2]\n"
        b'{"title": "Last", "body": "Three."}\n'
    )
    items = list(read_file(path))
    assert [a.title for a in items if isinstance(a, Article)] == ["First", "Last"]
    errors = [str(e) for e in items if isinstance(e, RecordError)]
    assert len(errors) == 2 and errors[0].startswith("line 2: invalid JSON") and errors[1].startswith("line 3:")
    # Records are numbered by position, bad ones included, so fixing a bad line moves no other id.
    assert [a.path for a in items if isinstance(a, Article)] == [f"{path}#1", f"{path}#4"]


def test_json_array_of_records(tmp_path):
    path = tmp_path / "many.json"
    path.write_bytes(orjson.dumps([{"title": "A", "body": "a"}, {"title": "B", "body": "b"}]))
    assert [a.title for a in read_file(path)] == ["A", "B"]


@pytest.mark.parametrize(
    ("content", "message"),
    [(b"", "empty file"), (b"{not json", "invalid JSON"), (b"\x00\x01\x02binary", "binary file")],
)
def test_unreadable_json_files_raise_a_clear_error(tmp_path, content, message):
    path = tmp_path / "bad.json"
    path.write_bytes(content)
    with pytest.raises(ReadError, match=message):
        list(read_file(path))


def test_wrongly_typed_own_record_is_a_record_error():
    [error] = list(jsonl.read(b'{"title": "A", "tags": "not a list"}', "x.json"))
    assert isinstance(error, RecordError) and "'tags' must be a list" in str(error)
