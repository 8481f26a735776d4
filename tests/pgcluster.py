"""A throwaway PostgreSQL cluster for the tests and the benchmark: ``initdb`` in a new temporary
folder, ``pg_ctl`` on a free port, its unix socket in that folder, no TCP; removed at the end.

PostgreSQL refuses to run as root (CI runs as root): then the cluster runs as ``nobody``, in a
folder that user owns. The binaries are found on PATH, else in Debian's
``/usr/lib/postgresql/<version>/bin`` (the newest version).
"""

from __future__ import annotations

import contextlib
import glob
import os
import shutil
import socket
import subprocess
import tempfile
from pathlib import Path

SUPERUSER = "dispatch"
PASSWORD_ROLE = "dispatch_receiver"
"""The one role that must give a password (scram-sha-256); every other one is trusted."""
UNPRIVILEGED = "nobody"
# Tests and benchmark kill processes, never the machine: fsync is only a cost there. The
# benchmark asks for it (``durable=True``), as a real server has it.
_SETTINGS = {
    "listen_addresses": "''",
    "max_connections": "200",
    "shared_buffers": "32MB",
    "log_min_messages": "warning",
}


def binaries() -> Path | None:
    """The folder of ``initdb`` and ``pg_ctl``; ``None`` when PostgreSQL is not installed."""
    found = shutil.which("initdb")
    if found is not None and shutil.which("pg_ctl") is not None:
        return Path(found).resolve().parent
    folders = glob.glob("/usr/lib/postgresql/*/bin")
    folders.sort(key=lambda folder: int(Path(folder).parent.name.split(".")[0]))
    for folder in reversed(folders):
        if (Path(folder) / "initdb").exists():
            return Path(folder)
    return None


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class Cluster:
    """A cluster in its own temporary folder; :meth:`start`, :meth:`stop`, :meth:`remove`."""

    def __init__(self, bin_dir: Path, *, durable: bool = False) -> None:
        self.bin_dir = bin_dir
        as_root = os.geteuid() == 0
        # As root, in /tmp: the unprivileged user must reach the folder (a TMPDIR under
        # /root would not let it); mkdtemp makes a new one only its owner may enter.
        parent = "/tmp" if as_root else None  # noqa: S108
        self.folder = Path(tempfile.mkdtemp(prefix="dispatch-pg-", dir=parent))
        self.data = self.folder / "data"
        self.log = self.folder / "server.log"
        self.port = _free_port()
        self._as_user: list[str] = []
        if as_root:
            self._as_user = ["runuser", "-u", UNPRIVILEGED, "--"]
            shutil.chown(self.folder, UNPRIVILEGED)
        try:
            self._init(durable)
        except BaseException:
            shutil.rmtree(self.folder, ignore_errors=True)
            raise

    def _init(self, durable: bool) -> None:
        self._pg(
            "initdb",
            "--pgdata",
            str(self.data),
            "--username",
            SUPERUSER,
            "--auth",
            "trust",
            "--encoding",
            "UTF8",
            "--no-sync",
        )
        settings = dict(_SETTINGS, unix_socket_directories=f"'{self.folder}'", port=str(self.port))
        if not durable:
            settings["fsync"] = "off"
        with (self.data / "postgresql.conf").open("a") as conf:
            conf.writelines(f"{name} = {value}\n" for name, value in settings.items())
        (self.data / "pg_hba.conf").write_text(
            f"local all {PASSWORD_ROLE} scram-sha-256\nlocal all all trust\n"
        )

    def _pg(self, program: str, *args: str) -> None:
        command = [*self._as_user, str(self.bin_dir / program), *args]
        done = subprocess.run(  # noqa: S603 - the PostgreSQL binaries, our arguments
            command, capture_output=True, text=True, timeout=120, check=False
        )
        if done.returncode != 0:
            log = self.log.read_text() if self.log.exists() else ""
            raise RuntimeError(f"{program} failed: {done.stdout}{done.stderr}{log}")

    def start(self) -> None:
        self._pg("pg_ctl", "start", "--wait", "-D", str(self.data), "-l", str(self.log))

    def stop(self, mode: str = "fast") -> None:
        """Stop the server (``immediate``: as if it crashed, connections cut)."""
        self._pg("pg_ctl", "stop", "--wait", "-D", str(self.data), "-m", mode)

    def remove(self) -> None:
        with contextlib.suppress(RuntimeError):  # not running
            self.stop("immediate")
        shutil.rmtree(self.folder, ignore_errors=True)

    def address(self, dbname: str = "postgres", user: str = SUPERUSER) -> str:
        """A libpq address of database ``dbname`` over the unix socket."""
        return f"postgresql://{user}@/{dbname}?host={self.folder}&port={self.port}"

    def create_database(self, name: str) -> str:
        """A new, empty database; its address."""
        import psycopg

        with psycopg.connect(self.address(), autocommit=True) as connection:
            connection.execute(f'CREATE DATABASE "{name}"')
        return self.address(name)

    def create_password_role(self, password: str, dbname: str) -> str:
        """:data:`PASSWORD_ROLE` with ``password``, owning database ``dbname``; the address
        of that database as that role (no password in it)."""
        import psycopg
        from psycopg import sql

        with psycopg.connect(self.address(), autocommit=True) as connection:
            connection.execute(
                sql.SQL("CREATE ROLE {} LOGIN PASSWORD {}").format(
                    sql.Identifier(PASSWORD_ROLE), sql.Literal(password)
                )
            )
            connection.execute(
                sql.SQL("CREATE DATABASE {} OWNER {}").format(
                    sql.Identifier(dbname), sql.Identifier(PASSWORD_ROLE)
                )
            )
        return self.address(dbname, PASSWORD_ROLE)
