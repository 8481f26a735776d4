"""Job event callbacks (reference 3): receive, store durably, and follow them. No Qt.

- :mod:`~dispatch_desktop.events.model`: a callback body parsed (:func:`parse_callback`,
  :class:`JobEvent`) and stored (:class:`StoredEvent`), ids as exact ``int`` (F1, F2).
- :mod:`~dispatch_desktop.events.store`: :class:`EventStore`, the SQLite store.
- :mod:`~dispatch_desktop.events.receiver`: :class:`CallbackReceiver`, the HTTP endpoint,
  embedded in the desktop app or run headless (``python -m dispatch_desktop.events``).
- :mod:`~dispatch_desktop.events.follower`: :class:`EventFollower`, a desktop's client of a
  shared receiver (the callback URL is one per system user: F12).

Callbacks are the only live source of job status (G6).
"""

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from dispatch_desktop.events.follower import EventFollower, FollowerAuthError, FollowerError
    from dispatch_desktop.events.model import InvalidEvent, JobEvent, StoredEvent, parse_callback
    from dispatch_desktop.events.receiver import CallbackReceiver, EventListener, new_token
    from dispatch_desktop.events.store import EventStore, EventStoreError

# Loaded on first use: the desktop app imports the event model at start-up, and must not wait
# for requests (used only by the follower).
_HOMES = {
    "EventFollower": "follower",
    "FollowerAuthError": "follower",
    "FollowerError": "follower",
    "InvalidEvent": "model",
    "JobEvent": "model",
    "StoredEvent": "model",
    "parse_callback": "model",
    "CallbackReceiver": "receiver",
    "EventListener": "receiver",
    "new_token": "receiver",
    "EventStore": "store",
    "EventStoreError": "store",
}


def __getattr__(name: str) -> Any:
    if name in _HOMES:
        return getattr(import_module(f"{__name__}.{_HOMES[name]}"), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = [
    "CallbackReceiver",
    "EventFollower",
    "EventListener",
    "EventStore",
    "EventStoreError",
    "FollowerAuthError",
    "FollowerError",
    "InvalidEvent",
    "JobEvent",
    "StoredEvent",
    "new_token",
    "parse_callback",
]
