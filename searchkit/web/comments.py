"""Reader comments as threads: a comment's ``reply_to`` names the author it answers, so it goes
under that author's latest comment before it (a name with no such comment starts a thread of its own)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from ..model import Comment

MAX_DEPTH = 8  # deeper replies are shown at this depth, so a long exchange stays readable


@dataclass(slots=True)
class Thread:
    comment: Comment
    replies: list[Thread] = field(default_factory=list)
    answers_missing: bool = False  # it names an author with no comment before it


def threads(comments: Iterable[Comment]) -> list[Thread]:
    """The comments in page order, each reply under the comment it answers."""
    roots: list[Thread] = []
    latest: dict[str, Thread] = {}  # each author's latest comment
    place: dict[int, tuple[Thread | None, int]] = {}  # id of a thread: the thread holding it, its depth
    for comment in comments:
        node = Thread(comment)
        parent = latest.get(comment.reply_to.casefold()) if comment.reply_to else None
        if parent is None:
            node.answers_missing = comment.reply_to is not None
            roots.append(node)
            place[id(node)] = (None, 0)
        else:
            holder, depth = parent, place[id(parent)][1] + 1
            if depth == MAX_DEPTH:  # at the cap, a reply joins its parent's siblings
                holder, depth = place[id(parent)][0], depth - 1
            holder.replies.append(node)
            place[id(node)] = (holder, depth)
        if comment.author:
            latest[comment.author.casefold()] = node
    return roots


def walk(roots: list[Thread]) -> Iterator[tuple[bool, Thread]]:
    """Each thread as it opens (True) and closes (False), its replies between: nested lists written
    from this stream one piece at a time, with no recursion and no string built per thread."""
    stack = [(node, False) for node in reversed(roots)]
    while stack:
        node, closing = stack.pop()
        yield not closing, node
        if not closing:
            stack.append((node, True))
            stack.extend((reply, False) for reply in reversed(node.replies))
