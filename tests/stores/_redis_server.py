"""A ``redis-server`` of the tests' own: started on a free loopback port, in a temporary
directory, with nothing saved to disk, and always stopped.

The Redis store tests need a real server, which CI installs (``apt-get install
redis-server``): without one they fail, saying so, rather than pass by skipping,
unless ``RESTLI_SKIP_REDIS=1`` is set. Tests of another folder use the fixture by
importing it into their ``conftest.py`` (this folder is not on ``sys.path`` there)::

    sys.path.insert(0, str(Path(__file__).parents[1] / "stores"))
    from _redis_server import redis_server  # noqa: E402, F401  (a fixture)

or start a server of their own with :func:`running_redis_server`.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass, field

import pytest

SKIP_VARIABLE = "RESTLI_SKIP_REDIS"
NOT_INSTALLED = (
    "redis-server is not on PATH: the Redis store tests need it (install it: "
    "apt-get install redis-server), or set RESTLI_SKIP_REDIS=1 to skip them"
)


@dataclass
class RedisServer:
    """A running ``redis-server``: where it listens, and how to stop it."""

    port: int
    directory: str
    process: subprocess.Popen[bytes] = field(repr=False)

    @property
    def url(self) -> str:
        """``redis://127.0.0.1:<port>/0``."""
        return f"redis://127.0.0.1:{self.port}/0"

    def log(self) -> str:
        """What the server wrote to its log so far."""
        try:
            with open(os.path.join(self.directory, "redis.log"), errors="replace") as file:
                return file.read()
        except OSError:
            return ""

    def stop(self) -> None:
        """Stop the server (killing it if it does not stop in 5 s) and delete its
        directory."""
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=5)
        shutil.rmtree(self.directory, ignore_errors=True)


def skipped() -> bool:
    """Whether ``RESTLI_SKIP_REDIS=1`` asks to skip the tests needing Redis."""
    return os.environ.get(SKIP_VARIABLE) == "1"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def answers_ping(port: int) -> bool:
    """Whether a Redis server on ``port`` answers ``PING`` (within a second)."""
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=1.0) as connection:
            connection.sendall(b"PING\r\n")
            return connection.recv(64).startswith(b"+PONG")
    except OSError:
        return False


def start_redis_server(executable: str = "redis-server", timeout: float = 10.0) -> RedisServer:
    """Start a server and wait until it answers ``PING``.

    Raises:
        FileNotFoundError: ``executable`` is not on ``PATH``.
        RuntimeError: the server did not come up within ``timeout`` (three ports tried:
            another process may take the free port first).
    """
    found = shutil.which(executable)
    if found is None:
        raise FileNotFoundError(NOT_INSTALLED)
    log = ""
    for _ in range(3):
        directory = tempfile.mkdtemp(prefix="restli-redis-")
        port = free_port()
        command = [found, "--port", str(port), "--bind", "127.0.0.1"]
        command += ["--save", "", "--appendonly", "no", "--daemonize", "no"]
        command += ["--dir", directory, "--logfile", "redis.log"]
        process = subprocess.Popen(
            command,
            cwd=directory,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        server = RedisServer(port, directory, process)
        deadline = time.monotonic() + timeout
        while process.poll() is None and time.monotonic() < deadline:
            if answers_ping(port):
                return server
            time.sleep(0.02)
        log = server.log()
        server.stop()
    raise RuntimeError(f"redis-server did not start; its log:\n{log}")


@contextlib.contextmanager
def running_redis_server() -> Iterator[RedisServer]:
    """A server for the ``with`` block."""
    server = start_redis_server()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="session")
def redis_server() -> Iterator[RedisServer]:
    """A ``redis-server`` for the whole session. Fails (does not skip) when none is
    installed, unless ``RESTLI_SKIP_REDIS=1``."""
    if skipped():
        pytest.skip(f"{SKIP_VARIABLE}=1")
    if shutil.which("redis-server") is None:
        pytest.fail(NOT_INSTALLED, pytrace=False)
    try:
        import redis  # noqa: F401
    except ImportError:
        pytest.fail('the redis package is not installed: pip install -e ".[redis]"', pytrace=False)
    with running_redis_server() as server:
        yield server
