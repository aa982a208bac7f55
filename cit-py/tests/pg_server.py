"""A real, throwaway PostgreSQL server for the tests of `cit.store`.

Debian's ``postgresql`` package (installed by ``.ci/setup``) provides ``initdb`` and
``pg_ctl``. The server runs as an unprivileged user (``postgres`` when the tests run as
root: PostgreSQL refuses to run as root) in a temporary folder, listening on a free local
port and on a Unix socket in that folder only; `PgServer.stop` stops it and removes the
folder. Nothing here is a mock: the tests talk to the real server through psycopg.
"""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
import uuid
from pathlib import Path
from typing import List, Optional


def bindir() -> Optional[Path]:
    """The folder of ``initdb`` and ``pg_ctl``, or ``None`` if PostgreSQL is not installed."""
    candidates: List[str] = []
    pg_config = shutil.which("pg_config")
    if pg_config:
        out = subprocess.run([pg_config, "--bindir"], capture_output=True, text=True)
        if out.returncode == 0:
            candidates.append(out.stdout.strip())
    candidates += sorted(glob.glob("/usr/lib/postgresql/*/bin"), reverse=True)
    for found in (shutil.which("initdb"), shutil.which("pg_ctl")):
        if found:
            candidates.append(str(Path(found).resolve().parent))
    for c in candidates:
        if (Path(c) / "initdb").exists() and (Path(c) / "pg_ctl").exists():
            return Path(c)
    return None


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class PgServer:
    """A PostgreSQL cluster of its own, started on a free port of 127.0.0.1."""

    def __init__(self, bin_dir: Path) -> None:
        self.bin = bin_dir
        self.root = Path(tempfile.mkdtemp(prefix="cit-pg-"))
        self.data = self.root / "data"
        self.port = _free_port()
        self.user = "cit"
        self._as: List[str] = []
        if os.geteuid() == 0:
            # PostgreSQL will not run as root: the package's own unprivileged user does.
            self._as = ["runuser", "-u", "postgres", "--"]
            shutil.chown(self.root, "postgres", "postgres")
        self.root.chmod(0o700)

    def _run(self, *args: str) -> None:
        out = subprocess.run(self._as + list(args), capture_output=True, text=True)
        if out.returncode != 0:
            raise RuntimeError(f"{' '.join(args)} failed ({out.returncode}):\n{out.stdout}\n{out.stderr}")

    def start(self) -> "PgServer":
        """Creates and starts the cluster; on failure removes what it made, and raises with
        the server's log."""
        try:
            self._run(str(self.bin / "initdb"), "-D", str(self.data), "-A", "trust", "-U", self.user,
                      "-E", "UTF8", "--no-sync", "--locale=C")
            options = f"-p {self.port} -c listen_addresses=127.0.0.1 -k {self.root} -c fsync=on"
            self._run(str(self.bin / "pg_ctl"), "-D", str(self.data), "-l", str(self.root / "server.log"),
                      "-o", options, "-w", "-t", "60", "start")
        except BaseException as e:
            log = self.root / "server.log"
            detail = log.read_text(errors="replace")[-4000:] if log.exists() else ""
            self.stop()
            raise RuntimeError(f"PostgreSQL did not start: {e}\n{detail}") from e
        return self

    def dsn(self, database: str = "postgres") -> str:
        return f"postgresql://{self.user}@127.0.0.1:{self.port}/{database}"

    def new_database(self) -> str:
        """A fresh, empty database; its ``postgresql://`` URL."""
        import psycopg

        name = "t_" + uuid.uuid4().hex[:12]
        with psycopg.connect(self.dsn(), autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        return self.dsn(name)

    def stop(self) -> None:
        try:
            if self.data.exists():
                self._run(str(self.bin / "pg_ctl"), "-D", str(self.data), "-m", "fast", "-w", "stop")
        finally:
            shutil.rmtree(self.root, ignore_errors=True)
