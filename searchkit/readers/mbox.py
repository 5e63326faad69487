"""MBOX mailboxes (newsletters, feed-to-mail archives): one article per message, a message at a time.

The subject is the title, the Date header the date, ``Archived-At`` (or ``List-Post``) the URL,
the sender's name (else the domain of their address) the source. The body comes from the
message's HTML part, turned into paragraphs, else from its plain-text part.
"""

from __future__ import annotations

import email
import email.policy
from collections.abc import Iterator
from email.message import EmailMessage
from email.utils import parseaddr
from typing import BinaryIO

from ..errors import ReadError
from ..model import Article, build
from ..normalize import clean_body
from .markup import html_text
from .protocol import MAX_RECORD, Item, ReadOptions, RecordError, lines


def read_stream(stream: BinaryIO, path: str, options: ReadOptions) -> Iterator[Item]:
    """Yield an article for each message of an mbox file ("From " lines between messages)."""
    number = 0
    for message in _messages(stream):
        number += 1
        if message is None:
            yield RecordError(f"message {number}: too large to be one message (over {MAX_RECORD >> 20} MiB)")
            continue
        try:
            yield _article(email.message_from_bytes(message, policy=email.policy.default), f"{path}#{number}", number - 1)
        except (ValueError, TypeError, LookupError, UnicodeError, AttributeError) as error:
            yield RecordError(f"message {number}: {error}")
    if not number:
        raise ReadError("no messages in this mailbox")


def _messages(stream: BinaryIO) -> Iterator[bytes | None]:
    """The bytes of each message; a line beginning "From " after a blank line (or first) starts
    one, and mboxrd's quoted ">From " lines are unquoted. None for a message over ``MAX_RECORD``."""
    current: list[bytes] | None = None
    size, blank = 0, True
    for _, line in lines(stream, MAX_RECORD):
        if line is not None and line.startswith(b"From ") and blank:
            if current is not None:
                yield b"".join(current) if size <= MAX_RECORD else None
            current, size, blank = [], 0, False
            continue
        if line is None:
            size = MAX_RECORD + 1
            continue
        blank = not line.strip()
        if current is not None and size <= MAX_RECORD:
            if line.startswith(b">") and line.lstrip(b">").startswith(b"From "):
                line = line[1:]
            current.append(line)
            size += len(line)
    if current is not None:
        yield b"".join(current) if size <= MAX_RECORD else None


def _article(message: EmailMessage, path: str, position: int) -> Article:
    name, address = parseaddr(str(message.get("From", "")))
    url = str(message.get("Archived-At") or message.get("List-Post") or "").strip().strip("<>")
    html = message.get_body(preferencelist=("html",))
    plain = message.get_body(preferencelist=("plain",))
    if html is not None:
        body = html_text(html.get_content())
    elif plain is not None:
        body = clean_body(plain.get_content())
    else:
        body = ""
    return build(
        path,
        position=position,
        title=str(message.get("Subject", "")),
        body=body,
        url=url if url.startswith(("http://", "https://")) else None,
        published=str(message.get("Date", "")) or None,
        source=name or (address.rpartition("@")[2] or None),
    )
