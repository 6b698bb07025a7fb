"""In-process transports: :class:`MockTransport` (sync) and :class:`AsyncMockTransport`.

They satisfy :class:`~restli_core.SyncTransport` / :class:`~restli_core.AsyncTransport`,
so ``run_sync(flow, MockTransport())`` runs a flow against the in-memory server with
no network. Waiting is virtual by default: a flow's ``Sleep`` and a server's latency
hint only advance :attr:`clock` (and sleeps are listed in :attr:`sleeps`), so retry
tests finish at once. ``real_sleep=True`` waits for real.
"""

from __future__ import annotations

import inspect
import sys
import time
from collections.abc import Awaitable, Callable
from types import TracebackType
from typing import Union

import attrs

from .._errors import (
    RestliEncodeError,
    RestliError,
    TransportError,
    TransportTimeout,
    redact_url,
)
from .._messages import Request, Response
from ..transport import normalize_timeout
from ._server import Reply, RestliServer

__all__ = ["AsyncMockTransport", "Exchange", "MockTransport"]

Handler = Callable[[Request], Response]
Timeout = Union[float, tuple[float, float], None]
AsyncHandler = Callable[[Request], Union[Response, Awaitable[Response]]]


@attrs.frozen
class Exchange:
    """One recorded exchange: the request, and its response or the transport error."""

    request: Request
    response: Response | None
    error: TransportError | None = None


class _MockBase:
    """What both transports share; only the waiting differs."""

    def __init__(
        self,
        handler: object,
        *,
        real_sleep: bool,
        record: bool,
        timeout: Timeout,
    ) -> None:
        self.handler = handler if handler is not None else RestliServer()
        self.real_sleep = real_sleep
        self.record = record
        self.timeout = timeout
        # Latency is waiting for the answer, so the read part of a pair applies.
        self._read_timeout = None if timeout is None else normalize_timeout(timeout)[1]
        self.sleeps: list[float] = []
        self.clock = 0.0
        self.exchanges: list[Exchange] = []

    @property
    def server(self) -> RestliServer:
        """The :class:`RestliServer` this transport talks to.

        Raises:
            RestliError: when the handler is not a :class:`RestliServer`.
        """
        if not isinstance(self.handler, RestliServer):
            raise RestliError(f"this transport's handler is {self.handler!r}, not a RestliServer")
        return self.handler

    def _note_sleep(self, seconds: float) -> float:
        if not seconds >= 0:  # also rejects NaN
            raise RestliEncodeError(f"cannot sleep {seconds!r} seconds")
        seconds = float(seconds)
        self.sleeps.append(seconds)
        self.clock += seconds
        return seconds

    def _settle(
        self, request: Request, reply: Reply
    ) -> tuple[Response, float, TransportError | None]:
        """Apply the reply's delivery hints: the wait, and any error to raise after it."""
        wait = reply.delay
        error: TransportError | None = None
        limit = self._read_timeout
        # The request's own timeout (the time left of the call's deadline) bounds
        # the whole exchange, as a real transport's BodyCollector makes it.
        if request.timeout is not None and (limit is None or request.timeout < limit):
            limit, what = request.timeout, "request's timeout"
        else:
            what = "read timeout"
        if limit is not None and wait > limit:
            wait = limit
            error = TransportTimeout(
                f"{request.method} {redact_url(request.url)}: no answer within the "
                f"{limit:g} s {what}",
                request_method=request.method,
                request_url=request.url,
                sent=True,
            )
        elif reply.disconnect:
            error = TransportError(
                f"{request.method} {redact_url(request.url)}: the server closed the "
                f"connection without answering",
                request_method=request.method,
                request_url=request.url,
                sent=True,
            )
        self.clock += wait
        response = reply.response
        if not response.url:
            response = attrs.evolve(response, url=request.url)
        if self.record:
            self.exchanges.append(Exchange(request, None if error else response, error))
        return response, wait, error

    def _record_error(self, request: Request, error: TransportError) -> None:
        if self.record:
            self.exchanges.append(Exchange(request, None, error))

    def _reply(self, request: Request, response: object) -> Reply:
        if not isinstance(response, Response):
            raise RestliError(
                f"the handler returned {type(response).__name__}, not a restli_core.Response"
            )
        return Reply(response)


class MockTransport(_MockBase):
    """A synchronous in-process transport (``send`` + ``sleep``).

    Args:
        handler: any callable ``Request -> Response``; default a fresh, seeded
            :class:`RestliServer`. With a :class:`RestliServer` the transport
            honours its latency and disconnect faults.
        real_sleep: wait for real (``time.sleep``) instead of virtually.
        record: keep every exchange in :attr:`exchanges`.
        timeout: a read timeout in seconds (or a ``(connect, read)`` pair): server
            latency beyond it, or beyond the request's own
            :attr:`~restli_core.Request.timeout`, raises
            :class:`~restli_core.TransportTimeout`, as a real transport would.

    Attributes:
        sleeps: the seconds of every ``sleep`` call, in order.
        clock: virtual seconds elapsed (sleeps plus server latency).
        exchanges: the recorded :class:`Exchange` list (with ``record=True``).
    """

    def __init__(
        self,
        handler: Handler | None = None,
        *,
        real_sleep: bool = False,
        record: bool = False,
        timeout: Timeout = None,
    ) -> None:
        super().__init__(handler, real_sleep=real_sleep, record=record, timeout=timeout)

    def __repr__(self) -> str:
        return f"MockTransport({self.handler!r})"

    def send(self, request: Request) -> Response:
        """Have the handler answer ``request``.

        Raises:
            TransportTimeout: when the server's latency exceeds :attr:`timeout`.
            TransportError: when a fault drops the connection (or the handler
                raises one).
        """
        handler = self.handler
        if isinstance(handler, RestliServer):
            reply = handler.dispatch(request)
        else:
            assert callable(handler)
            try:
                result = handler(request)
            except TransportError as exc:
                self._record_error(request, exc)
                raise
            reply = self._reply(request, result)
        response, wait, error = self._settle(request, reply)
        if wait and self.real_sleep:
            time.sleep(wait)
        if error is not None:
            raise error
        return response

    def sleep(self, seconds: float) -> None:
        """Wait ``seconds``: virtually (recorded in :attr:`sleeps`) unless ``real_sleep``."""
        seconds = self._note_sleep(seconds)
        if self.real_sleep:
            time.sleep(seconds)

    def close(self) -> None:
        """Nothing to release; present so the transport can stand in for a real one."""

    def __enter__(self) -> MockTransport:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()


async def _real_async_sleep(seconds: float) -> None:
    # The core never imports asyncio; a coroutine being awaited means an event loop
    # runs, and with asyncio that module is already loaded.
    loop_module = sys.modules.get("asyncio")
    if loop_module is None:
        raise RestliError("real_sleep=True needs the asyncio event loop")
    await loop_module.sleep(seconds)


class AsyncMockTransport(_MockBase):
    """The asynchronous twin of :class:`MockTransport` (``async send`` + ``async sleep``).

    The handler may also be an ``async`` callable. Arguments and attributes are
    those of :class:`MockTransport`; with ``real_sleep=True`` it waits with
    ``asyncio.sleep``.
    """

    def __init__(
        self,
        handler: AsyncHandler | None = None,
        *,
        real_sleep: bool = False,
        record: bool = False,
        timeout: Timeout = None,
    ) -> None:
        super().__init__(handler, real_sleep=real_sleep, record=record, timeout=timeout)

    def __repr__(self) -> str:
        return f"AsyncMockTransport({self.handler!r})"

    async def send(self, request: Request) -> Response:
        """Have the handler answer ``request`` (see :meth:`MockTransport.send`)."""
        handler = self.handler
        if isinstance(handler, RestliServer):
            reply = handler.dispatch(request)
        else:
            assert callable(handler)
            try:
                result = handler(request)
                if inspect.isawaitable(result):
                    result = await result
            except TransportError as exc:
                self._record_error(request, exc)
                raise
            reply = self._reply(request, result)
        response, wait, error = self._settle(request, reply)
        if wait and self.real_sleep:
            await _real_async_sleep(wait)
        if error is not None:
            raise error
        return response

    async def sleep(self, seconds: float) -> None:
        """Wait ``seconds``: virtually unless ``real_sleep``."""
        seconds = self._note_sleep(seconds)
        if self.real_sleep:
            await _real_async_sleep(seconds)

    async def aclose(self) -> None:
        """Nothing to release."""

    async def __aenter__(self) -> AsyncMockTransport:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        await self.aclose()
