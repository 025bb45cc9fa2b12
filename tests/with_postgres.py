"""Run a command against a throw-away PostgreSQL cluster.

    python tests/with_postgres.py COMMAND [ARGUMENT …]

The cluster lives in a temporary folder (``initdb``), listens on loopback on a free
port, holds one empty database, and is stopped and removed afterwards, whatever the
command's result. The command gets ``DATABASE_URL`` pointing at it; Django's test
runner creates its test databases there. Debian's ``postgresql`` package provides
the server (``make test`` installs it when missing). As root, the server runs as the
``postgres`` user that package creates: PostgreSQL refuses to run as root.
"""

import contextlib
import glob
import os
import shutil
import socket
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

USER = "strategy"
DATABASE = "strategy"
SPEED = (
    "-c fsync=off -c synchronous_commit=off -c full_page_writes=off "
    "-c max_connections=200"
)
"""A throw-away cluster needs no durability: faster without it."""


def server_bin() -> Path:
    """The newest server of Debian's packages, else the one on the PATH."""
    versions = sorted(glob.glob("/usr/lib/postgresql/*/bin"), key=_version)
    if versions:
        return Path(versions[-1])
    found = shutil.which("pg_ctl")
    if found:
        return Path(found).parent
    raise SystemExit("PostgreSQL's server is missing: `make test` installs it.")


def _version(path: str) -> int:
    return int(Path(path).parent.name)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def run_as_server_user(command: list[str], **kwargs) -> None:
    if os.geteuid() == 0:
        command = ["runuser", "-u", "postgres", "--", *command]
    subprocess.run(command, check=True, **kwargs)


@contextlib.contextmanager
def cluster() -> Iterator[str]:
    """A throw-away cluster with one empty database, for the ``with`` block; yields
    its ``DATABASE_URL``."""
    binaries = server_bin()
    folder = Path(tempfile.mkdtemp(prefix="strategy-postgres-"))
    data, port = folder / "data", free_port()
    if os.geteuid() == 0:
        shutil.chown(folder, "postgres")
    try:
        run_as_server_user(
            [
                str(binaries / "initdb"),
                *("-D", str(data), "-U", USER, "-A", "trust", "-E", "UTF8"),
                *("--locale=C.UTF-8", "--no-sync"),
            ],
            stdout=subprocess.DEVNULL,
        )
        options = f"-p {port} -k {folder} -c listen_addresses=127.0.0.1 {SPEED}"
        run_as_server_user(
            [
                str(binaries / "pg_ctl"),
                *("-D", str(data), "-o", options, "-l", str(folder / "server.log")),
                *("-w", "start"),
            ],
            stdout=subprocess.DEVNULL,
        )
        try:
            run_as_server_user(
                [
                    str(binaries / "createdb"),
                    *("-h", "127.0.0.1", "-p", str(port), "-U", USER, DATABASE),
                ]
            )
            yield f"postgres://{USER}@127.0.0.1:{port}/{DATABASE}"
        finally:
            run_as_server_user(
                [str(binaries / "pg_ctl"), "-D", str(data), "-m", "fast", "stop"],
                stdout=subprocess.DEVNULL,
            )
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def main(command: list[str]) -> int:
    with cluster() as url:
        print(f"PostgreSQL at {url} for: {' '.join(command)}")
        return subprocess.run(
            command, env={**os.environ, "DATABASE_URL": url}, check=False
        ).returncode


if __name__ == "__main__":
    if len(sys.argv) < 2:
        raise SystemExit(__doc__)
    sys.exit(main(sys.argv[1:]))
