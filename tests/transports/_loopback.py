"""A scriptable HTTP/1.1 server on 127.0.0.1 for the transport contract tests.

It is written on raw sockets (socketserver), not on an HTTP framework, so that it
records exactly what arrived: the request line's target byte for byte, every header
and the body bytes. Each request is answered by the next scripted :class:`Reply`
(or by ``default``), which can also hang, reset the connection or close it.
"""

from __future__ import annotations

import json
import socket
import socketserver
import ssl
import struct
import threading
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any


@dataclass
class Received:
    """One request as it arrived on the socket."""

    method: str
    target: str  # the raw request-target, exactly as sent
    headers: list[tuple[str, str]]
    body: bytes

    def header(self, name: str) -> str | None:
        values = [v for n, v in self.headers if n.lower() == name.lower()]
        return ", ".join(values) if values else None

    def header_names(self) -> list[str]:
        return [n.lower() for n, _ in self.headers]


@dataclass
class Reply:
    """What to do with one request.

    action: "reply" (send status/headers/body), "hang" (never answer), "reset"
    (abort the connection with a TCP RST), "close" (close it without answering),
    "reply_close" (answer, then close the connection), "verbatim" (send ``body``
    as the whole answer, status line and headers included, then close).

    trickle: "head" or "body" sends that part of the answer, from its
    ``trickle_from``-th byte (a negative index counts from its end), one byte every
    ``interval`` seconds, until the client goes away or the server stops.
    """

    status: int = 200
    headers: list[tuple[str, str]] = field(default_factory=list)
    body: bytes = b""
    action: str = "reply"
    trickle: str = ""
    trickle_from: int = 0
    interval: float = 1.0


def json_reply(data: Any, status: int = 200, headers: list[tuple[str, str]] | None = None) -> Reply:
    return Reply(
        status,
        [("Content-Type", "application/json"), *(headers or [])],
        json.dumps(data).encode(),
    )


_REASONS = {200: "OK", 201: "Created", 204: "No Content", 429: "Too Many Requests"}


class _Handler(socketserver.StreamRequestHandler):
    server: _Server

    def handle(self) -> None:
        owner = self.server.owner
        owner._track(self.connection)
        try:
            if isinstance(self.connection, ssl.SSLSocket):
                self.connection.do_handshake()  # here, not in the accepting thread
            while not owner._stopping.is_set():
                received = self._read()
                if received is None:
                    return
                reply = owner._next_reply(received)
                if reply.action == "hang":
                    owner._stopping.wait(10)
                    return
                if reply.action == "reset":
                    # SO_LINGER with a zero timeout makes close() send RST.
                    self.connection.setsockopt(
                        socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0)
                    )
                    self.connection.close()
                    return
                if reply.action == "close":
                    return
                if reply.action == "verbatim":
                    self.wfile.write(reply.body)
                    self.wfile.flush()
                    self.connection.shutdown(socket.SHUT_RDWR)
                    return
                if reply.trickle:
                    if not self._trickle(reply):
                        return
                    continue
                self._write(reply)
                if reply.action == "reply_close":
                    self.connection.shutdown(socket.SHUT_RDWR)
                    return
        except OSError:
            return
        finally:
            owner._untrack(self.connection)

    def _read(self) -> Received | None:
        line = self.rfile.readline(65537)
        if not line:
            return None
        method, target, _version = line.decode("latin-1").rstrip("\r\n").split(" ", 2)
        headers: list[tuple[str, str]] = []
        while True:
            raw = self.rfile.readline(65537)
            if raw in (b"\r\n", b"\n", b""):
                break
            name, _, value = raw.decode("latin-1").partition(":")
            headers.append((name.strip(), value.strip()))
        lower = {n.lower(): v for n, v in headers}
        body = b""
        if "content-length" in lower:
            body = self.rfile.read(int(lower["content-length"]))
        elif lower.get("transfer-encoding", "").lower() == "chunked":
            chunks = []
            while True:
                size = int(self.rfile.readline().split(b";")[0], 16)
                if size == 0:
                    while self.rfile.readline() not in (b"\r\n", b"\n", b""):
                        pass
                    break
                chunks.append(self.rfile.read(size))
                self.rfile.readline()
            body = b"".join(chunks)
        return Received(method, target, headers, body)

    @staticmethod
    def _head(reply: Reply) -> bytes:
        reason = _REASONS.get(reply.status, "Status")
        head = [f"HTTP/1.1 {reply.status} {reason}"]
        head += [f"{n}: {v}" for n, v in reply.headers]
        head.append(f"Content-Length: {len(reply.body)}")
        return ("\r\n".join(head) + "\r\n\r\n").encode("latin-1")

    def _write(self, reply: Reply) -> None:
        self.wfile.write(self._head(reply) + reply.body)
        self.wfile.flush()

    def _trickle(self, reply: Reply) -> bool:
        """Send ``reply`` slowly (see :class:`Reply`); ``False`` once the server stops.

        A write to a client that went away raises OSError, which ends the handler.
        """
        head = self._head(reply)
        data = head + reply.body
        first, last = (0, len(head)) if reply.trickle == "head" else (len(head), len(data))
        start = (first if reply.trickle_from >= 0 else last) + reply.trickle_from
        self.wfile.write(data[:start])
        self.wfile.flush()
        for i in range(start, last):
            if self.server.owner._stopping.wait(reply.interval):
                return False
            self.wfile.write(data[i : i + 1])
            self.wfile.flush()
        self.wfile.write(data[last:])
        self.wfile.flush()
        return True


class _Server(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 128
    owner: LoopbackServer

    def get_request(self) -> tuple[socket.socket, Any]:
        sock, address = super().get_request()
        context = self.owner.ssl_context
        if context is not None:
            sock = context.wrap_socket(sock, server_side=True, do_handshake_on_connect=False)
        return sock, address


class LoopbackServer:
    """A started server; ``stop()`` (or the fixture) ends it and its threads.

    With ``ssl_context`` (a server-side context holding a certificate) it speaks HTTPS.
    """

    def __init__(self, ssl_context: ssl.SSLContext | None = None) -> None:
        self.ssl_context = ssl_context
        self.received: list[Received] = []
        self.accepted = 0  # connections accepted
        self.default: Callable[[Received], Reply] = lambda _r: json_reply({})
        self._script: deque[Reply] = deque()
        self._lock = threading.Lock()
        self._stopping = threading.Event()
        self._connections: set[socket.socket] = set()
        self._server = _Server(("127.0.0.1", 0), _Handler)
        self._server.owner = self
        self.port = self._server.server_address[1]
        scheme = "http" if ssl_context is None else "https"
        self.url = f"{scheme}://127.0.0.1:{self.port}"
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )
        self._thread.start()

    def script(self, *replies: Reply) -> None:
        """Answer the next requests with ``replies``, in order."""
        with self._lock:
            self._script.extend(replies)

    def _next_reply(self, received: Received) -> Reply:
        with self._lock:
            self.received.append(received)
            if self._script:
                return self._script.popleft()
        return self.default(received)

    def _track(self, conn: socket.socket) -> None:
        with self._lock:
            self.accepted += 1
            self._connections.add(conn)

    def _untrack(self, conn: socket.socket) -> None:
        with self._lock:
            self._connections.discard(conn)

    @property
    def last(self) -> Received:
        return self.received[-1]

    def stop(self) -> None:
        self._stopping.set()
        self._server.shutdown()
        with self._lock:
            connections = list(self._connections)
        for conn in connections:  # wake handlers blocked on idle keep-alive reads
            try:
                conn.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
        self._server.server_close()  # joins the handler threads
        self._thread.join(5)


def refused_url() -> str:
    """A loopback URL where nothing listens (connecting is refused)."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    sock.close()
    return f"http://127.0.0.1:{port}"


class ConnectProxy:
    """A CONNECT-only HTTP proxy on 127.0.0.1: it opens the tunnel and copies bytes.

    It never sees inside the tunnel (the TLS session is between the client and the
    server), so what the server records is exactly what the client sent through it.
    """

    def __init__(self) -> None:
        self.tunnels: list[str] = []  # the authority of each CONNECT
        self._listener = socket.create_server(("127.0.0.1", 0))
        self.url = f"http://127.0.0.1:{self._listener.getsockname()[1]}"
        self._sockets: list[socket.socket] = [self._listener]
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while True:
            try:
                client, _ = self._listener.accept()
            except OSError:
                return
            threading.Thread(target=self._tunnel, args=(client,), daemon=True).start()

    def _tunnel(self, client: socket.socket) -> None:
        head = b""
        while b"\r\n\r\n" not in head:
            chunk = client.recv(4096)
            if not chunk:
                client.close()
                return
            head += chunk
        method, authority, _ = head.decode("latin-1").split(" ", 2)
        self.tunnels.append(authority)
        host, _, port = authority.rpartition(":")
        if method != "CONNECT" or not port.isdigit():
            client.sendall(b"HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n")
            client.close()
            return
        upstream = socket.create_connection((host, int(port)))
        self._sockets += [client, upstream]
        client.sendall(b"HTTP/1.1 200 Connection established\r\n\r\n")
        for src, dst in ((client, upstream), (upstream, client)):
            threading.Thread(target=self._copy, args=(src, dst), daemon=True).start()

    @staticmethod
    def _copy(src: socket.socket, dst: socket.socket) -> None:
        try:
            while data := src.recv(65536):
                dst.sendall(data)
            dst.shutdown(socket.SHUT_WR)
        except OSError:
            pass

    def stop(self) -> None:
        for sock in self._sockets:
            try:
                sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            sock.close()
