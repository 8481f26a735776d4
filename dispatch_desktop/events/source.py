"""Where a desktop's job events come from: a receiver of its own, or a shared one (F12).

The LEKAB callback URL is one per system user, so either this desktop runs the receiver (a
single desktop, or the demo) or it follows the company's shared receiver over
``GET /events``. :class:`EventSource` runs either and hands every new event to one callback,
from a background thread.

Either way the events end in an event store on this computer, which the monitor reads. A
follower keeps a store of its own per receiver address, with the receiver's cursor: after a
restart it asks only for what the receiver stored since, instead of the whole history.

A follower may be given several addresses: the nodes of one receiver that share a PostgreSQL
database, so they serve the same events with the same cursors. It follows the first that
answers and moves to the next as soon as one fails; from the same cursor, so it loses nothing,
and the copies are stored once each (their fingerprints), so it repeats nothing either.
"""

from __future__ import annotations

import hashlib
import logging
import threading
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from dispatch_desktop.events.config import SourceConfig, SourceMode, follow_addresses
from dispatch_desktop.events.model import StoredEvent
from dispatch_desktop.events.receiver import CallbackReceiver
from dispatch_desktop.events.store import EventStore, EventStoreError
from dispatch_desktop.events.tokens import renew_token, stored_token
from dispatch_desktop.storage.private import private_folder
from dispatch_desktop.translation_marks import QT_TRANSLATE_NOOP, Phrase

if TYPE_CHECKING:
    from dispatch_desktop.events.follower import EventFollower

log = logging.getLogger(__name__)

STORE_FILE_NAME = "events.sqlite3"
DEMO_STORE_FILE_NAME = "demo-events.sqlite3"
FOLLOWED_STORE_PREFIX = "followed-events-"
TOKEN_FILE_NAME = "callback-token"  # noqa: S105 - a file name, not a token
# After a failed poll: long enough not to hammer a receiver that is down.
RETRY_SECONDS = 5.0

EventsCallback = Callable[[list[StoredEvent]], None]
StatusCallback = Callable[[Phrase], None]
"""Told a sentence for the status bar, which the windows translate."""


def followed_store_name(events_url: str) -> str:
    """The file of the events copied from the receiver at ``events_url``: one per address, so
    that the cursors of two receivers never mix."""
    digest = hashlib.sha256(events_url.encode("utf-8")).hexdigest()[:16]
    return f"{FOLLOWED_STORE_PREFIX}{digest}.sqlite3"


class SourceError(Exception):
    """The source could not start; the message is one sentence for the user (a
    :class:`Phrase`, or the store's own sentence)."""


class EventSource:
    """Runs the configured source. ``start`` blocks (it opens files and binds a socket): call
    it off the GUI thread. ``on_events`` and ``on_status`` are called from background
    threads."""

    def __init__(
        self,
        config: SourceConfig,
        data_dir: Path,
        on_events: EventsCallback,
        on_status: StatusCallback,
        *,
        demo: bool = False,
    ) -> None:
        self.config = config
        self.data_dir = data_dir
        self.demo = demo
        self._on_events = on_events
        self._on_status = on_status
        self.store: EventStore | None = None
        self.receiver: CallbackReceiver | None = None
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    @property
    def callback_url(self) -> str | None:
        """The URL to enter at LEKAB (embedded mode), else ``None``."""
        return self.receiver.callback_url if self.receiver is not None else None

    def renew_token(self) -> None:
        """Blocking: give the embedded receiver a new callback token (before :meth:`start`);
        the URL entered at LEKAB must then be updated."""
        private_folder(self.data_dir)
        renew_token(self.data_dir / TOKEN_FILE_NAME, "callback token")

    def start(self) -> None:
        """Open the store and start receiving or following; raises :class:`SourceError`."""
        if self.config.mode is SourceMode.EMBEDDED:
            try:
                self._start_receiver()
            except EventStoreError as exc:
                raise SourceError(exc.args[0]) from exc
            except (OSError, ValueError) as exc:
                raise SourceError(
                    Phrase(
                        QT_TRANSLATE_NOOP(
                            "Library",
                            "The callback receiver could not start on %1 port %2: %3. Choose "
                            "another port in Settings.",
                        ),
                        self.config.bind,
                        str(self.config.port),
                        str(exc),  # the OS's own words
                    )
                ) from exc
        elif self.config.mode is SourceMode.FOLLOW:
            # Imported here, off the GUI thread: requests is slow to import, and only a
            # follower needs it.
            from dispatch_desktop.events.follower import FollowerError

            try:
                self._start_follower()
            except (FollowerError, EventStoreError) as exc:  # FollowerError: an address the
                raise SourceError(exc.args[0]) from exc  # events token must not go to
        else:
            self._on_status(
                Phrase(
                    QT_TRANSLATE_NOOP(
                        "Library", "Live job status is off: set up the job monitor in Settings."
                    )
                )
            )

    def _start_receiver(self) -> None:
        private_folder(self.data_dir)
        # Drills never mix with real callouts: the demo keeps its events apart, in the demo
        # profile's folder (storage/paths.py) and, should it be given another, by name.
        name = DEMO_STORE_FILE_NAME if self.demo else STORE_FILE_NAME
        self.store = EventStore(self.data_dir / name)
        token = stored_token(self.data_dir / TOKEN_FILE_NAME, "callback token")
        # The demo's receiver takes any free port: it only talks to the embedded demo server.
        port = 0 if self.demo else self.config.port
        receiver = CallbackReceiver(self.store, self.config.bind, port, token)
        receiver.add_listener(lambda event: self._on_events([event]))
        self.receiver = receiver.start()
        self._on_status(
            Phrase(
                QT_TRANSLATE_NOOP("Library", "Receiving job events at %1"),
                f"{receiver.base_url}/callbacks/…",
            )
        )

    def _start_follower(self) -> None:
        from dispatch_desktop.events.follower import EventFollower, FollowerError

        addresses = follow_addresses(self.config.follow_url) or [self.config.follow_url]
        followers = [EventFollower(address, self.config.follow_token) for address in addresses]
        if len(followers) > 1:
            log.info("Following %d receiver nodes, in this order: %s", len(followers), addresses)
        if len({follower.url for follower in followers}) != len(followers):
            raise FollowerError(
                Phrase(
                    QT_TRANSLATE_NOOP("Library", "The same shared receiver address is given twice.")
                )
            )
        private_folder(self.data_dir)
        # Named after the first address: adding a second node to it keeps the copies (and the
        # cursor) made so far.
        self.store = store = EventStore(self.data_dir / followed_store_name(followers[0].url))
        self._thread = threading.Thread(
            target=self._follow,
            args=(list(zip(addresses, followers, strict=True)), store),
            name="event-follower",
            daemon=True,
        )
        self._thread.start()

    def _follow(self, nodes: list[tuple[str, EventFollower]], store: EventStore) -> None:
        from dispatch_desktop.events.follower import FollowerAuthError, FollowerError

        cursor: int | None = None  # read from the store first
        current = 0
        failed_in_a_row = 0
        while not self._stop.is_set():
            address, follower = nodes[current]
            try:
                if cursor is None:
                    cursor = store.follow_cursor()
                events, after = follower.poll(cursor)
                if self._stop.is_set():
                    break  # a source started after this one stores them
                new = store.add_copies(events, after)
            except FollowerAuthError:
                self._on_status(
                    Phrase(
                        QT_TRANSLATE_NOOP(
                            "Library",
                            "The shared receiver refused the events token; check it in Settings.",
                        )
                    )
                )
                self._stop.wait(RETRY_SECONDS * 6)
                continue
            except FollowerError as exc:
                # The next node, at once; a pause only once every node failed in turn.
                current = (current + 1) % len(nodes)
                failed_in_a_row += 1
                if failed_in_a_row >= len(nodes):
                    failed_in_a_row = 0
                    self._on_status(
                        Phrase(
                            QT_TRANSLATE_NOOP(
                                "Library", "The shared receiver cannot be reached (%1); retrying."
                            ),
                            exc.args[0],
                        )
                    )
                    self._stop.wait(RETRY_SECONDS)
                else:
                    log.warning("%s; trying %s", exc, nodes[current][0])
                continue
            except EventStoreError as exc:
                self._on_status(
                    Phrase(
                        QT_TRANSLATE_NOOP(
                            "Library", "The followed job events cannot be stored: %1 Retrying."
                        ),
                        exc.args[0],
                    )
                )
                self._stop.wait(RETRY_SECONDS)
                continue
            cursor, failed_in_a_row = after, 0
            self._on_status(
                Phrase(QT_TRANSLATE_NOOP("Library", "Following job events from %1"), address)
            )
            if new:
                self._on_events(new)

    def stop(self) -> None:
        """Stop receiving or following; a poll in progress ends on its own (daemon thread).
        Returns within a few seconds even while a callback waits for a locked store (the
        GUI thread calls it)."""
        self._stop.set()
        if self.receiver is not None:
            self.receiver.stop()
            self.receiver = None
        if self.store is not None:
            self.store.close()
