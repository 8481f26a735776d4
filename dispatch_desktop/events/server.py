"""The callback receiver's HTTP server: waitress, with the limits a receiver on a network needs.

waitress reads each request whole (request line, headers and body) in one event-loop thread
before a worker thread sees it, so a slow or silent client costs a socket and a few kilobytes,
never a worker. What waitress lacks is added here:

- a total deadline: a connection that has not delivered a whole request ``request_deadline``
  seconds after it opened is closed, however steadily it drips bytes (waitress only closes
  connections idle for long); one request per connection, as before (HTTP/1.0);
- a cap on connections below the process's file-descriptor limit, so that ``accept()`` never
  fails for want of descriptors (it would fail again at once, in a loop: a spinning core). At
  the cap, the connection that has waited longest for its request, beyond a short grace, is
  closed to make room: a flood of slow clients cannot lock real callbacks out;
- after a refusal (4xx, 5xx) the connection is closed, our FIN first, and what the client still
  sends is read and dropped (bounded): closing a socket with unread data makes the kernel send
  a reset, which can destroy the answer before the client reads it;
- a chunked body is refused (411) before it is read: a callback comes with a length;
- the refusals waitress makes itself (a malformed request, a body too large) are logged once,
  with the request line masked, like the application's own;
- an event loop whose cost per round does not grow with the connections open (:class:`_Poller`).

Everything here runs in the event-loop thread unless it says otherwise. Standard library and
waitress only, no Qt.
"""

from __future__ import annotations

import errno
import logging
import math
import os
import select
import socket
import threading
import time
from collections import deque
from collections.abc import Callable
from typing import Any

from waitress import wasyncore
from waitress.adjustments import Adjustments
from waitress.channel import HTTPChannel
from waitress.parser import HTTPRequestParser
from waitress.server import TcpWSGIServer
from waitress.task import ErrorTask, ThreadedTaskDispatcher, WSGITask
from waitress.utilities import BadRequest

log = logging.getLogger(__name__)

WsgiApp = Callable[..., Any]
"""A WSGI application."""
Mask = Callable[[str], str]
"""Makes a request line fit for the log (hides the secrets in it)."""

LOOP_SECONDS = 0.25
"""Longest sleep of the event loop: how late a deadline may be enforced."""
EVICTION_GRACE = 1.0
"""Seconds a connection may wait for its request before it may be closed to make room: a real
sender delivers a callback within milliseconds of connecting."""
EVICTION_BATCH = 16
"""Connections closed (and accepted) at a time when the cap is reached."""
DRAIN_BYTES = 1024 * 1024
DRAIN_SECONDS = 2.0
"""After a refusal, what the client still sends is read and dropped up to these bounds."""
RESERVED_DESCRIPTORS = 64
"""File descriptors left to the rest of the process (the store, logs, the desktop app's own)
when the connection cap is derived from the descriptor limit."""
_SELECT_LIMIT = 500
"""Where poll() is missing (Windows), select() takes at most 512 sockets."""
_REPORT_SECONDS = 10.0
"""Least time between two warnings about the cap."""


def connection_cap(wanted: int) -> int:
    """``wanted``, lowered to what the process's file-descriptor limit allows: at most half of
    it, and :data:`RESERVED_DESCRIPTORS` kept for everything else."""
    if not hasattr(select, "poll"):
        return min(wanted, _SELECT_LIMIT)
    try:
        import resource  # POSIX only
    except ImportError:
        return wanted
    soft, _ = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft == resource.RLIM_INFINITY:
        return wanted
    return max(16, min(wanted, soft // 2, soft - RESERVED_DESCRIPTORS))


class _Poller:
    """poll(2) with a lasting registration, for the event loop.

    waitress's own loop asks every connection whether it wants to read or write before each
    poll: with hundreds of connections open (a burst of callbacks) that takes longer than the
    requests themselves, and the rounds follow each other fast (every answer wakes the loop).
    Here only the connections that may have changed are asked again: those that had an event
    in the last round, were opened or closed, or were marked by a worker thread (which
    changes a connection only when it serves a request or writes an answer)."""

    def __init__(self, dispatchers: dict[int, Any]) -> None:
        self._map = dispatchers
        self._poll = select.poll()
        self._registered: dict[int, int] = {}
        self._changed: deque[int] = deque()
        self._last_ready: list[int] = []
        self.fixed: set[int] = set()
        """Descriptors asked every round (the listening socket and the trigger: their wishes
        change with no event of their own)."""

    def touch(self, fd: int | None) -> None:
        """``fd`` may want something else now (any thread)."""
        if fd is not None:
            self._changed.append(fd)

    def _update(self) -> None:
        candidates = set(self.fixed)
        candidates.update(self._last_ready)
        while True:
            try:
                candidates.add(self._changed.popleft())
            except IndexError:
                break
        for fd in candidates:
            dispatcher = self._map.get(fd)
            flags = 0
            if dispatcher is not None:
                if dispatcher.readable():
                    flags |= select.POLLIN | select.POLLPRI
                if dispatcher.writable() and not dispatcher.accepting:
                    flags |= select.POLLOUT
            registered = self._registered.get(fd)
            if flags == (registered or 0):
                continue
            if flags:
                self._poll.register(fd, flags)  # registers, or modifies
                self._registered[fd] = flags
            else:
                self._poll.unregister(fd)
                del self._registered[fd]

    def poll(self, timeout: float) -> None:
        """One round: wait up to ``timeout`` seconds, then handle the events (as
        ``wasyncore.poll2`` does)."""
        self._update()
        try:
            ready = self._poll.poll(int(timeout * 1000))
        except InterruptedError:
            ready = []
        self._last_ready = [fd for fd, _ in ready]
        for fd, flags in ready:
            dispatcher = self._map.get(fd)
            if dispatcher is not None:
                wasyncore.readwrite(dispatcher, flags)


class _MaskedLog(logging.LoggerAdapter):  # type: ignore[type-arg]
    """waitress's log of a connection ("Exception while serving PATH"), with the secrets in
    the paths masked."""

    def __init__(self, mask: Mask) -> None:
        super().__init__(log, {})
        self._mask = mask

    def process(self, msg: Any, kwargs: Any) -> tuple[Any, Any]:
        return self._mask(str(msg)), kwargs


class _QueueDepth:
    """Where waitress reports its task queue's depth: at every request queued behind busy
    workers, a warning each (hundreds in a burst); here they are debug messages."""

    def warning(self, message: str, *args: object) -> None:
        log.debug(message, *args)


class _Dispatcher(ThreadedTaskDispatcher):
    queue_logger = _QueueDepth()


class _LengthRequired(BadRequest):
    code = 411
    reason = "Length Required"


class _Parser(HTTPRequestParser):
    """waitress's parser, refusing a chunked body as soon as the headers are read."""

    def received(self, data: bytes) -> int:
        consumed: int = super().received(data)
        if self.chunked and self.headers_finished and self.error is None:
            self.error = _LengthRequired("Send the body with a Content-Length, not chunked.")
            self.completed = True
        return consumed


class _Answering:
    """What both kinds of task add (they run in worker threads): one request per connection,
    as HTTP/1.0 has it (a kept-alive connection that the server closes while idle races with
    the client's next request on it, and a sender may not retry a POST that met a closed
    connection); a refusal drains the connection before it closes; the end of an answer
    gives its sending a deadline of its own."""

    channel: _Channel
    status: str

    def build_response_header(self) -> bytes:
        self.set_close_on_finish()  # type: ignore[attr-defined]
        if not self.status.startswith(("1", "2", "3")):
            self.channel.drain_before_close = True
        header: bytes = super().build_response_header()  # type: ignore[misc]
        return header

    def finish(self) -> None:
        super().finish()  # type: ignore[misc]
        self.channel.answered()


class _WsgiTask(_Answering, WSGITask):
    pass


class _ErrorTask(_Answering, ErrorTask):
    """A refusal by waitress itself: logged once, answered in plain words."""

    def execute(self) -> None:
        error = self.request.error
        server = self.channel.server
        reason = server.refusal_reason(error)
        first_line = getattr(self.request, "first_line", b"").decode("latin-1")
        server.log_refusal(first_line, self.channel.addr, error.code, reason)
        body = f"{reason}\n".encode()
        self.status = f"{error.code} {error.reason}"
        self.response_headers.append(("Content-Type", "text/plain; charset=utf-8"))
        self.set_close_on_finish()
        self.content_length = len(body)
        self.write(body)


class _Channel(HTTPChannel):
    """One client connection, with its deadline and its drain."""

    server: HardenedServer
    parser_class = _Parser
    task_class = _WsgiTask
    error_task_class = _ErrorTask

    def __init__(self, server: HardenedServer, sock: socket.socket, *args: Any, **kw: Any) -> None:
        self.phase_started = time.monotonic()
        """When this connection opened, or its answer was written: the start of the deadline
        for its request, or for sending its answer."""
        self.drain_before_close = False
        self._drain_until: float | None = None
        self._drained = 0
        self.logger = server.connection_log
        super().__init__(server, sock, *args, **kw)

    def add_channel(self, map: Any = None) -> None:
        super().add_channel(map)
        self.server.touch(self._fileno)

    def del_channel(self, map: Any = None) -> None:
        fd = self._fileno
        super().del_channel(map)
        self.server.touch(fd)

    def service(self) -> None:
        super().service()  # a worker thread: requests served, maybe closing
        self._changed()

    def write_soon(self, data: bytes) -> int:
        written: int = super().write_soon(data)  # a worker thread
        if self.total_outbufs_len:  # output left for the loop to send
            self._changed()
        return written

    def _changed(self) -> None:
        """Have the loop ask this connection again what it wants (a worker thread). waitress
        wakes the loop before it returns, maybe before this is noted: wake it once more."""
        self.server.touch(self._fileno)
        self.server.pull_trigger()

    def answered(self) -> None:
        """An answer is written (a worker thread, after a long poll maybe): it has a deadline
        of its own to be sent."""
        self.phase_started = time.monotonic()

    @property
    def draining(self) -> bool:
        return self._drain_until is not None

    def waiting_since(self, now: float) -> float | None:
        """Seconds this connection has waited for a whole request; None while a worker has
        one of its requests (or it is draining)."""
        if self.requests or self.draining:
            return None
        return now - self.phase_started

    def readable(self) -> bool:
        return True if self.draining else bool(super().readable())

    def writable(self) -> bool:
        return False if self.draining else bool(super().writable())

    def handle_read(self) -> None:
        if not self.draining:
            super().handle_read()
            return
        try:
            data = self.recv(65536)  # at the end of the stream, closes via handle_close
        except OSError:
            self.close_now()
            return
        self._drained += len(data)
        if self._drained > DRAIN_BYTES:
            self.close_now()

    def handle_close(self) -> None:
        """Close; after a refusal whose answer is all sent, half-close and drain first."""
        if self.drain_before_close and not self.total_outbufs_len and self.socket is not None:
            self.drain_before_close = False
            try:
                self.socket.shutdown(socket.SHUT_WR)
            except OSError:
                self.close_now()
                return
            self._drain_until = time.monotonic() + DRAIN_SECONDS
            self.will_close = self.close_when_flushed = False
            return
        self.close_now()

    def close_now(self) -> None:
        self._drain_until = None
        self.drain_before_close = False
        super().handle_close()

    def enforce_deadline(self, now: float, deadline: float) -> None:
        """Close this connection if its drain or its request deadline is over."""
        if self._drain_until is not None:
            if now >= self._drain_until:
                self.close_now()
            return
        waited = self.waiting_since(now)
        if waited is None or waited <= deadline:
            return
        if self.request is not None:  # part of a request came, not all of it
            log.warning(
                "Closed the connection from %s: its request did not arrive whole within %g s",
                self.addr[0],
                deadline,
            )
        self.close_now()


class HardenedServer(TcpWSGIServer):
    """A waitress server on a bound socket, with the deadline, the cap and the logging of
    this module. Start it with :meth:`serve_in_thread`; :meth:`stop` ends it."""

    channel_class = _Channel

    def __init__(
        self,
        app: WsgiApp,
        sock: socket.socket,
        *,
        threads: int,
        max_connections: int,
        request_deadline: float,
        max_body: int,
        ident: str,
        mask: Mask,
    ) -> None:
        self.max_connections = max_connections
        self.request_deadline = request_deadline
        self.max_body = max_body
        self._mask = mask
        self.connection_log = _MaskedLog(mask)
        self._next_sweep = 0.0
        self._accept_paused_until = 0.0
        self._evicted = 0
        self._last_report = self._last_full_report = 0.0
        self._stopping = threading.Event()
        self._loop_thread = threading.Thread()
        # Worker threads pull the trigger (to wake the loop) until they end, possibly after
        # stop(): never on a closed pipe, whose descriptor may be another file's by then.
        self._trigger_lock = threading.Lock()
        self._closed = False
        adj = Adjustments(
            sockets=[sock],
            threads=threads,
            ident=ident,
            # waitress refuses a body of max_request_body_size bytes or more.
            max_request_body_size=max_body + 1,
            max_request_header_size=16 * 1024,
            asyncore_use_poll=True,  # select() fails above descriptor 1023
            log_socket_errors=False,  # a client that goes away is no error of ours
            clear_untrusted_proxy_headers=False,  # no proxy header is read
        )
        dispatcher = _Dispatcher()
        dispatcher.set_thread_count(threads)
        dispatchers: dict[int, Any] = {}
        self._poller = _Poller(dispatchers) if hasattr(select, "poll") else None
        try:
            super().__init__(
                app,
                map=dispatchers,
                _sock=sock,
                dispatcher=dispatcher,
                adj=adj,
                bind_socket=False,
                sockinfo=(sock.family, sock.type, sock.proto, sock.getsockname()),
            )
        except BaseException:
            dispatcher.shutdown(timeout=0)
            raise
        if self._poller is not None:
            self._poller.fixed = {self._fileno, self.trigger._fileno}

    @property
    def port(self) -> int:
        return int(self.effective_port)

    # -- life cycle -------------------------------------------------------------------------

    def serve_in_thread(self, name: str) -> None:
        self._loop_thread = threading.Thread(target=self._loop, name=name, daemon=True)
        self._loop_thread.start()

    def touch(self, fd: int | None) -> None:
        """The connection at ``fd`` may want to read or write otherwise now (any thread)."""
        if self._poller is not None:
            self._poller.touch(fd)

    def _loop(self) -> None:
        try:
            while not self._stopping.is_set():
                self._tend(time.monotonic())
                if self._poller is not None:
                    self._poller.poll(LOOP_SECONDS)
                else:
                    wasyncore.poll(LOOP_SECONDS, self._map)
        finally:
            self._close_all()

    def _close_all(self) -> None:
        """Close every connection, the listening socket and the trigger (in the loop thread,
        or when it never ran)."""
        for channel in list(self.active_channels.values()):
            channel.close_now()
        # Not while closing the channels: a worker pulls the trigger holding a channel's lock.
        with self._trigger_lock:
            self._closed = True
            self.close()

    def pull_trigger(self) -> None:
        """Wake the event loop (any thread)."""
        with self._trigger_lock:
            if not self._closed:
                self.trigger.pull_trigger()

    def stop(self, grace: float) -> None:
        """Close the listening socket and every connection, then wait up to ``grace`` seconds
        for the workers to finish what they are doing (a worker still busy after that, e.g.
        waiting for a locked store, is left to end on its own: its answer goes nowhere)."""
        self._stopping.set()
        if self._loop_thread.is_alive():
            self.pull_trigger()  # the loop closes everything on its way out
            self._loop_thread.join()
        else:
            self._close_all()
        self.task_dispatcher.shutdown(cancel_pending=True, timeout=grace)

    # -- accepting, within the cap ----------------------------------------------------------

    def _tend(self, now: float) -> None:
        """Between two polls (never during one: a descriptor closed while a poll's results
        are handled may be reused by a connection accepted in the same round, and that one
        would then be closed for the other's results): enforce the deadlines, and at the
        cap close the connection that has waited longest for its request, to make room."""
        if now >= self._next_sweep:
            self._next_sweep = now + LOOP_SECONDS
            for channel in list(self.active_channels.values()):
                channel.enforce_deadline(now, self.request_deadline)
            self._report(now)
        if len(self.active_channels) >= self.max_connections:
            victims = self._longest_waiting(now)
            for victim in victims:
                victim.close_now()
            self._evicted += len(victims)
            if not victims and now - self._last_full_report >= _REPORT_SECONDS:
                self._last_full_report = now
                log.warning(
                    "The receiver has %d connections open, its most, each with a request "
                    "under way or just come; new ones wait",
                    self.max_connections,
                )

    def readable(self) -> bool:
        return (
            self.accepting
            and time.monotonic() >= self._accept_paused_until
            and len(self.active_channels) < self.max_connections
        )

    def _longest_waiting(self, now: float) -> list[_Channel]:
        """Up to :data:`EVICTION_BATCH` connections to close: draining ones first, then those
        waiting longest for their request (beyond :data:`EVICTION_GRACE`); none has a request
        at a worker."""
        candidates = []
        for channel in self.active_channels.values():
            waited = math.inf if channel.draining else channel.waiting_since(now)
            if waited is not None and waited >= EVICTION_GRACE:
                candidates.append((waited, channel))
        candidates.sort(key=lambda candidate: candidate[0], reverse=True)
        return [channel for _, channel in candidates[:EVICTION_BATCH]]

    def handle_accept(self) -> None:
        # Several at once: at the cap, room is made a batch at a time.
        for _ in range(EVICTION_BATCH):
            if len(self.active_channels) >= self.max_connections or not self._accept_one():
                return

    def _accept_one(self) -> bool:
        """Accept one connection; False when none is waiting (or accepting failed)."""
        try:
            accepted = self.accept()
        except OSError as exc:
            if exc.errno in (errno.EMFILE, errno.ENFILE, errno.ENOBUFS, errno.ENOMEM):
                # Out of descriptors for another reason (the rest of the process): trying
                # again at once would fail again, in a loop.
                log.warning("Could not accept a connection (%s); pausing for a second", exc)
                self._accept_paused_until = time.monotonic() + 1.0
            return False
        if accepted is None:
            return False
        connection, address = accepted
        try:
            self.set_socket_options(connection)
        except OSError:  # the client is gone already
            connection.close()
            return True
        self.channel_class(self, connection, address, self.adj, map=self._map)
        return True

    def _report(self, now: float) -> None:
        if self._evicted and now - self._last_report >= _REPORT_SECONDS:
            log.warning(
                "Closed %d connections that had sent no whole request, to stay within %d "
                "connections",
                self._evicted,
                self.max_connections,
            )
            self._evicted, self._last_report = 0, now

    def maintenance(self, now: float) -> None:
        """waitress's idle timeout: replaced by the deadlines of :meth:`_tend`."""

    # -- logging ----------------------------------------------------------------------------

    def refusal_reason(self, error: Any) -> str:
        """A refusal by waitress (a ``waitress.utilities.Error``) in one sentence."""
        if error.code == 413:
            return f"The body is larger than {self.max_body} bytes."
        if error.code == 431:
            return "The request line and headers are too large."
        if error.code == 400:
            return f"The request is malformed: {error.body}."
        return str(error.body)

    def log_refusal(self, request_line: str, address: Any, status: int, reason: str) -> None:
        """Log a request refused before the application saw it (any thread)."""
        log.warning(
            "Rejected %s from %s: %d %s",
            self._mask(request_line) or "a request",
            address[0] if address else "?",
            status,
            reason,
        )

    def handle_error(self) -> None:
        # A bug in accepting must not close the listening socket (wasyncore's default).
        log.exception("The receiver's server failed to accept a connection")


def listening_socket(host: str, port: int) -> socket.socket:
    """A TCP socket bound to ``host``:``port`` (not yet listening); raises ``OSError``."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    try:
        if os.name == "posix":  # elsewhere, SO_REUSEADDR lets another process take the port
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((host, port))
    except BaseException:
        sock.close()
        raise
    return sock
