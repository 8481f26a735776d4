"""Errors raised by the Dispatch client.

Every error derives from :class:`DispatchError`, so a caller can catch one type. Messages are
sentences a user can read; they never contain a credential.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Self

from dispatch_desktop.translation_marks import QT_TRANSLATE_NOOP, Phrase, fill

if TYPE_CHECKING:
    from dispatch_desktop.api.models import StartResult


class DispatchError(Exception):
    """Base class; also raised for a malformed answer (not JSON, missing keys, HTML page).

    An error the windows can say in the user's language keeps its sentence's parts
    (docs/translations.md): ``rule``, marked for translation, with ``%1``… for ``values``."""

    rule: str | None = None
    values: tuple[str, ...] = ()

    @classmethod
    def said(cls, rule: str, *values: str) -> Self:
        """The error whose message is ``rule`` (marked for translation) filled with
        ``values``, its parts kept."""
        error = cls(Phrase(rule, *values))
        error.rule, error.values = rule, values
        return error


class ValidationError(DispatchError, ValueError):
    """Input refused before anything was sent. ``field`` names the offending parameter.

    A refusal the windows can translate also keeps its parts (docs/translations.md): the
    field's ``label`` and the ``rule`` broken, both marked for translation, the rule with
    ``%1``… placeholders for ``values``; the message is ``"<label>: <rule>."``."""

    def __init__(
        self,
        message: str,
        field: str | None = None,
        *,
        label: str | None = None,
        rule: str | None = None,
        values: tuple[str, ...] = (),
    ) -> None:
        super().__init__(message)
        self.field = field
        self.label = label
        self.rule = rule
        self.values = values


def refusal(field: str | None, sentence: str, *values: str) -> ValidationError:
    """Input refused with ``sentence`` (marked for translation, ``%1``… for ``values``), its
    parts kept so the windows can say it in the user's language."""
    return ValidationError(fill(sentence, *values), field, rule=sentence, values=values)


class AuthenticationError(DispatchError):
    """HTTP 401: bad credentials, or an account that cannot read any address book (G5)."""

    DEFAULT_MESSAGE = QT_TRANSLATE_NOOP(
        "Library",
        "The server refused the sign-in (401). Either the username, password or API key is "
        "wrong, or the account cannot read any address book; check both with your "
        "Dispatch administrator.",
    )

    def __init__(self, message: str = DEFAULT_MESSAGE) -> None:
        super().__init__(message)


class RequestRejected(DispatchError):
    """Any other HTTP 4xx/5xx. ``status`` and the server's ``server_text`` are kept."""

    def __init__(self, status: int, server_text: str) -> None:
        self.status = status
        self.server_text = server_text
        detail = server_text.strip() or "no explanation given"
        super().__init__(f"The server rejected the request (HTTP {status}): {detail}")


class JobNotStarted(DispatchError):
    """HTTP 200 whose ``result`` is not "OK" (F4): the call was valid, the job did not start."""

    def __init__(self, result: StartResult) -> None:
        self.result = result
        self.errormessage = result.errormessage
        detail = result.errormessage.strip() or Phrase(
            QT_TRANSLATE_NOOP("Library", "the server gave no reason")
        )
        super().__init__(
            Phrase(
                QT_TRANSLATE_NOOP("Library", "The job was not started (%1): %2"),
                result.result,
                detail,
            )
        )


class OutcomeUnknown(DispatchError):
    """The start request may have reached the server and no complete answer came back (F3).

    The job may have started and messages may be on their way. Never retry automatically:
    check the dashboard or the job monitor first.
    """

    def __init__(self, reason: str) -> None:
        self.reason = reason
        super().__init__(
            "The outcome is unknown: the start request may have reached the server, but no "
            f"complete answer came back ({reason}). The job may have started; check the "
            "Dispatch dashboard before trying again."
        )


class ConnectionFailed(DispatchError):
    """The server could not be reached at all; nothing was delivered."""


class ServerTooSlow(ConnectionFailed):
    """A call that changes nothing (listing) did not finish within its deadline."""


class MalformedAnswer(DispatchError):
    """The server's answer could not be read: not JSON, too large, nested too deep, invalid
    UTF-8, or missing what the reference promises."""


class StartedUnverifiable(DispatchError):
    """The server answered ``OK`` to a start, but the runtime id it gave is not a positive
    64-bit integer (F1): the job started, and it cannot be followed or referred to by id."""

    def __init__(self, jobname: str, runtime_id_text: str) -> None:
        self.jobname = jobname
        self.runtime_id_text = runtime_id_text
        super().__init__(
            "The server reported the job as started, but the runtime id it gave "
            f"({runtime_id_text}) is not a valid id, so the job cannot be followed here. "
            "Messages are on their way; check the Dispatch dashboard for this job."
        )
