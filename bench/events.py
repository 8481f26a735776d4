"""Callback intake benchmark: job events per second accepted and stored with 8 concurrent
senders, and the latency from a POST to the receiver's listener, against a bare http.server.

Run it with::

    .venv/bin/python bench/events.py                  # 3 runs of each server, 8 × 250 events
    .venv/bin/python bench/events.py --runs 5 --events 100
    .venv/bin/python bench/events.py --dir ~/bench    # the store on another disk
    .venv/bin/python bench/events.py --gui            # and on to the monitor panel's model

Two servers take the same load in this (the parent) process, alternately (baseline, receiver;
receiver, baseline; ...), each run on a fresh server:

- ``baseline``: a stdlib :class:`~http.server.ThreadingHTTPServer` on 127.0.0.1 whose handler
  reads the body and answers 200, nothing else (HTTP/1.0, so one request per connection,
  closed after the answer; a thread per connection; a listen backlog of 128; no host name
  look-up): the bare server the receiver's figures are measured against;
- ``receiver``: :class:`~dispatch_desktop.events.CallbackReceiver` (a WSGI application on
  waitress: an event-loop thread reads each request whole, a pool of worker threads answers)
  with a real :class:`~dispatch_desktop.events.EventStore` in a new file (SQLite WAL,
  ``synchronous = FULL``: every event is committed and synced before its 200);
- with ``--postgresql``, also ``pg-1`` and ``pg-2``: one and two receiver node processes
  (``dispatch-desktop-receiver --store postgresql://...``, as deployed) on a new database of a
  throwaway PostgreSQL cluster (tests/pgcluster.py: initdb and pg_ctl, fsync on,
  ``synchronous_commit`` on) in the ``--dir`` folder; with two, each sender process posts to
  its own node, as a proxy spreads them. Their "hook" is the moment this process reads the
  event from the shared feed after the NOTIFY of its commit (what a follower waits for), and
  their CPU is the node processes' (all of them, in cores).

The load: 8 concurrent senders, each POSTing its own distinct JOB_ASSIGN bodies of the
reference's 3.1.2 shape (distinct ``sendtaskid``, so none is a resent copy), one after the
other, as fast as the answers come (``http.client``, a new connection per POST). The senders
are threads of 2 sender processes (``--processes``): on 2 cores that gave the baseline the most
events/s (one process's interpreter lock holds 8 senders back; 4 or 8 processes take CPU from
the server). Each process
first sends a few unmeasured warm-up events, then waits for the parent's go, so that all start
together. A sender starts no POST after ``--max-seconds`` ÷ (2 × runs): a slow disk leaves events
unsent (reported) rather than making the benchmark run for minutes. Traffic goes to 127.0.0.1
only. The sending code is the same for both servers.

Figures:

- events/s: 200 answers received ÷ wall time (first POST to last answer, over every sender),
  the median of the runs, and the ratio of the medians (receiver / baseline);
- latency "POST → hook": from just before a sender opens the connection of a POST to the
  moment the receiver calls its listener (:meth:`CallbackReceiver.add_listener`, the hook the
  monitor uses; its thread calls it after the store's commit, while the 200 goes out) with that
  event; for the baseline, to the moment its handler has read the body. "POST → 200" is the
  sender's round trip, for both. Percentiles are over the events of every run. Both processes
  take times from ``time.perf_counter_ns``, a system-wide monotonic clock (CLOCK_MONOTONIC on
  Linux, QueryPerformanceCounter on Windows, mach_absolute_time on macOS);
- with ``--gui``, latency "POST → model": the receiver's listener also hands each event to an
  :class:`~dispatch_desktop.ui.monitor_panel.EventBridge`, which carries it to the GUI thread
  of an offscreen QApplication and on to a shown
  :class:`~dispatch_desktop.ui.monitor_panel.MonitorPanel` (as the app wires them); the time
  is taken when the panel's ``model_updated`` signal says the event is in its model. The panel
  collects events for up to 50 ms before it updates its model, on purpose: that is part of the
  figure. The receiver's events/s then include the panel's work in the same process. Qt is
  imported only then (``bench/events_gui.py``);
- CPU: the server process's CPU time during the load, as a share of one core (its interpreter
  lock lets it use little more), and the senders' (2 cores are shared by all). A warning says
  when the baseline's server got too little of a core for its figures to mean much;
- nothing lost: after each receiver run, the rows in the store equal the 200s (warm-up
  included), every ``sendtaskid`` answered 200 is in the store, the listener was called once
  for each (with ``--gui``: each reached the panel's model), and no POST got another answer or
  none.

The script prints both servers' figures, the ratios receiver / baseline and whether the target
of the events issue is met (≥ 0.5 of the baseline's events/s, nothing lost). It exits 0
whatever the figures: a benchmark reports, it does not gate. It exits 1 only when it could not
run (a sender process failed to start or to report; with ``--gui``, Qt failed to load).
"""

from __future__ import annotations

import argparse
import http.client
import http.server
import json
import math
import os
import signal
import socketserver
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterable, Sequence
from contextlib import ExitStack
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Protocol

from dispatch_desktop.events import CallbackReceiver, EventListener, EventStore, StoredEvent

TARGET_RATIO = 0.5
SENDERS = 8
SENDER_PROCESSES = 2
EVENTS_PER_SENDER = 250
RUNS = 3
WARM_UP_PER_SENDER = 5
MAX_SECONDS = 45.0
"""Time budget of all the runs' loads together; each run gets its share."""
SEND_TIMEOUT = 15.0
"""Seconds a sender waits on one connection before it counts the POST as failed."""
CHILD_TIMEOUT = 60.0
LISTENER_GRACE = 5.0
"""Seconds to wait, after the last 200, for listener calls still under way."""
READY_LINE = "READY"
GO_LINE = "GO"
BASELINE_PATH = "/callbacks/bench-events-baseline-token"
"""The baseline's path (it answers any); the receiver's holds its token."""

# Reference 3.1.2 (JOB_ASSIGN): its spacing and line breaks, ids as strings (F2).
REFERENCE_JOB_ID = 777903613308588032
REFERENCE_SENDTASK_ID = 777903613518303232
REFERENCE_CONTACT_ID = 519898635249405952
REFERENCE_TIMESTAMP = 1644928296110
RUN_OFFSET = 1_000_000
"""Each run's events are numbered from its own multiple of this (so at most this many a run)."""
MAX_RUNS = 100
WARM_UP_OFFSET = RUN_OFFSET * MAX_RUNS
"""Warm-up events are numbered from here, measured ones from 0: their ids never meet."""

KINDS = ("baseline", "receiver")
POSTGRES_KINDS = ("pg-1", "pg-2")
LABELS = {
    "baseline": "bare http.server (answers 200)",
    "receiver": "CallbackReceiver + EventStore",
    "pg-1": "1 node + PostgreSQL",
    "pg-2": "2 nodes + PostgreSQL",
}

Sample = tuple[int, int, int, int, str]
"""One POST as a sender saw it: ``(event number, status or 0, sent_ns, answered_ns, error)``."""


def event_body(number: int) -> bytes:
    """Callback body number ``number``: the reference's JOB_ASSIGN with its own ids."""
    return (
        "{\n"
        f'"jobid" : "{REFERENCE_JOB_ID}",\n'
        '"userid" : 113495,\n'
        '"eventtype" : "JOB_ASSIGN",\n'
        f'"timestamp" : {REFERENCE_TIMESTAMP + number},\n'
        '"jobtype" : "",\n'
        f'"sendtaskid" : "{REFERENCE_SENDTASK_ID + number}",\n'
        f'"sendname" : "Responder {number}",\n'
        f'"contactid" : "{REFERENCE_CONTACT_ID + number}",\n'
        '"agent" : "SYSTEM"\n'
        "}"
    ).encode()


def event_number(sendtaskid: int) -> int:
    """The number of the :func:`event_body` with this ``sendtaskid``."""
    return sendtaskid - REFERENCE_SENDTASK_ID


# -- senders (child processes) ----------------------------------------------------------------


def post(port: int, path: str, body: bytes) -> tuple[int, int, int, str]:
    """POST ``body`` on a new connection: ``(status or 0, sent_ns, answered_ns, error)``.
    ``sent_ns`` is taken just before the connection is opened."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=SEND_TIMEOUT)
    sent = time.perf_counter_ns()
    try:
        connection.request("POST", path, body, {"Content-Type": "application/json"})
        response = connection.getresponse()
        response.read()
        status, error = response.status, ""
    except (OSError, http.client.HTTPException) as exc:
        status, error = 0, f"{type(exc).__name__}: {exc}"
    finally:
        connection.close()
    return status, sent, time.perf_counter_ns(), error


def send_all(port: int, path: str, numbers: Iterable[int], deadline_ns: int) -> list[Sample]:
    """POST the events ``numbers`` one after the other, none after ``deadline_ns``."""
    samples: list[Sample] = []
    for number in numbers:
        if time.perf_counter_ns() > deadline_ns:
            break
        status, sent, answered, error = post(port, path, event_body(number))
        samples.append((number, status, sent, answered, error))
    return samples


def child_sender(args: argparse.Namespace) -> int:
    """One sender process: ``--threads`` senders with ``--events`` events each, numbered from
    ``--first`` on. Warms up, prints ``READY``, waits for ``GO`` on stdin, sends, and prints
    one JSON document: its samples, warm-up samples and CPU seconds while sending."""
    port, path, threads, per_thread = args.port, args.path, args.threads, args.events
    # At most as many as it sends measured: the next process's numbers start there.
    warm_up_first = WARM_UP_OFFSET + args.first
    warm_up_numbers = range(
        warm_up_first, warm_up_first + min(WARM_UP_PER_SENDER, per_thread) * threads
    )
    warm_up = send_all(port, path, warm_up_numbers, time.perf_counter_ns() + 10**11)
    go = threading.Event()
    deadline_ns = 0
    results: list[list[Sample]] = [[] for _ in range(threads)]

    def sender(index: int) -> None:
        first = args.first + index * per_thread
        go.wait()
        results[index] = send_all(port, path, range(first, first + per_thread), deadline_ns)

    workers = [
        threading.Thread(target=sender, args=(index,), name=f"sender-{index}", daemon=True)
        for index in range(threads)
    ]
    for worker in workers:
        worker.start()
    sys.stdout.write(READY_LINE + "\n")
    sys.stdout.flush()
    if sys.stdin.readline().strip() != GO_LINE:
        return 2
    cpu = time.process_time()
    deadline_ns = time.perf_counter_ns() + int(args.max_seconds * 1e9)
    go.set()
    for worker in workers:
        worker.join()
    document = {
        "samples": [sample for result in results for sample in result],
        "warm_up": warm_up,
        "cpu": time.process_time() - cpu,
    }
    json.dump(document, sys.stdout)
    sys.stdout.flush()
    return 0


# -- servers (this process) -------------------------------------------------------------------


class _BaselineServer(http.server.ThreadingHTTPServer):
    """A daemon thread per connection, a backlog of 128, no FQDN look-up (the settings of the
    receiver's server before it moved to waitress). ``arrivals`` holds ``(ns, body)`` for
    each body read."""

    daemon_threads = True
    request_queue_size = 128

    def __init__(self) -> None:
        self.arrivals: list[tuple[int, bytes]] = []
        super().__init__(("127.0.0.1", 0), _BaselineHandler)

    def server_bind(self) -> None:
        """Bind without the FQDN look-up of HTTPServer.server_bind."""
        socketserver.TCPServer.server_bind(self)
        self.server_name, self.server_port = self.server_address[:2]


class _BaselineHandler(http.server.BaseHTTPRequestHandler):
    """Reads the body, answers 200. HTTP/1.0, one request per connection."""

    server: _BaselineServer
    protocol_version = "HTTP/1.0"

    def do_POST(self) -> None:
        """Read the body, note when, answer 200."""
        body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
        self.server.arrivals.append((time.perf_counter_ns(), body))  # parsed after the run
        reply = b"Stored.\n"
        self.send_response(200)
        self.send_header("Content-Type", "text/plain; charset=utf-8")
        self.send_header("Content-Length", str(len(reply)))
        self.end_headers()
        self.wfile.write(reply)

    def log_message(self, format: str, *args: Any) -> None:
        """No access log (the receiver's goes to a disabled DEBUG level)."""


@dataclass
class Served:
    """A running server under test: where to POST, what reached its hook, how to stop it."""

    port: int
    path: str
    hook_calls: Callable[[], int]
    """How many events reached the hook so far."""
    arrivals: Callable[[], dict[int, int]]
    """Event number → ns when it reached the hook."""
    stop: Callable[[], None]
    stored: Callable[[], list[int] | None]
    """Event numbers in the store (None: there is none); after :attr:`stop`."""
    ports: tuple[int, ...] = ()
    """Several nodes: sender process i posts to ``ports[i % len(ports)]``."""
    cpu_seconds: Callable[[], float] | None = None
    """CPU seconds of the server's processes so far (None: this process's)."""


def serve_baseline(folder: Path, forward: EventListener | None = None) -> Served:
    """Start the bare server in a daemon thread (it stores nothing and has no listeners:
    ``folder`` and ``forward`` are unused)."""
    del folder, forward
    server = _BaselineServer()
    thread = threading.Thread(
        target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
    )
    thread.start()

    def arrivals() -> dict[int, int]:
        return {
            event_number(int(json.loads(body)["sendtaskid"])): at
            for at, body in list(server.arrivals)
        }

    def stop() -> None:
        server.shutdown()
        server.server_close()
        thread.join()

    return Served(
        port=server.server_address[1],
        path=BASELINE_PATH,
        hook_calls=lambda: len(server.arrivals),
        arrivals=arrivals,
        stop=stop,
        stored=lambda: None,
    )


def serve_receiver(folder: Path, forward: EventListener | None = None) -> Served:
    """Start a CallbackReceiver on a new store in ``folder``, with a listener that notes when
    each event reaches it, then passes the event on to ``forward`` (the monitor panel)."""
    store = EventStore(folder / "events.sqlite3")
    receiver = CallbackReceiver(store, "127.0.0.1", 0).start()
    calls: list[tuple[int, int | None]] = []

    def listener(event: StoredEvent) -> None:
        calls.append((time.perf_counter_ns(), event.sendtaskid))

    receiver.add_listener(listener)
    if forward is not None:
        receiver.add_listener(forward)

    def arrivals() -> dict[int, int]:
        return {event_number(id_): at for at, id_ in list(calls) if id_ is not None}

    def stored() -> list[int]:
        connection = sqlite3.connect(store.path)
        try:
            rows = connection.execute("SELECT sendtaskid FROM events").fetchall()
        finally:
            connection.close()
        return [event_number(row[0]) for row in rows]

    return Served(
        port=receiver.port,
        path=receiver.callback_url.removeprefix(receiver.base_url),
        hook_calls=lambda: len(calls),
        arrivals=arrivals,
        stop=receiver.stop,
        stored=stored,
    )


SERVERS: dict[str, Callable[[Path, EventListener | None], Served]] = {
    "baseline": serve_baseline,
    "receiver": serve_receiver,
}
BENCH_TOKEN = "bench-events-node-token-0123456789"  # noqa: S105 - the benchmark's own


def _node_cpu_seconds(pid: int) -> float:
    """User and system CPU seconds of process ``pid`` (Linux; 0 elsewhere)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _start_node(folder: Path, address: str) -> tuple[subprocess.Popen[str], int]:
    """A receiver node process on the database at ``address``; it and its port."""
    folder.mkdir(0o700)
    for name in ("callback-token", "events-token"):
        (folder / name).write_text(BENCH_TOKEN)
    node = subprocess.Popen(  # noqa: S603 - our own interpreter and package
        [
            *(sys.executable, "-m", "dispatch_desktop.events", "--data", str(folder)),
            *("--store", address, "--port", "0"),
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    assert node.stdout is not None
    first = node.stdout.readline()
    if "listening on http://127.0.0.1:" not in first:
        node.kill()
        node.wait()
        raise BenchmarkFailed(f"a receiver node did not start: {first!r}")
    return node, int(first.split("127.0.0.1:")[1].split("/")[0])


class _FeedWatcher:
    """Reads the shared feed whenever a commit's NOTIFY arrives, noting when each event
    became readable (a follower's view); in a thread until :meth:`stop`."""

    def __init__(self, address: str) -> None:
        import psycopg

        self._connection = psycopg.connect(address, autocommit=True)
        self._connection.execute("LISTEN dispatch_events")
        self.arrivals: dict[int, int] = {}
        self._stopping = threading.Event()
        self._thread = threading.Thread(target=self._watch, daemon=True)
        self._thread.start()

    def _watch(self) -> None:
        cursor = 0
        while not self._stopping.is_set():
            # Not inside the generator, which holds the connection meanwhile.
            if list(self._connection.notifies(timeout=0.2, stop_after=1)):
                rows = self._connection.execute(
                    "SELECT cursor, raw FROM events WHERE cursor > %s ORDER BY cursor", (cursor,)
                ).fetchall()
                now = time.perf_counter_ns()
                for _, raw in rows:
                    number = event_number(int(json.loads(raw)["sendtaskid"]))
                    self.arrivals.setdefault(number, now)
                if rows:
                    cursor = rows[-1][0]

    def stop(self) -> None:
        self._stopping.set()
        self._thread.join()
        self._connection.close()


def postgres_server(cluster: Any, nodes: int) -> Callable[[Path, EventListener | None], Served]:
    """``nodes`` receiver node processes on a new database of ``cluster`` (a
    ``pgcluster.Cluster``) for each run."""

    def serve(folder: Path, forward: EventListener | None) -> Served:
        del forward  # the nodes are other processes: no listener of this one
        address = cluster.create_database(f"bench_{folder.name.replace('-', '_')}")
        started = [_start_node(folder / f"node-{index}", address) for index in range(nodes)]
        watcher = _FeedWatcher(address)

        def stop() -> None:
            for process, _ in started:
                process.terminate()
                process.communicate(timeout=30)
            watcher.stop()

        def stored() -> list[int]:
            import psycopg

            with psycopg.connect(address) as connection:
                rows = connection.execute("SELECT raw FROM events").fetchall()
            return [event_number(int(json.loads(raw)["sendtaskid"])) for (raw,) in rows]

        return Served(
            port=started[0][1],
            path=f"/callbacks/{BENCH_TOKEN}",
            hook_calls=lambda: len(watcher.arrivals),
            arrivals=lambda: dict(watcher.arrivals),
            stop=stop,
            stored=stored,
            ports=tuple(port for _, port in started),
            cpu_seconds=lambda: sum(_node_cpu_seconds(process.pid) for process, _ in started),
        )

    return serve


def start_postgres(stack: ExitStack) -> None:
    """``--postgresql``: a throwaway cluster (removed by ``stack``) and the two kinds on it."""
    tests = str(Path(__file__).resolve().parents[1] / "tests")
    if tests not in sys.path:
        sys.path.insert(0, tests)
    from pgcluster import Cluster, binaries  # the tests' throwaway cluster

    bin_dir = binaries()
    if bin_dir is None:
        raise BenchmarkFailed("PostgreSQL (initdb, pg_ctl) is not installed")
    # A SIGTERM (a timeout's) unwinds ``stack`` too: no cluster is left running.
    signal.signal(signal.SIGTERM, lambda number, frame: sys.exit(1))
    cluster = Cluster(bin_dir, durable=True)
    stack.callback(cluster.remove)
    cluster.start()
    SERVERS["pg-1"] = postgres_server(cluster, 1)
    SERVERS["pg-2"] = postgres_server(cluster, 2)


# -- one run ----------------------------------------------------------------------------------


class BenchmarkFailed(RuntimeError):
    """A sender process did not start, report or exit cleanly: nothing was measured."""


@dataclass
class Run:
    """What one server did under one load."""

    kind: str
    planned: int
    samples: list[Sample]
    warm_up: list[Sample]
    arrivals: dict[int, int]
    hook_calls: int
    stored: list[int] | None
    server_cpu: float
    sender_cpu: float
    model_updates: dict[int, int] | None = None
    """Event number → ns when the monitor panel's model had it (``--gui`` only)."""

    @property
    def ok(self) -> list[Sample]:
        """Measured POSTs answered 200."""
        return [sample for sample in self.samples if sample[1] == 200]

    @property
    def failed(self) -> list[Sample]:
        """POSTs, measured or warm-up, answered with anything but 200, or not answered."""
        return [sample for sample in self.samples + self.warm_up if sample[1] != 200]

    @property
    def wall_seconds(self) -> float:
        """First POST to last answer, over every sender."""
        if not self.samples:
            return math.nan
        first = min(sample[2] for sample in self.samples)
        last = max(sample[3] for sample in self.samples)
        return (last - first) / 1e9

    @property
    def events_per_second(self) -> float:
        """200 answers per second of wall time."""
        return len(self.ok) / self.wall_seconds if self.samples else 0.0

    def hook_ms(self) -> list[float]:
        """POST → hook of each measured event answered 200 that reached the hook."""
        return [
            (self.arrivals[number] - sent) / 1e6
            for number, _, sent, _, _ in self.ok
            if number in self.arrivals
        ]

    def model_ms(self) -> list[float]:
        """POST → model update of each measured event answered 200 that reached the model."""
        updates = self.model_updates or {}
        return [
            (updates[number] - sent) / 1e6 for number, _, sent, _, _ in self.ok if number in updates
        ]

    def round_trip_ms(self) -> list[float]:
        """POST → 200 of each measured event answered 200."""
        return [(answered - sent) / 1e6 for _, _, sent, answered, _ in self.ok]

    def answered(self) -> set[int]:
        """Numbers of the events answered 200, warm-up included."""
        return {sample[0] for sample in self.samples + self.warm_up if sample[1] == 200}

    def lost(self) -> list[str]:
        """What went missing in this run, in phrases; empty when nothing did."""
        problems: list[str] = []
        if self.failed:
            problems.append(f"{len(self.failed)} POSTs got no 200")
        answered = self.answered()
        if missing := len(answered - self.arrivals.keys()):
            problems.append(f"{missing} events answered 200 never reached the hook")
        if self.model_updates is not None and (
            missing := len(answered - self.model_updates.keys())
        ):
            problems.append(f"{missing} events answered 200 never reached the monitor's model")
        if self.hook_calls != len(answered):
            problems.append(f"{self.hook_calls} hook calls for {len(answered)} events")
        if self.stored is not None:
            if len(self.stored) != len(answered):
                problems.append(f"{len(self.stored)} rows stored for {len(answered)} 200s")
            if missing := len(answered - set(self.stored)):
                problems.append(f"{missing} events answered 200 are not in the store")
        return problems


@dataclass(frozen=True)
class Load:
    """What the senders of one run send."""

    senders: int
    processes: int
    events: int
    """Per sender."""
    max_seconds: float
    """No POST starts later than this after the go."""

    def threads_per_process(self) -> list[int]:
        """The senders spread over the processes as evenly as can be."""
        senders, processes = self.senders, self.processes
        return [senders // processes + (index < senders % processes) for index in range(processes)]


class ModelWatch(Protocol):
    """The monitor panel fed by the receiver (``--gui``: :class:`events_gui.ModelWatch`)."""

    def deliver(self, event: StoredEvent) -> None:
        """The receiver's listener."""

    def count(self) -> int:
        """How many events reached the model so far."""

    def updates(self) -> dict[int, int]:
        """Event number → ns when the model had it."""

    def close(self) -> None:
        """Close the panel."""


@dataclass(frozen=True)
class GuiMode:
    """``--gui``: how to make a watched monitor panel, and how to run a load while a Qt event
    loop runs on this thread."""

    new_watch: Callable[[], ModelWatch]
    run: Callable[[Callable[[], Run]], Run]
    flush_ms: int


def _start_senders(
    stack: ExitStack, served: Served, first: int, load: Load
) -> list[subprocess.Popen[str]]:
    """Start the sender processes; ``stack`` kills those still running."""
    children: list[subprocess.Popen[str]] = []
    events = load.events
    for index, threads in enumerate(load.threads_per_process()):
        port = served.ports[index % len(served.ports)] if served.ports else served.port
        command = [
            sys.executable,
            str(Path(__file__).resolve()),
            "--child-sender",
            f"--port={port}",
            f"--path={served.path}",
            f"--first={first}",
            f"--threads={threads}",
            f"--events={events}",
            f"--max-seconds={load.max_seconds}",
        ]
        first += threads * events
        child = subprocess.Popen(  # noqa: S603 - our own interpreter running this file
            command,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        stack.callback(_end, child)
        children.append(child)
    return children


def _end(child: subprocess.Popen[str]) -> None:
    """Kill ``child`` if it still runs, and reap it."""
    if child.poll() is None:
        child.kill()
    child.wait()


def _collect(
    kind: str,
    children: list[subprocess.Popen[str]],
    max_seconds: float,
    server_cpu_seconds: Callable[[], float],
) -> tuple[list[dict[str, Any]], float]:
    """Let the ready senders go together; their documents and the server's CPU seconds
    until the last one answered."""
    for child in children:
        assert child.stdout is not None
        if child.stdout.readline().strip() != READY_LINE:
            _, errors = child.communicate(timeout=CHILD_TIMEOUT)
            raise BenchmarkFailed(f"a sender against the {kind} did not get ready:\n{errors}")
    cpu = server_cpu_seconds()
    for child in children:
        assert child.stdin is not None
        child.stdin.write(GO_LINE + "\n")
        child.stdin.flush()
    outputs: list[str] = []
    for child in children:
        try:
            output, errors = child.communicate(timeout=CHILD_TIMEOUT + max_seconds)
        except subprocess.TimeoutExpired as exc:
            raise BenchmarkFailed(f"a sender against the {kind} did not finish") from exc
        if child.returncode != 0:
            raise BenchmarkFailed(
                f"a sender against the {kind} exited with {child.returncode}:\n{errors}"
            )
        outputs.append(output)
    server_cpu = server_cpu_seconds() - cpu
    try:
        return [json.loads(output) for output in outputs], server_cpu
    except ValueError as exc:
        raise BenchmarkFailed(f"a sender against the {kind} reported no samples") from exc


def _sample(values: list[Any]) -> Sample:
    number, status, sent, answered, error = values
    return int(number), int(status), int(sent), int(answered), str(error)


def _drive(kind: str, served: Served, first: int, load: Load, watch: ModelWatch | None) -> Run:
    """Send ``load`` to ``served``, wait for its hooks (and ``watch``), stop it; what it did."""
    with ExitStack() as stack:
        stack.callback(served.stop)
        children = _start_senders(stack, served, first, load)
        documents, server_cpu = _collect(
            kind, children, load.max_seconds, served.cpu_seconds or time.process_time
        )
        samples = [_sample(values) for document in documents for values in document["samples"]]
        warm_up = [_sample(values) for document in documents for values in document["warm_up"]]
        answered = sum(1 for sample in samples + warm_up if sample[1] == 200)
        deadline = time.monotonic() + LISTENER_GRACE
        # The receiver calls its listeners after the 200; the panel applies events in batches.
        while time.monotonic() < deadline and (
            served.hook_calls() < answered or (watch is not None and watch.count() < answered)
        ):
            time.sleep(0.01)
        hook_calls, arrivals = served.hook_calls(), served.arrivals()
    return Run(
        kind=kind,
        planned=load.senders * load.events,
        samples=samples,
        warm_up=warm_up,
        arrivals=arrivals,
        hook_calls=hook_calls,
        stored=served.stored(),
        server_cpu=server_cpu,
        sender_cpu=sum(document["cpu"] for document in documents),
    )


def run_load(kind: str, folder: Path, first: int, load: Load, gui: GuiMode | None) -> Run:
    """Start a fresh ``kind`` server (with ``gui``, the receiver feeds a monitor panel and a
    Qt event loop runs meanwhile), send it the load, stop it, and say what it did."""
    watch = gui.new_watch() if gui is not None and kind == "receiver" else None
    served = SERVERS[kind](folder, None if watch is None else watch.deliver)
    if gui is None:
        return _drive(kind, served, first, load, None)
    try:
        run = gui.run(lambda: _drive(kind, served, first, load, watch))
        if watch is not None:
            run = replace(run, model_updates=watch.updates())
    finally:
        if watch is not None:
            watch.close()
    return run


def measure(
    folder: Path, runs: int, load: Load, gui: GuiMode | None, kinds: Sequence[str] = KINDS
) -> list[Run]:
    """``runs`` runs of each server, alternating which goes first; each gets its share of
    ``load.max_seconds``. Every run has its own folder in ``folder``."""
    share = replace(load, max_seconds=load.max_seconds / (len(kinds) * runs))
    results: list[Run] = []
    for index in range(runs):
        order = kinds if index % 2 == 0 else kinds[::-1]
        for kind in order:
            run_folder = folder / f"run-{index + 1}-{kind}"
            run_folder.mkdir(0o700)  # private, as the app makes its own
            results.append(run_load(kind, run_folder, index * RUN_OFFSET, share, gui))
    return results


# -- report -----------------------------------------------------------------------------------


def percentile(values: Sequence[float], fraction: float) -> float:
    """The ``fraction`` quantile of ``values`` (nearest rank); NaN when there are none."""
    if not values:
        return math.nan
    ordered = sorted(values)
    return ordered[max(0, math.ceil(fraction * len(ordered)) - 1)]


def filesystem_of(path: Path) -> str:
    """The type of the file system holding ``path`` (Linux; empty elsewhere or unknown)."""
    try:
        mounts = Path("/proc/self/mounts").read_text(encoding="utf-8").splitlines()
    except OSError:
        return ""
    best, kind = "", ""
    resolved = str(path.resolve())
    for line in mounts:
        parts = line.split()
        if len(parts) < 3:
            continue
        point = parts[1].replace("\\040", " ")
        inside = resolved == point or resolved.startswith(point.rstrip("/") + "/")
        if inside and len(point) >= len(best):
            best, kind = point, parts[2]
    return kind


@dataclass(frozen=True)
class Figures:
    """One server's figures over its runs."""

    rates: list[float]
    hook_p50: float
    hook_p99: float
    model_p50: float
    model_p99: float
    trip_p50: float
    trip_p99: float
    server_cores: float
    sender_cores: float

    @classmethod
    def of(cls, runs: list[Run]) -> Figures:
        """The figures of ``runs`` (one server's): rates per run, latencies pooled."""
        hook = [value for run in runs for value in run.hook_ms()]
        model = [value for run in runs for value in run.model_ms()]
        trip = [value for run in runs for value in run.round_trip_ms()]
        wall = sum(run.wall_seconds for run in runs)
        return cls(
            rates=[run.events_per_second for run in runs],
            hook_p50=percentile(hook, 0.50),
            hook_p99=percentile(hook, 0.99),
            model_p50=percentile(model, 0.50),
            model_p99=percentile(model, 0.99),
            trip_p50=percentile(trip, 0.50),
            trip_p99=percentile(trip, 0.99),
            server_cores=sum(run.server_cpu for run in runs) / wall,
            sender_cores=sum(run.sender_cpu for run in runs) / wall,
        )

    @property
    def rate(self) -> float:
        """The median events/s of the runs."""
        return statistics.median(self.rates)


def _ratio(ours: float, baseline: float) -> float:
    return ours / baseline if baseline else math.nan


BUSY_MACHINE_CORES = 0.75
"""Below this share of a core, the baseline's server (bound by its interpreter lock, so near
1.0 on an idle machine with 2 cores or more) was starved by other work."""


def _table(figures: dict[str, Figures]) -> list[str]:
    base, ours = figures["baseline"], figures["receiver"]
    lines = [
        f"{'':<31}{'events/s':>9}{'(min-max of runs)':>19}"
        f"{'POST→hook p50':>15}{'p99':>10}{'POST→200 p50':>15}{'p99':>10}"
    ]
    for kind in figures:
        f = figures[kind]
        spread = f"({min(f.rates):.0f}-{max(f.rates):.0f})"
        lines.append(
            f"{LABELS[kind]:<31}{f.rate:>9.0f}{spread:>19}"
            f"{f.hook_p50:>12.2f} ms{f.hook_p99:>7.2f} ms"
            f"{f.trip_p50:>12.2f} ms{f.trip_p99:>7.2f} ms"
        )
    lines.append(
        f"{'ratio receiver / baseline':<31}{_ratio(ours.rate, base.rate):>9.2f}{'':>19}"
        f"{_ratio(ours.hook_p50, base.hook_p50):>12.2f}"
        f"{_ratio(ours.hook_p99, base.hook_p99):>10.2f}"
        f"{_ratio(ours.trip_p50, base.trip_p50):>15.2f}"
        f"{_ratio(ours.trip_p99, base.trip_p99):>10.2f}"
    )
    for kind in POSTGRES_KINDS:
        if kind in figures:
            lines.append(
                f"{'ratio ' + kind + ' / baseline':<31}"
                f"{_ratio(figures[kind].rate, base.rate):>9.2f}"
            )
    return lines


def report(
    results: list[Run], load: Load, folder: Path, gui: GuiMode | None, cpu_count: int
) -> str:
    """The table the benchmark prints."""
    measured = {run.kind for run in results}
    by_kind = {
        kind: [run for run in results if run.kind == kind]
        for kind in (*KINDS, *POSTGRES_KINDS)
        if kind in measured
    }
    figures = {kind: Figures.of(runs) for kind, runs in by_kind.items()}
    base, ours = figures["baseline"], figures["receiver"]
    runs = len(by_kind["baseline"])
    fs = filesystem_of(folder)
    lines = [
        f"Callback intake: {load.senders} concurrent senders (threads of {load.processes} "
        f"processes), {load.senders} × {load.events} distinct JOB_ASSIGN events per run, {runs} "
        f"run{'s' if runs > 1 else ''} of each server, alternating; 127.0.0.1, "
        f"a connection per POST; {cpu_count} cores",
        f"Store: {folder}{f' ({fs})' if fs else ''}; SQLite WAL, synchronous = FULL",
        "",
        *_table(figures),
        "",
        "ratio of events/s by run: "
        + ", ".join(
            f"{_ratio(o.events_per_second, b.events_per_second):.2f}"
            for b, o in zip(by_kind["baseline"], by_kind["receiver"], strict=True)
        ),
        "hook: the receiver's listener (after the commit and its sync, beside the 200); for the "
        "baseline, its handler's body read.",
    ]
    if gui is None:
        lines.append("POST → the monitor panel's model: run with --gui to measure it.")
    else:
        lines.append(
            f"POST → the monitor panel's model (offscreen, flushed every {gui.flush_ms} ms): "
            f"p50 {ours.model_p50:.2f} ms, p99 {ours.model_p99:.2f} ms "
            f"({_ratio(ours.model_p99, base.hook_p99):.1f} × the baseline's POST→hook p99)"
        )
    lines.append(
        f"CPU while loaded, in cores: server process {base.server_cores:.2f} (baseline), "
        f"{ours.server_cores:.2f} (receiver); senders {base.sender_cores:.2f}, "
        f"{ours.sender_cores:.2f}"
    )
    for kind in POSTGRES_KINDS:
        if kind in figures:
            lines.append(
                f"{LABELS[kind]}: node processes {figures[kind].server_cores:.2f} cores; hook: "
                "read from the shared feed after its commit's NOTIFY; nothing lost: "
                + ("PASS" if not any(run.lost() for run in by_kind[kind]) else "FAIL: ")
                + "; ".join(problem for run in by_kind[kind] for problem in run.lost())
            )
    if cpu_count >= 2 and base.server_cores < BUSY_MACHINE_CORES:
        lines.append(
            f"warning: the baseline's server got only {base.server_cores:.2f} of a core (other "
            "work on this machine, or more sender processes than cores): its figures are low."
        )
    lines.append("")
    for run in results:
        if unsent := run.planned - len(run.samples):
            lines.append(f"{LABELS[run.kind]}: {unsent} events unsent (time cap reached)")
        for error in sorted({sample[4] for sample in run.failed if sample[4]})[:3]:
            lines.append(f"{LABELS[run.kind]}: {error}")
    lines += _verdict(by_kind["receiver"], _ratio(ours.rate, base.rate))
    return "\n".join(lines)


def _verdict(receiver_runs: list[Run], rate_ratio: float) -> list[str]:
    """The nothing-lost check and the target's verdict."""
    lost = [
        f"  run {index + 1}: {problem}"
        for index, run in enumerate(receiver_runs)
        for problem in run.lost()
    ]
    answered = sum(len(run.answered()) for run in receiver_runs)
    stored = sum(len(run.stored or ()) for run in receiver_runs)
    hook_calls = sum(run.hook_calls for run in receiver_runs)
    failed = sum(len(run.failed) for run in receiver_runs)
    modelled = ""
    if all(run.model_updates is not None for run in receiver_runs):
        count = sum(len(run.model_updates or ()) for run in receiver_runs)
        modelled = f", {count} in the monitor's model"
    verdict = "PASS" if rate_ratio >= TARGET_RATIO and not lost else "FAIL"
    return [
        f"nothing lost: {'PASS' if not lost else 'FAIL'}: {answered} events answered 200 "
        f"(warm-up included), {failed} other answers, {stored} rows in the stores, "
        f"{hook_calls} listener calls{modelled}",
        *lost,
        f"target ≥ {TARGET_RATIO} of the baseline's events/s, nothing lost: {verdict} "
        f"(ratio {rate_ratio:.2f})",
    ]


# -- main -------------------------------------------------------------------------------------


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument(
        "--runs", type=int, default=RUNS, help=f"runs of each server (default {RUNS})"
    )
    parser.add_argument(
        "--events",
        type=int,
        default=EVENTS_PER_SENDER,
        help=f"events per sender and run (default {EVENTS_PER_SENDER})",
    )
    parser.add_argument(
        "--senders", type=int, default=SENDERS, help=f"concurrent senders (default {SENDERS})"
    )
    parser.add_argument(
        "--processes",
        type=int,
        default=SENDER_PROCESSES,
        help=f"sender processes, the senders their threads (default {SENDER_PROCESSES})",
    )
    parser.add_argument(
        "--max-seconds",
        type=float,
        default=MAX_SECONDS,
        help=f"time cap of all the runs' loads together (default {MAX_SECONDS:g})",
    )
    parser.add_argument(
        "--dir", type=Path, help="folder for the event stores (default: a temporary one)"
    )
    parser.add_argument(
        "--gui",
        action="store_true",
        help="feed the monitor panel (offscreen Qt) and measure POST → its model update",
    )
    parser.add_argument(
        "--postgresql",
        action="store_true",
        help="also 1 and 2 receiver nodes on a throwaway PostgreSQL cluster (needs initdb)",
    )
    parser.add_argument("--child-sender", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--port", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--path", help=argparse.SUPPRESS)
    parser.add_argument("--first", type=int, default=0, help=argparse.SUPPRESS)
    parser.add_argument("--threads", type=int, default=1, help=argparse.SUPPRESS)
    return parser


def gui_mode() -> GuiMode:
    """``--gui``: the offscreen QApplication, and the monitor panel of ``events_gui``."""
    here = str(Path(__file__).resolve().parent)
    if here not in sys.path:
        sys.path.insert(0, here)
    import events_gui  # Qt only with --gui

    from dispatch_desktop.ui.monitor_panel import FLUSH_INTERVAL_MS

    events_gui.application()
    return GuiMode(
        new_watch=lambda: events_gui.ModelWatch(REFERENCE_JOB_ID, contact_number),
        run=events_gui.run_with_event_loop,
        flush_ms=FLUSH_INTERVAL_MS,
    )


def contact_number(contactid: int) -> int:
    """The number of the :func:`event_body` with this ``contactid``."""
    return contactid - REFERENCE_CONTACT_ID


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark (or, with ``--child-sender``, be one of its sender processes)."""
    parser = _parser()
    args = parser.parse_args(argv)
    if args.child_sender:
        return child_sender(args)
    if min(args.runs, args.events, args.senders, args.processes) < 1:
        parser.error("--runs, --events, --senders and --processes must be at least 1")
    if args.runs > MAX_RUNS:
        parser.error(f"--runs must be at most {MAX_RUNS}")
    if args.processes > args.senders:
        parser.error("--processes cannot exceed --senders")
    if args.events * args.senders > RUN_OFFSET or not args.max_seconds > 0:
        parser.error(f"at most {RUN_OFFSET} events per run, and a positive --max-seconds")
    load = Load(args.senders, args.processes, args.events, args.max_seconds)
    if args.dir is not None:
        args.dir.mkdir(parents=True, exist_ok=True)
    with (
        tempfile.TemporaryDirectory(prefix="dispatch-bench-events-", dir=args.dir) as folder,
        ExitStack() as stack,
    ):
        try:
            gui = gui_mode() if args.gui else None
            kinds = KINDS
            if args.postgresql:
                start_postgres(stack)
                kinds = (*KINDS, *POSTGRES_KINDS)
            results = measure(Path(folder), args.runs, load, gui, kinds)
        except (BenchmarkFailed, OSError, ImportError, RuntimeError) as error:
            print(f"benchmark failed: {error}", file=sys.stderr)
            return 1
        print(report(results, load, Path(folder), gui, os.cpu_count() or 1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
