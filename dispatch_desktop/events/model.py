"""Job event callbacks (reference 3.1.x) as values: parsing a POSTed body, the stored form, and
the JSON form the receiver serves to desktop clients.

Ids stay exact Python ``int`` end to end (F1). The reference sends ``jobid``, ``sendtaskid`` and
``contactid`` as JSON strings, ``""`` when there is none, and ``userid`` as a number (F2); both
forms are accepted for every id, and a JSON float never is, because it may already have lost
digits.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

MAX_ID = 2**63 - 1
"""Largest number an id or timestamp may have: what SQLite's INTEGER holds exactly."""

ID_FIELDS = ("jobid", "userid", "sendtaskid", "contactid")
"""Fields that are whole-number ids: strings in the served JSON, so that a JavaScript or
double-based consumer cannot round them (F1)."""

TEXT_FIELDS = ("jobtype", "sendname", "agent")

# Not str.isdigit(), which accepts "²" and other digits; short enough for int() (whose
# limit is 4300 digits) and for any 64-bit id with leading zeros.
_DIGITS = re.compile(r"[0-9]{1,32}")


class InvalidEvent(ValueError):
    """A callback body that is not a job event; the message says why, in one sentence."""


@dataclass(frozen=True)
class JobEvent:
    """One parsed callback body. ``raw`` is the JSON text exactly as received."""

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

    @property
    def fingerprint(self) -> str:
        """SHA-256 (hex) of the body's canonical JSON: equal for a resent copy of the same
        body, whatever its spacing or key order, so a retry is stored once."""
        # ensure_ascii: a lone surrogate ("\ud800" in the body) has an escape, but no UTF-8.
        canonical = json.dumps(_load_json(self.raw), sort_keys=True, separators=(",", ":"))
        return hashlib.sha256(canonical.encode("ascii")).hexdigest()


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

    @property
    def timestamp(self) -> datetime | None:
        """When the event happened, per the Dispatch server, as an aware UTC datetime."""
        if self.timestamp_ms is None:
            return None
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
        if not _is_whole(cursor) or not isinstance(eventtype, str) or not isinstance(raw, str):
            raise InvalidEvent("An event has a malformed cursor, eventtype or body.")
        return cls(
            cursor=cursor,
            received_at=received_at,
            eventtype=eventtype,
            timestamp_ms=_whole_number(document.get("timestamp_ms"), "timestamp_ms"),
            raw=raw,
            **{name: _whole_number(document.get(name), name) for name in ID_FIELDS},
            **{name: _text(document.get(name), name) for name in TEXT_FIELDS},
        )


def _reject_constant(name: str) -> None:
    raise InvalidEvent(f"The body contains {name}, which is not JSON.")


def _load_json(text: str) -> Any:
    # Python's json accepts NaN and Infinity by default; they are not JSON and have no
    # canonical form.
    return json.loads(text, parse_constant=_reject_constant)


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
    is). Raises :class:`InvalidEvent` when the body is not UTF-8 JSON, not an object, has no
    ``eventtype`` string, or gives a field of the reference a value of the wrong type."""
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
    eventtype = _text(document.get("eventtype"), "eventtype")
    if not eventtype:
        raise InvalidEvent("The body has no 'eventtype' string.")
    return JobEvent(
        eventtype=eventtype,
        timestamp_ms=_whole_number(document.get("timestamp"), "timestamp"),
        raw=raw,
        **{name: _whole_number(document.get(name), name) for name in ID_FIELDS},
        **{name: _text(document.get(name), name) for name in TEXT_FIELDS},
    )
