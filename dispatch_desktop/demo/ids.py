"""Unique 64-bit ids for started jobs and send tasks."""

from __future__ import annotations

import threading
import time

# Custom epoch (2019-01-01 UTC) as in "snowflake" ids: keeps ids far below 2^63 for decades.
_EPOCH_MS = 1_546_300_800_000


class IdGenerator:
    """Thread-safe, time-based ids shaped like the reference's (F1): 64-bit, above 2^53.

    The millisecond clock sits in the high bits, so ids also differ between demo runs (a
    client's job history survives a server restart). Every id is odd: a double cannot hold
    it exactly, so a client that loses precision fails visibly instead of by luck.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._last = 0

    def next_id(self) -> int:
        """A new id, larger than every id this generator returned before."""
        candidate = (time.time_ns() // 1_000_000 - _EPOCH_MS) << 22 | 1
        with self._lock:
            self._last = max(candidate, self._last + 2)
            return self._last
