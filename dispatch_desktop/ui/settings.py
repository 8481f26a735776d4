"""Persistent preferences (QSettings): window geometry, last server, user, auth method,
job-type mapping and the tag vocabulary used before. Never a secret: secrets live in the
keyring (storage/secrets.py)."""

from __future__ import annotations

import json
from pathlib import Path

from PySide6.QtCore import QByteArray, QSettings

from dispatch_desktop.api import DEFAULT_SERVER_URL, AuthMethod, GenericType, JobTypeMapping
from dispatch_desktop.events.config import DEFAULT_PORT, SourceConfig, SourceMode

_VOCABULARY_LIMIT = 200


class AppSettings:
    """Typed access to the application's QSettings. ``path`` selects an INI file (tests)."""

    def __init__(self, path: Path | None = None) -> None:
        if path is None:
            self._settings = QSettings("LEKAB", "Dispatch Desktop")
        else:
            self._settings = QSettings(str(path), QSettings.Format.IniFormat)

    @property
    def path(self) -> Path:
        """The settings file (or registry path on Windows without ``path``)."""
        return Path(self._settings.fileName())

    def sync(self) -> None:
        """Write pending changes to disk."""
        self._settings.sync()

    def _text(self, key: str, default: str = "") -> str:
        value = self._settings.value(key, default)
        return value if isinstance(value, str) else default

    # -- sign-in ------------------------------------------------------------------------------

    @property
    def server_url(self) -> str:
        """The last server signed in to."""
        return self._text("signin/server", DEFAULT_SERVER_URL)

    @server_url.setter
    def server_url(self, value: str) -> None:
        self._settings.setValue("signin/server", value)

    @property
    def username(self) -> str:
        """The last username (empty when an API key was used)."""
        return self._text("signin/username")

    @username.setter
    def username(self, value: str) -> None:
        self._settings.setValue("signin/username", value)

    @property
    def auth_method(self) -> AuthMethod:
        """How credentials travel (F6)."""
        try:
            return AuthMethod(self._text("signin/auth", AuthMethod.FIELDS.value))
        except ValueError:
            return AuthMethod.FIELDS

    @auth_method.setter
    def auth_method(self, value: AuthMethod) -> None:
        self._settings.setValue("signin/auth", value.value)

    @property
    def http_method(self) -> str:
        """``POST`` or ``GET``."""
        value = self._text("signin/http", "POST")
        return value if value in ("POST", "GET") else "POST"

    @http_method.setter
    def http_method(self, value: str) -> None:
        self._settings.setValue("signin/http", value)

    @property
    def remember_credentials(self) -> bool:
        """Whether the user asked to keep the secret in the keyring."""
        return self._text("signin/remember", "false") == "true"

    @remember_credentials.setter
    def remember_credentials(self, value: bool) -> None:
        self._settings.setValue("signin/remember", "true" if value else "false")

    # -- window -------------------------------------------------------------------------------

    @property
    def window_geometry(self) -> QByteArray | None:
        """The main window's saved geometry."""
        value = self._settings.value("window/geometry")
        return value if isinstance(value, QByteArray) else None

    @window_geometry.setter
    def window_geometry(self, value: QByteArray) -> None:
        self._settings.setValue("window/geometry", value)

    @property
    def window_state(self) -> QByteArray | None:
        """The main window's saved splitter/dock state."""
        value = self._settings.value("window/state")
        return value if isinstance(value, QByteArray) else None

    @window_state.setter
    def window_state(self, value: QByteArray) -> None:
        self._settings.setValue("window/state", value)

    # -- job types (G2) -----------------------------------------------------------------------

    def job_type_mapping(self) -> JobTypeMapping:
        """Defaults plus the user's overrides ("unknown" stored as an empty string)."""
        try:
            raw = json.loads(self._text("jobtypes/overrides", "{}"))
        except json.JSONDecodeError:
            raw = {}
        overrides: dict[str, GenericType | None] = {}
        for job_type, generic in raw.items() if isinstance(raw, dict) else ():
            if generic in ("GMM", "GMA"):
                overrides[str(job_type)] = GenericType(generic)
            elif generic == "":
                overrides[str(job_type)] = None
        return JobTypeMapping(overrides)

    def set_job_type_overrides(self, overrides: dict[str, GenericType | None]) -> None:
        """Store the user's overrides of the mapping."""
        raw = {t: (g.value if g else "") for t, g in overrides.items()}
        self._settings.setValue("jobtypes/overrides", json.dumps(raw, sort_keys=True))

    # -- job monitor (issue: live job events) -------------------------------------------------

    def event_source(self) -> SourceConfig:
        """How this desktop gets job events; the follow token is not here (keyring)."""
        try:
            mode = SourceMode(self._text("monitor/mode", SourceMode.OFF.value))
        except ValueError:
            mode = SourceMode.OFF
        port_text = self._text("monitor/port", str(DEFAULT_PORT))
        port = int(port_text) if port_text.isdigit() and int(port_text) <= 65535 else DEFAULT_PORT
        return SourceConfig(
            mode=mode,
            bind=self._text("monitor/bind", "127.0.0.1") or "127.0.0.1",
            port=port,
            follow_url=self._text("monitor/follow_url"),
        )

    def set_event_source(self, config: SourceConfig) -> None:
        """Store the choice, never the follow token."""
        self._settings.setValue("monitor/mode", config.mode.value)
        self._settings.setValue("monitor/bind", config.bind)
        self._settings.setValue("monitor/port", str(config.port))
        self._settings.setValue("monitor/follow_url", config.follow_url)

    @property
    def notifications_enabled(self) -> bool:
        """Desktop notifications for assignments, goal reached and finish."""
        return self._text("monitor/notifications", "true") == "true"

    @notifications_enabled.setter
    def notifications_enabled(self, value: bool) -> None:
        self._settings.setValue("monitor/notifications", "true" if value else "false")

    # -- tag vocabulary -----------------------------------------------------------------------

    def tag_vocabulary(self) -> dict[str, list[str]]:
        """Tag types and values used in earlier launches, for completion."""
        try:
            raw = json.loads(self._text("tags/vocabulary", "{}"))
        except json.JSONDecodeError:
            return {}
        if not isinstance(raw, dict):
            return {}
        return {str(t): [str(v) for v in vs] for t, vs in raw.items() if isinstance(vs, list)}

    def remember_tags(self, used: dict[str, list[str]]) -> None:
        """Add the tag types and values of a launch to the vocabulary."""
        vocabulary = self.tag_vocabulary()
        for tag_type, values in used.items():
            known = vocabulary.setdefault(tag_type, [])
            known.extend(v for v in values if v not in known)
            del known[:-_VOCABULARY_LIMIT]
        self._settings.setValue("tags/vocabulary", json.dumps(vocabulary, sort_keys=True))
