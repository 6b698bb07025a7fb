"""Serve a ``Request -> Response`` function over a real socket on loopback.

``restli serve`` and ``restli demo`` use this to put the embedded Rest.li server
(:mod:`restli_core.testing`) on 127.0.0.1, so that every transport can be exercised
end to end with no network and no LinkedIn account (:func:`run_serve` is the
``restli serve`` command; its options are in ``_main``). The request target is passed on
exactly as it arrived (``BaseHTTPRequestHandler.path`` is the raw target), so the
server decodes what the client really sent. When the app is a
:class:`~restli_core.testing.RestliServer`, its latency and disconnect faults are
delivered for real: a sleep before answering, a dropped connection.
"""

from __future__ import annotations

import argparse
import json
import socket
import sys
import threading
import time
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import TYPE_CHECKING, Any

from restli_core import Request, Response, RestliUsageError

if TYPE_CHECKING:
    from restli_core.testing import RestliServer

Handler = Callable[[Request], Response]

# Headers the HTTP layer owns: recomputed for every answer.
_HOP_BY_HOP = frozenset({"content-length", "connection", "transfer-encoding", "keep-alive"})


class _RequestHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, as LinkedIn's front ends do
    # Headers and body go out in separate writes: without TCP_NODELAY, each small
    # answer waits for the client's delayed ACK (~40 ms) before the body leaves.
    disable_nagle_algorithm = True
    server: _Server

    def _handle(self) -> None:
        body = self._read_body()
        if body is None:
            return
        host = self.headers.get("Host") or "{}:{}".format(*self.server.server_address[:2])
        delay, disconnect = 0.0, False
        try:
            request = Request(
                method=self.command,
                url=f"http://{host}{self.path}",
                headers=list(self.headers.items()),
                body=body or None,
            )
        except RestliUsageError:  # not a request the core can hold (a non-ASCII path...)
            self.send_error(400, "malformed request")
            return
        try:
            dispatch = getattr(self.server.app, "dispatch", None)
            if dispatch is not None:  # the embedded server: it may ask for a fault
                reply = dispatch(request)
                response, delay, disconnect = reply.response, reply.delay, reply.disconnect
            else:
                response = self.server.app(request)
        except Exception as exc:  # the app must not take the server down
            response = Response(
                500,
                [("Content-Type", "text/plain")],
                f"server error: {type(exc).__name__}".encode(),
            )
        if delay > 0:
            time.sleep(delay)
        if disconnect:  # a fault: drop the connection without answering
            self.close_connection = True
            self.connection.shutdown(socket.SHUT_RDWR)
            return
        self.send_response(response.status_code)
        for name, value in response.headers.raw:
            if name.lower() not in _HOP_BY_HOP:
                self.send_header(name, value)
        self.send_header("Content-Length", str(len(response.body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(response.body)

    def _read_body(self) -> bytes | None:
        if "chunked" in self.headers.get("Transfer-Encoding", "").lower():
            chunks: list[bytes] = []
            while True:
                size = int(self.rfile.readline().split(b";")[0].strip() or b"0", 16)
                if size == 0:
                    while self.rfile.readline() not in (b"\r\n", b"\n", b""):
                        pass
                    return b"".join(chunks)
                chunks.append(self.rfile.read(size))
                self.rfile.readline()
        length_text = self.headers.get("Content-Length", "0")
        try:
            length = int(length_text)
        except ValueError:
            self.send_error(400, "bad Content-Length")
            return None
        return self.rfile.read(length) if length > 0 else b""

    do_GET = do_POST = do_PUT = do_DELETE = do_PATCH = do_HEAD = do_OPTIONS = _handle

    def log_message(self, format: str, *args: Any) -> None:
        if self.server.log is not None:
            self.server.log(f"{self.address_string()} {format % args}")


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    # socketserver listens with a backlog of 5: a burst of 8+ new connections then
    # waits for the kernel's SYN retry (about a second). Test suites open many at once.
    request_queue_size = 1024

    def __init__(
        self,
        address: tuple[str, int],
        app: Handler,
        log: Callable[[str], None] | None,
    ) -> None:
        self.app = app
        self.log = log
        super().__init__(address, _RequestHandler)


class LoopbackServer:
    """A running HTTP server on 127.0.0.1 that answers with ``app``.

    Use as a context manager; ``url`` is its base URL (``http://127.0.0.1:PORT``).
    """

    def __init__(
        self,
        app: Handler,
        *,
        host: str = "127.0.0.1",
        port: int = 0,
        log: Callable[[str], None] | None = None,
    ) -> None:
        self._server = _Server((host, port), app, log)
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}"

    @property
    def port(self) -> int:
        return int(self._server.server_address[1])

    def start(self) -> LoopbackServer:
        """Serve in a background thread."""
        self._thread = threading.Thread(
            target=self._server.serve_forever, name="restli-serve", daemon=True
        )
        self._thread.start()
        return self

    def serve_forever(self) -> None:
        """Serve in this thread until interrupted."""
        self._server.serve_forever()

    def close(self) -> None:
        """Stop serving and release the socket."""
        if self._thread is not None:
            self._server.shutdown()
            self._thread.join(timeout=5)
            self._thread = None
        self._server.server_close()

    def __enter__(self) -> LoopbackServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.close()


# --------------------------------------------------------------------------- restli serve


def build_server(args: argparse.Namespace) -> RestliServer:
    """The embedded server ``restli serve`` runs, as its options describe.

    Raises:
        RestliUsageError: for a resources file that cannot be read or is invalid.
    """
    from restli_core.testing import RestliServer, load_resources

    options: dict[str, Any] = {
        "request_log_size": 1000,  # a long run stays bounded
        "official_examples": args.official_examples,
    }
    if args.retired_version:
        options["retired_versions"] = args.retired_version
    if args.token is not None:
        options["tokens"] = args.token
    server = RestliServer(**options)
    for path in args.resources:
        try:
            with open(path, encoding="utf-8") as file:
                data = json.load(file)
        except OSError as exc:
            raise RestliUsageError(f"--resources {path}: {exc.strerror or exc}") from None
        except (ValueError, RecursionError) as exc:
            raise RestliUsageError(f"--resources {path}: not valid JSON ({exc})") from None
        try:
            load_resources(server, data)
        except RestliUsageError as exc:
            raise RestliUsageError(f"--resources {path}: {exc}") from None
    for fault in args.fault:
        server.inject(**fault)
    return server


def run_serve(args: argparse.Namespace) -> int:
    """Run ``restli serve`` until interrupted; returns the exit status."""
    app = build_server(args)

    def log(line: str) -> None:
        print(line, file=sys.stderr, flush=True)

    server = LoopbackServer(app, port=args.port, log=None if args.quiet else log)
    # Two lines for whoever started it: where it serves, and what to export so that
    # code written for the official client runs against it unchanged.
    print(f"restli: serving the embedded Rest.li server on {server.url} (Ctrl-C stops)", flush=True)
    print(f"export RESTLI_API_ROOT={server.url}", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.close()
    return 0
