"""One launch of a saved job, from the last check to the journal entry (no Qt).

The GUI runs :func:`launch` on a worker thread. It sends the start request exactly once (F3),
records the attempt in the journal *before* sending, so a crash mid-call leaves a "pending"
entry, and maps every way the call can end to one :class:`LaunchOutcome`.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field, fields, replace
from datetime import datetime
from typing import TYPE_CHECKING, Protocol

from dispatch_desktop.api import (
    AuthenticationError,
    ConnectionFailed,
    DispatchError,
    GenericType,
    JobNotStarted,
    OutcomeUnknown,
    RequestRejected,
    SavedJob,
    StartedUnverifiable,
    StartJobRequest,
    TagFilter,
    ValidationError,
)
from dispatch_desktop.api.validation import is_set, validate_start_request
from dispatch_desktop.storage.journal import LaunchMode, Outcome
from dispatch_desktop.translation_marks import QT_TRANSLATE_NOOP, Phrase

if TYPE_CHECKING:
    from dispatch_desktop.api.client import DispatchClient

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class LaunchOutcome:
    """What the user is told. ``kind`` is never ``PENDING``; ``runtimeid`` is set only for
    :attr:`Outcome.OK`."""

    kind: Outcome
    message: str
    runtimeid: int | None = None
    jobname: str | None = None
    journal_warning: str = ""
    error: DispatchError | None = field(default=None, compare=False)
    """The library's error behind ``message``, so the window can say it in the user's
    language; ``None`` when ``message`` is the server's own words or there was none."""


class Journal(Protocol):
    """The part of the launch journal a launch writes to."""

    def record_attempt(
        self,
        *,
        server: str,
        user: str,
        job_id: int,
        job_name: str,
        job_type: str,
        generic_type: str | None,
        parameters: dict[str, object],
        mode: LaunchMode,
    ) -> int: ...

    def record_outcome(
        self,
        attempt_id: int,
        outcome: str,
        *,
        runtimeid: int | None = None,
        jobname: str | None = None,
        message: str | None = None,
    ) -> None: ...


@dataclass(frozen=True)
class LaunchPlan:
    """Everything a launch needs: the checked request and who sends it where."""

    job: SavedJob
    request: StartJobRequest
    generic_type: GenericType | None
    server: str
    user: str
    mode: LaunchMode = LaunchMode.LIVE
    exercise: bool = False
    """The message carries the exercise marker. True whenever ``mode`` is EXERCISE, and also
    for a demo launch of an exercise (journaled as a demo, shown as an exercise too)."""

    @property
    def marked_exercise(self) -> bool:
        """Shown with the exercise banner: an exercise, live or in the demo."""
        return self.exercise or self.mode is LaunchMode.EXERCISE


def launch(client: DispatchClient, plan: LaunchPlan, journal: Journal | None) -> LaunchOutcome:
    """Check, journal, send once, journal the outcome. Blocking: call it off the GUI thread.

    A launch refused by the checks (e.g. a scheduled start that passed while the
    confirmation was open) is journaled too, as ``refused_locally``: nothing was sent."""
    try:
        parameters = validate_start_request(plan.request, plan.generic_type)
    except ValidationError as exc:
        attempt_id, warning = _record_attempt(journal, plan, _as_given(plan.request))
        refused = LaunchOutcome(Outcome.REFUSED_LOCALLY, str(exc), error=exc)
        return _record_outcome(journal, attempt_id, refused, warning)
    attempt_id, warning = _record_attempt(journal, plan, parameters)
    return _record_outcome(journal, attempt_id, _send_once(client, plan), warning)


CANCELLED_MESSAGE = QT_TRANSLATE_NOOP(
    "Library",
    "The start was cancelled before it was sent. No message went out; the saved job is unchanged.",
)


def record_cancelled(journal: Journal | None, plan: LaunchPlan) -> LaunchOutcome:
    """The dispatcher cancelled ``plan`` in the undo window, before anything was sent: journal
    the attempt with its parameters and the cancelled outcome. Blocking (disk): call it off
    the GUI thread."""
    try:
        parameters = validate_start_request(plan.request, plan.generic_type)
    except ValidationError:
        parameters = _as_given(plan.request)
    attempt_id, warning = _record_attempt(journal, plan, parameters)
    cancelled = LaunchOutcome(Outcome.CANCELLED, CANCELLED_MESSAGE)
    return _record_outcome(journal, attempt_id, cancelled, warning)


def _as_given(request: StartJobRequest) -> dict[str, object]:
    """The request's set fields as JSON values, for the journal of a refused launch."""
    given: dict[str, object] = {}
    for spec in fields(request):
        value = getattr(request, spec.name)
        if not is_set(value):
            continue
        if isinstance(value, datetime):
            value = value.isoformat()
        elif isinstance(value, TagFilter):
            value = str(value)
        given[spec.name] = value
    return given


def _record_outcome(
    journal: Journal | None, attempt_id: int | None, outcome: LaunchOutcome, warning: str
) -> LaunchOutcome:
    if journal is not None and attempt_id is not None:
        try:
            journal.record_outcome(
                attempt_id,
                outcome.kind,
                runtimeid=outcome.runtimeid,
                jobname=outcome.jobname,
                message=outcome.message,
            )
        except Exception:  # the launch happened; a journal failure must not hide its outcome
            log.exception("could not record the launch outcome")
            warning = warning or QT_TRANSLATE_NOOP(
                "Library", "The outcome could not be written to the launch journal."
            )
    return replace(outcome, journal_warning=warning) if warning else outcome


def _record_attempt(
    journal: Journal | None, plan: LaunchPlan, parameters: dict[str, object]
) -> tuple[int | None, str]:
    if journal is None:
        return None, QT_TRANSLATE_NOOP(
            "Library", "The launch journal is not available, so this launch is not recorded."
        )
    try:
        attempt_id = journal.record_attempt(
            server=plan.server,
            user=plan.user,
            job_id=plan.job.id,
            job_name=plan.job.name,
            job_type=plan.job.type,
            generic_type=plan.generic_type.value if plan.generic_type else None,
            parameters=parameters,
            mode=plan.mode,
        )
    except Exception:
        # An emergency callout must not be blocked by a full disk: send, and say so.
        log.exception("could not record the launch attempt")
        return None, QT_TRANSLATE_NOOP(
            "Library", "This launch could not be written to the launch journal."
        )
    return attempt_id, ""


def _send_once(client: DispatchClient, plan: LaunchPlan) -> LaunchOutcome:
    try:
        result = client.start_saved_job(plan.request, plan.generic_type)
    except JobNotStarted as exc:
        # The server's own words; without them, the library's sentence (a Phrase, translated
        # where shown).
        return LaunchOutcome(Outcome.NOT_STARTED, exc.errormessage or exc.args[0])
    except AuthenticationError as exc:
        return LaunchOutcome(Outcome.AUTH_FAILED, str(exc), error=exc)
    except OutcomeUnknown as exc:
        return LaunchOutcome(Outcome.UNKNOWN, str(exc), error=exc)
    except StartedUnverifiable as exc:
        return LaunchOutcome(Outcome.STARTED_UNVERIFIABLE, str(exc), jobname=exc.jobname, error=exc)
    except ConnectionFailed as exc:
        return LaunchOutcome(Outcome.CONNECTION_FAILED, f"{exc} Nothing was sent.", error=exc)
    except RequestRejected as exc:
        return LaunchOutcome(Outcome.REJECTED, exc.server_text or str(exc))
    except ValidationError as exc:
        return LaunchOutcome(Outcome.REFUSED_LOCALLY, str(exc), error=exc)
    except Exception as exc:
        # Whatever broke, the request may have left: only "unknown" is honest (F3).
        log.exception("unexpected error during the start call")
        unknown = OutcomeUnknown(
            Phrase(
                QT_TRANSLATE_NOOP("Library", "an unexpected error occurred: %1"),
                type(exc).__name__,
            )
        )
        return LaunchOutcome(Outcome.UNKNOWN, str(unknown), error=unknown)
    return LaunchOutcome(
        Outcome.OK,
        f"Job {result.jobname!r} started with runtime id {result.runtimeid}.",
        runtimeid=result.runtimeid,
        jobname=result.jobname,
    )
