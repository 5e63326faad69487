"""What readers yield and take: RecordError, Skipped, ReadOptions, and size caps on streams.

Readers come in two kinds. A whole-document reader (an HTML page, a text capture, one JSON
document, one NITF file) is given the file's bytes, read with a cap of ``MAX_DOCUMENT``. A
record-stream reader (WARC, JSON Lines, CSV, MBOX, ...) is given a binary stream and yields
records as it goes, each read with a cap of ``MAX_RECORD``, so memory stays bounded whatever the
file's size.
"""

from __future__ import annotations

import gzip
import io
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import BinaryIO

from ..errors import ReadError
from ..model import Article

MAX_DOCUMENT = 64 * 1024 * 1024  # after decompression; a larger file is not one article
MAX_RECORD = 64 * 1024 * 1024  # one record of a record stream (a WARC page, a CSV row, a message)
CHUNK = 1024 * 1024

# Article fields a table column can fill (``--columns body=text,title=headline``).
COLUMN_FIELDS = ("title", "body", "url", "published", "authors", "source", "language", "tags", "section")
# ISO 639-1 language codes: a declared language is kept only when it is one ("US" is a country).
LANGUAGES = frozenset(
    "aa ab ae af ak am an ar as av ay az ba be bg bh bi bm bn bo br bs ca ce ch co cr cs cu cv cy da de dv dz ee el "
    "en eo es et eu fa ff fi fj fo fr fy ga gd gl gn gu gv ha he hi ho hr ht hu hy hz ia id ie ig ii ik io is it iu "
    "ja jv ka kg ki kj kk kl km kn ko kr ks ku kv kw ky la lb lg li ln lo lt lu lv mg mh mi mk ml mn mr ms mt my na "
    "nb nd ne ng nl nn no nr nv ny oc oj om or os pa pi pl ps pt qu rm rn ro ru rw sa sc sd se sg si sk sl sm sn so "
    "sq sr ss st su sv sw ta te tg th ti tk tl tn to tr ts tt tw ty ug uk ur uz ve vi vo wa wo xh yi yo za zh zu".split()
)


class RecordError(ReadError):
    """One record of a multi-record file is unusable; the others still count."""


@dataclass(frozen=True, slots=True)
class Skipped:
    """A record a reader passes over on purpose (a WARC revisit, an image, a 404): not an error."""

    reason: str


Item = Article | RecordError | Skipped


@dataclass(frozen=True, slots=True)
class ReadOptions:
    """Per-run options for readers. ``columns`` maps an article field to a table's column name."""

    columns: dict[str, str] = field(default_factory=dict)

    @classmethod
    def parse_columns(cls, spec: str) -> ReadOptions:
        """Options from ``body=text,title=headline``; ValueError names what is wrong."""
        columns = {}
        for part in filter(None, (part.strip() for part in spec.split(","))):
            name, equals, column = part.partition("=")
            name, column = name.strip().lower(), column.strip()
            if not equals or not column:
                raise ValueError(f"expected FIELD=COLUMN, found {part!r}")
            if name not in COLUMN_FIELDS:
                raise ValueError(f"unknown field {name!r} (one of {', '.join(COLUMN_FIELDS)})")
            columns[name] = column
        return cls(columns=columns)


def language_code(value: str | None) -> str | None:
    """The ISO 639-1 code of a declared language ("en-US" -> "en"), or None when it names none."""
    code = value.strip().replace("_", "-").split("-")[0].lower() if isinstance(value, str) else ""
    return code if code in LANGUAGES else None


def read_capped(stream: BinaryIO, limit: int, what: str) -> bytes:
    """All of a stream, or ReadError as soon as it holds more than ``limit`` bytes."""
    data = stream.read(limit + 1)
    if len(data) > limit:
        raise ReadError(f"too large to be {what} (over {limit >> 20:,} MiB)")
    return data


def lines(stream: BinaryIO, limit: int = MAX_RECORD) -> Iterator[tuple[int, bytes | None]]:
    """(line number, line) for each line of a stream; a line longer than ``limit`` comes as None
    (and is skipped without being held in memory)."""
    number = 0
    while True:
        line = stream.readline(limit + 1)
        if not line:
            return
        number += 1
        if len(line) > limit and not line.endswith(b"\n"):
            while (rest := stream.readline(CHUNK)) and not rest.endswith(b"\n"):
                pass
            yield number, None
        else:
            yield number, line


class GzipStream(io.RawIOBase):
    """The content of a gzip stream, read as it goes; damage is a ReadError when it is reached."""

    def __init__(self, raw: BinaryIO) -> None:
        self._gzip = gzip.GzipFile(fileobj=raw, mode="rb")

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        try:
            data = self._gzip.read1(len(buffer))  # one step at a time: what came before damage is kept
        except (EOFError, OSError, zlib.error) as error:
            raise ReadError(f"broken gzip data ({error})") from None
        buffer[: len(data)] = data
        return len(data)

    def close(self) -> None:
        self._gzip.close()
        super().close()
