"""Following a shared callback receiver from a desktop: the client of ``GET /events``.

The callback URL is one per system user (F12), so a company runs one receiver and every desktop
follows it. Plain Python (``requests``), no Qt: call :meth:`EventFollower.poll` in a loop on a
worker thread.
"""

from __future__ import annotations

import json
from typing import Any

import requests

from dispatch_desktop.events.model import StoredEvent
from dispatch_desktop.events.receiver import DEFAULT_LIMIT, EVENTS_PATH, MAX_WAIT_SECONDS

DEFAULT_CONNECT_TIMEOUT = 5.0
READ_TIMEOUT_MARGIN = 10.0
"""Seconds a poll's answer may come later than its ``wait`` before the poll gives up."""


class FollowerError(Exception):
    """The receiver could not be reached or did not answer as a receiver does; the message is
    a sentence that names the receiver (never the token)."""


class FollowerAuthError(FollowerError):
    """The receiver refused the events token (HTTP 401)."""


class _BearerAuth(requests.auth.AuthBase):
    """Given as ``auth`` so that requests never replaces the header with a ~/.netrc login."""

    def __init__(self, token: str) -> None:
        self._token = token

    def __call__(self, request: requests.PreparedRequest) -> requests.PreparedRequest:
        request.headers["Authorization"] = f"Bearer {self._token}"
        return request


def _events_url(base_url: str) -> str:
    url = base_url.rstrip("/")
    return url if url.endswith(EVENTS_PATH) else url + EVENTS_PATH


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
        self.url = _events_url(base_url)
        self.connect_timeout = connect_timeout
        self._auth = _BearerAuth(token)
        self._session = session or requests.Session()

    def __repr__(self) -> str:
        return f"EventFollower({self.url!r})"

    def close(self) -> None:
        """Release pooled connections."""
        self._session.close()

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
        try:
            response = self._session.get(
                self.url,
                params=params,
                auth=self._auth,
                timeout=(self.connect_timeout, min(wait, MAX_WAIT_SECONDS) + READ_TIMEOUT_MARGIN),
                allow_redirects=False,  # the token goes to this receiver only
                headers={"Accept": "application/json"},
            )
        except requests.RequestException as exc:
            raise FollowerError(f"The event receiver at {self.url} did not answer: {exc}") from exc
        with response:
            return self._parse(response)

    def _parse(self, response: requests.Response) -> tuple[list[StoredEvent], int]:
        if response.status_code == 401:
            raise FollowerAuthError(f"The event receiver at {self.url} refused the events token.")
        if response.status_code != 200:
            raise FollowerError(
                f"The event receiver at {self.url} answered HTTP {response.status_code}: "
                f"{response.text[:200].strip()}"
            )
        try:
            document: Any = json.loads(response.content)
            events = [StoredEvent.from_wire(item) for item in document["events"]]
            cursor = document["cursor"]
        except (ValueError, KeyError, TypeError) as exc:  # InvalidEvent is a ValueError
            raise FollowerError(
                f"The event receiver at {self.url} answered something that is not an event "
                f"list: {exc}"
            ) from exc
        if isinstance(cursor, bool) or not isinstance(cursor, int):
            raise FollowerError(f"The event receiver at {self.url} answered no valid cursor.")
        return events, cursor
