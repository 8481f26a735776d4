"""Checks a start request against the reference before anything is sent (F7–F10).

Each problem is a :class:`ValidationError` whose ``field`` is the POST key and whose message
names the field in the form's words (never the POST key) and the rule, so the GUI can show it
on the offending field. Every text that reaches the wire is also checked for characters the
server would misread (api/characters.py, docs/input-rules.md).
"""

from __future__ import annotations

import ipaddress
import re
from dataclasses import fields, replace
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlsplit

from dispatch_desktop.api.characters import check_characters, find_forbidden
from dispatch_desktop.api.errors import ValidationError, refusal
from dispatch_desktop.api.models import (
    DEFAULT_SERVER_URL,
    AuthMethod,
    Credentials,
    GenericType,
    StartJobRequest,
)
from dispatch_desktop.api.tagfilter import TagFilter
from dispatch_desktop.translation_marks import QT_TRANSLATE_NOOP, Phrase, fill

MAX_JOB_ID = 2**63 - 1
PHONE_NUMBER = re.compile(r"\+?[0-9]{6,15}")

FIELD_LABELS: dict[str, str] = {
    "jobid": QT_TRANSLATE_NOOP("Library", "Saved job id"),
    "jobname": QT_TRANSLATE_NOOP("Library", "Job name"),
    "message": QT_TRANSLATE_NOOP("Library", "Message"),
    "assignedmessage": QT_TRANSLATE_NOOP("Library", "Assigned message"),
    "tonumbers": QT_TRANSLATE_NOOP("Library", "Recipients (phone numbers)"),
    "toaddressbookcustomtagfilter": QT_TRANSLATE_NOOP("Library", "Recipients (tag filter)"),
    "toaddressbooktagfilterjson": QT_TRANSLATE_NOOP(
        "Library", "Recipients (tag filter in JSON form)"
    ),
    "toaddressbooksavedtagfilters": QT_TRANSLATE_NOOP("Library", "Recipients (saved tag filters)"),
    "toaddressbookgroups": QT_TRANSLATE_NOOP("Library", "Recipients (groups)"),
    "excludenumbers": QT_TRANSLATE_NOOP("Library", "Recipients to exclude (phone numbers)"),
    "excludecustomtagfilter": QT_TRANSLATE_NOOP("Library", "Recipients to exclude (tag filter)"),
    "excludetagfilterjson": QT_TRANSLATE_NOOP(
        "Library", "Recipients to exclude (tag filter in JSON form)"
    ),
    "tokeep": QT_TRANSLATE_NOOP(
        "Library", "The saved job's own recipients (add to them or replace them)"
    ),
    "responsegoal": QT_TRANSLATE_NOOP("Library", "Response goal"),
    "scheduledstart": QT_TRANSLATE_NOOP("Library", "Scheduled start"),
    "jobtype": QT_TRANSLATE_NOOP("Library", "Job type"),
}
"""The user's name of each request field, as the start-job form shows it."""

NEW_FILTER_FIELDS = ("toaddressbookcustomtagfilter", "toaddressbooktagfilterjson")

_GMM_ONLY_REASON = QT_TRANSLATE_NOOP(
    "Library",
    "only allowed for monitored-message jobs (GMM); this is a multi-assign job (GMA), and "
    "the server would refuse it",
)

# Parameters each generic type refuses, with the reason shown to the user (F7, F8).
DISALLOWED_FIELDS: dict[GenericType, dict[str, str]] = {
    GenericType.GMA: {
        name: _GMM_ONLY_REASON
        for name in (
            "tonumbers",
            "toaddressbooksavedtagfilters",
            "toaddressbookgroups",
            "excludenumbers",
            "excludecustomtagfilter",
            "excludetagfilterjson",
            "tokeep",
        )
    },
    GenericType.GMM: {
        "assignedmessage": QT_TRANSLATE_NOOP(
            "Library",
            "only allowed for multi-assign jobs (GMA); a monitored-message job (GMM) takes "
            "the assigned message from its job type's settings, and the server refuses one here",
        ),
    },
}

GMA_GOAL_RULE = QT_TRANSLATE_NOOP(
    "Library",
    "for a multi-assign job (GMA) a new tag filter and a response goal go together: give "
    "both or neither",
)


def label(field: str) -> str:
    """The user-facing name of a request field."""
    return FIELD_LABELS.get(field, field)


def field_refusal(field: str, rule: str, *values: str) -> ValidationError:
    """The refusal of ``field`` for breaking ``rule`` (marked for translation, with ``%1``…
    for ``values``): "<label>: <rule>."; its parts go with it for the windows to translate."""
    return ValidationError(
        f"{label(field)}: {fill(rule, *values)}.",
        field,
        label=label(field),
        rule=rule,
        values=values,
    )


def _labelled(field: str, problem: ValidationError) -> ValidationError:
    """``problem`` (a whole sentence) said of ``field``: "<label>: <sentence>"."""
    return ValidationError(
        f"{label(field)}: {problem}",
        field,
        label=label(field),
        rule=problem.rule,
        values=problem.values,
    )


def is_set(value: Any) -> bool:
    """Whether a request field counts as given: not ``None`` and not an empty list."""
    if value is None:
        return False
    return not (isinstance(value, list | tuple) and len(value) == 0)


def check_phone_number(number: Any, field: str = "tonumbers") -> str:
    """Return ``number`` if it is plausible: digits with an optional leading ``+``, 6–15
    digits."""
    if isinstance(number, str):
        # Named first: an invisible character makes a number look right and still be wrong.
        _check_name_characters(
            number, QT_TRANSLATE_NOOP("Library", "the number %1"), field, names=False
        )
    if not isinstance(number, str) or not PHONE_NUMBER.fullmatch(number):
        raise field_refusal(
            field,
            QT_TRANSLATE_NOOP(
                "Library",
                "%1 is not a phone number; use digits with an optional leading +, 6 to 15 "
                "digits, no spaces",
            ),
            repr(number),
        )
    return number


def check_response_goal(goal: Any) -> int:
    """Return ``goal`` if it is an integer greater than 0."""
    if isinstance(goal, bool) or not isinstance(goal, int) or goal <= 0:
        raise field_refusal(
            "responsegoal",
            QT_TRANSLATE_NOOP("Library", "%1 is not a whole number greater than 0"),
            repr(goal),
        )
    return goal


def check_scheduled_start(when: Any, now: datetime | None = None) -> str:
    """Return the ISO 8601 form (explicit offset, seconds) of a future, time-zone aware
    ``when`` (F10)."""
    if not isinstance(when, datetime):
        raise field_refusal(
            "scheduledstart", QT_TRANSLATE_NOOP("Library", "must be a date and time")
        )
    if when.tzinfo is None or when.utcoffset() is None:
        raise field_refusal(
            "scheduledstart",
            QT_TRANSLATE_NOOP(
                "Library", "has no time zone; give a time with an explicit offset or UTC"
            ),
        )
    now = now or datetime.now(UTC)
    if when <= now:
        raise field_refusal(
            "scheduledstart",
            QT_TRANSLATE_NOOP(
                "Library", "%1 is not in the future; a scheduled start must lie ahead"
            ),
            when.isoformat(timespec="seconds"),
        )
    return when.isoformat(timespec="seconds")


def check_job_id(jobid: Any) -> int:
    """Return ``jobid`` if it is an exact positive 64-bit integer (F1)."""
    if isinstance(jobid, bool) or not isinstance(jobid, int) or not 0 < jobid <= MAX_JOB_ID:
        raise field_refusal(
            "jobid",
            QT_TRANSLATE_NOOP("Library", "%1 is not a positive 64-bit whole number"),
            repr(jobid),
        )
    return jobid


def _check_name_characters(name: str, what: str, field: str, *, names: bool = True) -> None:
    """Refuse a forbidden character in a short name (``names``: look-alike spaces too),
    quoting the name as ``what`` (marked for translation, ``%1`` for the name) says: its
    quoted form shows an invisible character as an escape, never as itself."""
    found = find_forbidden(name, names=names)
    if found is not None:
        said = found.said(Phrase(what, repr(name)))
        raise field_refusal(field, said.rule, *said.values)


def check_job_type(job_type: str) -> str:
    """A job type to list by (``MonitoredMessage``): a name, so no character the server would
    misread and no look-alike space."""
    if not isinstance(job_type, str) or not job_type.strip():
        raise refusal(
            "jobtype",
            QT_TRANSLATE_NOOP("Library", "Job type: give a job type, such as MonitoredMessage."),
        )
    _check_name_characters(job_type, QT_TRANSLATE_NOOP("Library", "the job type %1"), "jobtype")
    return job_type


def _check_text(value: Any, field: str, *, line_breaks: bool = False) -> str:
    """A job name or message: not blank, and no character the server would misread; a message
    (``line_breaks``) may have line breaks."""
    if not isinstance(value, str):
        raise field_refusal(field, QT_TRANSLATE_NOOP("Library", "must be text"))
    if not value.strip():
        raise field_refusal(
            field,
            QT_TRANSLATE_NOOP("Library", "is blank; leave it unset to keep the saved job's value"),
        )
    return check_characters(value, label(field), field, line_breaks=line_breaks)


def _check_names(value: Any, field: str) -> list[str]:
    if not isinstance(value, list | tuple) or not all(isinstance(v, str) for v in value):
        raise field_refusal(field, QT_TRANSLATE_NOOP("Library", "must be a list of names"))
    for name in value:
        if not name.strip():
            raise field_refusal(field, QT_TRANSLATE_NOOP("Library", "contains a blank name"))
        _check_name_characters(name, QT_TRANSLATE_NOOP("Library", "the name %1"), field)
    return list(value)


def _check_numbers(value: Any, field: str) -> list[str]:
    if not isinstance(value, list | tuple):
        raise field_refusal(field, QT_TRANSLATE_NOOP("Library", "must be a list of phone numbers"))
    return [check_phone_number(n, field) for n in value]


def _check_tag_filter(value: Any, field: str) -> str:
    if not isinstance(value, TagFilter | str):
        raise field_refusal(
            field, QT_TRANSLATE_NOOP("Library", "must be a tag filter or its text form")
        )
    try:
        return str(TagFilter.coerce(value, field=field))
    except ValidationError as exc:
        raise _labelled(field, exc) from None


def _check_json_filter(value: Any, field: str) -> list[dict[str, Any]]:
    try:
        tag_filter = value if isinstance(value, TagFilter) else TagFilter.from_json(value)
    except ValidationError as exc:
        raise _labelled(field, exc) from None
    return tag_filter.to_json()


def _check_tokeep(value: Any) -> bool:
    if not isinstance(value, bool):
        raise field_refusal("tokeep", QT_TRANSLATE_NOOP("Library", "must be true or false"))
    return value


_FIELD_CHECKS = {
    "jobid": check_job_id,
    "jobname": lambda v: _check_text(v, "jobname"),
    "message": lambda v: _check_text(v, "message", line_breaks=True),
    "tonumbers": lambda v: _check_numbers(v, "tonumbers"),
    "toaddressbookcustomtagfilter": lambda v: _check_tag_filter(v, "toaddressbookcustomtagfilter"),
    "toaddressbooktagfilterjson": lambda v: _check_json_filter(v, "toaddressbooktagfilterjson"),
    "toaddressbooksavedtagfilters": lambda v: _check_names(v, "toaddressbooksavedtagfilters"),
    "toaddressbookgroups": lambda v: _check_names(v, "toaddressbookgroups"),
    "excludenumbers": lambda v: _check_numbers(v, "excludenumbers"),
    "excludecustomtagfilter": lambda v: _check_tag_filter(v, "excludecustomtagfilter"),
    "excludetagfilterjson": lambda v: _check_json_filter(v, "excludetagfilterjson"),
    "tokeep": _check_tokeep,
    "responsegoal": check_response_goal,
}


def _check_assigned_message(value: Any, generic_type: GenericType | None) -> str:
    if not isinstance(value, str):
        raise field_refusal("assignedmessage", QT_TRANSLATE_NOOP("Library", "must be text"))
    if generic_type is GenericType.GMA and not value.strip():
        raise field_refusal(
            "assignedmessage",
            QT_TRANSLATE_NOOP("Library", "is blank; leave it unset to keep the saved message"),
        )
    # Checked even when blank: GMM accepts a blank assigned message, not a control character.
    return check_characters(value, label("assignedmessage"), "assignedmessage", line_breaks=True)


def _rule_problems(
    given: dict[str, Any], generic_type: GenericType | None
) -> list[ValidationError]:
    if generic_type is None:
        return []
    problems = []
    for name, reason in DISALLOWED_FIELDS[generic_type].items():
        if name not in given:
            continue
        if name == "assignedmessage" and not str(given[name]).strip():
            continue  # the server accepts a blank assigned message for GMM
        problems.append(field_refusal(name, reason))
    if generic_type is GenericType.GMA:
        has_filter = any(name in given for name in NEW_FILTER_FIELDS)
        if has_filter != ("responsegoal" in given):
            missing = "responsegoal" if has_filter else "toaddressbookcustomtagfilter"
            problems.append(field_refusal(missing, GMA_GOAL_RULE))
    return problems


def find_problems(
    request: StartJobRequest,
    generic_type: GenericType | None = None,
    *,
    now: datetime | None = None,
) -> tuple[dict[str, Any], list[ValidationError]]:
    """Check every field; return the normalised parameters (POST key -> JSON value, unset
    fields and ``tokeep=False`` left out) and every problem found: those of single fields
    first, in field order, then those of the generic type's rules."""
    params: dict[str, Any] = {}
    problems: list[ValidationError] = []
    if request.tokeep is False:
        # Replacing is the default: "false" says nothing, and a GMA job refuses the key.
        request = replace(request, tokeep=None)
    for spec in fields(StartJobRequest):
        value = getattr(request, spec.name)
        if not is_set(value) and spec.name != "jobid":
            continue
        try:
            if spec.name == "scheduledstart":
                params[spec.name] = check_scheduled_start(value, now)
            elif spec.name == "assignedmessage":
                params[spec.name] = _check_assigned_message(value, generic_type)
            else:
                params[spec.name] = _FIELD_CHECKS[spec.name](value)
        except ValidationError as exc:
            problems.append(exc)
    for first, second in (
        ("toaddressbookcustomtagfilter", "toaddressbooktagfilterjson"),
        ("excludecustomtagfilter", "excludetagfilterjson"),
    ):
        if is_set(getattr(request, first)) and is_set(getattr(request, second)):
            problems.append(
                field_refusal(
                    second,
                    QT_TRANSLATE_NOOP("Library", "give the filter once, either here or as %1"),
                    label(first),
                )
            )
    given = {
        spec.name: getattr(request, spec.name)
        for spec in fields(StartJobRequest)
        if is_set(getattr(request, spec.name))
    }
    problems.extend(_rule_problems(given, generic_type))
    return params, problems


def validate_start_request(
    request: StartJobRequest,
    generic_type: GenericType | None = None,
    *,
    now: datetime | None = None,
) -> dict[str, Any]:
    """Return the normalised parameters, or raise the first problem as
    :class:`ValidationError`."""
    params, problems = find_problems(request, generic_type, now=now)
    if problems:
        raise problems[0]
    return params


def _is_loopback(host: str) -> bool:
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def check_server_url(url: str, *, allow_insecure: bool = False) -> str:
    """Return ``url`` without a trailing slash if it is usable: ``https://``, or ``http://``
    only to a loopback host (or with ``allow_insecure``)."""
    # urlsplit quietly drops tabs and line breaks inside, so they are refused first.
    check_characters(url.strip(), QT_TRANSLATE_NOOP("Library", "Server address"), "server")
    parts = urlsplit(url.strip())
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise refusal(
            "server",
            QT_TRANSLATE_NOOP(
                "Library", "Server address %1 is not a web address; it should look like %2."
            ),
            repr(url),
            DEFAULT_SERVER_URL,
        )
    if parts.query or parts.fragment or parts.username or parts.password:
        raise refusal(
            "server",
            QT_TRANSLATE_NOOP(
                "Library",
                "Server address: give only the address, without '?', '#' or a user name in it.",
            ),
        )
    try:
        parts.port  # noqa: B018 - reading it validates it
    except ValueError:
        raise refusal(
            "server",
            QT_TRANSLATE_NOOP("Library", "Server address %1 has an invalid port number."),
            repr(url),
        ) from None
    if parts.scheme == "http" and not allow_insecure and not _is_loopback(parts.hostname):
        raise refusal(
            "server",
            QT_TRANSLATE_NOOP(
                "Library",
                "Server address %1 uses plain http://, which would send credentials "
                "unencrypted; use https:// (plain http is allowed only to this computer).",
            ),
            repr(url),
        )
    return url.strip().rstrip("/")


_API_KEY_CHARACTERS = re.compile(r"[!-~]+")  # printable ASCII, no blanks


def _unsendable_in_password(character: str) -> bool:
    """A control character, or a lone surrogate (it cannot be encoded as UTF-8). Anything
    else the user chose is left alone: the server compares passwords, it does not read them."""
    code = ord(character)
    return code < 32 or code == 127 or 0xD800 <= code <= 0xDFFF


def check_credentials(credentials: Credentials, auth: AuthMethod) -> None:
    """Refuse credentials that are missing for ``auth`` or could not travel intact."""
    if auth.uses_api_key:
        if not credentials.api_key:
            raise refusal(
                "api_key",
                QT_TRANSLATE_NOOP("Library", "API key: give the API key from the Web Portal."),
            )
        if not _API_KEY_CHARACTERS.fullmatch(credentials.api_key):
            raise refusal(
                "api_key",
                QT_TRANSLATE_NOOP(
                    "Library",
                    "API key: it contains a blank, a line break or a character an API key "
                    "never has; copy it again from the Web Portal.",
                ),
            )
        return
    if credentials.username:
        check_characters(credentials.username, QT_TRANSLATE_NOOP("Library", "Username"), "username")
    if credentials.password and any(_unsendable_in_password(c) for c in credentials.password):
        # Never say which character or where: that would tell something about the password.
        raise refusal(
            "password",
            QT_TRANSLATE_NOOP(
                "Library",
                "Password: it contains a line break, another control character or a broken "
                "character that cannot be sent; type it again.",
            ),
        )
    if not credentials.username:
        raise refusal(
            "username",
            QT_TRANSLATE_NOOP("Library", "Username: give the username of the API account."),
        )
    if not credentials.password:
        raise refusal(
            "password",
            QT_TRANSLATE_NOOP("Library", "Password: give the password of the API account."),
        )
    if auth is AuthMethod.BASIC and ":" in credentials.username:
        raise refusal(
            "username",
            QT_TRANSLATE_NOOP(
                "Library",
                "Username: a name containing ':' cannot travel by HTTP Basic; choose another "
                "way to send credentials.",
            ),
        )
