"""The administrator's policy: settings a user of this computer cannot change (no Qt).

Read once at start from ``/etc/xdg/dispatch-desktop/policy.ini``, or from the file named by
``DISPATCH_DESKTOP_POLICY``. A kiosk must never open unlocked because its policy had a typo:
a policy that cannot be read, has an invalid value **or an unknown key** stops the app with a
sentence that names the file, the key and the rule (:class:`PolicyError`). No file means no
policy (every setting stays the user's).

``[policy]`` holds the settings; one ``[job <saved-job id>]`` section per quick-launch job
prepares it (label, message, tag filter, response goal, exercise) and may require a second
person's PIN, stored only as a salted scrypt hash (:func:`hash_pin`). docs/policy.md lists
every key.
"""

from __future__ import annotations

import configparser
import difflib
import hashlib
import hmac
import os
import secrets
import stat
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from dispatch_desktop.api.characters import find_forbidden
from dispatch_desktop.api.errors import ValidationError
from dispatch_desktop.api.models import AuthMethod
from dispatch_desktop.api.tagfilter import TagFilter
from dispatch_desktop.api.validation import check_server_url

POLICY_ENV = "DISPATCH_DESKTOP_POLICY"
SYSTEM_POLICY = Path("/etc/xdg/dispatch-desktop/policy.ini")
MAX_POLICY_BYTES = 256 * 1024
MAX_ID = 2**63 - 1

_BOOLEANS = {
    "true": True,
    "yes": True,
    "on": True,
    "1": True,
    "false": False,
    "no": False,
    "off": False,
    "0": False,
}
POLICY_KEYS = (
    "server", "auth", "http_method", "allowed_jobs", "hide_settings", "kiosk", "data_dir",
    "api_key_file", "auto_sign_in", "undo_seconds", "exercise_only", "language",
    "monitor_mode", "monitor_bind", "monitor_port", "follow_url", "notifications",
    "event_retention_days",
)  # fmt: skip
JOB_KEYS = ("label", "message", "tagfilter", "responsegoal", "exercise", "pins")
LANGUAGES = ("en", "sv")
MONITOR_MODES = ("off", "embedded", "follow")

# scrypt's cost: about 50 ms and 16 MB per check here, so a stolen policy file does not give
# away a 4-6 digit PIN in seconds.
_SCRYPT_N, _SCRYPT_R, _SCRYPT_P = 2**14, 8, 1
_PIN_PREFIX = "scrypt"


class PolicyError(Exception):
    """The policy cannot be used; the message names the file, the key and the rule."""


@dataclass(frozen=True)
class JobPreset:
    """A quick-launch job of the kiosk: what its launch sends, prepared by the administrator."""

    job_id: int
    label: str | None = None
    message: str | None = None
    tagfilter: TagFilter | None = None
    responsegoal: int | None = None
    exercise: bool = False
    pins: tuple[str, ...] = ()
    """Salted scrypt hashes: a second person enters one of these PINs on the confirmation."""

    @property
    def needs_second_pin(self) -> bool:
        return bool(self.pins)


@dataclass(frozen=True)
class Policy:
    """What the administrator set; ``None`` (or empty) where the user decides."""

    source: Path | None = None
    server: str | None = None
    auth: AuthMethod | None = None
    http_method: str | None = None
    allowed_jobs: frozenset[int] | None = None
    hide_settings: bool | None = None
    kiosk: bool | None = None
    data_dir: Path | None = None
    api_key_file: Path | None = None
    auto_sign_in: bool | None = None
    undo_seconds: int | None = None
    exercise_only: bool | None = None
    language: str | None = None
    monitor_mode: str | None = None
    monitor_bind: str | None = None
    monitor_port: int | None = None
    follow_url: str | None = None
    notifications: bool | None = None
    event_retention_days: int | None = None
    jobs: Mapping[int, JobPreset] = field(default_factory=dict)

    def sets(self, key: str) -> bool:
        """Whether the administrator set ``key`` (the app shows it greyed, "set by your
        administrator")."""
        return getattr(self, key) is not None

    def allows(self, job_id: int) -> bool:
        """Whether a launch of saved job ``job_id`` is allowed here."""
        return self.allowed_jobs is None or job_id in self.allowed_jobs


NO_POLICY = Policy()


def policy_path(environ: Mapping[str, str] | None = None) -> Path:
    """The policy file this process reads: ``$DISPATCH_DESKTOP_POLICY`` or the system one."""
    environ = os.environ if environ is None else environ
    named = environ.get(POLICY_ENV, "").strip()
    return Path(named) if named else SYSTEM_POLICY


def load_policy(path: Path | None = None) -> Policy:
    """The policy at ``path`` (default :func:`policy_path`); :data:`NO_POLICY` when the system
    file does not exist. A file named by the environment variable must exist."""
    named = path is not None or bool(os.environ.get(POLICY_ENV, "").strip())
    path = path or policy_path()
    try:
        with path.open("rb") as file:
            raw = file.read(MAX_POLICY_BYTES + 1)
    except FileNotFoundError:
        if named:
            raise PolicyError(f"The policy file {path} does not exist.") from None
        return NO_POLICY
    except OSError as exc:
        raise PolicyError(f"The policy file {path} cannot be read: {exc.strerror}.") from None
    if len(raw) > MAX_POLICY_BYTES:
        raise PolicyError(f"The policy file {path} is larger than {MAX_POLICY_BYTES} bytes.")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise PolicyError(f"The policy file {path} is not UTF-8 text.") from None
    return parse_policy(text, path)


def parse_policy(text: str, source: Path) -> Policy:
    """The policy written in ``text`` (INI); :class:`PolicyError` for any problem."""
    parser = configparser.ConfigParser(interpolation=None, strict=True)
    parser.optionxform = str  # type: ignore[assignment,method-assign]  # keys as written
    try:
        parser.read_string(text, source=str(source))
    except configparser.Error as exc:
        raise PolicyError(f"The policy file {source} is not a valid INI file: {exc}") from None
    reader = _Reader(source)
    values: dict[str, object] = {}
    jobs: dict[int, JobPreset] = {}
    for section in parser.sections():
        if section == "policy":
            values = reader.policy(parser[section])
        elif section.startswith("job "):
            preset = reader.job(section, parser[section])
            jobs[preset.job_id] = preset
        else:
            raise PolicyError(
                f"The policy file {source} has a section [{section}]; only [policy] and "
                "[job <saved-job id>] sections are known."
            )
    policy = Policy(source=source, jobs=jobs, **values)  # type: ignore[arg-type]
    _check_consistent(policy)
    return policy


def _check_consistent(policy: Policy) -> None:
    where = f"The policy file {policy.source}"
    if policy.allowed_jobs is not None:
        outside = sorted(set(policy.jobs) - policy.allowed_jobs)
        if outside:
            raise PolicyError(
                f"{where} prepares job {outside[0]} in a [job] section, but allowed_jobs does "
                "not list it."
            )
    if policy.auto_sign_in and not (policy.api_key_file and policy.server):
        raise PolicyError(f"{where}: auto_sign_in needs both server and api_key_file.")
    if policy.api_key_file is not None and policy.auth is not None and not policy.auth.uses_api_key:
        raise PolicyError(f"{where}: api_key_file needs an API-key auth method.")


class _Reader:
    """Reads and checks each value, naming the file and key in every refusal."""

    def __init__(self, source: Path) -> None:
        self.source = source

    def _refuse(self, key: str, rule: str) -> PolicyError:
        return PolicyError(f"The policy file {self.source}: {key} {rule}.")

    def _unknown(self, key: str, known: tuple[str, ...], section: str) -> PolicyError:
        near = difflib.get_close_matches(key, known, n=1)
        hint = f" (did you mean {near[0]}?)" if near else ""
        return PolicyError(
            f"The policy file {self.source} has an unknown key {key!r} in [{section}]{hint}. "
            "A misspelt key would leave a setting unlocked, so the app does not start."
        )

    def policy(self, section: configparser.SectionProxy) -> dict[str, object]:
        values: dict[str, object] = {}
        for key, raw in section.items():
            if key not in POLICY_KEYS:
                raise self._unknown(key, POLICY_KEYS, "policy")
            values[key] = getattr(self, f"_{key}")(key, raw.strip())
        return values

    def job(self, name: str, section: configparser.SectionProxy) -> JobPreset:
        job_id = self._id(name, name.removeprefix("job ").strip())
        values: dict[str, object] = {}
        for key, raw in section.items():
            if key not in JOB_KEYS:
                raise self._unknown(key, JOB_KEYS, name)
            values[key] = getattr(self, f"_job_{key}")(f"[{name}] {key}", raw.strip())
        return JobPreset(job_id=job_id, **values)  # type: ignore[arg-type]

    # -- value kinds --------------------------------------------------------------------------

    def _flag(self, key: str, raw: str) -> bool:
        try:
            return _BOOLEANS[raw.lower()]
        except KeyError:
            raise self._refuse(key, f"must be true or false, not {raw!r}") from None

    def _number(self, key: str, raw: str, low: int, high: int) -> int:
        if not (raw.isascii() and raw.isdigit() and len(raw) <= 7) or not low <= int(raw) <= high:
            raise self._refuse(key, f"must be a whole number from {low} to {high}, not {raw!r}")
        return int(raw)

    def _id(self, key: str, raw: str) -> int:
        if not (raw.isascii() and raw.isdigit() and len(raw) <= 19) or not 0 < int(raw) <= MAX_ID:
            raise self._refuse(key, f"must be a saved-job id (a whole number), not {raw!r}")
        return int(raw)  # exact: never through a float (F1)

    def _choice(self, key: str, raw: str, allowed: tuple[str, ...]) -> str:
        if raw not in allowed:
            raise self._refuse(key, f"must be one of {', '.join(allowed)}, not {raw!r}")
        return raw

    def _text(self, key: str, raw: str, *, line_breaks: bool = False) -> str:
        found = find_forbidden(raw, line_breaks=line_breaks)
        if found is not None:
            raise PolicyError(f"The policy file {self.source}: {found.said(key)}.")
        return raw

    def _path(self, key: str, raw: str) -> Path:
        path = Path(raw)
        if not raw or not path.is_absolute():
            raise self._refuse(key, f"must be an absolute path, not {raw!r}")
        return path

    # -- [policy] keys ------------------------------------------------------------------------

    def _server(self, key: str, raw: str) -> str:
        try:
            return check_server_url(raw)
        except ValidationError as exc:
            raise self._refuse(key, f"is not usable: {exc}") from None

    def _auth(self, key: str, raw: str) -> AuthMethod:
        names = tuple(method.value for method in AuthMethod)
        return AuthMethod(self._choice(key, raw, names))

    def _http_method(self, key: str, raw: str) -> str:
        return self._choice(key, raw.upper(), ("POST", "GET"))

    def _allowed_jobs(self, key: str, raw: str) -> frozenset[int]:
        items = [item.strip() for item in raw.split(",")]
        if not raw or not all(items):
            raise self._refuse(key, "must list saved-job ids separated by commas")
        return frozenset(self._id(key, item) for item in items)

    def _hide_settings(self, key: str, raw: str) -> bool:
        return self._flag(key, raw)

    _kiosk = _hide_settings
    _auto_sign_in = _hide_settings
    _exercise_only = _hide_settings
    _notifications = _hide_settings

    def _data_dir(self, key: str, raw: str) -> Path:
        return self._path(key, raw)

    def _api_key_file(self, key: str, raw: str) -> Path:
        return self._path(key, raw)

    def _undo_seconds(self, key: str, raw: str) -> int:
        return self._number(key, raw, 0, 10)

    def _event_retention_days(self, key: str, raw: str) -> int:
        return self._number(key, raw, 1, 3650)

    def _language(self, key: str, raw: str) -> str:
        return self._choice(key, raw, LANGUAGES)

    def _monitor_mode(self, key: str, raw: str) -> str:
        return self._choice(key, raw, MONITOR_MODES)

    def _monitor_bind(self, key: str, raw: str) -> str:
        return self._text(key, raw)

    def _monitor_port(self, key: str, raw: str) -> int:
        return self._number(key, raw, 1, 65535)

    def _follow_url(self, key: str, raw: str) -> str:
        from dispatch_desktop.events.config import check_follow_urls

        try:
            check_follow_urls(raw)
        except ValueError as exc:
            raise self._refuse(key, f"is not usable: {exc}") from None
        return raw

    # -- [job <id>] keys ----------------------------------------------------------------------

    def _job_label(self, key: str, raw: str) -> str:
        return self._text(key, raw)

    def _job_message(self, key: str, raw: str) -> str:
        # A message may span lines in the INI file (indented continuation lines).
        return self._text(key, raw, line_breaks=True)

    def _job_tagfilter(self, key: str, raw: str) -> TagFilter:
        try:
            return TagFilter.parse(raw)
        except ValidationError as exc:
            raise self._refuse(key, f"is not a tag filter: {exc}") from None

    def _job_responsegoal(self, key: str, raw: str) -> int:
        return self._number(key, raw, 1, 100_000)

    def _job_exercise(self, key: str, raw: str) -> bool:
        return self._flag(key, raw)

    def _job_pins(self, key: str, raw: str) -> tuple[str, ...]:
        hashes = tuple(item.strip() for item in raw.split(",") if item.strip())
        for pin_hash in hashes:
            if not _is_pin_hash(pin_hash):
                raise self._refuse(
                    key,
                    "must list PIN hashes made by dispatch-desktop --hash-pin (never a PIN "
                    "in clear)",
                )
        return hashes


# -- second-person PINs ---------------------------------------------------------------------


def hash_pin(pin: str, salt: bytes | None = None) -> str:
    """``scrypt$<salt hex>$<hash hex>``: what the policy stores for ``pin``."""
    salt = salt if salt is not None else secrets.token_bytes(16)
    digest = _scrypt(pin, salt)
    return f"{_PIN_PREFIX}${salt.hex()}${digest.hex()}"


def check_pin(pin: str, hashes: tuple[str, ...]) -> bool:
    """Whether ``pin`` matches one of ``hashes`` (compared in constant time)."""
    matched = False
    for pin_hash in hashes:
        _, salt, digest = pin_hash.split("$")
        matched |= hmac.compare_digest(_scrypt(pin, bytes.fromhex(salt)), bytes.fromhex(digest))
    return matched


def _scrypt(pin: str, salt: bytes) -> bytes:
    return hashlib.scrypt(
        pin.encode("utf-8"), salt=salt, n=_SCRYPT_N, r=_SCRYPT_R, p=_SCRYPT_P, dklen=32
    )


def _is_pin_hash(text: str) -> bool:
    parts = text.split("$")
    if len(parts) != 3 or parts[0] != _PIN_PREFIX:
        return False
    try:
        return len(bytes.fromhex(parts[1])) >= 16 and len(bytes.fromhex(parts[2])) == 32
    except ValueError:
        return False


# -- the service account's key file -----------------------------------------------------------


def read_api_key_file(path: Path) -> str:
    """The API key in ``path``, if the file is safe to trust: a regular file owned by root,
    writable by root only and readable by no one outside its group (as ssh refuses a private
    key others may read). Raises :class:`PolicyError` naming the problem; never the key."""
    try:
        info = os.lstat(path)
    except OSError as exc:
        raise PolicyError(f"The API key file {path} cannot be read: {exc.strerror}.") from None
    problem = _loose(info)
    if problem:
        raise PolicyError(
            f"The API key file {path} is refused: {problem}. Make it owned by root with mode "
            "0640 (group: the kiosk user's) or 0600."
        )
    try:
        key = path.read_text("ascii").strip()
    except (OSError, UnicodeDecodeError):
        raise PolicyError(f"The API key file {path} cannot be read as text.") from None
    if not key or any(c.isspace() for c in key):
        raise PolicyError(f"The API key file {path} must hold one API key on one line.")
    return key


def _loose(info: os.stat_result) -> str:
    if not stat.S_ISREG(info.st_mode):
        return "it is not a regular file (a link or a folder)"
    if info.st_uid != 0:
        return "it is not owned by root"
    if info.st_mode & (stat.S_IRWXO | stat.S_IWGRP | stat.S_IXGRP):
        return f"its mode {stat.S_IMODE(info.st_mode):04o} lets others read or change it"
    return ""
