"""The Whoosh backend's own machinery: its segment writer and merges write what Whoosh writes,
commits follow batches, and each word enters the vocabulary once."""

from __future__ import annotations

from dataclasses import replace

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import searchkit
from conftest import CORPUS_SIZE, SEED

def test_a_commit_follows_a_batch_of_articles_or_of_bytes(tmp_path, corpus, monkeypatch):
    from searchkit.ingest import pipeline

    def commits(**options) -> int:
        archive = searchkit.Archive(tmp_path / str(len(list(tmp_path.iterdir()))))
        archive.index([corpus], workers=1, **options)
        return archive._backend.ix.latest_generation()  # generation 0 is the empty index

    assert commits() == 1
    assert commits(commit_every=2) == 3  # after the 2nd and 4th file, and at the end
    monkeypatch.setattr(pipeline, "BATCH_BYTES", 1)
    assert commits() == CORPUS_SIZE


def test_the_segment_writer_writes_what_whoosh_writes(tmp_path):
    """ArticleWriter's postings, lengths and stored fields equal Whoosh's own writer's, for the
    project's corpus and its merge path (Whoosh's pool) alike."""
    from whoosh import index
    from whoosh.writing import SegmentWriter

    from searchkit.backends.whoosh.codec import INLINE_LIMIT, Codec
    from searchkit.backends.whoosh.schema import build_schema, to_document
    from searchkit.backends.whoosh.writer import ArticleWriter
    from searchkit.ingest.workers import prepare
    from searchkit.readers import read_file

    articles = [article for path in sorted(SEED.parent.iterdir()) for article in read_file(path)]
    # Four copies of each (distinct ids): common words get posting lists long enough for blocks.
    # Without a language (Whoosh's writer does not pass one to the fields); Whoosh's writer is given
    # the body as the prefix field's text (ArticleWriter makes its postings from the body's).
    documents = [{key: value for key, value in to_document(prepare(replace(article, id=f"{article.id}-{copy}"))).items()
                  if key != "lang"} for copy in range(4) for article in articles]
    readers, exact = [], {}
    for name, make in (("whoosh", lambda ix: SegmentWriter(ix, compound=False, codec=Codec())), ("ours", ArticleWriter)):
        (tmp_path / name).mkdir()
        ix = index.create_in(tmp_path / name, build_schema())
        for half in (documents[:9], documents[9:]):  # two segments, then a merge of both
            writer = make(ix)
            for document in half:
                writer.add_document(**(dict(document, prefix=document["body"]) if name == "whoosh" else document))
            writer.commit(merge=False)
        with ix.reader() as reader:
            exact[name] = {field: reader.field_length(field) for field in ("title", "body", "comments", "prefix")}
        writer = make(ix)
        writer.commit(optimize=True)
        readers.append(ix.reader())
    theirs, ours = readers

    def postings(reader, fieldname, text):
        matcher = reader.postings(fieldname, text)
        found = []
        while matcher.is_active():
            found.append((matcher.id(), matcher.weight(), matcher.value()))
            matcher.next()
        return found

    def statistics(reader, fieldname, text):
        info = reader.term_info(fieldname, text)
        return (info.weight(), info.doc_frequency(), info.min_length(), info.max_length(), info.max_weight(),
                info.min_id(), info.max_id(), info.is_inlined())

    assert list(ours.all_terms()) == list(theirs.all_terms())
    assert any(theirs.doc_frequency(*term) >= INLINE_LIMIT for term in theirs.all_terms())
    for fieldname, text in theirs.all_terms():
        assert postings(ours, fieldname, text) == postings(theirs, fieldname, text)
        assert statistics(ours, fieldname, text) == statistics(theirs, fieldname, text)
    for docnum in theirs.all_doc_ids():
        assert ours.stored_fields(docnum) == theirs.stored_fields(docnum)
        for fieldname in ("title", "body", "related", "comments", "tags", "authors"):
            assert ours.doc_field_length(docnum, fieldname) == theirs.doc_field_length(docnum, fieldname)
    # Field length totals: a merge keeps the exact total (Whoosh's sums the rounded one-byte lengths).
    assert exact["ours"] == exact["whoosh"]
    assert {field: ours.field_length(field) for field in exact["ours"]} == exact["ours"]
    assert {field: theirs.field_length(field) for field in exact["ours"]} != exact["ours"]
    ours.close()
    theirs.close()


def _merge_both_ways(ix, parts):
    """The segments merged by searchkit (streamed) and by Whoosh's own writer, as two readers."""
    from whoosh import index
    from whoosh.reading import SegmentReader
    from whoosh.writing import SegmentWriter

    from searchkit.backends.whoosh import codec
    from searchkit.backends.whoosh import writer as segment_writer
    from searchkit.backends.whoosh.codec import Codec

    ours = segment_writer.merge_segments(ix, parts)
    whooshs = SegmentWriter(ix, _lk=False, compound=False, codec=Codec())
    sources = [SegmentReader(ix.storage, ix.schema, part) for part in parts]
    for source in sources:
        whooshs.add_reader(source)
    theirs = whooshs._finalize_segment()
    for source in sources:
        source.close()
    return [index.FileIndex._reader(ix.storage, ix.schema, [segment], 0) for segment in (ours, theirs)]


def _assert_same_segment(ours, theirs) -> None:
    assert ours.doc_count_all() == theirs.doc_count_all()
    assert list(ours.all_terms()) == list(theirs.all_terms())
    for fieldname, text in theirs.all_terms():
        mine, whoosh = ours.term_info(fieldname, text), theirs.term_info(fieldname, text)
        assert (mine.weight(), mine.doc_frequency(), mine.min_length(), mine.max_length(), mine.max_weight()) == \
            (whoosh.weight(), whoosh.doc_frequency(), whoosh.min_length(), whoosh.max_length(), whoosh.max_weight())
        kind = "positions" if fieldname in ("title", "body", "tags") else "weight"
        assert list(ours.postings(fieldname, text).items_as(kind)) == list(theirs.postings(fieldname, text).items_as(kind))
    assert [ours.stored_fields(n) for n in range(ours.doc_count_all())] == \
        [theirs.stored_fields(n) for n in range(theirs.doc_count_all())]
    for docnum in range(ours.doc_count_all()):
        assert ours.doc_field_length(docnum, "body") == theirs.doc_field_length(docnum, "body")


def test_streamed_merges_write_what_whooshs_own_merge_writes(tmp_path, monkeypatch):
    """Merging streams each term's postings from every segment (a buffer at a time): the merged
    segment equals Whoosh's own merge of the same segments, deletions dropped."""
    from whoosh import index

    from searchkit.backends.whoosh import writer as segment_writer
    from searchkit.backends.whoosh.schema import build_schema, to_document
    from searchkit.ingest.workers import prepare
    from searchkit.readers import read_file

    articles = [article for path in sorted(SEED.parent.iterdir()) for article in read_file(path)]
    # Enough copies for common words to fill several posting blocks and merge buffers.
    documents = [to_document(prepare(replace(article, id=f"{article.id}-{copy}")))
                 for copy in range(60) for article in articles]
    monkeypatch.setattr(segment_writer, "MERGE_BUFFER", 128)  # every source flushes whole blocks
    ix = index.create_in(tmp_path, build_schema())
    parts = [segment_writer.write_segment(ix, documents[start:start + 70])[0] for start in range(0, len(documents), 70)]
    parts[1].delete_document(0)  # a deletion is dropped by either merge
    parts[2].delete_document(5)
    ours, theirs = _merge_both_ways(ix, parts)
    assert ours.doc_count_all() == len(documents) + len(parts) - 2  # their vocabulary documents too
    assert max(theirs.doc_frequency(*term) for term in theirs.all_terms()) > 2 * 128
    _assert_same_segment(ours, theirs)
    ours.close()
    theirs.close()


def test_segments_written_as_w3_writes_them_are_read_and_merged_beside_ours(tmp_path, monkeypatch):
    """Indexes written before the term tables were keyed by CRC32 and postings pickled with
    protocol 4 hold MD5-keyed tables and protocol-2 postings (W3's own): a search finds every term
    in segments of both kinds, and merging them writes what Whoosh's merge writes."""
    from whoosh import index
    from whoosh.codec.whoosh3 import W3Codec
    from whoosh.reading import SegmentReader

    from searchkit.backends.whoosh import codec
    from searchkit.backends.whoosh import writer as segment_writer
    from searchkit.backends.whoosh.codec import Codec
    from searchkit.backends.whoosh.schema import build_schema, to_document
    from searchkit.ingest.workers import prepare
    from searchkit.readers import read_file

    articles = [article for path in sorted(SEED.parent.iterdir()) for article in read_file(path)]
    documents = [to_document(prepare(replace(article, id=f"{article.id}-{copy}")))
                 for copy in range(20) for article in articles]
    ix = index.create_in(tmp_path, build_schema())
    with monkeypatch.context() as patched:
        patched.setattr(Codec, "field_writer", W3Codec.field_writer)  # the term table as before
        patched.setattr(codec, "PICKLE_PROTOCOL", 2)  # and the postings
        old = segment_writer.write_segment(ix, documents[:40])[0]
    new = segment_writer.write_segment(ix, documents[40:])[0]
    readers = [SegmentReader(ix.storage, ix.schema, segment) for segment in (old, new)]
    assert [reader._terms._tindex.hashtype for reader in readers] == [0, 1]  # MD5, CRC32
    for reader in readers:
        terms = list(reader.all_terms())
        assert len(terms) > 100
        assert all(reader.doc_frequency(*term) > 0 for term in terms)  # each found through the hash
        assert all(reader.postings(*term).all_ids() for term in terms if term[0] == "body")  # each unpickled
        reader.close()
    ours, theirs = _merge_both_ways(ix, [old, new])
    _assert_same_segment(ours, theirs)
    ours.close()
    theirs.close()


def test_later_runs_add_only_new_words_to_the_vocabulary(archive, corpus):
    from searchkit.backends.whoosh.store import open_index

    (corpus / "zeppelin.txt").write_text("Zeppelin returns to the harbour\n\nA zeppelin flew over the harbour on Sunday.\n")
    archive.index([corpus])
    assert [hit.title for hit in archive.search("zeppeli*").hits] == ["Zeppelin returns to the harbour"]
    with open_index(archive.path).reader() as reader:
        words = list(reader.lexicon("words"))
        assert {b"zeppelin", b"flew", b"sunday"} <= set(words)
        assert all(reader.doc_frequency("words", word) == 1 for word in words)  # each word recorded once


@given(data=st.data())
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_any_segments_with_any_deletions_merge_as_whoosh_merges_them(data):
    import tempfile

    from whoosh import index

    from searchkit.backends.whoosh import writer as segment_writer
    from searchkit.backends.whoosh.schema import build_schema, to_document
    from searchkit.ingest.workers import prepare
    from searchkit.model import build

    words = st.lists(st.sampled_from(["harbour", "council", "budget", "vote", "storm", "Beirut", "wheat", "the"]), max_size=40)
    texts = data.draw(st.lists(st.tuples(words, words), min_size=1, max_size=30))
    documents = [to_document(prepare(build(f"news.jsonl#{n}", title=" ".join(title), body=" ".join(body))))
                 for n, (title, body) in enumerate(texts)]
    cuts = sorted(data.draw(st.sets(st.integers(1, len(documents)), max_size=4)) | {len(documents)})
    with tempfile.TemporaryDirectory() as folder:
        ix = index.create_in(folder, build_schema())
        parts = [segment_writer.write_segment(ix, documents[start:end])[0] for start, end in zip([0, *cuts], cuts)]
        for part in parts:
            for docnum in data.draw(st.sets(st.integers(0, part.doc_count_all() - 1), max_size=3)):
                part.delete_document(docnum)
        ours, theirs = _merge_both_ways(ix, parts)
        try:
            assert ours.doc_count_all() == sum(part.doc_count() for part in parts)
            _assert_same_segment(ours, theirs)
        finally:
            ours.close()
            theirs.close()
