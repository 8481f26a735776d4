"""One running app per data folder: a second start asks the first to raise its window, then
ends (exit code 0). Two apps on one journal and one callback port would fight over both.

The first start listens on a local socket whose name is derived from the data folder's path
(a hash: the path may be long or hold any character); a second start connects and sends
:data:`RAISE`. A socket left behind by a first start that crashed answers nobody: it is
removed and the new start listens in its place.
"""

from __future__ import annotations

import hashlib
import logging
import os
from pathlib import Path

from PySide6.QtCore import QObject, Signal
from PySide6.QtNetwork import QLocalServer, QLocalSocket

log = logging.getLogger(__name__)

RAISE = b"raise\n"
CONNECT_WAIT_MS = 1_000
"""How long a second start waits for the first to accept; a live app accepts at once."""
READ_WAIT_MS = 500
"""How long the first waits for the request of a second start that connected."""


def instance_name(folder: Path) -> str:
    """The local socket's name for ``folder``: the same for every start on that folder (and
    user), different for another folder; the same folder through a symbolic link is the same
    folder (two apps on one journal is what this prevents)."""
    key = f"{os.getuid() if hasattr(os, 'getuid') else ''}:{folder.resolve()}"
    return "dispatch-desktop-" + hashlib.sha256(key.encode("utf-8")).hexdigest()[:24]


class SingleInstance(QObject):
    """Claims ``folder`` for this process (:meth:`claim`); ``raise_requested`` is emitted when
    a later start asks for the window."""

    raise_requested = Signal()

    def __init__(self, folder: Path, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.name = instance_name(folder)
        self._server: QLocalServer | None = None

    def claim(self) -> bool:
        """True: this process is the only app on the folder and now listens. False: another
        one runs and was asked to raise its window (this process should end)."""
        if self._ask_running_to_raise():
            return False
        server = QLocalServer(self)
        server.setSocketOptions(QLocalServer.SocketOption.UserAccessOption)
        if not server.listen(self.name):
            # Left behind by an app that crashed (nobody answered above): take its place.
            QLocalServer.removeServer(self.name)
            if not server.listen(self.name):
                log.warning("single instance: cannot listen: %s", server.errorString())
                return True  # better a second app than none
        server.newConnection.connect(self._on_connection)
        self._server = server
        return True

    def _ask_running_to_raise(self) -> bool:
        socket = QLocalSocket(self)
        socket.connectToServer(self.name)
        if not socket.waitForConnected(CONNECT_WAIT_MS):
            return False
        socket.write(RAISE)
        socket.waitForBytesWritten(CONNECT_WAIT_MS)
        socket.disconnectFromServer()
        if socket.state() is not QLocalSocket.LocalSocketState.UnconnectedState:
            socket.waitForDisconnected(CONNECT_WAIT_MS)
        log.info("another Dispatch Desktop runs on this data folder; it was asked to show")
        return True

    def _on_connection(self) -> None:
        assert self._server is not None
        while (socket := self._server.nextPendingConnection()) is not None:
            # A second start writes its request as soon as it is connected.
            arrived = socket.bytesAvailable() > 0 or socket.waitForReadyRead(READ_WAIT_MS)
            if arrived and bytes(socket.readAll().data()).startswith(RAISE.strip()):
                log.info("a second start asked for the window")
                self.raise_requested.emit()
            socket.disconnectFromServer()
            socket.deleteLater()

    def release(self) -> None:
        """Stop listening (the app ends)."""
        if self._server is not None:
            self._server.close()
            self._server = None
