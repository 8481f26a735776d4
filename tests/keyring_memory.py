"""An in-memory keyring backend for tests (unit and GUI): nothing reaches the real keyring.

Use it with ``keyring.set_keyring(InMemoryKeyring())`` and restore the previous backend
afterwards; the ``memory_keyring`` fixtures of the tests do both.
"""

from __future__ import annotations

import keyring.errors
from keyring.backend import KeyringBackend


class InMemoryKeyring(KeyringBackend):
    """Secrets in a dict keyed by (service, username); deleting a missing one raises
    PasswordDeleteError, as the real backends do."""

    priority = 1  # type: ignore[assignment]

    def __init__(self) -> None:
        super().__init__()
        self.secrets: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.secrets.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.secrets[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        try:
            del self.secrets[(service, username)]
        except KeyError:
            raise keyring.errors.PasswordDeleteError("No such password") from None
