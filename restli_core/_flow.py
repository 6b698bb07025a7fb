"""Flows and the two drivers that run them.

A *flow* is a generator holding protocol logic that needs more than one exchange
(retries, pagination, token calls). It yields a :class:`Request` to have it sent, or a
:class:`Sleep` to have the driver wait; it receives the :class:`Response` (or ``None``
after a sleep), or has the transport's :class:`TransportError` thrown into it; its
``return`` value is the result. The logic is written once and runs unchanged under
:func:`run_sync` or :func:`run_async`, which are the only places that send.
(Model: httpx's ``Auth.auth_flow``.)
"""

from __future__ import annotations

from collections.abc import Generator
from typing import Protocol, TypeVar, Union

import attrs

from ._errors import TransportError
from ._messages import Request, Response

T = TypeVar("T")


@attrs.frozen
class Sleep:
    """A flow's request to wait ``seconds`` before going on."""

    seconds: float


Step = Union[Request, Sleep]
Flow = Generator[Step, Union[Response, None], T]


class SyncTransport(Protocol):
    """What :func:`run_sync` needs: a way to send and a way to wait."""

    def send(self, request: Request) -> Response: ...

    def sleep(self, seconds: float) -> None: ...


class AsyncTransport(Protocol):
    """What :func:`run_async` needs: the awaitable counterparts."""

    async def send(self, request: Request) -> Response: ...

    async def sleep(self, seconds: float) -> None: ...


def run_sync(flow: Flow[T], transport: SyncTransport) -> T:
    """Run ``flow`` to completion, sending its requests through ``transport``.

    The flow is closed when the driver returns or raises, so its ``finally``
    blocks run at once (not whenever the garbage collector gets to it)."""
    try:
        step = next(flow)
        while True:
            if isinstance(step, Sleep):
                transport.sleep(step.seconds)
                step = flow.send(None)
                continue
            try:
                response = transport.send(step)
            except TransportError as exc:
                step = flow.throw(exc)
            else:
                step = flow.send(response)
    except StopIteration as stop:
        result: T = stop.value
        return result
    finally:
        flow.close()  # a flow stopped by an error or a cancellation cleans up now


async def run_async(flow: Flow[T], transport: AsyncTransport) -> T:
    """Run ``flow`` to completion, awaiting ``transport`` for each step."""
    try:
        step = next(flow)
        while True:
            if isinstance(step, Sleep):
                await transport.sleep(step.seconds)
                step = flow.send(None)
                continue
            try:
                response = await transport.send(step)
            except TransportError as exc:
                step = flow.throw(exc)
            else:
                step = flow.send(response)
    except StopIteration as stop:
        result: T = stop.value
        return result
    finally:
        flow.close()  # a flow stopped by an error or a cancellation cleans up now


def single(request: Request) -> Flow[Response]:
    """The simplest flow: send ``request`` once and return its response."""
    response = yield request
    if response is None:
        raise TypeError("the driver sent no response for a request")
    return response
