"""What a callback receiver needs of its event store, and how ``--store`` picks one.

Two implementations: :class:`~dispatch_desktop.events.store.EventStore` (SQLite, one file, the
default for the embedded and the single-node receivers) and
:class:`~dispatch_desktop.events.pgstore.PostgresEventStore` (PostgreSQL, shared by any number
of receiver nodes; the optional extra ``dispatch-desktop[server]``).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol

from dispatch_desktop.events.model import JobEvent, StoredEvent

Publish = Callable[[int], None]
"""Told the newest cursor known to be committed (wakes the long polls of ``GET /events``)."""

POSTGRES_SCHEMES = ("postgresql://", "postgres://")


class ReceiverStore(Protocol):
    """The event store of a :class:`~dispatch_desktop.events.receiver.CallbackReceiver`.

    Every method may raise :class:`~dispatch_desktop.events.store.EventStoreError`; the
    receiver then answers 503 (the sender may retry), never 200."""

    @property
    def location(self) -> str:
        """Where the events are, in words for the operator (never a password)."""
        ...

    def add_event(self, event: JobEvent) -> tuple[StoredEvent, bool]:
        """Store ``event`` durably (committed before it returns) and return it with
        ``is_new``; a body stored before comes back as first stored, ``is_new`` False."""
        ...

    def events_after(self, cursor: int, limit: int = 100) -> list[StoredEvent]:
        """At most ``limit`` events after ``cursor``, oldest first. An event with a lower
        cursor than one returned here is never stored later (the feed's cursor cannot skip
        one)."""
        ...

    def latest_cursor(self) -> int:
        """The newest cursor (0: none); also what ``GET /health`` asks."""
        ...

    def watch(self, publish: Publish) -> None:
        """Call ``publish(cursor)`` (from any thread) when other processes store events; a
        store only this process writes does nothing here (the receiver publishes its own)."""
        ...

    def close(self) -> None:
        """Release connections and threads; a later call opens them again."""
        ...


def is_postgres_address(address: str) -> bool:
    return address.startswith(POSTGRES_SCHEMES)
