"""A throwaway PostgreSQL server (initdb + pg_ctl as the postgres user) on a free loopback port."""

from __future__ import annotations

import glob
import os
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

from tests.servers.dovecot import free_port


def bindir() -> Path | None:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"))
    return Path(found[-1]).parent if found else None


@dataclass
class Postgres:
    root: Path
    port: int

    def _run(self, *args: str) -> None:
        cmd = [str(bindir() / args[0]), *args[1:]]
        if os.getuid() == 0:  # initdb and pg_ctl refuse to run as root
            cmd = ["runuser", "-u", "postgres", "--", *cmd]
        log = self.root / "commands.log"
        with log.open("ab") as out:  # pg_ctl start leaves the server holding its output: use a file
            subprocess.run(cmd, check=True, stdin=subprocess.DEVNULL, stdout=out, stderr=out, timeout=120)

    def start(self) -> str:
        data = self.root / "data"
        self.root.mkdir(parents=True, exist_ok=True)
        (self.root / "commands.log").touch()
        if os.getuid() == 0:
            shutil.chown(self.root, "postgres", "postgres")
            shutil.chown(self.root / "commands.log", "postgres", "postgres")
        if not (data / "PG_VERSION").exists():  # a kept data directory (``bench/console.py --store``) is started again
            self._run("initdb", "-D", str(data), "-A", "trust", "-U", "postgres", "--no-sync")
        self._run("pg_ctl", "-D", str(data), "-w", "-l", str(self.root / "log"),
                  "-o", f"-p {self.port} -k {self.root} -c listen_addresses=127.0.0.1 -c fsync=off", "start")
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/postgres"

    def stop(self) -> None:
        self._run("pg_ctl", "-D", str(self.root / "data"), "-m", "fast", "stop")


def available() -> bool:
    return bindir() is not None and (os.getuid() != 0 or shutil.which("runuser") is not None)


def new(tmp: Path) -> Postgres:
    return Postgres(tmp, free_port())
