"""Following a shared callback receiver from a desktop: the client of ``GET /events``.

The callback URL is one per system user (F12), so a company runs one receiver and every desktop
follows it. Plain Python (``requests``), no Qt: call :meth:`EventFollower.poll` in a loop on a
worker thread.

The events token is a credential, so the follower obeys the API client's rules: plain
``http://`` only to this computer, the proxy rules of :mod:`dispatch_desktop.api.proxy`, no
redirect, a wall-clock deadline on each poll and a cap on the answer's size
(:mod:`dispatch_desktop.api.transport`).
"""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import urlencode

import requests

from dispatch_desktop.api.proxy import UnsupportedProxy
from dispatch_desktop.api.redaction import Scrubber, register_secret
from dispatch_desktop.api.transport import Answer, Limits, TransportSettings, exchange
from dispatch_desktop.events.config import check_follow_url
from dispatch_desktop.events.model import StoredEvent
from dispatch_desktop.events.receiver import DEFAULT_LIMIT, MAX_WAIT_SECONDS
from dispatch_desktop.translation_marks import QT_TRANSLATE_NOOP, Phrase

DEFAULT_CONNECT_TIMEOUT = 5.0
READ_TIMEOUT_MARGIN = 10.0
"""Seconds a poll's answer may come later than its ``wait`` before the poll gives up."""
MAX_ANSWER_BYTES = 16 * 1024 * 1024
"""A page of at most 500 events is well below 1 MB."""


class FollowerError(Exception):
    """The receiver could not be reached or did not answer as a receiver does; the message is
    a sentence (a :class:`Phrase`) that names the receiver (never the token)."""


class FollowerAuthError(FollowerError):
    """The receiver refused the events token (HTTP 401)."""


class EventFollower:
    """Reads the events of the receiver at ``base_url`` (``http://HOST:PORT``, or its events
    URL) with the bearer ``token``. Not thread-safe: one follower per polling thread."""

    def __init__(
        self,
        base_url: str,
        token: str,
        *,
        connect_timeout: float = DEFAULT_CONNECT_TIMEOUT,
        session: requests.Session | None = None,
    ) -> None:
        try:
            self.url = check_follow_url(base_url)
        except ValueError as exc:
            raise FollowerError(exc.args[0]) from None
        self.connect_timeout = connect_timeout
        self._token = token
        self._scrub = Scrubber([token])
        register_secret(token)
        self._transport = TransportSettings.from_session(session)

    def __repr__(self) -> str:
        return f"EventFollower({self.url!r})"

    def close(self) -> None:
        """Nothing to release: each poll opens and closes its own connection."""

    def __enter__(self) -> EventFollower:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def poll(
        self, after: int, wait: float = MAX_WAIT_SECONDS, limit: int = DEFAULT_LIMIT
    ) -> tuple[list[StoredEvent], int]:
        """The events stored after cursor ``after`` (0: from the first), oldest first, and the
        cursor to pass next time. When there are none yet, the receiver waits up to ``wait``
        seconds (at most 30) for one, then answers an empty list.

        Ids come back as exact ``int`` (F1). A cursor beyond the receiver's newest event (its
        store was replaced) comes back as the receiver's newest cursor. Raises
        :class:`FollowerAuthError` or :class:`FollowerError`."""
        params = {"after": str(after), "wait": str(wait), "limit": str(limit)}
        patience = min(wait, MAX_WAIT_SECONDS) + READ_TIMEOUT_MARGIN
        try:
            answer = exchange(
                "GET",
                f"{self.url}?{urlencode(params)}",
                headers={"Accept": "application/json", "Authorization": f"Bearer {self._token}"},
                body=None,
                limits=Limits(self.connect_timeout, patience, patience, MAX_ANSWER_BYTES),
                settings=self._transport,
            )
        except (requests.RequestException, UnsupportedProxy) as exc:
            detail = self._scrub(str(exc))
            raise FollowerError(
                Phrase(
                    QT_TRANSLATE_NOOP("Library", "The event receiver at %1 did not answer: %2"),
                    self.url,
                    detail,
                )
            ) from None
        return self._parse(answer)

    def _parse(self, answer: Answer) -> tuple[list[StoredEvent], int]:
        if answer.status == 401:
            raise FollowerAuthError(
                Phrase(
                    QT_TRANSLATE_NOOP(
                        "Library", "The event receiver at %1 refused the events token."
                    ),
                    self.url,
                )
            )
        if answer.status != 200:
            text = self._scrub(answer.body[:200].decode("utf-8", "replace").strip())
            raise FollowerError(
                Phrase(
                    QT_TRANSLATE_NOOP("Library", "The event receiver at %1 answered HTTP %2: %3"),
                    self.url,
                    str(answer.status),
                    text,
                )
            )
        if answer.truncated:
            raise FollowerError(
                Phrase(
                    QT_TRANSLATE_NOOP("Library", "The event receiver at %1 answered far too much."),
                    self.url,
                )
            )
        try:
            document: Any = json.loads(answer.body)
            events = [StoredEvent.from_wire(item) for item in document["events"]]
            cursor = document["cursor"]
        except (ValueError, KeyError, TypeError, RecursionError) as exc:
            raise FollowerError(
                Phrase(
                    QT_TRANSLATE_NOOP(
                        "Library",
                        "The event receiver at %1 answered something that is not an event list: %2",
                    ),
                    self.url,
                    self._scrub(str(exc))[:200],
                )
            ) from None
        if isinstance(cursor, bool) or not isinstance(cursor, int):
            raise FollowerError(
                Phrase(
                    QT_TRANSLATE_NOOP(
                        "Library", "The event receiver at %1 answered no valid cursor."
                    ),
                    self.url,
                )
            )
        return events, cursor
