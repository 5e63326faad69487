"""The archive's vocabulary (``NAME_words``): the words of titles and bodies as written (group 0)
and the terms of the other full-text fields (group i: ``schema.TEXT_FIELDS[i-1]``), read for
wildcards, fuzzy words and spelling suggestions within the budgets of ``querylang.expansion``.
"""

from __future__ import annotations

import re

from ...querylang.expansion import Vocabulary as _Vocabulary

_PREFIX_SAFE = re.compile(r"^[\w.'’]*$")


class Vocabulary(_Vocabulary):
    """The words of an archive's vocabulary index (``where``: a group)."""

    def __init__(self, run, index: str, budget: int | None = None) -> None:
        super().__init__(budget)
        self.run = run  # run(sql, args) -> rows, on the head
        self.index = index

    def read(self, where: int, prefix: str) -> list[str]:
        room = self.budget - self.read_so_far + 1  # one more than the budget allows: enough to know it is exceeded
        options = f"ORDER BY w ASC LIMIT {room} OPTION max_matches={room}"
        if prefix and _PREFIX_SAFE.match(prefix):
            rows = self.run(f"SELECT w FROM {self.index} WHERE MATCH(%s) AND grp = {where} {options}",
                            (f"@word {prefix}*",))
        else:
            rows = self.run(f"SELECT w FROM {self.index} WHERE grp = {where} {options}", None)
        return [row[0] for row in rows]
