"""Loopback HTTP servers for the transport suites: nginx, or a raw asyncio server.

Both answer every request with the same fixed JSON body (a Rest.li finder page), so
a benchmark measures the client, not the server. :func:`start_server` prefers nginx
(``apt-get install -y nginx``) and falls back to the raw server when nginx is not
installed; either runs as a child process that :meth:`LoopbackServer.stop` ends.

Run as a script (``python _servers.py BODY_FILE``), this file is the raw server: it
listens on a free 127.0.0.1 port, prints the port on stdout and serves until killed.
Only the standard library is used, so the script runs without the package on the path.
"""

from __future__ import annotations

import asyncio
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field

__all__ = ["LoopbackServer", "cpu_seconds", "start_server"]

_READY_TIMEOUT = 10.0


def _response_head(body: bytes) -> bytes:
    # The headers LinkedIn's gateway sends that a client looks at; the raw server
    # writes them once, as nginx does, so both servers cost the client the same.
    return (
        b"HTTP/1.1 200 OK\r\n"
        b"Server: raw\r\n"
        b"Content-Type: application/json\r\n"
        b"Content-Length: " + str(len(body)).encode() + b"\r\n"
        b"Connection: keep-alive\r\n"
        b"X-RestLi-Protocol-Version: 2.0.0\r\n"
        b"\r\n"
    )


@dataclass
class LoopbackServer:
    """A running server child process on ``127.0.0.1:port``."""

    kind: str
    port: int
    process: subprocess.Popen[bytes]
    description: str
    _tmp: tempfile.TemporaryDirectory[str] | None = field(default=None, repr=False)

    @property
    def base(self) -> str:
        """``http://127.0.0.1:<port>``."""
        return f"http://127.0.0.1:{self.port}"

    def stop(self) -> None:
        """End the child process (SIGTERM, then SIGKILL) and remove its files."""
        proc = self.process
        if proc.poll() is None:
            proc.terminate()
            try:
                proc.wait(timeout=5)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait(timeout=5)
        if proc.stdout is not None:
            proc.stdout.close()
        if self._tmp is not None:
            self._tmp.cleanup()
            self._tmp = None


def cpu_seconds(pid: int) -> float:
    """User + system CPU seconds used so far by process ``pid`` (Linux /proc)."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as f:
            fields = f.read().rsplit(b")", 1)[1].split()
    except OSError:
        return float("nan")
    # Fields 14 and 15 (utime, stime) in clock ticks; after ")" they are 12th and 13th.
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _die_with_parent() -> None:
    # Runs in the child before exec: if the benchmark process dies without stopping
    # the server (SIGKILL), the kernel sends the server SIGTERM (PR_SET_PDEATHSIG),
    # so no server is ever left running. Linux only; elsewhere a no-op.
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGTERM)  # 1 = PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def _wait_ready(proc: subprocess.Popen[bytes], port: int) -> bool:
    deadline = time.monotonic() + _READY_TIMEOUT
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            return False
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return True
        except OSError:
            time.sleep(0.02)
    return False


def _nginx_config(tmp: str, port: int) -> str:
    # The body is a static file (an inline "return 200 '...'" is capped at 4 KB by
    # nginx's config parser); open_file_cache keeps it from being opened per request.
    return f"""\
daemon off;
master_process off;
worker_processes 1;
pid {tmp}/nginx.pid;
error_log {tmp}/error.log warn;
events {{ worker_connections 1024; }}
http {{
    access_log off;
    server_tokens off;
    keepalive_requests 100000000;  # never close a benchmark's connection
    keepalive_timeout 75s;
    sendfile on;
    tcp_nodelay on;
    etag off;
    open_file_cache max=16 inactive=600s;
    open_file_cache_valid 600s;
    client_body_temp_path {tmp}/client_body;
    proxy_temp_path {tmp}/proxy;
    fastcgi_temp_path {tmp}/fastcgi;
    uwsgi_temp_path {tmp}/uwsgi;
    scgi_temp_path {tmp}/scgi;
    server {{
        listen 127.0.0.1:{port};
        root {tmp}/www;
        location / {{
            default_type application/json;
            add_header X-RestLi-Protocol-Version 2.0.0;
            try_files /finder.json =404;
        }}
    }}
}}
"""


def _start_nginx(nginx: str, body: bytes) -> LoopbackServer:
    tmp = tempfile.TemporaryDirectory(prefix="restli-bench-nginx-")
    try:
        os.mkdir(os.path.join(tmp.name, "www"))
        with open(os.path.join(tmp.name, "www", "finder.json"), "wb") as f:
            f.write(body)
        # nginx workers may run as "nobody" when started by root: let them read it.
        os.chmod(tmp.name, 0o755)
        os.chmod(os.path.join(tmp.name, "www"), 0o755)
        version = subprocess.run(
            [nginx, "-v"], capture_output=True, text=True, timeout=10, check=False
        ).stderr.strip()
        for _ in range(5):  # the free port may be taken between probe and bind
            port = _free_port()
            conf = os.path.join(tmp.name, "nginx.conf")
            with open(conf, "w") as f:
                f.write(_nginx_config(tmp.name, port))
            proc = subprocess.Popen(
                [nginx, "-p", tmp.name, "-c", conf, "-e", os.path.join(tmp.name, "error.log")],
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
                # Its own session: a Ctrl-C reaches only us, and our finally stops it.
                start_new_session=True,
                preexec_fn=_die_with_parent,
            )
            if _wait_ready(proc, port):
                return LoopbackServer(
                    "nginx",
                    port,
                    proc,
                    f"{version.replace('nginx version: ', '')} (1 worker, keep-alive, access_log off, static file)",
                    tmp,
                )
            if proc.poll() is None:
                proc.kill()
            proc.wait(timeout=5)
        with open(os.path.join(tmp.name, "error.log")) as f:
            log = f.read()[-2000:]
        raise RuntimeError(f"nginx did not start:\n{log}")
    except BaseException:
        tmp.cleanup()
        raise


def _start_raw(body: bytes) -> LoopbackServer:
    tmp = tempfile.TemporaryDirectory(prefix="restli-bench-raw-")
    try:
        body_file = os.path.join(tmp.name, "body.json")
        with open(body_file, "wb") as f:
            f.write(body)
        proc = subprocess.Popen(
            [sys.executable, os.path.abspath(__file__), body_file],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            start_new_session=True,
            preexec_fn=_die_with_parent,
        )
        assert proc.stdout is not None
        line = proc.stdout.readline()
        if not line.strip().isdigit():
            proc.kill()
            proc.wait(timeout=5)
            raise RuntimeError("the raw server did not start")
        port = int(line)
        if not _wait_ready(proc, port):
            proc.kill()
            proc.wait(timeout=5)
            raise RuntimeError("the raw server did not accept connections")
        return LoopbackServer(
            "raw", port, proc, "raw asyncio.Protocol server (1 process, keep-alive)", tmp
        )
    except BaseException:
        tmp.cleanup()
        raise


def start_server(body: bytes, *, prefer: str = "nginx") -> LoopbackServer:
    """Start a loopback server answering every request with ``body``.

    Args:
        body: the JSON body of every response.
        prefer: ``"nginx"`` (falls back to the raw server when nginx is missing)
            or ``"raw"``.

    Returns:
        The running server; call :meth:`LoopbackServer.stop` when done.
    """
    nginx = shutil.which("nginx") or next(
        (p for p in ("/usr/sbin/nginx", "/usr/local/sbin/nginx") if os.access(p, os.X_OK)),
        None,
    )
    if prefer == "nginx" and nginx is not None:
        return _start_nginx(nginx, body)
    return _start_raw(body)


# --------------------------------------------------------------------- the raw server


class _Answer(asyncio.Protocol):
    """Answers each complete request in the buffer (pipelining and bodies included)."""

    response = b""

    def __init__(self) -> None:
        self.buffer = b""
        self.transport: asyncio.Transport | None = None

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        assert isinstance(transport, asyncio.Transport)
        self.transport = transport
        sock = transport.get_extra_info("socket")
        if sock is not None:
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def data_received(self, data: bytes) -> None:
        buf = self.buffer + data if self.buffer else data
        answers = 0
        while True:
            end = buf.find(b"\r\n\r\n")
            if end < 0:
                break
            length = 0
            head = buf[:end].lower()
            at = head.find(b"\r\ncontent-length:")
            if at >= 0:
                line_end = head.find(b"\r\n", at + 2)
                length = int(head[at + 17 : line_end if line_end >= 0 else len(head)])
            if len(buf) < end + 4 + length:
                break
            buf = buf[end + 4 + length :]
            answers += 1
        self.buffer = buf
        if answers and self.transport is not None:
            self.transport.write(self.response * answers)


async def _serve(body: bytes) -> None:
    _Answer.response = _response_head(body) + body
    loop = asyncio.get_running_loop()
    server = await loop.create_server(_Answer, "127.0.0.1", 0, backlog=1024)
    port = server.sockets[0].getsockname()[1]
    print(port, flush=True)
    stop = asyncio.Event()
    loop.add_signal_handler(signal.SIGTERM, stop.set)
    loop.add_signal_handler(signal.SIGINT, stop.set)
    async with server:
        await stop.wait()


if __name__ == "__main__":
    with open(sys.argv[1], "rb") as _f:
        _body = _f.read()
    asyncio.run(_serve(_body))
