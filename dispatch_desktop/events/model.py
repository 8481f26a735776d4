"""Job event callbacks (reference 3.1.x) as values: parsing a POSTed body, the stored form, and
the JSON form the receiver serves to desktop clients.

Ids stay exact Python ``int`` end to end (F1). The reference sends ``jobid``, ``sendtaskid`` and
``contactid`` as JSON strings, ``""`` when there is none, and ``userid`` as a number (F2); both
forms are accepted for every id, and a JSON float never is, because it may already have lost
digits.

A body is parsed once, here: everything later (the fingerprint, the store, the monitor) works
on what :func:`parse_callback` checked, so a body that would fail later is refused now, alone.
"""

from __future__ import annotations

import hashlib
import json
import math
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from operator import attrgetter
from typing import Any, NamedTuple

MAX_ID = 2**63 - 1
"""Largest number an id or timestamp may have: what SQLite's INTEGER holds exactly."""

ID_FIELDS = ("jobid", "userid", "sendtaskid", "contactid")
"""Fields that are whole-number ids: strings in the served JSON, so that a JavaScript or
double-based consumer cannot round them (F1)."""

TEXT_FIELDS = ("jobtype", "sendname", "agent")

EARLIEST_TIMESTAMP_MS = 946_684_800_000
"""2000-01-01T00:00:00Z in UNIX milliseconds: no job event is older."""
LATEST_TIMESTAMP_MS = 4_102_444_800_000
"""2100-01-01T00:00:00Z: a later ``timestamp`` is a fault of the sender (seconds or
microseconds for milliseconds, a wrong clock), and Python's datetime ends at year 9999."""
MAX_NESTING = 32
"""Deepest nesting of arrays and objects a body may have; the reference's bodies are flat. A
fixed bound, so that whether a deep body passes does not depend on the stack of the thread
that parses it."""

# Not str.isdigit(), which accepts "²" and other digits; short enough for int() (whose
# limit is 4300 digits) and for any 64-bit id with leading zeros.
_DIGITS = re.compile(r"[0-9]{1,32}")


class InvalidEvent(ValueError):
    """A callback body that is not a job event; the message says why, in one sentence."""


@dataclass(frozen=True)
class JobEvent:
    """One parsed callback body. ``raw`` is the JSON text exactly as received; ``fingerprint``
    is the SHA-256 (hex) of its canonical JSON: equal for a resent copy of the same body,
    whatever its spacing or key order, so that a retry is stored once."""

    eventtype: str
    jobid: int | None
    timestamp_ms: int | None
    """UNIX milliseconds, UTC (3.1)."""
    userid: int | None
    jobtype: str | None
    sendtaskid: int | None
    sendname: str | None
    contactid: int | None
    agent: str | None
    raw: str
    fingerprint: str


@dataclass(frozen=True)
class StoredEvent:
    """A job event as the store keeps it. ``cursor`` orders events by arrival; ``received_at``
    is an aware UTC datetime."""

    cursor: int
    received_at: datetime
    jobid: int | None
    eventtype: str
    timestamp_ms: int | None
    userid: int | None
    jobtype: str | None
    sendtaskid: int | None
    sendname: str | None
    contactid: int | None
    agent: str | None
    raw: str

    @classmethod
    def of(cls, event: JobEvent, cursor: int, received_at: datetime) -> StoredEvent:
        """``event`` as stored at ``cursor``, having arrived at ``received_at``."""
        return cls(
            cursor=cursor,
            received_at=received_at,
            jobid=event.jobid,
            eventtype=event.eventtype,
            timestamp_ms=event.timestamp_ms,
            userid=event.userid,
            jobtype=event.jobtype,
            sendtaskid=event.sendtaskid,
            sendname=event.sendname,
            contactid=event.contactid,
            agent=event.agent,
            raw=event.raw,
        )

    @property
    def timestamp(self) -> datetime | None:
        """When the event happened, per the Dispatch server, as an aware UTC datetime. Raises
        :class:`InvalidEvent` for a time outside 2000-2100, which the receiver refuses (a row
        stored before it did, or written by hand)."""
        if self.timestamp_ms is None:
            return None
        if not EARLIEST_TIMESTAMP_MS <= self.timestamp_ms < LATEST_TIMESTAMP_MS:
            raise InvalidEvent(f"The event's timestamp {self.timestamp_ms} is not a time.")
        return datetime.fromtimestamp(self.timestamp_ms / 1000, UTC)

    def to_wire(self) -> dict[str, Any]:
        """The JSON object served at ``/events``: ids as digit strings (F1), ``null`` when
        absent; ``cursor`` and ``timestamp_ms`` as numbers (both far below 2**53)."""
        document: dict[str, Any] = {
            "cursor": self.cursor,
            "received_at": self.received_at.isoformat(timespec="milliseconds"),
            "eventtype": self.eventtype,
            "timestamp_ms": self.timestamp_ms,
            "raw": self.raw,
        }
        for name in ID_FIELDS:
            value = getattr(self, name)
            document[name] = None if value is None else str(value)
        for name in TEXT_FIELDS:
            document[name] = getattr(self, name)
        return document

    @classmethod
    def from_wire(cls, document: Any) -> StoredEvent:
        """The inverse of :meth:`to_wire`; raises :class:`InvalidEvent` on a malformed object."""
        if not isinstance(document, dict):
            raise InvalidEvent("An event is not a JSON object.")
        try:
            received_at = datetime.fromisoformat(document["received_at"])
            cursor = document["cursor"]
            eventtype = document["eventtype"]
            raw = document["raw"]
        except (KeyError, TypeError, ValueError) as exc:
            raise InvalidEvent(f"An event lacks a valid cursor, time or body ({exc}).") from exc
        if (
            not _is_whole(cursor)
            or _text(eventtype, "eventtype") is None
            or _text(raw, "raw") is None
        ):
            raise InvalidEvent("An event has a malformed cursor, eventtype or body.")
        if received_at.tzinfo is None:
            # A naive time cannot be compared with the aware ones (the monitor sorts by time).
            raise InvalidEvent("An event's arrival time has no UTC offset.")
        return cls(
            cursor=cursor,
            received_at=received_at,
            eventtype=eventtype,
            raw=raw,
            timestamp_ms=_whole_number(document.get("timestamp_ms"), "timestamp_ms"),
            **{name: _whole_number(document.get(name), name) for name in ID_FIELDS},
            **{name: _text(document.get(name), name) for name in TEXT_FIELDS},
        )


class TimelineEntry(NamedTuple):
    """One callback of a job, in words a GUI can phrase and translate itself (a named tuple:
    a timeline of 20,000 is made in a blink).

    ``kind`` is the callback's ``eventtype``, also for types the reference does not list;
    ``time`` is the Dispatch server's timestamp, or the arrival time when it sent none."""

    cursor: int
    kind: str
    time: datetime
    recipient: str | None = None
    """The assigned recipient's name (``sendname``); for a bare number, the number."""
    contactid: int | None = None
    agent: str | None = None


TIMELINE_ORDER = attrgetter("time", "cursor")
"""The order of a timeline: by time, then by arrival (callbacks may arrive out of order)."""


def copy_fingerprint(event: StoredEvent) -> str:
    """The fingerprint of a copy of ``event`` (an event read from a followed receiver): the
    SHA-256 of everything the receiver took from the callback, not where or when it stored it
    (cursor, arrival). The same event read twice has the same one; two events differ in some
    field, at least in their bodies, which the receiver stored once each."""
    document = event.to_wire()
    del document["cursor"], document["received_at"]
    return _fingerprint(document)


def _reject_constant(name: str) -> None:
    raise InvalidEvent(f"The body contains {name}, which is not JSON.")


def _finite_float(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):  # 1e999: a JSON number, but no float holds it
        raise InvalidEvent("The body contains a number too large for a float.")
    return value


def _load_json(text: str) -> Any:
    # Python's json accepts NaN and Infinity by default; they are not JSON and have no
    # canonical form.
    return json.loads(text, parse_constant=_reject_constant, parse_float=_finite_float)


def _check_nesting(document: Any) -> None:
    """Raise :class:`InvalidEvent` when ``document`` nests deeper than :data:`MAX_NESTING`
    (iteratively: the check itself must not recurse)."""
    pending = [(document, 1)]
    while pending:
        value, depth = pending.pop()
        if isinstance(value, dict | list):
            if depth > MAX_NESTING:
                raise InvalidEvent("The body nests too deeply.")
            children = value.values() if isinstance(value, dict) else value
            pending.extend((child, depth + 1) for child in children)


def _fingerprint(document: Any) -> str:
    # ensure_ascii: a lone surrogate ("\ud800" in the body) has an escape, but no UTF-8.
    canonical = json.dumps(document, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("ascii")).hexdigest()


def _is_whole(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and 0 <= value <= MAX_ID


def _whole_number(value: Any, name: str) -> int | None:
    """An id or timestamp given as a JSON integer or a string of digits (F2) as an exact int;
    ``None`` when absent, null or ``""`` (the reference's "no such id")."""
    if value is None or value == "":
        return None
    if isinstance(value, str) and _DIGITS.fullmatch(value):
        value = int(value)
    if not _is_whole(value):
        raise InvalidEvent(f"The field {name!r} is not a whole number from 0 to 2**63-1.")
    return value


def _timestamp(value: Any) -> int | None:
    """The ``timestamp`` field (3.1: UNIX milliseconds) when it lies in 2000-2100."""
    timestamp = _whole_number(value, "timestamp")
    if timestamp is not None and not EARLIEST_TIMESTAMP_MS <= timestamp < LATEST_TIMESTAMP_MS:
        raise InvalidEvent(
            "The field 'timestamp' is not a time from 2000 to 2100 in UNIX milliseconds."
        )
    return timestamp


def _text(value: Any, name: str) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str):
        raise InvalidEvent(f"The field {name!r} is not a string.")
    try:
        value.encode("utf-8")  # a lone surrogate escape ("\ud800") cannot be stored or shown
    except UnicodeEncodeError as exc:
        raise InvalidEvent(f"The field {name!r} is not valid Unicode text.") from exc
    return value


def parse_callback(body: bytes | str) -> JobEvent:
    """The job event in a callback body (3.1.1-3.1.3, or any other ``eventtype``, kept as it
    is). Raises :class:`InvalidEvent` when the body is not UTF-8 JSON, not an object, nests
    deeper than :data:`MAX_NESTING`, has a number no float holds, has no ``eventtype`` string,
    gives a field of the reference a value of the wrong type, or a ``timestamp`` outside
    2000-2100."""
    try:
        raw = body.decode("utf-8") if isinstance(body, bytes) else body
        document = _load_json(raw)
    except UnicodeDecodeError as exc:
        raise InvalidEvent("The body is not UTF-8 text.") from exc
    except RecursionError as exc:
        raise InvalidEvent("The body nests too deeply.") from exc
    except InvalidEvent:
        raise
    except ValueError as exc:
        raise InvalidEvent(f"The body is not JSON: {exc}.") from exc
    if not isinstance(document, dict):
        raise InvalidEvent("The body is not a JSON object.")
    _check_nesting(document)
    eventtype = _text(document.get("eventtype"), "eventtype")
    if not eventtype:
        raise InvalidEvent("The body has no 'eventtype' string.")
    return JobEvent(
        eventtype=eventtype,
        timestamp_ms=_timestamp(document.get("timestamp")),
        raw=raw,
        fingerprint=_fingerprint(document),
        **{name: _whole_number(document.get(name), name) for name in ID_FIELDS},
        **{name: _text(document.get(name), name) for name in TEXT_FIELDS},
    )
