"""Persistent preferences (QSettings): window geometry, last server, user, auth method,
job-type mapping and the tag vocabulary used before. Never a secret: secrets live in the
keyring (storage/secrets.py).

The file is the user's, so anything may be in it (an old version's value, an edit, a tampered
file). Every value read is checked: a bad one is ignored, the default used, and one log line
per key says so, quoting at most the start of the value (docs/input-rules.md). The folder is
0700 and the file 0600 (storage/private.py).
"""

from __future__ import annotations

import ipaddress
import json
import logging
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import urlsplit

from PySide6.QtCore import QByteArray, QSettings

from dispatch_desktop.api import DEFAULT_SERVER_URL, AuthMethod, GenericType, JobTypeMapping
from dispatch_desktop.api.characters import find_forbidden
from dispatch_desktop.api.errors import ValidationError
from dispatch_desktop.events.config import DEFAULT_PORT, SourceConfig, SourceMode
from dispatch_desktop.policy import NO_POLICY, Policy
from dispatch_desktop.storage.private import private_file, private_folder
from dispatch_desktop.ui.language import LANGUAGES

log = logging.getLogger(__name__)
T = TypeVar("T")

_VOCABULARY_LIMIT = 200
"""Values kept per tag type."""
_MAX_TAG_TYPES = 200
_MAX_JOB_TYPES = 500
_MAX_NAME = 200
"""Characters of a job type, tag type or tag value."""
_MAX_TEXT = 2_000
"""Characters of an address or a username."""
_MAX_JSON = 1_000_000
"""Characters of a JSON value: far above what the app writes, far below a problem."""
_MAX_BYTES = 65_536
"""Bytes of a saved window geometry or state (Qt writes well under 1,000)."""
_SHOWN = 60
"""Characters of a bad value quoted in the log."""
_HOST_NAME = re.compile(r"[A-Za-z0-9]([A-Za-z0-9.-]{0,252})")


class _Bad(ValueError):
    """A stored value that is not used; the message says why, in words."""


def _shown(value: object) -> str:
    """The start of ``value`` for a log line: never the whole of a huge value, and no raw
    control character (the quoted form escapes them)."""
    if isinstance(value, str):
        more = f"... ({len(value)} characters)" if len(value) > _SHOWN else ""
        return repr(value[:_SHOWN]) + more
    size = f" of {len(value)}" if isinstance(value, list | dict | QByteArray | bytes) else ""
    return f"a {type(value).__name__}{size}"


def _text(value: object, limit: int = _MAX_TEXT) -> str:
    if not isinstance(value, str):
        raise _Bad("not text")
    if len(value) > limit:
        raise _Bad(f"longer than {limit} characters")
    found = find_forbidden(value)
    if found is not None:
        raise _Bad(f"contains {found.name}")
    return value


def _choice(allowed: tuple[str, ...]) -> Callable[[object], str]:
    def check(value: object) -> str:
        if value not in allowed:
            raise _Bad(f"not one of {', '.join(map(repr, allowed))}")
        return str(value)

    return check


def _flag(value: object) -> bool:
    return _choice(("true", "false"))(value) == "true"


def _server(value: object) -> str:
    # Imported on first use: in demo mode the start-up's sign-in dialog reads no address.
    from dispatch_desktop.api.validation import check_server_url

    try:
        check_server_url(_text(value), allow_insecure=True)
    except ValidationError:
        raise _Bad("not a web address") from None
    return str(value)


def _web_address(value: object) -> str:
    """An http(s) address with a host, or "" (not set)."""
    text = _text(value)
    if not text:
        return text
    parts = urlsplit(text)
    try:
        parts.port  # noqa: B018 - reading it validates it
    except ValueError:
        raise _Bad("not a valid port number") from None
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise _Bad("not an http:// or https:// address")
    return text


def _web_addresses(value: object) -> str:
    """One or more addresses (a receiver's nodes), each as :func:`_web_address` takes it."""
    from dispatch_desktop.events.config import follow_addresses

    text = _text(value)
    for address in follow_addresses(text):
        _web_address(address)
    return text


def _bind_address(value: object) -> str:
    """An IP address or host name to listen on, or "" (not set)."""
    text = _text(value)
    if not text:
        return text
    try:
        ipaddress.ip_address(text)
    except ValueError:
        if not _HOST_NAME.fullmatch(text):
            raise _Bad("not an IP address or host name") from None
    return text


def _port(value: object) -> int:
    # Not str.isdigit(): it accepts '²', which int() refuses; five digits at most, so a
    # 5,000-digit number never reaches int().
    if not isinstance(value, str) or not re.fullmatch(r"[0-9]{1,5}", value):
        raise _Bad("not a port number")
    port = int(value)
    if not 1 <= port <= 65535:
        raise _Bad("not between 1 and 65535")
    return port


def _whole_number(low: int, high: int) -> Callable[[object], int]:
    """A check for a small whole number from ``low`` to ``high``, written as digits."""

    def check(value: object) -> int:
        if not isinstance(value, str) or not re.fullmatch(r"[0-9]{1,6}", value):
            raise _Bad("not a whole number")
        number = int(value)
        if not low <= number <= high:
            raise _Bad(f"not between {low} and {high}")
        return number

    return check


def _bytes(value: object) -> QByteArray:
    if not isinstance(value, QByteArray):
        raise _Bad("not saved window data")
    if value.size() > _MAX_BYTES:
        raise _Bad(f"larger than {_MAX_BYTES} bytes")
    return value


def _json_object(value: object) -> dict[Any, Any]:
    text = _text(value, _MAX_JSON)
    try:
        document = json.loads(text)
    except RecursionError:
        raise _Bad("nested too deeply") from None
    except ValueError:  # also a number of more than 4,300 digits
        raise _Bad("not valid JSON") from None
    if not isinstance(document, dict):
        raise _Bad("not a JSON object")
    return document


def _name(value: object) -> str:
    """A job type, tag type or tag value: short text the server would read as written."""
    text = _text(value, _MAX_NAME)
    if not text.strip():
        raise _Bad("blank")
    return text


def _prefix(value: object) -> str:
    """An exercise marker: short text, not blank, one line."""
    text = _text(value, _MAX_NAME)
    if not text.strip():
        raise _Bad("blank")
    return text


_MAX_FAVOURITES = 500


def _is_job_id(value: object) -> bool:
    return type(value) is int and 0 < value < 2**63


DEFAULT_RETENTION_DAYS = 90
MAX_RETENTION_DAYS = 3650
DEFAULT_UNDO_SECONDS = 5
DEFAULT_REPEAT_MINUTES = 30
DEFAULT_EXERCISE_PREFIXES = {"en": "EXERCISE – ", "sv": "ÖVNING – "}
"""The marker an exercise message starts with; Nordic alerting services write the word for
exercise first, so nobody reads a drill as a real callout."""


class AppSettings:
    """Typed, checked access to the application's QSettings. ``path`` selects an INI file
    (the app and the tests always give one).

    ``policy`` is the administrator's (policy.py): a value it sets is what every getter
    returns, and a setter of that value writes nothing, so the user's file never holds it and
    keeps the user's own value for the day the policy lifts it."""

    def __init__(self, path: Path | None = None, policy: Policy = NO_POLICY) -> None:
        self.policy = policy
        if path is None:
            self._settings = QSettings("LEKAB", "Dispatch Desktop")
        else:
            try:
                # QSettings keeps the mode of an existing file when it rewrites it.
                private_file(private_folder(path.parent) / path.name)
            except OSError as exc:
                log.warning("The settings file %s could not be made private: %s", path, exc)
            self._settings = QSettings(str(path), QSettings.Format.IniFormat)
        self._reported: set[str] = set()
        if self._settings.status() != QSettings.Status.NoError:
            log.warning("The settings file %s could not be read; defaults are used.", self.path)

    @property
    def path(self) -> Path:
        """The settings file (or registry path on Windows without ``path``)."""
        return Path(self._settings.fileName())

    def sync(self) -> None:
        """Write pending changes to disk."""
        self._settings.sync()

    def _ignored(
        self, key: str, value: object, reason: str, outcome: str = "the default is used"
    ) -> None:
        """Log once per key that (part of) its stored value is not used."""
        if key not in self._reported:
            self._reported.add(key)
            log.warning("Settings: ignored %s = %s: %s; %s.", key, _shown(value), reason, outcome)

    def _read(self, key: str, default: T, check: Callable[[object], T]) -> T:
        """The checked value of ``key``; ``default`` when it is missing or bad."""
        if not self._settings.contains(key):
            return default
        value = self._settings.value(key)
        try:
            return check(value)
        except _Bad as bad:
            self._ignored(key, value, str(bad))
            return default

    # -- language -----------------------------------------------------------------------------

    @property
    def language(self) -> str:
        """The interface language chosen in Settings ("en", "sv"); empty: follow the system.
        It applies at the next start (docs/translations.md). The policy's, when it sets one."""
        if self.policy.language is not None:
            return self.policy.language
        return self._read("ui/language", "", _choice(("", *LANGUAGES)))

    @language.setter
    def language(self, value: str) -> None:
        if self.policy.sets("language"):
            return  # the administrator's: never stored as the user's
        self._settings.setValue("ui/language", _choice(("", *LANGUAGES))(value))

    # -- sign-in ------------------------------------------------------------------------------

    @property
    def server_url(self) -> str:
        """The last server signed in to."""
        if self.policy.server is not None:
            return self.policy.server
        return self._read("signin/server", DEFAULT_SERVER_URL, _server)

    @server_url.setter
    def server_url(self, value: str) -> None:
        if self.policy.sets("server"):
            return  # the administrator's: never written (policy.py)
        self._settings.setValue("signin/server", value)

    @property
    def username(self) -> str:
        """The last username (empty when an API key was used)."""
        return self._read("signin/username", "", _text)

    @username.setter
    def username(self, value: str) -> None:
        self._settings.setValue("signin/username", value)

    @property
    def auth_method(self) -> AuthMethod:
        """How credentials travel (F6)."""
        names = tuple(method.value for method in AuthMethod)
        if self.policy.auth is not None:
            return self.policy.auth
        return AuthMethod(self._read("signin/auth", AuthMethod.FIELDS.value, _choice(names)))

    @auth_method.setter
    def auth_method(self, value: AuthMethod) -> None:
        if self.policy.sets("auth"):
            return  # the administrator's: never written (policy.py)
        self._settings.setValue("signin/auth", value.value)

    @property
    def http_method(self) -> str:
        """``POST`` or ``GET``."""
        if self.policy.http_method is not None:
            return self.policy.http_method
        return self._read("signin/http", "POST", _choice(("POST", "GET")))

    @http_method.setter
    def http_method(self, value: str) -> None:
        if self.policy.sets("http_method"):
            return  # the administrator's: never written (policy.py)
        self._settings.setValue("signin/http", value)

    @property
    def remember_credentials(self) -> bool:
        """Whether the user asked to keep the secret in the keyring."""
        return self._read("signin/remember", False, _flag)

    @remember_credentials.setter
    def remember_credentials(self, value: bool) -> None:
        self._settings.setValue("signin/remember", "true" if value else "false")

    # -- window -------------------------------------------------------------------------------

    @property
    def window_geometry(self) -> QByteArray | None:
        """The main window's saved geometry."""
        return self._read("window/geometry", None, _bytes)

    @window_geometry.setter
    def window_geometry(self, value: QByteArray) -> None:
        self._settings.setValue("window/geometry", value)

    @property
    def window_state(self) -> QByteArray | None:
        """The main window's saved splitter/dock state."""
        return self._read("window/state", None, _bytes)

    @window_state.setter
    def window_state(self, value: QByteArray) -> None:
        self._settings.setValue("window/state", value)

    # -- job types (G2) -----------------------------------------------------------------------

    def job_type_mapping(self) -> JobTypeMapping:
        """Defaults plus the user's overrides ("unknown" stored as an empty string)."""
        key = "jobtypes/overrides"
        raw = self._read(key, {}, _json_object)
        overrides: dict[str, GenericType | None] = {}
        for job_type, generic in self._entries(key, raw, _MAX_JOB_TYPES, "job types"):
            try:
                kind = _choice(("GMM", "GMA", ""))(generic)
                overrides[_name(job_type)] = GenericType(kind) if kind else None
            except _Bad as bad:
                self._ignored(key, job_type, str(bad), "that entry is left out")
        return JobTypeMapping(overrides)

    def _entries(self, key: str, raw: dict[Any, Any], limit: int, what: str) -> list[Any]:
        """The first ``limit`` entries of a JSON object read from ``key``."""
        if len(raw) > limit:
            self._ignored(key, raw, f"more than {limit} {what}", f"the first {limit} are used")
        return list(raw.items())[:limit]

    def set_job_type_overrides(self, overrides: dict[str, GenericType | None]) -> None:
        """Store the user's overrides of the mapping."""
        raw = {t: (g.value if g else "") for t, g in overrides.items()}
        self._settings.setValue("jobtypes/overrides", json.dumps(raw, sort_keys=True))

    # -- job monitor (issue: live job events) -------------------------------------------------

    def event_source(self) -> SourceConfig:
        """How this desktop gets job events; the follow token is not here (keyring)."""
        modes = tuple(mode.value for mode in SourceMode)
        policy = self.policy
        mode = policy.monitor_mode or self._read(
            "monitor/mode", SourceMode.OFF.value, _choice(modes)
        )
        return SourceConfig(
            mode=SourceMode(mode),
            bind=policy.monitor_bind
            or self._read("monitor/bind", "", _bind_address)
            or "127.0.0.1",
            port=policy.monitor_port or self._read("monitor/port", DEFAULT_PORT, _port),
            follow_url=policy.follow_url or self._read("monitor/follow_url", "", _web_addresses),
        )

    def set_event_source(self, config: SourceConfig) -> None:
        """Store the choice, never the follow token, nor a value the policy sets."""
        for policy_key, key, value in (
            ("monitor_mode", "monitor/mode", config.mode.value),
            ("monitor_bind", "monitor/bind", config.bind),
            ("monitor_port", "monitor/port", str(config.port)),
            ("follow_url", "monitor/follow_url", config.follow_url),
        ):
            if not self.policy.sets(policy_key):
                self._settings.setValue(key, value)

    @property
    def notifications_enabled(self) -> bool:
        """Desktop notifications for assignments, goal reached and finish."""
        if self.policy.notifications is not None:
            return self.policy.notifications
        return self._read("monitor/notifications", True, _flag)

    @notifications_enabled.setter
    def notifications_enabled(self, value: bool) -> None:
        if self.policy.sets("notifications"):
            return  # the administrator's: never written (policy.py)
        self._settings.setValue("monitor/notifications", "true" if value else "false")

    @property
    def event_retention_days(self) -> int:
        """For how many days job events are kept; older ones are deleted (the launch journal
        is never pruned: it is the audit trail)."""
        if self.policy.event_retention_days is not None:
            return self.policy.event_retention_days
        return self._read(
            "monitor/retention_days",
            DEFAULT_RETENTION_DAYS,
            _whole_number(1, MAX_RETENTION_DAYS),
        )

    @event_retention_days.setter
    def event_retention_days(self, value: int) -> None:
        if self.policy.sets("event_retention_days"):
            return  # the administrator's: never written (policy.py)
        self._settings.setValue(
            "monitor/retention_days", str(_whole_number(1, MAX_RETENTION_DAYS)(str(value)))
        )

    # -- launch safety (drill and live) --------------------------------------------------------

    @property
    def undo_seconds(self) -> int:
        """Seconds between Confirm and sending, during which the launch can be cancelled
        (0 sends at once)."""
        if self.policy.undo_seconds is not None:
            return self.policy.undo_seconds
        return self._read("launch/undo_seconds", DEFAULT_UNDO_SECONDS, _whole_number(0, 10))

    @undo_seconds.setter
    def undo_seconds(self, value: int) -> None:
        if self.policy.sets("undo_seconds"):
            return  # the administrator's: never written (policy.py)
        self._settings.setValue("launch/undo_seconds", str(_whole_number(0, 10)(str(value))))

    @property
    def exercise_only(self) -> bool:
        """Every launch is an exercise (only an administrator's policy sets it)."""
        return bool(self.policy.exercise_only)

    @property
    def repeat_window_minutes(self) -> int:
        """How long after a launch a second launch of the same saved job is questioned."""
        return self._read(
            "launch/repeat_window_minutes", DEFAULT_REPEAT_MINUTES, _whole_number(1, 1440)
        )

    @repeat_window_minutes.setter
    def repeat_window_minutes(self, value: int) -> None:
        self._settings.setValue(
            "launch/repeat_window_minutes", str(_whole_number(1, 1440)(str(value)))
        )

    def exercise_prefix(self, language: str) -> str:
        """What an exercise's message starts with, in ``language`` ("en", "sv")."""
        default = DEFAULT_EXERCISE_PREFIXES.get(language, DEFAULT_EXERCISE_PREFIXES["en"])
        return self._read(f"launch/exercise_prefix_{language}", default, _prefix)

    def set_exercise_prefix(self, language: str, value: str) -> None:
        """Store the exercise marker of ``language`` (checked like any stored value)."""
        self._settings.setValue(f"launch/exercise_prefix_{language}", _prefix(value))

    # -- favourite saved jobs ------------------------------------------------------------------

    def favourite_jobs(self, server: str) -> list[int]:
        """The saved-job ids starred on ``server``, in the order they were starred."""
        key = "favourites/jobs"
        raw = self._read(key, {}, _json_object)
        ids = raw.get(server.rstrip("/"), [])
        if not isinstance(ids, list):
            self._ignored(key, ids, "not a list of ids", "no favourites are used")
            return []
        return [i for i in ids[:_MAX_FAVOURITES] if _is_job_id(i)]

    def set_favourite(self, server: str, job_id: int, favourite: bool) -> None:
        """Star or unstar saved job ``job_id`` on ``server`` (ids stay exact integers, F1)."""
        raw = self._read("favourites/jobs", {}, _json_object)
        server = server.rstrip("/")
        ids = [i for i in self.favourite_jobs(server) if i != job_id]
        if favourite:
            ids.append(job_id)
        raw[server] = ids[-_MAX_FAVOURITES:]
        self._settings.setValue("favourites/jobs", json.dumps(raw, sort_keys=True))

    # -- tag vocabulary -----------------------------------------------------------------------

    def tag_vocabulary(self) -> dict[str, list[str]]:
        """Tag types and values used in earlier launches, for completion."""
        key = "tags/vocabulary"
        raw = self._read(key, {}, _json_object)
        vocabulary: dict[str, list[str]] = {}
        for tag_type, values in self._entries(key, raw, _MAX_TAG_TYPES, "tag types"):
            try:
                name = _name(tag_type)
                if not isinstance(values, list):
                    raise _Bad("not a list of values")
            except _Bad as bad:
                self._ignored(key, tag_type, str(bad), "that entry is left out")
                continue
            if len(values) > _VOCABULARY_LIMIT:
                self._ignored(
                    key,
                    values,
                    f"more than {_VOCABULARY_LIMIT} values of {name!r}",
                    "the last are used",
                )
            vocabulary[name] = self._names(key, values[-_VOCABULARY_LIMIT:])
        return vocabulary

    def _names(self, key: str, values: list[Any]) -> list[str]:
        names = []
        for value in values:
            try:
                names.append(_name(value))
            except _Bad as bad:
                self._ignored(key, value, str(bad), "that entry is left out")
        return names

    def remember_tags(self, used: dict[str, list[str]]) -> None:
        """Add the tag types and values of a launch to the vocabulary."""
        vocabulary = self.tag_vocabulary()
        for tag_type, values in used.items():
            known = vocabulary.setdefault(tag_type, [])
            known.extend(v for v in values if v not in known)
            del known[:-_VOCABULARY_LIMIT]
        self._settings.setValue("tags/vocabulary", json.dumps(vocabulary, sort_keys=True))
