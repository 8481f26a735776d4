"""Passwords and API keys in the system keyring, and session-only credentials in memory.

Keyring layout (stable: changing it loses every saved secret):

- service name: ``"dispatch-desktop"``;
- keyring "username" (account) field: ``"{server}|{kind}:{account}"``, where ``server`` is the
  server URL without surrounding spaces or trailing slashes (``|`` escaped as ``%7C``),
  ``kind`` is ``password`` or ``apikey``, and ``account`` is the login name for a password or
  a label the user gives an API key. For example
  ``https://dispatch.example.com|password:alice`` or
  ``https://dispatch.example.com|apikey:Kiosk``. The escaping and the ``kind:`` prefix keep
  every (server, kind, account) apart, whatever characters the names contain.

Secrets are never written anywhere else: when the keyring cannot be used, the caller keeps
them in :class:`SessionSecrets` for the session and says so. Every keyring failure becomes
:class:`SecretStoreUnavailable`, whose message is one sentence that never contains a secret.

All calls block, and the OS may show an unlock prompt; call them off the GUI thread.
"""

from __future__ import annotations

import enum
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, TypeVar

from dispatch_desktop.translation_marks import QT_TRANSLATE_NOOP, Phrase

if TYPE_CHECKING:
    from keyring.backend import KeyringBackend

# keyring is imported on first use, in the worker thread that talks to the keyring: importing
# it costs more than a bare Qt window takes to appear, and start-up must not wait for it.

SERVICE_NAME = "dispatch-desktop"

# An account name no real key can have: real ones always contain "|".
_PROBE_ACCOUNT = "availability-check"

_FAIL_BACKEND = "keyring.backends.fail.Keyring"
_CHAINER = "keyring.backends.chainer.ChainerBackend"

_STORE_NAMES = {
    "keyring.backends.SecretService.Keyring": "Secret Service",
    "keyring.backends.libsecret.Keyring": "Secret Service via libsecret",
    "keyring.backends.kwallet.DBusKeyring": "KWallet",
    "keyring.backends.kwallet.DBusKeyringKWallet4": "KWallet 4",
    "keyring.backends.macOS.Keyring": "macOS Keychain",
    "keyring.backends.Windows.WinVaultKeyring": "Windows Credential Locker",
    _FAIL_BACKEND: "no system keyring",
    "keyring.backends.null.Keyring": "null keyring",
    "keyrings.alt.file.PlaintextKeyring": "plaintext file keyring",
}

# Backends that cannot keep a secret safely, with the start of the sentence that says why. The
# fail backend raises anyway; the null one silently drops secrets, and the plaintext one would
# write them unencrypted to disk.
_REFUSED_BACKENDS = {
    _FAIL_BACKEND: Phrase(
        QT_TRANSLATE_NOOP(
            "Library", "No system keyring is available (the keyring library found no backend)"
        )
    ),
    "keyring.backends.null.Keyring": Phrase(
        QT_TRANSLATE_NOOP("Library", "The keyring in use (%1) discards every secret"),
        _STORE_NAMES["keyring.backends.null.Keyring"],
    ),
    "keyrings.alt.file.PlaintextKeyring": Phrase(
        QT_TRANSLATE_NOOP(
            "Library", "The keyring in use (%1) would store secrets unencrypted on disk"
        ),
        _STORE_NAMES["keyrings.alt.file.PlaintextKeyring"],
    ),
}

# What could not be done, said after "so" in the sentences below; as whole phrases per kind
# of secret, so each translates naturally.
_NOT_USABLE = QT_TRANSLATE_NOOP("Library", "saved credentials cannot be used")
_NOT_SAVED = {
    "password": QT_TRANSLATE_NOOP("Library", "the password could not be saved"),
    "apikey": QT_TRANSLATE_NOOP("Library", "the API key could not be saved"),
}
_NOT_READ = {
    "password": QT_TRANSLATE_NOOP("Library", "the saved password could not be read"),
    "apikey": QT_TRANSLATE_NOOP("Library", "the saved API key could not be read"),
}
_NOT_DELETED = {
    "password": QT_TRANSLATE_NOOP("Library", "the saved password could not be deleted"),
    "apikey": QT_TRANSLATE_NOOP("Library", "the saved API key could not be deleted"),
}

T = TypeVar("T")


class SecretKind(enum.Enum):
    """What a secret is; part of its keyring key."""

    PASSWORD = "password"  # noqa: S105 - the name of a kind, not a secret
    """A login password; the account is the username."""
    API_KEY = "apikey"
    """An API key; the account is a label the user chooses (several keys per server)."""

    @property
    def noun(self) -> str:
        """How a message names the secret."""
        return "password" if self is SecretKind.PASSWORD else "API key"


class Problem(enum.Enum):
    """Why the keyring could not be used; lets the GUI offer the right next step."""

    NO_KEYRING = "no_keyring"
    """No usable keyring on this system: keep credentials for the session only."""
    LOCKED = "locked"
    """The keyring is locked (or the unlock prompt was dismissed): offer to try again."""
    UNAVAILABLE = "unavailable"
    """The keyring could not be opened or refused the request."""
    ERROR = "error"
    """Any other failure of the keyring or its backend."""


class SecretStoreUnavailable(Exception):
    """The keyring could not do what was asked. ``str(error)`` is one sentence for the user,
    naming the store; it never contains a secret."""

    def __init__(self, message: Phrase, *, store: str, problem: Problem) -> None:
        super().__init__(message)
        self.store = store
        self.problem = problem


@dataclass(frozen=True)
class SecretStoreStatus:
    """Whether secrets can be saved, and if not, the sentence that tells the user why."""

    usable: bool
    store: str
    """Human name of the keyring in use, e.g. "macOS Keychain"."""
    message: str
    """Empty when usable; else a :class:`Phrase`, which the windows translate."""
    problem: Problem | None = None


def secret_key(server: str, account: str, kind: SecretKind) -> str:
    """The keyring account field of a secret (see the module docstring)."""
    server_part = server.strip().rstrip("/").replace("|", "%7C")
    if not server_part:
        raise ValueError("The server address is empty.")
    if not account.strip():
        raise ValueError(f"The {'username' if kind is SecretKind.PASSWORD else 'label'} is empty.")
    return f"{server_part}|{kind.value}:{account}"


def _qualified_name(backend: KeyringBackend) -> str:
    cls = type(backend)
    return f"{cls.__module__}.{cls.__qualname__}"


def _members(backend: KeyringBackend) -> list[KeyringBackend]:
    """The backends that really hold secrets: a chainer's members, else the backend itself."""
    if _qualified_name(backend) == _CHAINER:
        return list(backend.backends)  # type: ignore[attr-defined]
    return [backend]


def _store_name(backend: KeyringBackend) -> str:
    names = (
        _STORE_NAMES.get(_qualified_name(member), type(member).__name__)
        for member in _members(backend)
    )
    return " + ".join(names)


def _refusal(backend: KeyringBackend) -> Phrase | None:
    """The reason a backend (or a member of a chain) must not hold secrets, if any."""
    for member in _members(backend):
        reason = _REFUSED_BACKENDS.get(_qualified_name(member))
        if reason:
            return reason
    return None


def _refused(reason: Phrase, consequence: str) -> Phrase:
    """The sentence for an operation on a refused backend."""
    return Phrase(
        QT_TRANSLATE_NOOP("Library", "%1, so %2; credentials will be kept for this session only."),
        reason,
        Phrase(consequence),
    )


def _describe(error: Exception, store: str, consequence: str) -> tuple[Phrase, Problem]:
    """One sentence for ``error`` (``consequence`` marked for translation). Only the error's
    type is used, never its text: a backend may quote the secret it failed to store."""
    import keyring.errors

    if isinstance(error, keyring.errors.NoKeyringError):
        return _refused(_REFUSED_BACKENDS[_FAIL_BACKEND], consequence), Problem.NO_KEYRING
    if isinstance(error, keyring.errors.KeyringLocked):
        rule = QT_TRANSLATE_NOOP(
            "Library", "The keyring (%1) is locked, so %2; unlock it and try again."
        )
        return Phrase(rule, store, Phrase(consequence)), Problem.LOCKED
    if isinstance(error, keyring.errors.InitError):
        rule = QT_TRANSLATE_NOOP("Library", "The keyring (%1) could not be opened, so %2.")
    elif isinstance(error, keyring.errors.PasswordSetError | keyring.errors.PasswordDeleteError):
        rule = QT_TRANSLATE_NOOP("Library", "The keyring (%1) refused the request, so %2.")
    elif isinstance(error, keyring.errors.KeyringError):
        rule = QT_TRANSLATE_NOOP("Library", "The keyring (%1) reported an error, so %2.")
        return Phrase(rule, store, Phrase(consequence)), Problem.ERROR
    else:
        rule = QT_TRANSLATE_NOOP("Library", "The keyring (%1) failed unexpectedly (%3), so %2.")
        return Phrase(rule, store, Phrase(consequence), type(error).__name__), Problem.ERROR
    return Phrase(rule, store, Phrase(consequence)), Problem.UNAVAILABLE


class SecretStore:
    """Passwords and API keys in the system keyring (service ``"dispatch-desktop"``).

    ``backend`` defaults to whatever :func:`keyring.get_keyring` returns at each call, so a
    backend installed later with :func:`keyring.set_keyring` is honoured.
    """

    def __init__(self, backend: KeyringBackend | None = None) -> None:
        self._backend = backend

    def _current(self) -> KeyringBackend:
        if self._backend is not None:
            return self._backend
        import keyring

        return keyring.get_keyring()

    def backend_name(self) -> str:
        """Human name of the keyring in use, e.g. "Secret Service" or "macOS Keychain"."""
        return _store_name(self._current())

    def status(self, *, probe: bool = True) -> SecretStoreStatus:
        """Whether secrets can be saved. With ``probe`` the keyring is read once (a key that
        never exists), which finds a locked or broken keyring but may show an unlock prompt."""
        backend = self._current()
        store = _store_name(backend)
        refusal = _refusal(backend)
        if refusal:
            message = Phrase(
                QT_TRANSLATE_NOOP(
                    "Library", "%1; credentials will be kept for this session only and not saved."
                ),
                refusal,
            )
            return SecretStoreStatus(False, store, message, Problem.NO_KEYRING)
        if probe:
            try:
                self._call(backend, _NOT_USABLE, _probe)
            except SecretStoreUnavailable as error:
                return SecretStoreStatus(False, store, error.args[0], error.problem)
        return SecretStoreStatus(True, store, "")

    def save(self, server: str, account: str, kind: SecretKind, secret: str) -> None:
        """Save ``secret``, replacing any saved one for the same server, account and kind."""
        if not secret:
            raise ValueError(f"The {kind.noun} is empty; there is nothing to save.")
        key = secret_key(server, account, kind)
        consequence = _NOT_SAVED[kind.value]
        self._call(
            self._usable_backend(consequence),
            consequence,
            lambda backend: backend.set_password(SERVICE_NAME, key, secret),
        )

    def load(self, server: str, account: str, kind: SecretKind) -> str | None:
        """The saved secret, or ``None`` when none is saved."""
        key = secret_key(server, account, kind)
        consequence = _NOT_READ[kind.value]
        return self._call(
            self._usable_backend(consequence),
            consequence,
            lambda backend: backend.get_password(SERVICE_NAME, key),
        )

    def forget(self, server: str, account: str, kind: SecretKind) -> None:
        """Delete the saved secret; nothing happens when none is saved."""
        key = secret_key(server, account, kind)
        consequence = _NOT_DELETED[kind.value]
        self._call(
            self._usable_backend(consequence), consequence, lambda backend: _delete(backend, key)
        )

    def _usable_backend(self, consequence: str) -> KeyringBackend:
        """The current backend, unless it must not hold secrets (``consequence``: what then
        could not be done, marked for translation)."""
        backend = self._current()
        refusal = _refusal(backend)
        if refusal:
            raise SecretStoreUnavailable(
                _refused(refusal, consequence),
                store=_store_name(backend),
                problem=Problem.NO_KEYRING,
            )
        return backend

    @staticmethod
    def _call(
        backend: KeyringBackend, consequence: str, operation: Callable[[KeyringBackend], T]
    ) -> T:
        """Run ``operation``, turning any failure into :class:`SecretStoreUnavailable`."""
        try:
            return operation(backend)
        except Exception as error:  # any backend may raise anything, not only KeyringError
            message, problem = _describe(error, _store_name(backend), consequence)
        # Raised outside the ``except`` block so the backend's exception, whose text may quote
        # the secret, is neither chained nor kept as context for a logged traceback.
        raise SecretStoreUnavailable(message, store=_store_name(backend), problem=problem)


def _probe(backend: KeyringBackend) -> None:
    backend.get_password(SERVICE_NAME, _PROBE_ACCOUNT)


def _delete(backend: KeyringBackend, key: str) -> None:
    """Delete ``key``; backends report a missing secret as PasswordDeleteError, which is not an
    error here. The re-read tells that case from a real failure."""
    import keyring.errors

    try:
        backend.delete_password(SERVICE_NAME, key)
    except keyring.errors.PasswordDeleteError:
        if backend.get_password(SERVICE_NAME, key) is not None:
            raise


class SessionSecrets:
    """Credentials kept in memory for this session only, e.g. when the keyring is unusable or
    the user did not ask to remember them. Keys are the same as :class:`SecretStore`'s.
    Thread-safe; ``repr`` never shows a secret."""

    def __init__(self) -> None:
        self._secrets: dict[str, str] = {}
        self._lock = threading.Lock()

    def save(self, server: str, account: str, kind: SecretKind, secret: str) -> None:
        """Keep ``secret`` until :meth:`forget`, :meth:`clear` or the end of the process."""
        key = secret_key(server, account, kind)
        with self._lock:
            self._secrets[key] = secret

    def load(self, server: str, account: str, kind: SecretKind) -> str | None:
        """The kept secret, or ``None``."""
        key = secret_key(server, account, kind)
        with self._lock:
            return self._secrets.get(key)

    def forget(self, server: str, account: str, kind: SecretKind) -> None:
        """Drop the kept secret, if any."""
        key = secret_key(server, account, kind)
        with self._lock:
            self._secrets.pop(key, None)

    def clear(self) -> None:
        """Drop every kept secret (sign-out, quit)."""
        with self._lock:
            self._secrets.clear()

    def __len__(self) -> int:
        with self._lock:
            return len(self._secrets)

    def __repr__(self) -> str:
        return f"SessionSecrets(<{len(self)} hidden>)"
