"""The keyring wrapper: round trips, key layout, and every failure as one safe sentence."""

from collections.abc import Iterator
from contextlib import contextmanager
from typing import TypeVar

import keyring
import keyring.errors
import pytest
from keyring.backend import KeyringBackend
from keyring.backends import chainer, fail, null
from keyring_memory import InMemoryKeyring

from dispatch_desktop.storage.secrets import (
    SERVICE_NAME,
    Problem,
    SecretKind,
    SecretStore,
    SecretStoreUnavailable,
    SessionSecrets,
    secret_key,
)

SERVER = "https://dispatch.example.com"
OTHER_SERVER = "https://dispatch.example.org"
SECRET = "s3cret-Pässword|with:odd;chars"

B = TypeVar("B", bound=KeyringBackend)


@contextmanager
def installed(backend: B) -> Iterator[B]:
    """Make ``backend`` the process-wide keyring, restoring the previous one afterwards."""
    previous = keyring.get_keyring()
    keyring.set_keyring(backend)
    try:
        yield backend
    finally:
        keyring.set_keyring(previous)


@pytest.fixture
def memory_keyring() -> Iterator[InMemoryKeyring]:
    with installed(InMemoryKeyring()) as backend:
        yield backend


@pytest.fixture
def fail_keyring() -> Iterator[fail.Keyring]:
    with installed(fail.Keyring()) as backend:
        yield backend


class RaisingKeyring(KeyringBackend):
    """A backend whose every call raises the exception it was given."""

    # Below the fail backend's 0: keyring's auto-detection never picks a test backend.
    priority = -1  # type: ignore[assignment]

    def __init__(self, error: Exception) -> None:
        super().__init__()
        self.error = error

    def get_password(self, service: str, username: str) -> str | None:
        raise self.error

    def set_password(self, service: str, username: str, password: str) -> None:
        raise self.error

    def delete_password(self, service: str, username: str) -> None:
        raise self.error


def test_saved_secret_is_read_back_and_forgotten(memory_keyring: InMemoryKeyring) -> None:
    store = SecretStore()
    store.save(SERVER, "alice", SecretKind.PASSWORD, SECRET)
    assert store.load(SERVER, "alice", SecretKind.PASSWORD) == SECRET
    store.forget(SERVER, "alice", SecretKind.PASSWORD)
    assert store.load(SERVER, "alice", SecretKind.PASSWORD) is None
    assert memory_keyring.secrets == {}


def test_key_layout_puts_server_kind_and_account_in_the_username_field(
    memory_keyring: InMemoryKeyring,
) -> None:
    store = SecretStore()
    store.save(SERVER + "/ ", "alice", SecretKind.PASSWORD, "pw")
    store.save(SERVER, "Kiosk", SecretKind.API_KEY, "key")
    assert memory_keyring.secrets == {
        (SERVICE_NAME, "https://dispatch.example.com|password:alice"): "pw",
        (SERVICE_NAME, "https://dispatch.example.com|apikey:Kiosk"): "key",
    }


def test_servers_users_and_kinds_are_kept_apart(memory_keyring: InMemoryKeyring) -> None:
    store = SecretStore()
    entries = {
        (SERVER, "alice", SecretKind.PASSWORD): "1",
        (SERVER, "bob", SecretKind.PASSWORD): "2",
        (OTHER_SERVER, "alice", SecretKind.PASSWORD): "3",
        (SERVER, "alice", SecretKind.API_KEY): "4",
    }
    for (server, account, kind), secret in entries.items():
        store.save(server, account, kind, secret)
    for (server, account, kind), secret in entries.items():
        assert store.load(server, account, kind) == secret
    store.forget(SERVER, "alice", SecretKind.PASSWORD)
    assert store.load(SERVER, "bob", SecretKind.PASSWORD) == "2"
    assert store.load(SERVER, "alice", SecretKind.API_KEY) == "4"


def test_keys_cannot_collide_through_separators() -> None:
    keys = {
        secret_key("https://a|password:b", "c", SecretKind.PASSWORD),
        secret_key("https://a", "b|password:c", SecretKind.PASSWORD),
        secret_key("https://a", "apikey:b", SecretKind.PASSWORD),
        secret_key("https://a", "b", SecretKind.API_KEY),
    }
    assert len(keys) == 4


@pytest.mark.parametrize(("server", "account"), [(" ", "alice"), (SERVER, " ")])
def test_blank_server_or_account_is_refused(server: str, account: str) -> None:
    with pytest.raises(ValueError, match="empty"):
        secret_key(server, account, SecretKind.PASSWORD)


def test_empty_secret_is_refused(memory_keyring: InMemoryKeyring) -> None:
    with pytest.raises(ValueError, match="password is empty"):
        SecretStore().save(SERVER, "alice", SecretKind.PASSWORD, "")


def test_forgetting_a_missing_secret_is_not_an_error(memory_keyring: InMemoryKeyring) -> None:
    SecretStore().forget(SERVER, "nobody", SecretKind.PASSWORD)


def test_memory_keyring_is_usable(memory_keyring: InMemoryKeyring) -> None:
    status = SecretStore().status()
    assert status.usable
    assert status.store == "InMemoryKeyring"
    assert status.message == ""


def test_fail_backend_is_unusable_and_saving_raises(fail_keyring: fail.Keyring) -> None:
    store = SecretStore()
    status = store.status()
    assert not status.usable
    assert status.store == "no system keyring"
    assert status.problem is Problem.NO_KEYRING
    assert status.message == (
        "No system keyring is available (the keyring library found no backend); "
        "credentials will be kept for this session only and not saved."
    )
    with pytest.raises(SecretStoreUnavailable) as caught:
        store.save(SERVER, "alice", SecretKind.PASSWORD, SECRET)
    assert str(caught.value) == (
        "No system keyring is available (the keyring library found no backend), so the "
        "password could not be saved; credentials will be kept for this session only."
    )
    assert caught.value.problem is Problem.NO_KEYRING
    with pytest.raises(SecretStoreUnavailable):
        store.load(SERVER, "alice", SecretKind.PASSWORD)


def test_null_backend_is_refused_because_it_drops_secrets() -> None:
    store = SecretStore(null.Keyring())
    status = store.status()
    assert not status.usable
    assert "null keyring" in status.message
    with pytest.raises(SecretStoreUnavailable, match="discards every secret"):
        store.save(SERVER, "alice", SecretKind.API_KEY, SECRET)


def test_no_keyring_error_from_another_backend_says_no_keyring() -> None:
    store = SecretStore(RaisingKeyring(keyring.errors.NoKeyringError("none")))
    with pytest.raises(SecretStoreUnavailable) as caught:
        store.load(SERVER, "alice", SecretKind.PASSWORD)
    assert caught.value.problem is Problem.NO_KEYRING
    assert str(caught.value).startswith("No system keyring is available")


def test_locked_keyring_is_named_in_status_save_and_load() -> None:
    store = SecretStore(RaisingKeyring(keyring.errors.KeyringLocked("locked")))
    status = store.status()
    assert not status.usable
    assert status.problem is Problem.LOCKED
    assert status.message == (
        "The keyring (RaisingKeyring) is locked, so saved credentials cannot be used; "
        "unlock it and try again."
    )
    with pytest.raises(SecretStoreUnavailable, match=r"^The keyring \(RaisingKeyring\) is locked"):
        store.save(SERVER, "alice", SecretKind.PASSWORD, SECRET)
    with pytest.raises(SecretStoreUnavailable, match="is locked, so the saved API key could not"):
        store.load(SERVER, "alice", SecretKind.API_KEY)


@pytest.mark.parametrize(
    ("error", "problem", "words"),
    [
        (keyring.errors.InitError(SECRET), Problem.UNAVAILABLE, "could not be opened"),
        (keyring.errors.PasswordSetError(SECRET), Problem.UNAVAILABLE, "refused the request"),
        (keyring.errors.PasswordDeleteError(SECRET), Problem.UNAVAILABLE, "refused the request"),
        (keyring.errors.KeyringError(SECRET), Problem.ERROR, "reported an error"),
        (RuntimeError(f"D-Bus said {SECRET}"), Problem.ERROR, "failed unexpectedly (RuntimeError)"),
        (OSError(SECRET), Problem.ERROR, "failed unexpectedly (OSError)"),
    ],
)
def test_every_error_becomes_one_sentence_without_the_secret(
    error: Exception, problem: Problem, words: str
) -> None:
    store = SecretStore(RaisingKeyring(error))
    with pytest.raises(SecretStoreUnavailable) as caught:
        store.save(SERVER, "alice", SecretKind.PASSWORD, SECRET)
    message = str(caught.value)
    assert words in message
    assert "(RaisingKeyring)" in message
    assert message.endswith(".")
    assert message.count(". ") == 0
    assert caught.value.problem is problem
    assert caught.value.store == "RaisingKeyring"
    # Nothing that a logged traceback would print carries the secret.
    assert SECRET not in message
    assert SECRET not in repr(caught.value.args)
    assert caught.value.__cause__ is None
    assert caught.value.__context__ is None


def test_failing_delete_of_an_existing_secret_is_reported(memory_keyring: InMemoryKeyring) -> None:
    class StuckKeyring(InMemoryKeyring):
        priority = -1  # type: ignore[assignment]

        def delete_password(self, service: str, username: str) -> None:
            raise keyring.errors.PasswordDeleteError("cannot")

    backend = StuckKeyring()
    store = SecretStore(backend)
    store.save(SERVER, "alice", SecretKind.PASSWORD, SECRET)
    with pytest.raises(SecretStoreUnavailable, match="saved password could not be deleted"):
        store.forget(SERVER, "alice", SecretKind.PASSWORD)


def test_backend_name_of_known_backends() -> None:
    assert SecretStore(fail.Keyring()).backend_name() == "no system keyring"
    assert SecretStore(null.Keyring()).backend_name() == "null keyring"
    assert SecretStore(InMemoryKeyring()).backend_name() == "InMemoryKeyring"


class FakePlaintextKeyring(InMemoryKeyring):
    """Stands in for keyrings.alt's PlaintextKeyring, which is not installed."""

    priority = -1  # type: ignore[assignment]


FakePlaintextKeyring.__module__ = "keyrings.alt.file"
FakePlaintextKeyring.__qualname__ = "PlaintextKeyring"


def test_chain_is_named_by_its_members_and_refused_with_a_plaintext_member(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    memory, plaintext = InMemoryKeyring(), FakePlaintextKeyring()
    monkeypatch.setattr(chainer.ChainerBackend, "backends", [memory, plaintext])
    store = SecretStore(chainer.ChainerBackend())
    assert store.backend_name() == "InMemoryKeyring + plaintext file keyring"
    status = store.status()
    assert not status.usable
    assert "unencrypted" in status.message
    with pytest.raises(SecretStoreUnavailable, match="unencrypted on disk, so the password"):
        store.save(SERVER, "alice", SecretKind.PASSWORD, SECRET)
    assert memory.secrets == plaintext.secrets == {}


def test_chain_of_safe_backends_is_usable(monkeypatch: pytest.MonkeyPatch) -> None:
    first, second = InMemoryKeyring(), InMemoryKeyring()
    monkeypatch.setattr(chainer.ChainerBackend, "backends", [first, second])
    store = SecretStore(chainer.ChainerBackend())
    assert store.status().usable
    store.save(SERVER, "alice", SecretKind.PASSWORD, SECRET)
    assert store.load(SERVER, "alice", SecretKind.PASSWORD) == SECRET


def test_session_secrets_hold_and_hide() -> None:
    session = SessionSecrets()
    session.save(SERVER, "alice", SecretKind.PASSWORD, SECRET)
    session.save(OTHER_SERVER, "alice", SecretKind.PASSWORD, "other")
    assert session.load(SERVER + "/", "alice", SecretKind.PASSWORD) == SECRET
    assert session.load(SERVER, "alice", SecretKind.API_KEY) is None
    assert SECRET not in repr(session)
    session.forget(SERVER, "alice", SecretKind.PASSWORD)
    session.forget(SERVER, "alice", SecretKind.PASSWORD)
    assert session.load(SERVER, "alice", SecretKind.PASSWORD) is None
    assert len(session) == 1
    session.clear()
    assert len(session) == 0


def test_status_without_probe_does_not_touch_the_keyring() -> None:
    store = SecretStore(RaisingKeyring(keyring.errors.KeyringLocked("locked")))
    assert store.status(probe=False).usable


def test_fixture_restores_the_previous_keyring() -> None:
    before = keyring.get_keyring()
    with installed(InMemoryKeyring()):
        assert keyring.get_keyring() is not before
    assert keyring.get_keyring() is before
