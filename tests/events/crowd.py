"""Many clients at once, on one asyncio loop (a thread each would cost more than the server
under test): whole requests, and slow clients that drip theirs byte by byte."""

from __future__ import annotations

import asyncio
import contextlib
import re
import time
from collections.abc import Sequence
from dataclasses import dataclass

_STATUS = re.compile(rb"HTTP/1\.[01] ([0-9]{3}) ")


def callback_request(path: str, body: bytes) -> bytes:
    """A POST of ``body`` as the Dispatch server sends one (a connection of its own)."""
    head = (
        f"POST {path} HTTP/1.1\r\nHost: receiver\r\nContent-Type: application/json\r\n"
        f"Content-Length: {len(body)}\r\nConnection: close\r\n\r\n"
    )
    return head.encode("ascii") + body


@dataclass(frozen=True)
class Outcome:
    status: int | None
    """None: no answer (the connection failed or ended without one)."""
    seconds: float


async def exchange(port: int, data: bytes, timeout: float) -> Outcome:
    """Send ``data`` on a new connection and read the answer to its end."""
    started = time.monotonic()
    try:
        async with asyncio.timeout(timeout):
            reader, writer = await asyncio.open_connection("127.0.0.1", port)
            try:
                writer.write(data)
                await writer.drain()
                answer = await reader.read()
            finally:
                writer.close()
                await writer.wait_closed()
    except (OSError, TimeoutError):
        return Outcome(None, time.monotonic() - started)
    match = _STATUS.match(answer)
    return Outcome(int(match[1]) if match else None, time.monotonic() - started)


def exchange_all(port: int, requests: Sequence[bytes], timeout: float) -> list[Outcome]:
    """Send every request at once, each on its own connection; their outcomes, in order."""

    async def run() -> list[Outcome]:
        return list(await asyncio.gather(*(exchange(port, data, timeout) for data in requests)))

    return asyncio.run(run())


class Drippers:
    """``count`` clients that each send the start of a callback and then one byte every
    ``interval`` seconds, for ever, reconnecting when the server drops them (as an attacker
    would). Run :meth:`run` on a loop; it counts the connections the server ended."""

    def __init__(self, port: int, path: str, count: int, interval: float) -> None:
        self.port = port
        self.head = f"POST {path} HTTP/1.1\r\nHost: receiver\r\n".encode()
        self.count = count
        self.interval = interval
        self.connected = 0
        self.dropped = 0
        self.stop = asyncio.Event()

    async def _drip(self) -> None:
        while not self.stop.is_set():
            try:
                reader, writer = await asyncio.open_connection("127.0.0.1", self.port)
            except OSError:
                await asyncio.sleep(self.interval)
                continue
            self.connected += 1
            try:
                writer.write(self.head)
                while not self.stop.is_set():
                    await asyncio.sleep(self.interval)
                    if reader.at_eof():
                        break
                    writer.write(b"X")
                    await writer.drain()
            except OSError:
                pass
            finally:
                if not self.stop.is_set():
                    self.dropped += 1
                writer.close()
                with contextlib.suppress(OSError):
                    await writer.wait_closed()

    async def run(self) -> None:
        await asyncio.gather(*(self._drip() for _ in range(self.count)))
