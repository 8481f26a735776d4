"""The HTTP client of the Dispatch API (reference sections 1 and 2).

``start_saved_job`` is sent exactly once and never retried (F3): a lost answer is reported as
:class:`OutcomeUnknown`, never as a failure. Credentials never reach a ``repr``, a log line or
an exception message.
"""

from __future__ import annotations

import base64
import json
import logging
import re
from collections.abc import Iterable, Mapping
from typing import Any
from urllib.parse import quote, urlsplit

import requests
from urllib3.exceptions import ConnectTimeoutError, NewConnectionError

from dispatch_desktop.api.errors import (
    AuthenticationError,
    ConnectionFailed,
    DispatchError,
    JobNotStarted,
    OutcomeUnknown,
    RequestRejected,
    ValidationError,
)
from dispatch_desktop.api.models import (
    AuthMethod,
    Credentials,
    GenericType,
    SavedJob,
    StartJobRequest,
    StartResult,
)
from dispatch_desktop.api.redaction import redact
from dispatch_desktop.api.validation import (
    check_credentials,
    check_server_url,
    validate_start_request,
)

log = logging.getLogger(__name__)

DEFAULT_CONNECT_TIMEOUT = 10.0
DEFAULT_READ_TIMEOUT = 30.0
# The start call "does not return until the job has started" (reference 2): minutes, not seconds.
DEFAULT_START_TIMEOUT = 600.0
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


class _RedactingFilter(logging.Filter):
    """urllib3 logs request URLs at DEBUG; in GET mode they carry U, P or key."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.msg = redact(str(record.msg))
        if record.args:
            args = record.args if isinstance(record.args, tuple) else (record.args,)
            record.args = tuple(redact(a) if isinstance(a, str) else a for a in args)
        return True


logging.getLogger("urllib3.connectionpool").addFilter(_RedactingFilter())


class _NoNetrc(requests.auth.AuthBase):
    """Given as ``auth`` so that requests never adds a ~/.netrc login: only the credentials
    of the chosen method may travel (F6)."""

    def __call__(self, request: requests.PreparedRequest) -> requests.PreparedRequest:
        return request


_NO_NETRC = _NoNetrc()


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


def _server_text(response: requests.Response) -> str:
    text = response.text or ""
    if "html" in response.headers.get("Content-Type", "").lower() or text.lstrip().startswith("<"):
        text = re.sub(r"<[^>]+>", " ", text)
    text = " ".join(text.split())
    return text[:_MAX_SERVER_TEXT]


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
    if isinstance(exc, requests.exceptions.SSLError):
        # The request body is written only after a successful TLS handshake.
        return True
    if isinstance(exc, requests.ConnectionError):
        reason = getattr(exc.args[0], "reason", None) if exc.args else None
        return isinstance(reason, NewConnectionError | ConnectTimeoutError)
    return False


def _parse_id(value: Any) -> int:
    """An id from JSON: an exact integer, or a string of digits (F1, F2); never a float."""
    if isinstance(value, bool):
        raise TypeError("boolean id")
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.isascii() and value.isdigit():
        return int(value)
    raise TypeError(f"not an integer id: {value!r}")


class DispatchClient:
    """Speaks the Dispatch API at ``base_url`` (e.g. ``https://secure.lekab.com/dispatch/api``).

    ``auth`` picks how credentials travel (F6) and ``http_method`` is ``"POST"`` (JSON body) or
    ``"GET"`` (query parameters). Every call has a timeout; the start call's read timeout is
    ``start_timeout`` because the server answers only once the job has started.
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
        allow_insecure: bool = False,
        session: requests.Session | None = None,
    ) -> None:
        self.base_url = check_server_url(base_url, allow_insecure=allow_insecure)
        method = http_method.upper()
        if method not in HTTP_METHODS:
            raise ValidationError(
                f"HTTP method {http_method!r} is not supported; use POST or GET.", "http_method"
            )
        check_credentials(credentials, auth)
        self.credentials = credentials
        self.auth = auth
        self.http_method = method
        self.connect_timeout = connect_timeout
        self.read_timeout = read_timeout
        self.start_timeout = start_timeout
        if session is not None and session.verify is False:
            raise ValidationError(
                "The session turns TLS certificate checks off; Dispatch credentials and "
                "messages must not travel that way. Give a CA bundle path instead.",
                "session",
            )
        self._session = session or requests.Session()

    def __repr__(self) -> str:
        return (
            f"DispatchClient({self.base_url!r}, {self.credentials!r}, auth={self.auth}, "
            f"http_method={self.http_method!r})"
        )

    def close(self) -> None:
        """Release pooled connections."""
        self._session.close()

    def __enter__(self) -> DispatchClient:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    # -- public calls -----------------------------------------------------------------------

    def list_saved_jobs(self, jobtype: str | None = None) -> list[SavedJob]:
        """The saved jobs this account may start, optionally of one ``jobtype`` only.

        Listing changes nothing on the server, so one failed connection is retried once.
        """
        params: dict[str, Any] = {}
        if jobtype is not None:
            params["jobtype"] = jobtype
        get_names = {"jobtype": "T"}
        try:
            response = self._send("listsavedjobs", params, get_names, self.read_timeout)
        except requests.RequestException as first:
            log.info("listsavedjobs failed (%s); retrying once", _describe(first))
            try:
                response = self._send("listsavedjobs", params, get_names, self.read_timeout)
            except requests.RequestException as exc:
                raise _connection_problem(exc, self.base_url) from None
        self._raise_for_status(response)
        return _parse_saved_jobs(response)

    def start_saved_job(
        self, request: StartJobRequest, generic_type: GenericType | None = None
    ) -> StartResult:
        """Start a saved job: validate, then send exactly once (F3).

        Raises :class:`ValidationError` (nothing sent), :class:`AuthenticationError`,
        :class:`RequestRejected`, :class:`JobNotStarted` (200 with result not OK, F4),
        :class:`ConnectionFailed` (nothing delivered) or :class:`OutcomeUnknown` (the job may
        have started).
        """
        params = validate_start_request(request, generic_type)
        if self.http_method == "GET":
            for name in params:
                if name not in GET_NAMES:
                    raise ValidationError(
                        f"{name} has no GET form (reference 2.2.1); use POST, or the string "
                        "form of the tag filter.",
                        name,
                    )
            if params.get("tokeep") is False:
                del params["tokeep"]  # K only has true values (F5); false is the default
        # Empty the connection pool first: a stale kept-alive connection must not turn a
        # request that was never delivered into an unknown outcome. The session (with its CA
        # bundle, proxies and adapters) stays usable.
        self._session.close()
        try:
            response = self._send("startsavedjob", params, GET_NAMES, self.start_timeout)
        except requests.RequestException as exc:
            if _never_connected(exc):
                raise _connection_problem(exc, self.base_url) from None
            log.warning("startsavedjob: no complete answer (%s)", _describe(exc))
            raise OutcomeUnknown(_unknown_reason(exc)) from None
        if response.status_code in _AMBIGUOUS_GATEWAY_STATUSES:
            raise OutcomeUnknown(
                f"a gateway answered HTTP {response.status_code}: {_server_text(response)}"
            )
        self._raise_for_status(response)
        result = _parse_start_result(response)
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
        read_timeout: float,
    ) -> requests.Response:
        body_fields, query_fields, headers = self._auth_fields()
        headers = {"Accept": "application/json", **headers}
        url = f"{self.base_url}/{endpoint}"
        session = self._session
        options: dict[str, Any] = {
            "timeout": (self.connect_timeout, read_timeout),
            "allow_redirects": False,
            "auth": _NO_NETRC,
            # requests lets REQUESTS_CA_BUNDLE override the session's own CA bundle.
            "verify": session.verify,
        }
        log.info("%s %s", self.http_method, url)
        if self.http_method == "GET":
            query = [*query_fields, *((get_names[k], _get_value(v)) for k, v in params.items())]
            full_url = f"{url}?{_encode_query(query)}" if query else url
            return session.get(full_url, headers=headers, **options)
        body = json.dumps({**body_fields, **params}, ensure_ascii=False).encode("utf-8")
        headers["Content-Type"] = "application/json; charset=utf-8"
        return session.post(url, data=body, headers=headers, **options)

    @staticmethod
    def _raise_for_status(response: requests.Response) -> None:
        log.info("answer HTTP %s", response.status_code)
        if response.status_code == 401:
            raise AuthenticationError()
        if response.status_code != 200:
            raise RequestRejected(response.status_code, _server_text(response))


def _get_value(value: Any) -> Any:
    if value is True:
        return "TRUE"
    return value


def _connection_problem(exc: requests.RequestException, base_url: str) -> ConnectionFailed:
    host = urlsplit(base_url).hostname
    if isinstance(exc, requests.exceptions.SSLError):
        detail = (
            f"The secure connection to {host} failed (TLS certificate or protocol problem). "
            "Check the server address and the computer's date and certificates."
        )
    elif isinstance(exc, requests.Timeout):
        detail = (
            f"The server {host} did not answer in time. Check the network connection and the "
            "server address."
        )
    else:
        detail = (
            f"Could not connect to {host}. Check the network connection, a proxy or firewall, "
            "and the server address."
        )
    log.warning("%s (%s)", detail, _describe(exc))
    return ConnectionFailed(detail)


def _unknown_reason(exc: requests.RequestException) -> str:
    if isinstance(exc, requests.Timeout):
        return "no answer before the time limit"
    if isinstance(
        exc, requests.exceptions.ChunkedEncodingError | requests.exceptions.ContentDecodingError
    ):
        return "the answer was cut off"
    return "the connection was lost"


def _json_object(response: requests.Response) -> dict[str, Any]:
    try:
        data = json.loads(response.content.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise DispatchError(
            "The server's answer is not the expected JSON; check the server address "
            f"(answer began: {_server_text(response)[:120]!r})."
        ) from None
    if not isinstance(data, dict):
        raise DispatchError("The server's answer is not a JSON object.")
    return data


def _parse_saved_jobs(response: requests.Response) -> list[SavedJob]:
    data = _json_object(response)
    items = data.get("savedJobs")
    if not isinstance(items, list):
        raise DispatchError("The server's answer has no list of saved jobs (savedJobs).")
    jobs = []
    for item in items:
        try:
            name, job_type = item["name"], item["type"]
            if not isinstance(name, str) or not isinstance(job_type, str):
                raise TypeError("name and type must be text")
            job = SavedJob(id=_parse_id(item["id"]), name=name, type=job_type)
        except (KeyError, TypeError):
            raise DispatchError(
                f"The server listed a saved job that lacks an integer id, a name or a type: "
                f"{json.dumps(item)[:200]}"
            ) from None
        jobs.append(job)
    return jobs


def _parse_start_result(response: requests.Response) -> StartResult:
    """A 200 that cannot be read may still mean a started job: it is an unknown outcome."""
    try:
        data = _json_object(response)
        result = data["result"]
        if not isinstance(result, str):
            raise TypeError("result is not text")
        runtimeid = data.get("runtimeid")
        parsed = StartResult(
            result=result,
            runtimeid=None if runtimeid is None else _parse_id(runtimeid),
            jobname=str(data.get("jobname") or ""),
            errormessage=str(data.get("errormessage") or ""),
        )
    except (DispatchError, KeyError, TypeError):
        raise OutcomeUnknown(
            "the server answered 200 but the answer could not be read: "
            f"{_server_text(response)[:120]!r}"
        ) from None
    if parsed.ok and not parsed.runtimeid:
        raise OutcomeUnknown("the server reported OK but gave no runtime id")
    return parsed
