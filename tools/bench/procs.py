"""Starting the portal's processes natively, from the scripts of ``deploy/`` (the same ones
``docker-compose.yml`` runs), plus a private ``redis-server``: used by ``make bench`` and by the
topology tests (tests/topology). Every process gets its own session (process group) so it and its
children stop together.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
# The one list of process commands: docker-compose.yml runs these scripts (tests/topology/test_compose.py).
DEPLOY = {
    "migrate": "deploy/migrate.sh",
    "web": "deploy/web.sh",
    "worker": "deploy/worker.sh",
    "beat": "deploy/beat.sh",
    "events": "deploy/events.sh",
}
VENV = Path(sys.executable).parent.parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(predicate, *, timeout: float, interval: float = 0.2, what="condition"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(interval)
    raise TimeoutError(f"timed out after {timeout:.0f} s waiting for {what() if callable(what) else what}")


class Proc:
    def __init__(self, name: str, args: list[str], env: dict, log: Path):
        self.name, self.args, self.env, self.log = name, args, env, log
        self.proc: subprocess.Popen | None = None

    def start(self) -> Proc:
        with self.log.open("ab") as out:
            self.proc = subprocess.Popen(
                self.args,
                cwd=ROOT,
                env=self.env,
                stdout=out,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                start_new_session=True,
            )
        return self

    @property
    def pid(self) -> int:
        assert self.proc is not None
        return self.proc.pid

    def alive(self) -> bool:
        return self.proc is not None and self.proc.poll() is None

    def log_text(self) -> str:
        return self.log.read_text(errors="replace") if self.log.exists() else ""

    def signal(self, sig: int) -> None:
        if self.alive():
            os.killpg(self.pid, sig)

    def stop(self, timeout: float = 20) -> None:
        if self.proc is None:
            return
        if self.proc.poll() is None:
            try:
                os.killpg(self.pid, signal.SIGTERM)
                self.proc.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                os.killpg(self.pid, signal.SIGKILL)
                self.proc.wait(timeout=5)
            except ProcessLookupError:
                pass
        # Children left behind in the group (a killed master's workers) go too.
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(self.pid, signal.SIGKILL)


def deploy_env(**overrides: str) -> dict[str, str]:
    env = {**os.environ, "VENV": str(VENV), "PYTHONUNBUFFERED": "1"}
    env.update({k: str(v) for k, v in overrides.items()})
    return env


def deploy(name: str, env: dict, log: Path, *args: str) -> Proc:
    """Start ``deploy/<name>.sh`` (not waiting)."""
    return Proc(name, ["bash", DEPLOY[name], *args], env, log).start()


def run_deploy(name: str, env: dict, log: Path, timeout: float = 600) -> None:
    """Run a one-shot deploy script (migrate) to completion; raise with its log on failure."""
    p = deploy(name, env, log)
    assert p.proc is not None
    try:
        rc = p.proc.wait(timeout=timeout)
    finally:
        p.stop()
    if rc != 0:
        raise RuntimeError(f"{DEPLOY[name]} exited {rc}:\n{p.log_text()[-4000:]}")


def wait_http(url: str, proc: Proc, timeout: float = 60) -> None:
    def up():
        if not proc.alive():
            raise RuntimeError(f"{proc.name} exited:\n{proc.log_text()[-4000:]}")
        try:
            with urllib.request.urlopen(url, timeout=2) as r:
                return r.status < 500
        except OSError:
            return False

    wait_for(up, timeout=timeout, what=f"{url} to answer")


def redis_server(port: int, workdir: Path, log: Path) -> Proc:
    """A private redis-server on 127.0.0.1:<port>, no persistence; waits until it answers."""
    binary = shutil.which("redis-server") or "/usr/bin/redis-server"
    p = Proc(
        "redis",
        [
            binary,
            "--bind",
            "127.0.0.1",
            "--port",
            str(port),
            "--save",
            "",
            "--appendonly",
            "no",
            "--dir",
            str(workdir),
        ],
        dict(os.environ),
        log,
    ).start()

    def ping():
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1) as s:
                s.sendall(b"PING\r\n")
                return s.recv(16).startswith(b"+PONG")
        except OSError:
            return False

    wait_for(ping, timeout=15, what=f"redis-server on port {port}")
    return p


def worker_ready(proc: Proc) -> bool:
    if not proc.alive():
        raise RuntimeError(f"{proc.name} exited:\n{proc.log_text()[-4000:]}")
    return " ready." in proc.log_text()
