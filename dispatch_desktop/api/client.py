"""The HTTP client of the Dispatch API (reference sections 1 and 2).

``start_saved_job`` is sent exactly once and never retried (F3): a lost answer is reported as
:class:`OutcomeUnknown`, never as a failure. Every call goes through
:mod:`dispatch_desktop.api.transport` (no retries, no redirects, the proxy rules, a wall-clock
deadline, a cap on the answer's size), whatever session the caller hands in. Credentials never
reach a ``repr``, a log line or an exception message, and text that came from the server is
scrubbed of them in every form before it goes anywhere.
"""

from __future__ import annotations

import base64
import json
import logging
import re
import time
from collections.abc import Collection, Iterable, Mapping
from dataclasses import replace
from typing import Any
from urllib.parse import quote, urlsplit

import requests
from urllib3.exceptions import ConnectTimeoutError, NewConnectionError

from dispatch_desktop.api.errors import (
    AuthenticationError,
    ConnectionFailed,
    JobNotStarted,
    MalformedAnswer,
    OutcomeUnknown,
    RequestRejected,
    ServerTooSlow,
    StartedUnverifiable,
    refusal,
)
from dispatch_desktop.api.models import (
    AuthMethod,
    Credentials,
    GenericType,
    SavedJob,
    StartJobRequest,
    StartResult,
)
from dispatch_desktop.api.proxy import UnsupportedProxy
from dispatch_desktop.api.redaction import RedactingFilter, Scrubber, redact, register_secret
from dispatch_desktop.api.transport import (
    Answer,
    DeadlineExpired,
    Limits,
    TransportSettings,
    exchange,
)
from dispatch_desktop.api.validation import (
    check_credentials,
    check_job_type,
    check_server_url,
    field_refusal,
    validate_start_request,
)
from dispatch_desktop.translation_marks import QT_TRANSLATE_NOOP, Phrase

log = logging.getLogger(__name__)

DEFAULT_CONNECT_TIMEOUT = 10.0
DEFAULT_READ_TIMEOUT = 30.0
# The start call "does not return until the job has started" (reference 2): minutes, not seconds.
DEFAULT_START_TIMEOUT = 600.0
DEFAULT_LIST_TIMEOUT = 120.0
"""Wall-clock deadline of a list call, both attempts included."""
MAX_LIST_ANSWER_BYTES = 32 * 1024 * 1024
"""About 250,000 saved jobs; parsed, a list this size takes some 200 MB of memory."""
MAX_START_ANSWER_BYTES = 1024 * 1024
"""A start answer is a few hundred bytes (reference 2.2.3)."""
MAX_ID = 2**63 - 1
HTTP_METHODS = ("POST", "GET")

# GET names of reference 2.2.1; the JSON filter fields have no GET form.
GET_NAMES: dict[str, str] = {
    "jobid": "J",
    "jobname": "N",
    "message": "M8",
    "assignedmessage": "AM8",
    "tonumbers": "T",
    "toaddressbookcustomtagfilter": "A",
    "toaddressbooksavedtagfilters": "S",
    "toaddressbookgroups": "G",
    "excludenumbers": "XT",
    "excludecustomtagfilter": "XA",
    "tokeep": "K",
    "responsegoal": "R",
    "scheduledstart": "AT",
}

# A gateway that times out or fails after forwarding may have delivered the start request.
_AMBIGUOUS_GATEWAY_STATUSES = (502, 504)
_MAX_SERVER_TEXT = 500
_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


logging.getLogger("urllib3.connectionpool").addFilter(RedactingFilter())


def _b64(text: str) -> str:
    return base64.b64encode(text.encode("utf-8")).decode("ascii")


def _encode_query(params: Iterable[tuple[str, Any]]) -> str:
    """Build a query string by hand (reference 2.2.1, F5): each list item is URL-encoded on
    its own and items are joined by a literal comma, so a name containing a comma survives;
    a space becomes %20 and a plus %2B."""
    pairs = []
    for name, value in params:
        if isinstance(value, list | tuple):
            encoded = ",".join(quote(str(item), safe="") for item in value)
        else:
            encoded = quote(str(value), safe="")
        pairs.append(f"{name}={encoded}")
    return "&".join(pairs)


def _server_text(answer: Answer, scrub: Scrubber) -> str:
    """The answer as one line of at most 500 characters, tags stripped, secrets masked before
    and after (stripping tags or folding blanks can change how an echoed secret looks)."""
    text = scrub(answer.body.decode("utf-8", "replace"))
    if "html" in answer.content_type.lower() or text.lstrip().startswith("<"):
        text = re.sub(r"<[^>]+>", " ", text)
    text = " ".join(text.split())
    return scrub(text[:_MAX_SERVER_TEXT])


def _describe(exc: BaseException) -> str:
    return redact(f"{type(exc).__name__}: {exc}")


# Raised while the request is being prepared, before any byte leaves.
_PREPARATION_ERRORS = (
    requests.exceptions.InvalidHeader,
    requests.exceptions.InvalidURL,
    requests.exceptions.InvalidSchema,
    requests.exceptions.MissingSchema,
)


def _never_connected(exc: requests.RequestException) -> bool:
    """True if the request failed before a connection existed, so nothing was delivered."""
    if isinstance(exc, (requests.ConnectTimeout, *_PREPARATION_ERRORS)):
        return True
    if isinstance(exc, requests.exceptions.SSLError | requests.exceptions.ProxyError):
        # The request is written only after a successful TLS handshake, and through a proxy
        # only once the tunnel stands (urllib3 reports a ProxyError only before that).
        return True
    if isinstance(exc, requests.ConnectionError):
        reason = getattr(exc.args[0], "reason", None) if exc.args else None
        return isinstance(reason, NewConnectionError | ConnectTimeoutError)
    return False


def _parse_id(value: Any) -> int:
    """An id from JSON: an exact positive 64-bit integer, or a string of its digits (F1, F2);
    never a float or a boolean."""
    if isinstance(value, bool):
        raise TypeError("boolean id")
    if isinstance(value, str) and value.isascii() and value.isdigit() and len(value) <= 19:
        value = int(value)
    if isinstance(value, int) and 0 < value <= MAX_ID:
        return value
    raise TypeError("not a positive 64-bit integer id")


def _parse_json(answer: Answer, scrub: Scrubber) -> Any:
    """Any JSON document; everything malformed (invalid UTF-8, bad syntax, nesting deeper
    than the interpreter allows, a number too long to convert) is a :class:`MalformedAnswer`."""
    try:
        return json.loads(answer.body.decode("utf-8"))
    except (ValueError, RecursionError) as exc:  # UnicodeDecodeError, JSONDecodeError, digits
        raise MalformedAnswer.said(
            QT_TRANSLATE_NOOP(
                "Library",
                "The server's answer is not valid JSON (%1); check the server address (the "
                "answer began: %2).",
            ),
            _json_problem(exc),
            repr(_server_text(answer, scrub)[:120]),
        ) from None


def _json_problem(exc: Exception) -> Phrase:
    if isinstance(exc, UnicodeDecodeError):
        return Phrase(QT_TRANSLATE_NOOP("Library", "it is not UTF-8 text"))
    if isinstance(exc, RecursionError):
        return Phrase(QT_TRANSLATE_NOOP("Library", "it is nested too deeply"))
    if isinstance(exc, json.JSONDecodeError):
        return Phrase(QT_TRANSLATE_NOOP("Library", "syntax error at character %1"), str(exc.pos))
    return Phrase(QT_TRANSLATE_NOOP("Library", "a value in it cannot be read"))


def _safe_text(value: Any) -> str:
    """Text from the server, with lone surrogates (which JSON escapes can carry, and which no
    file or widget can hold) replaced."""
    return _LONE_SURROGATE.sub("\ufffd", str(value or ""))


class DispatchClient:
    """Speaks the Dispatch API at ``base_url`` (e.g. ``https://secure.lekab.com/dispatch/api``).

    ``auth`` picks how credentials travel (F6) and ``http_method`` is ``"POST"`` (JSON body) or
    ``"GET"`` (query parameters). ``start_timeout`` is the wall-clock deadline of a whole start
    call (the server answers only once the job has started), ``list_timeout`` that of a list
    call; ``connect_timeout`` and ``read_timeout`` bound each connection attempt and each read.

    ``allowed_jobs`` (an administrator's policy) limits the saved jobs a start may name; any
    other is refused before anything is sent.

    ``session`` contributes its TLS settings (``verify``, ``cert``) and proxy choice
    (``proxies``, ``trust_env``) only: its adapters, retries, hooks and redirects are never
    used, and the proxy rules of :mod:`dispatch_desktop.api.proxy` apply.
    """

    def __init__(
        self,
        base_url: str,
        credentials: Credentials,
        *,
        auth: AuthMethod = AuthMethod.FIELDS,
        http_method: str = "POST",
        connect_timeout: float = DEFAULT_CONNECT_TIMEOUT,
        read_timeout: float = DEFAULT_READ_TIMEOUT,
        start_timeout: float = DEFAULT_START_TIMEOUT,
        list_timeout: float = DEFAULT_LIST_TIMEOUT,
        max_list_bytes: int = MAX_LIST_ANSWER_BYTES,
        allow_insecure: bool = False,
        session: requests.Session | None = None,
        allowed_jobs: Collection[int] | None = None,
    ) -> None:
        self.base_url = check_server_url(base_url, allow_insecure=allow_insecure)
        self.allowed_jobs = frozenset(allowed_jobs) if allowed_jobs is not None else None
        method = http_method.upper()
        if method not in HTTP_METHODS:
            raise refusal(
                "http_method",
                QT_TRANSLATE_NOOP("Library", "HTTP method %1 is not supported; use POST or GET."),
                repr(http_method),
            )
        check_credentials(credentials, auth)
        self.credentials = credentials
        self.auth = auth
        self.http_method = method
        self.connect_timeout = connect_timeout
        self.read_timeout = read_timeout
        self.start_timeout = start_timeout
        self.list_timeout = list_timeout
        self.max_list_bytes = max_list_bytes
        if session is not None and session.verify is False:
            raise refusal(
                "session",
                QT_TRANSLATE_NOOP(
                    "Library",
                    "The session turns TLS certificate checks off; Dispatch credentials and "
                    "messages must not travel that way. Give a CA bundle path instead.",
                ),
            )
        self._transport = TransportSettings.from_session(session)
        # A password equal to the username (the demo account's demo/demo) hides nothing: the
        # username is shown and logged anyway, and masking it would blank every "demo".
        secrets = [
            s for s in (credentials.password, credentials.api_key) if s != credentials.username
        ]
        self._scrub = Scrubber(secrets)
        register_secret(*secrets)  # crash reports and log lines mask them too

    def __repr__(self) -> str:
        return (
            f"DispatchClient({self.base_url!r}, {self.credentials!r}, auth={self.auth}, "
            f"http_method={self.http_method!r})"
        )

    def close(self) -> None:
        """Nothing to release: each call opens and closes its own connection."""

    def __enter__(self) -> DispatchClient:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    # -- public calls -----------------------------------------------------------------------

    def list_saved_jobs(self, jobtype: str | None = None) -> list[SavedJob]:
        """The saved jobs this account may start, optionally of one ``jobtype`` only.

        Listing changes nothing on the server, so one failed connection is retried once,
        within the same ``list_timeout``. Raises :class:`ServerTooSlow` when the deadline
        passes and :class:`MalformedAnswer` for an answer that cannot be read."""
        params: dict[str, Any] = {}
        if jobtype is not None:
            params["jobtype"] = check_job_type(jobtype)
        get_names = {"jobtype": "T"}
        limits = Limits(
            self.connect_timeout, self.read_timeout, self.list_timeout, self.max_list_bytes
        )
        deadline = time.monotonic() + self.list_timeout
        try:
            answer = self._send("listsavedjobs", params, get_names, limits)
        except DeadlineExpired:
            raise self._too_slow() from None
        except requests.RequestException as first:
            log.info("listsavedjobs failed (%s); retrying once", _describe(first))
            left = deadline - time.monotonic()
            if left <= 0:
                raise self._too_slow() from None
            try:
                answer = self._send(
                    "listsavedjobs", params, get_names, replace(limits, deadline=left)
                )
            except DeadlineExpired:
                raise self._too_slow() from None
            except requests.RequestException as exc:
                raise _connection_problem(exc, self.base_url) from None
        except UnsupportedProxy as exc:
            raise ConnectionFailed(exc.args[0]) from None
        self._raise_for_status(answer)
        if answer.truncated:
            raise MalformedAnswer.said(
                QT_TRANSLATE_NOOP(
                    "Library",
                    "The list of saved jobs is larger than %1 MB, the most this program reads; "
                    "ask your Dispatch administrator to tidy the saved jobs, or list one job "
                    "type at a time.",
                ),
                str(self.max_list_bytes // 2**20),
            )
        return _parse_saved_jobs(answer, self._scrub)

    def start_saved_job(
        self, request: StartJobRequest, generic_type: GenericType | None = None
    ) -> StartResult:
        """Start a saved job: validate, then send exactly once (F3).

        Raises :class:`ValidationError` (nothing sent), :class:`AuthenticationError`,
        :class:`RequestRejected`, :class:`JobNotStarted` (200 with result not OK, F4),
        :class:`ConnectionFailed` (nothing delivered), :class:`OutcomeUnknown` (the job may
        have started) or :class:`StartedUnverifiable` (the job started; its runtime id is not
        a valid id).
        """
        params = validate_start_request(request, generic_type)
        if self.allowed_jobs is not None and params["jobid"] not in self.allowed_jobs:
            raise field_refusal(
                "jobid",
                QT_TRANSLATE_NOOP(
                    "Library",
                    "job %1 is not one of the jobs this computer may start (set by your "
                    "administrator); nothing was sent",
                ),
                str(params["jobid"]),
            )
        if self.http_method == "GET":
            for name in params:
                if name not in GET_NAMES:
                    raise field_refusal(
                        name,
                        QT_TRANSLATE_NOOP(
                            "Library",
                            "this cannot be sent with the GET method; sign in with POST, or "
                            "give the tag filter as text",
                        ),
                    )
            if params.get("tokeep") is False:
                del params["tokeep"]  # K only has true values (F5); false is the default
        limits = Limits(
            self.connect_timeout, self.start_timeout, self.start_timeout, MAX_START_ANSWER_BYTES
        )
        try:
            answer = self._send("startsavedjob", params, GET_NAMES, limits)
        except UnsupportedProxy as exc:
            raise ConnectionFailed.said(
                QT_TRANSLATE_NOOP("Library", "%1 Nothing was sent."), exc.args[0]
            ) from None
        except requests.RequestException as exc:
            if _never_connected(exc):
                raise _connection_problem(exc, self.base_url) from None
            log.warning("startsavedjob: no complete answer (%s)", _describe(exc))
            raise OutcomeUnknown(self._unknown_reason(exc)) from None
        if answer.status in _AMBIGUOUS_GATEWAY_STATUSES:
            raise OutcomeUnknown(
                Phrase(
                    QT_TRANSLATE_NOOP("Library", "a gateway answered HTTP %1: %2"),
                    str(answer.status),
                    _server_text(answer, self._scrub),
                )
            )
        self._raise_for_status(answer)
        result = self._parse_start_result(answer)
        if not result.ok:
            raise JobNotStarted(result)
        return result

    # -- wire -------------------------------------------------------------------------------

    def _auth_fields(self) -> tuple[dict[str, str], list[tuple[str, str]], dict[str, str]]:
        """Body fields, GET parameters and headers of the chosen method only (F6)."""
        c = self.credentials
        match self.auth:
            case AuthMethod.FIELDS:
                return (
                    {"username": c.username or "", "password": c.password or ""},
                    [("U", c.username or ""), ("P", c.password or "")],
                    {},
                )
            case AuthMethod.BASIC:
                token = _b64(f"{c.username}:{c.password}")
                return {}, [], {"Authorization": f"Basic {token}"}
            case AuthMethod.LEKAB_HEADERS:
                headers = {
                    "X-Lekab-Userid": _b64(c.username or ""),
                    "X-Lekab-Password": _b64(c.password or ""),
                }
                return {}, [], headers
            case AuthMethod.API_KEY_FIELD:
                return {"apikey": c.api_key or ""}, [("key", c.api_key or "")], {}
            case AuthMethod.API_KEY_HEADER:
                return {}, [], {"X-API-Key": c.api_key or ""}
        raise AssertionError(self.auth)

    def _send(
        self,
        endpoint: str,
        params: Mapping[str, Any],
        get_names: Mapping[str, str],
        limits: Limits,
    ) -> Answer:
        body_fields, query_fields, headers = self._auth_fields()
        headers = {"Accept": "application/json", **headers}
        url = f"{self.base_url}/{endpoint}"
        log.info("%s %s", self.http_method, url)
        body = None
        if self.http_method == "GET":
            query = [*query_fields, *((get_names[k], _get_value(v)) for k, v in params.items())]
            url = f"{url}?{_encode_query(query)}" if query else url
        else:
            body = json.dumps({**body_fields, **params}, ensure_ascii=False).encode("utf-8")
            headers["Content-Type"] = "application/json; charset=utf-8"
        return exchange(
            self.http_method,
            url,
            headers=headers,
            body=body,
            limits=limits,
            settings=self._transport,
        )

    def _raise_for_status(self, answer: Answer) -> None:
        log.info("answer HTTP %s", answer.status)
        if answer.status == 401:
            raise AuthenticationError()
        if answer.status != 200:
            raise RequestRejected(answer.status, _server_text(answer, self._scrub))

    def _too_slow(self) -> ServerTooSlow:
        host = str(urlsplit(self.base_url).hostname)
        return ServerTooSlow.said(
            QT_TRANSLATE_NOOP(
                "Library",
                "The server %1 is too slow: the list of saved jobs did not arrive within %2 "
                "seconds. Try again later; if it keeps happening, tell your Dispatch "
                "administrator.",
            ),
            host,
            f"{self.list_timeout:g}",
        )

    @staticmethod
    def _unknown_reason(exc: requests.RequestException) -> Phrase:
        if isinstance(exc, requests.Timeout):  # DeadlineExpired included
            return Phrase(QT_TRANSLATE_NOOP("Library", "no answer before the time limit"))
        if isinstance(
            exc, requests.exceptions.ChunkedEncodingError | requests.exceptions.ContentDecodingError
        ):
            return Phrase(QT_TRANSLATE_NOOP("Library", "the answer was cut off"))
        return Phrase(QT_TRANSLATE_NOOP("Library", "the connection was lost"))

    def _parse_start_result(self, answer: Answer) -> StartResult:
        """A 200 that cannot be read may still mean a started job: it is an unknown outcome.
        An OK whose runtime id is not a valid id is a started job that cannot be followed."""
        excerpt = f"{_server_text(answer, self._scrub)[:120]!r}"
        if answer.truncated:
            raise OutcomeUnknown(
                Phrase(
                    QT_TRANSLATE_NOOP("Library", "the server's answer was too large to read: %1"),
                    excerpt,
                )
            )
        try:
            data = _parse_json(answer, self._scrub)
            if not isinstance(data, dict) or not isinstance(data.get("result"), str):
                raise TypeError("no result")
        except (MalformedAnswer, TypeError):
            raise OutcomeUnknown(
                Phrase(
                    QT_TRANSLATE_NOOP(
                        "Library", "the server answered 200 but the answer could not be read: %1"
                    ),
                    excerpt,
                )
            ) from None
        jobname = self._scrub(_safe_text(data.get("jobname")))
        result = self._scrub(_safe_text(data["result"]))
        errormessage = self._scrub(_safe_text(data.get("errormessage")))
        try:
            runtimeid = _parse_id(data.get("runtimeid"))
        except TypeError:
            if result == "OK":
                raise StartedUnverifiable(jobname, _id_text(data.get("runtimeid"))) from None
            runtimeid = None
        return StartResult(
            result=result, runtimeid=runtimeid, jobname=jobname, errormessage=errormessage
        )


def _id_text(value: Any) -> str:
    """How an unusable runtime id is named to a user: short, and never the raw bytes."""
    if value is None:
        return Phrase(QT_TRANSLATE_NOOP("Library", "none given"))
    text = str(value) if type(value) is int else json.dumps(value, ensure_ascii=True)
    if len(text) <= 40:
        return text
    return Phrase(QT_TRANSLATE_NOOP("Library", "%1… (%2 characters)"), text[:20], str(len(text)))


def _get_value(value: Any) -> Any:
    if value is True:
        return "TRUE"
    return value


def _connection_problem(exc: requests.RequestException, base_url: str) -> ConnectionFailed:
    host = str(urlsplit(base_url).hostname)
    if isinstance(exc, requests.exceptions.ProxyError):
        rule = QT_TRANSLATE_NOOP(
            "Library",
            "Could not reach the server %1: the proxy server could not be reached or refused "
            "the connection. Check the proxy settings of this computer.",
        )
    elif isinstance(exc, requests.exceptions.SSLError):
        rule = QT_TRANSLATE_NOOP(
            "Library",
            "The secure connection to %1 failed (TLS certificate or protocol problem). Check "
            "the server address and the computer's date and certificates.",
        )
    elif isinstance(exc, requests.Timeout):
        rule = QT_TRANSLATE_NOOP(
            "Library",
            "The server %1 did not answer in time. Check the network connection and the "
            "server address.",
        )
    else:
        rule = QT_TRANSLATE_NOOP(
            "Library",
            "Could not connect to %1. Check the network connection, a proxy or firewall, and "
            "the server address.",
        )
    problem = ConnectionFailed.said(rule, host)
    log.warning("%s (%s)", problem, _describe(exc))
    return problem


def _parse_saved_jobs(answer: Answer, scrub: Scrubber) -> list[SavedJob]:
    data = _parse_json(answer, scrub)
    items = data.get("savedJobs") if isinstance(data, dict) else None
    if not isinstance(items, list):
        raise MalformedAnswer.said(
            QT_TRANSLATE_NOOP("Library", "The server's answer has no list of saved jobs.")
        )
    jobs = []
    for position, item in enumerate(items, start=1):
        try:
            name, job_type = item["name"], item["type"]
            if not isinstance(name, str) or not isinstance(job_type, str):
                raise TypeError("name and type must be text")
            job = SavedJob(
                id=_parse_id(item["id"]), name=_safe_text(name), type=_safe_text(job_type)
            )
        except (KeyError, TypeError):
            raise MalformedAnswer.said(
                QT_TRANSLATE_NOOP(
                    "Library",
                    "Saved job number %1 in the server's list lacks a valid id (a whole number), "
                    "a name or a type.",
                ),
                str(position),
            ) from None
        jobs.append(job)
    return jobs
