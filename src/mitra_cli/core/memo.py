"""A bounded memo: remembered values, emptied when full.

Batch runs meet the same answers again and again, so their parts are
remembered; but an input of many different answers must not grow memory
without end.  A full memo is emptied and refilled: memory stays flat however
long or varied the input, and what is common comes back at once.
"""

from __future__ import annotations

from typing import TypeVar

K = TypeVar("K")
V = TypeVar("V")


class Memo(dict[K, V]):
    """A dict of at most `limit` entries; ``keep`` empties it first when it is full.

    Read it as a dict (``memo.get(key)``); write it only through ``keep``.
    """

    __slots__ = ("limit",)

    def __init__(self, limit: int) -> None:
        super().__init__()
        self.limit = limit

    def keep(self, key: K, value: V) -> V:
        """Remember `value` under `key` (after emptying a full memo), and give it back."""
        if len(self) >= self.limit:
            self.clear()
        self[key] = value
        return value
