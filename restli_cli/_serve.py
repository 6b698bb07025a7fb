"""Serve a ``Request -> Response`` function over a real socket on loopback.

``restli serve`` and ``restli demo`` use this to put the embedded Rest.li server
(:mod:`restli_core.testing`) on 127.0.0.1, so that every transport can be exercised
end to end with no network and no LinkedIn account (:func:`run_serve` is the
``restli serve`` command; its options are in ``_main``). The request target is passed on
exactly as it arrived (``BaseHTTPRequestHandler.path`` is the raw target), so the
server decodes what the client really sent. When the app is a
:class:`~restli_core.testing.RestliServer`, its latency and disconnect faults are
delivered for real: a sleep before answering, a dropped connection. Those sleeps
(latency faults, ``RestliServer.token_delay``) happen in the request's own thread,
outside the server's lock, so a slow answer never holds up the others.

With ``restli serve --control``, :class:`ControlApp` adds ``/_restli/clock`` and
``/_restli/stats`` in front of the server, so that a test in another process can move
the server's clock and read its counts.
"""

from __future__ import annotations

import argparse
import datetime
import json
import math
import socket
import sys
import threading
import time
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from restli_core import Request, Response, RestliUsageError

if TYPE_CHECKING:
    from restli_core.testing import Reply, RestliServer

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

    def handle_error(self, request: Any, client_address: Any) -> None:
        # A client that went away before its answer was written (a timeout, a killed
        # worker) is not the server's error: no traceback for it.
        if isinstance(sys.exc_info()[1], ConnectionError):
            return
        super().handle_error(request, client_address)


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
        """Serve in a background thread (:meth:`close` stops it within 50 ms)."""
        self._thread = threading.Thread(
            target=self._server.serve_forever,
            kwargs={"poll_interval": 0.05},
            name="restli-serve",
            daemon=True,
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


CONTROL_PREFIX = "/_restli/"
"""Where ``restli serve --control`` answers its control requests."""

TEST_CLIENT_ID = "app-1"
TEST_MEMBER = "member-1"


def build_server(args: argparse.Namespace) -> RestliServer:
    """The embedded server ``restli serve`` runs, as its options describe.

    Raises:
        RestliUsageError: for a resources file that cannot be read or is invalid.
    """
    from restli_core.testing import RestliServer, ServerClock, load_resources

    start = getattr(args, "start_time", None)
    clock = ServerClock(start, frozen=getattr(args, "freeze_clock", False))
    offset = getattr(args, "clock_offset", 0.0)
    if offset:
        clock.advance(offset)
    options: dict[str, Any] = {
        "request_log_size": 1000,  # a long run stays bounded
        "official_examples": args.official_examples,
        "clock": clock,
        "check_tokens": getattr(args, "check_tokens", False),
    }
    for option, keyword in (
        ("token_lifetime", "access_token_lifetime"),
        ("app_token_lifetime", "two_legged_token_lifetime"),
        ("refresh_token_lifetime", "refresh_token_lifetime"),
    ):
        if getattr(args, option, None) is not None:
            options[keyword] = getattr(args, option)
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
    for limit in [*getattr(args, "daily_limit", []), *getattr(args, "limit", [])]:
        server.set_limit(
            limit["resource"], limit["calls"], window=limit["window"], scope=limit["scope"]
        )
    volume = getattr(args, "metric_volume_limit", None)
    if volume is not None:
        server.set_metric_volume_limit(volume[0], window=volume[1])
    return server


# --------------------------------------------------------------------------- --control


class ControlApp:
    """``server``, with ``/_restli/clock`` and ``/_restli/stats`` answered in front of it.

    ``GET /_restli/clock`` answers ``{"now": UNIX, "utc": ISO, "frozen": BOOL}``;
    ``POST /_restli/clock`` with ``{"advance": SECONDS}`` or ``{"set": UNIX or ISO}``
    moves the clock and answers the same. ``GET /_restli/stats`` answers
    ``{"now", "token_calls", "token_calls_by_grant", "calls": {resource: {status:
    count}}}`` (over the server's bounded log of arrivals). Everything else goes to
    the server unchanged. Only ``restli serve --control`` puts this in front: a test
    server's back door, which no real API has.
    """

    def __init__(self, server: RestliServer) -> None:
        self.server = server

    def __call__(self, request: Request) -> Response:
        return self.dispatch(request).response

    def dispatch(self, request: Request) -> Reply:
        """Answer a control request, or pass ``request`` to the server."""
        from restli_core.testing import Reply

        path = urlsplit(request.url).path
        if not path.startswith(CONTROL_PREFIX):
            return self.server.dispatch(request)
        status, value = self._control(request.method.upper(), path[len(CONTROL_PREFIX) :], request)
        body = json.dumps(value, separators=(",", ":")).encode("utf-8")
        return Reply(
            Response(status, [("Content-Type", "application/json")], body, url=request.url)
        )

    def _clock_state(self) -> dict[str, Any]:
        clock = self.server.clock
        now = clock.now()
        utc = datetime.datetime.fromtimestamp(now, datetime.timezone.utc)
        return {"now": now, "utc": utc.isoformat(), "frozen": clock.frozen}

    def _control(self, method: str, name: str, request: Request) -> tuple[int, Any]:
        if name == "clock":
            if method == "GET":
                return 200, self._clock_state()
            if method != "POST":
                return 405, {"error": "GET or POST /_restli/clock"}
            try:
                order = json.loads(request.body or b"{}")
                if not isinstance(order, dict) or len(order) != 1:
                    raise ValueError("one of advance or set")
                if "advance" in order:
                    step = order["advance"]
                    if isinstance(step, bool) or not isinstance(step, (int, float)):
                        raise ValueError("advance takes seconds")
                    self.server.clock.advance(step)
                elif "set" in order:
                    self.server.clock.set(_moment(order["set"]))
                else:
                    raise ValueError("one of advance or set")
            except (ValueError, UnicodeDecodeError) as exc:
                return 400, {"error": f'send {{"advance": SECONDS}} or {{"set": UNIX|ISO}} ({exc})'}
            return 200, self._clock_state()
        if name == "stats":
            if method != "GET":
                return 405, {"error": "GET /_restli/stats"}
            calls: dict[str, dict[str, int]] = {}
            for call in self.server.quota_log():
                counts = calls.setdefault(call.resource, {})
                counts[str(call.status)] = counts.get(str(call.status), 0) + 1
            return 200, {
                "now": self.server.clock.now(),
                "token_calls": self.server.token_calls,
                "token_calls_by_grant": self.server.token_calls_by_grant,
                "calls": calls,
            }
        return 404, {"error": f"no control endpoint {name[:40]!r} (clock, stats)"}


def _moment(value: Any) -> float:
    if isinstance(value, str):
        when = datetime.datetime.fromisoformat(value.replace("Z", "+00:00"))
        if when.tzinfo is None:
            when = when.replace(tzinfo=datetime.timezone.utc)
        return when.timestamp()
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        raise ValueError("set takes Unix seconds or an ISO 8601 time")
    return float(value)


def _when(seconds: float) -> str:
    return time.strftime("%Y-%m-%d %H:%M:%S UTC", time.gmtime(seconds))


def run_serve(args: argparse.Namespace) -> int:
    """Run ``restli serve`` until interrupted; returns the exit status."""
    from ._common import TOKEN_ENV

    app = build_server(args)

    def log(line: str) -> None:
        print(line, file=sys.stderr, flush=True)

    handler: Handler = ControlApp(app) if getattr(args, "control", False) else app
    server = LoopbackServer(handler, port=args.port, log=None if args.quiet else log)
    # Two lines for whoever started it: where it serves, and what to export so that
    # code written for the official client runs against it unchanged.
    print(f"restli: serving the embedded Rest.li server on {server.url} (Ctrl-C stops)", flush=True)
    print(f"export RESTLI_API_ROOT={server.url}", flush=True)
    if app.check_tokens:
        # Tokens to call it with, since it accepts no made-up ones.
        token = app.issue_token(TEST_CLIENT_ID, member=TEST_MEMBER)
        refresh = app.issue_refresh_token(TEST_CLIENT_ID, member=TEST_MEMBER)
        expires = app.oauth.access_tokens[token].expires_at
        deadline = app.oauth.refresh_tokens[refresh].expires_at
        print(f"export {TOKEN_ENV}={token}", flush=True)
        print(
            f"restli: that access token is {TEST_CLIENT_ID}'s for {TEST_MEMBER}, until "
            f"{_when(expires)}; refresh token (until {_when(deadline)}): {refresh}",
            flush=True,
        )
    print(f"restli: the server's clock says {_when(app.clock.now())}", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.close()
    return 0
