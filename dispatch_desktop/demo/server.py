"""The demo Dispatch server: a real HTTP server that follows the reference's rules.

It stands in for the LEKAB server for newcomers, training, kiosks in drill mode and our
integration tests. Pure standard library (plus our tag filter parser); no Qt, no requests.
"""

from __future__ import annotations

import json
import logging
import re
import socket
import struct
import sys
import threading
from collections import Counter
from collections.abc import Mapping
from contextlib import suppress
from dataclasses import dataclass
from datetime import UTC, datetime
from email.message import Message
from http.server import BaseHTTPRequestHandler
from types import TracebackType
from typing import Any
from urllib.parse import urlsplit

from dispatch_desktop.demo.auth import Unauthorized, authenticate
from dispatch_desktop.demo.callbacks import SEND_TIMEOUT, CallbackSimulator
from dispatch_desktop.demo.data import SAVED_JOBS, SavedJob
from dispatch_desktop.demo.ids import IdGenerator
from dispatch_desktop.demo.params import (
    AUTH_FIELDS,
    LIST_FIELDS,
    START_FIELDS,
    BadRequest,
    Field,
    Source,
    parse_body,
    parse_query,
    typed,
)
from dispatch_desktop.demo.records import StartedJob, pick_responders
from dispatch_desktop.demo.rules import StartRequest, check_names, check_rules, resolve
from dispatch_desktop.demo.synthetic import check_count, synthetic_jobs
from dispatch_desktop.httpserver import TrackedHTTPServer

logger = logging.getLogger(__name__)

BASE_PATH = "/dispatch/api"
LIST_PATH = f"{BASE_PATH}/listsavedjobs"
START_PATH = f"{BASE_PATH}/startsavedjob"
#: Fault names for :attr:`DemoServer.fault` and :attr:`DemoServer.list_fault`.
FAULTS = frozenset({"reset", "truncate", "html502", "html200", "hang"})
MAX_BODY = 1_000_000

_JSON = "application/json; charset=utf-8"
_TEXT = "text/plain; charset=utf-8"
_HTML = "text/html; charset=utf-8"
_HTML_502 = (
    b"<html><head><title>502 Bad Gateway</title></head>"
    b"<body><center><h1>502 Bad Gateway</h1></center><hr><center>nginx</center></body></html>"
)
# What a captive portal or a misconfigured proxy answers: 200, but not the API.
_HTML_200 = (
    b"<!DOCTYPE html><html><head><title>Sign in to the network</title></head>"
    b"<body><h1>Sign in to the network</h1><form method=post><input name=user></form>"
    b"</body></html>"
)
_SECRET_QUERY = re.compile(r"(?<=[?&])(P|key)=[^&\s\"]*")


def _redact(text: str) -> str:
    """Hide the password and API key of a GET request line before it is logged."""
    return _SECRET_QUERY.sub(r"\1=***", text)


@dataclass(frozen=True)
class _Request:
    method: str
    query: str
    headers: Message
    body: bytes


@dataclass(frozen=True)
class _Reply:
    status: int
    body: bytes = b""
    content_type: str = _TEXT
    job: StartedJob | None = None  # started by this request; callbacks begin once answered

    @classmethod
    def json(cls, document: dict[str, Any], job: StartedJob | None = None) -> _Reply:
        body = json.dumps(document, ensure_ascii=False).encode("utf-8")
        return cls(200, body, _JSON, job)

    @classmethod
    def text(cls, status: int, message: str) -> _Reply:
        return cls(status, message.encode("utf-8"))


def _start_error(jobname: str, message: str) -> _Reply:
    # F4: formally valid, but the job cannot start: 200 with result ERROR.
    return _Reply.json(
        {"result": "ERROR", "runtimeid": 0, "jobname": jobname, "errormessage": message}
    )


def _raw_params(request: _Request, fields: Mapping[str, Field]) -> tuple[dict[str, Any], Source]:
    if request.method == "GET":
        return parse_query(request.query, fields), "GET"
    return parse_body(request.body), "POST"


class DemoServer:
    """The demo Dispatch server. Thread-safe; every setting may be changed while it runs.

    ``host``, ``port``: where to listen (port 0: a free port, see :attr:`port`, :attr:`url`).
    ``callback_url``: where job event callbacks go (None: no callbacks).
    ``start_delay``: seconds /startsavedjob waits before starting an accepted job (F3).
    ``speed``: how much faster than real time the simulated responders answer.
    ``fault`` / ``list_fault``: a name from :data:`FAULTS`, applied to the answer of the next
    request at /startsavedjob or /listsavedjobs only, whatever that answer is (an accepted
    start has started its job by then, and its callbacks follow): "reset" drops the
    connection without an answer, "truncate" announces a longer body than it sends,
    "html502" / "html200" answer an HTML page with that status, "hang" never answers
    until :meth:`stop`.
    ``synthetic_jobs``: how many made-up saved jobs to serve besides the demo's own
    (:mod:`~dispatch_desktop.demo.synthetic`); they are made on the first request that needs
    them, in the server's thread.
    """

    def __init__(
        self,
        host: str = "127.0.0.1",
        port: int = 0,
        callback_url: str | None = None,
        start_delay: float = 0.0,
        speed: float = 1.0,
        synthetic_jobs: int = 0,
    ) -> None:
        check_count(synthetic_jobs)
        self._lock = threading.Lock()
        self._synthetic_count = synthetic_jobs
        self._saved: dict[int, SavedJob] | None = None
        self._jobs_made = threading.Lock()
        self._faults: dict[str, str] = {}
        self.host = host
        self._requested_port = port
        self.callback_url = callback_url
        self.start_delay = start_delay
        self.speed = speed
        self._counts: Counter[str] = Counter()
        self._started: list[StartedJob] = []
        self._ids = IdGenerator()
        self._stopping = threading.Event()
        self._simulator = CallbackSimulator(
            lambda: self.callback_url, lambda: self.speed, self._ids, self._stopping
        )
        self._httpd: _HttpServer | None = None

    # -- settings ---------------------------------------------------------------------------

    @property
    def callback_url(self) -> str | None:
        """The system user's callback URL (3, F12); http or https only."""
        return self._callback_url

    @callback_url.setter
    def callback_url(self, url: str | None) -> None:
        if url is not None and urlsplit(url).scheme not in ("http", "https"):
            raise ValueError(f"The callback URL must start with http:// or https://: {url!r}")
        self._callback_url = url

    @property
    def speed(self) -> float:
        """Pacing factor of the simulated responders (10: ten times faster)."""
        return self._speed

    @speed.setter
    def speed(self, factor: float) -> None:
        if factor <= 0:
            raise ValueError("speed must be > 0")
        self._speed = factor

    @property
    def fault(self) -> str | None:
        """Fault for the next /startsavedjob request (see the class docstring)."""
        return self._faults.get(START_PATH)

    @fault.setter
    def fault(self, name: str | None) -> None:
        self._set_fault(START_PATH, name)

    @property
    def list_fault(self) -> str | None:
        """Fault for the next /listsavedjobs request."""
        return self._faults.get(LIST_PATH)

    @list_fault.setter
    def list_fault(self, name: str | None) -> None:
        self._set_fault(LIST_PATH, name)

    def _set_fault(self, path: str, name: str | None) -> None:
        if name is not None and name not in FAULTS:
            raise ValueError(f"Unknown fault {name!r}; use one of {sorted(FAULTS)} or None")
        with self._lock:
            if name is None:
                self._faults.pop(path, None)
            else:
                self._faults[path] = name

    def _take_fault(self, path: str) -> str | None:
        with self._lock:
            return self._faults.pop(path, None)

    # -- life cycle -------------------------------------------------------------------------

    def start(self) -> DemoServer:
        """Bind and serve in a daemon thread; returns ``self``."""
        if self._httpd is not None or self._stopping.is_set():
            raise RuntimeError("A demo server can be started once only.")
        self._httpd = _HttpServer((self.host, self._requested_port), self)
        self._httpd.serve_in_thread("demo-server")
        logger.info("Dispatch demo server listening on %s", self.url)
        return self

    def stop(self) -> None:
        """Stop serving, close every connection (ending "hang"), and stop the callbacks."""
        httpd = self._httpd
        if httpd is None or self._stopping.is_set():
            return
        self._stopping.set()  # wakes delayed and hanging requests and the callback threads
        httpd.stop()
        self._simulator.join(SEND_TIMEOUT + 1)
        logger.info("Dispatch demo server stopped")

    def __enter__(self) -> DemoServer:
        return self if self._httpd is not None else self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.stop()

    @property
    def port(self) -> int:
        """The bound port (useful with ``port=0``); only after :meth:`start`."""
        if self._httpd is None:
            raise RuntimeError("The demo server is not started.")
        return self._httpd.server_address[1]

    @property
    def url(self) -> str:
        """Base URL of the API, e.g. ``http://127.0.0.1:8080/dispatch/api``."""
        return f"http://{self.host}:{self.port}{BASE_PATH}"

    # -- observations for tests -------------------------------------------------------------

    def request_count(self, path: str | None = None) -> int:
        """Requests that arrived at ``path`` (e.g. "/startsavedjob"), rejected ones included;
        all requests if ``path`` is None."""
        with self._lock:
            if path is None:
                return sum(self._counts.values())
            return self._counts[path if path.startswith(BASE_PATH) else BASE_PATH + path]

    @property
    def started_jobs(self) -> list[StartedJob]:
        """Every job started so far, oldest first (a copy of the list)."""
        with self._lock:
            return list(self._started)

    # -- request handling (called by the handler threads) -----------------------------------

    def _count(self, path: str) -> None:
        with self._lock:
            self._counts[path] += 1

    def _saved_jobs(self) -> dict[int, SavedJob]:
        """The saved jobs by id, the synthetic ones made on the first call."""
        with self._jobs_made:
            if self._saved is None:
                jobs = SAVED_JOBS + synthetic_jobs(self._synthetic_count)
                self._saved = {job.id: job for job in jobs}
            return self._saved

    def _handle(self, path: str, request: _Request) -> _Reply | None:
        """The reply to a GET or POST of an endpoint; None: close without answering."""
        try:
            if path == LIST_PATH:
                return self._list_saved_jobs(request)
            return self._start_saved_job(request)
        except BadRequest as exc:
            return _Reply.text(400, str(exc))
        except Unauthorized:
            return _Reply(401)  # 1.2.2: no body
        except Exception:
            logger.exception("The demo server failed on a request")
            return _Reply.text(500, "The demo server failed; see its log.")

    def _list_saved_jobs(self, request: _Request) -> _Reply:
        raw, source = _raw_params(request, LIST_FIELDS)
        authenticate(request.headers, raw)
        jobtype = typed(raw, LIST_FIELDS, source).get("jobtype")
        jobs = [
            {"id": job.id, "name": job.name, "type": job.type}
            for job in self._saved_jobs().values()
            if jobtype is None or job.type == jobtype
        ]
        return _Reply.json({"savedJobs": jobs})

    def _start_saved_job(self, request: _Request) -> _Reply | None:
        raw, source = _raw_params(request, START_FIELDS)
        username = authenticate(request.headers, raw)
        params = typed(raw, START_FIELDS, source)
        start = StartRequest.parse(params, source, datetime.now(UTC))
        job = self._saved_jobs().get(start.jobid)
        if job is None:
            return _start_error(
                start.jobname or "", f"There is no saved job with id {start.jobid}."
            )
        jobname = start.jobname or job.name
        check_rules(start, job)
        check_names(start)
        resolution = resolve(start, job)
        if not resolution.recipients:
            return _start_error(
                jobname, "The job has no recipients: its filters, groups and numbers match nobody."
            )
        # F3: the real server answers only once the job has started, which may take long.
        if self._stopping.wait(self.start_delay):
            return None
        runtimeid = self._ids.next_id()
        record = StartedJob(
            runtimeid=runtimeid,
            saved_job_id=job.id,
            saved_job_type=job.type,
            jobname=jobname,
            message=start.message or job.message,
            assignedmessage=start.assignedmessage or job.assigned_message,
            recipients=resolution.recipients,
            responsegoal=resolution.responsegoal,
            scheduledstart=start.scheduledstart,
            params={k: v for k, v in params.items() if k not in AUTH_FIELDS},
            username=username,
            method=request.method,
            responders=pick_responders(resolution.goals, runtimeid),
        )
        with self._lock:
            self._started.append(record)
        logger.info(
            "Started %r (%s) as %s for %d recipients",
            jobname,
            job.type,
            runtimeid,
            len(resolution.recipients),
        )
        document = {"result": "OK", "runtimeid": runtimeid, "jobname": jobname, "errormessage": ""}
        return _Reply.json(document, record)

    def _launch_callbacks(self, reply: _Reply | None) -> None:
        if reply is not None and reply.job is not None:
            self._simulator.launch(reply.job)


class _HttpServer(TrackedHTTPServer):
    """The demo server's HTTP side; ``demo`` holds its state."""

    def __init__(self, address: tuple[str, int], demo: DemoServer) -> None:
        self.demo = demo
        super().__init__(address, _Handler)

    def handle_error(self, request: Any, client_address: Any) -> None:
        # A client that went away mid-answer (e.g. its timeout ran out) is normal here.
        logger.info("Connection from %s ended abnormally: %r", client_address[0], sys.exc_info()[1])


class _Handler(BaseHTTPRequestHandler):
    server: _HttpServer
    server_version = "DispatchDemo/1.0"
    timeout = 30  # a client that connects and says nothing does not hold a thread forever

    def do_GET(self) -> None:
        self._dispatch()

    def do_POST(self) -> None:
        self._dispatch()

    def do_PUT(self) -> None:
        self._dispatch()

    def do_PATCH(self) -> None:
        self._dispatch()

    def do_DELETE(self) -> None:
        self._dispatch()

    def do_HEAD(self) -> None:
        self._dispatch()

    def do_OPTIONS(self) -> None:
        self._dispatch()

    def version_string(self) -> str:
        """The Server header: no Python version."""
        return self.server_version

    def _dispatch(self) -> None:
        demo = self.server.demo
        path, _, query = self.path.partition("?")
        demo._count(path)
        try:
            body = self._read_body()
        except BadRequest as exc:
            self._write(_Reply.text(400, str(exc)))
            return
        if path not in (LIST_PATH, START_PATH):
            self._write(_Reply.text(404, f"Not found: {path}"))
            return
        if self.command not in ("GET", "POST"):
            self._write(_Reply.text(405, f"{self.command} is not allowed; use GET or POST."))
            return
        reply = demo._handle(path, _Request(self.command, query, self.headers, body))
        self._answer(reply, demo._take_fault(path))

    def _read_body(self) -> bytes:
        # Read the whole body even when it is not needed: closing a socket with unread data
        # makes the kernel send a reset instead of our answer.
        length = self.headers.get("Content-Length", "0").strip() or "0"
        if not length.isdigit():
            raise BadRequest("Content-Length is not a number.")
        if int(length) > MAX_BODY:
            raise BadRequest("The request body is too large.")
        body = self.rfile.read(int(length))
        self.server.request_read(self.connection)  # in time: its deadline is lifted
        return body

    def _answer(self, reply: _Reply | None, fault: str | None) -> None:
        demo = self.server.demo
        if fault == "hang":
            demo._launch_callbacks(reply)  # the job started; only its answer is lost
            demo._stopping.wait()
            self._reset()
            return
        try:
            if reply is None or fault == "reset":
                self._reset()
            elif fault == "truncate":
                self._write(reply, truncate=True)
            elif fault in ("html502", "html200"):
                status = 502 if fault == "html502" else 200
                self._write(_Reply(status, _HTML_502 if status == 502 else _HTML_200, _HTML))
            else:
                self._write(reply)
        finally:
            demo._launch_callbacks(reply)

    def _write(self, reply: _Reply, *, truncate: bool = False) -> None:
        """Send ``reply``; with ``truncate``, announce 100 bytes more than the body and send
        only half of it (the "truncate" fault)."""
        self.send_response(reply.status)
        if reply.status == 405:
            self.send_header("Allow", "GET, POST")
        if reply.body:
            self.send_header("Content-Type", reply.content_type)
        extra, sent = (100, len(reply.body) // 2) if truncate else (0, len(reply.body))
        self.send_header("Content-Length", str(len(reply.body) + extra))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(reply.body[:sent])

    def _reset(self) -> None:
        """Drop the connection without a word; SO_LINGER 0 makes close() send a TCP reset."""
        self.close_connection = True
        with suppress(OSError):
            reset_on_close = struct.pack("ii", 1, 0)  # struct linger {l_onoff=1, l_linger=0}
            self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, reset_on_close)
            self.connection.close()

    def log_message(self, format: str, *args: Any) -> None:
        logger.info("%s %s", self.address_string(), _redact(format % args))
