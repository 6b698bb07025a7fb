"""Flows and the two drivers that run them.

A *flow* is a generator holding protocol logic that needs more than one exchange
(retries, pagination, token calls). It yields a :class:`Request` to have it sent, a
:class:`Sleep` to have the driver wait, or a :class:`Gather` to have several flows run
at once; it receives the :class:`Response` (``None`` after a sleep, a list of
:class:`Outcome` after a gather), or has the transport's :class:`TransportError`
thrown into it; its ``return`` value is the result. The logic is written once and
runs unchanged under :func:`run_sync` or :func:`run_async`, which are the only places
that send. (Model: httpx's ``Auth.auth_flow``.)

Running flows at once is the drivers' only difference beyond ``await``: the sync
driver runs a gather's flows on a small thread pool over the same transport (one
thread per flow running, at most ``limit``); the async driver hands them to the
transport's ``gather`` (:class:`ConcurrentAsyncTransport`), since the event loop's
tasks are the transport's business. Each
flow of a gather keeps its own retries and deadline; the outcomes come back in the
order of the flows, whatever order they finished in.
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Awaitable, Callable, Generator, Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import Any, Generic, Protocol, TypeVar, Union, cast

import attrs

from ._errors import RestliError, RestliUsageError, TransportError
from ._messages import Request, Response
from ._store import AnyStore, StoreCall, StoreError

T = TypeVar("T")


@attrs.frozen
class Sleep:
    """A flow's request to wait ``seconds`` before going on."""

    seconds: float


@attrs.frozen
class Outcome(Generic[T]):
    """How one flow of a :class:`Gather` ended: its result, or the exception it raised.

    Attributes:
        value: the flow's result (``None`` when it raised).
        error: the exception the flow raised, else ``None``.
    """

    value: T | None = None
    error: Exception | None = None

    def unwrap(self) -> T:
        """The flow's result; raises its exception if it had one."""
        if self.error is not None:
            raise self.error
        return cast("T", self.value)


@attrs.frozen
class Gather:
    """A flow's request to run ``flows`` at once, at most ``limit`` at a time.

    The driver starts the flows in order as slots free up and sends back a list of
    :class:`Outcome`, one per flow, in the order of ``flows``. A flow not started yet
    when an earlier one ends may look at what that one left (a shared flag, say) and
    return at once without sending anything. Build it with :func:`gather`.
    """

    flows: tuple[Flow[Any], ...]
    limit: int


Step = Union[Request, Sleep, Gather, StoreCall]
# What a flow receives: a Response for a Request, None after a Sleep, the outcomes of
# a Gather, or whatever the store operation of a StoreCall returned.
Received = Union[Response, None, list[Outcome[Any]], Any]
Flow = Generator[Step, Received, T]


class SyncTransport(Protocol):
    """What :func:`run_sync` needs: a way to send and a way to wait."""

    def send(self, request: Request) -> Response: ...

    def sleep(self, seconds: float) -> None: ...


class AsyncTransport(Protocol):
    """What :func:`run_async` needs: the awaitable counterparts."""

    async def send(self, request: Request) -> Response: ...

    async def sleep(self, seconds: float) -> None: ...


class ConcurrentAsyncTransport(AsyncTransport, Protocol):
    """An async transport that can also run several calls at once (``concurrency=``).

    The event loop is the transport's business (asyncio for aiohttp; asyncio or trio
    for httpx, through anyio), so running at once is too: :func:`run_async` hands a
    :class:`Gather`'s flows to ``gather``. Without it, they run one after the other.
    """

    async def gather(self, calls: Sequence[Callable[[], Awaitable[T]]], limit: int) -> Sequence[T]:
        """Await every call, at most ``limit`` at a time, each started in order as a
        slot frees; the results in the order of ``calls``. The calls never raise."""
        ...


def _store_sync(call: StoreCall, store: AnyStore | None) -> Any:
    if store is None:
        raise _no_store(call)
    try:
        answer = call.run(store)
    except RestliError:
        raise
    except Exception as exc:  # the store's library failed: say so in our terms
        raise StoreError(call.operation, exc) from exc
    if inspect.isawaitable(answer):
        close = getattr(answer, "close", None)
        if close is not None:
            close()  # a coroutine never awaited: no warning
        raise RestliUsageError("a sync client needs a sync store, not an async one")
    return answer


async def _store_async(call: StoreCall, store: AnyStore | None) -> Any:
    if store is None:
        raise _no_store(call)
    try:
        answer = call.run(store)
        if inspect.isawaitable(answer):
            answer = await answer
    except RestliError:
        raise
    except Exception as exc:  # the store's library failed: say so in our terms
        raise StoreError(call.operation, exc) from exc
    return answer


def _no_store(call: StoreCall) -> RestliUsageError:
    return RestliUsageError(
        f"the flow asked for the store operation {call.operation!r}, but the driver was "
        f"given no store"
    )


def run_sync(flow: Flow[T], transport: SyncTransport, store: AnyStore | None = None) -> T:
    """Run ``flow`` to completion, sending its requests through ``transport`` and its
    store operations to ``store``.

    The flow is closed when the driver returns or raises, so its ``finally``
    blocks run at once (not whenever the garbage collector gets to it)."""
    try:
        step = next(flow)
        while True:
            if isinstance(step, Sleep):
                transport.sleep(step.seconds)
                step = flow.send(None)
                continue
            if isinstance(step, Gather):
                step = flow.send(_gather_sync(step, transport, store))
                continue
            if isinstance(step, StoreCall):
                try:
                    answer = _store_sync(step, store)
                except RestliError as exc:
                    step = flow.throw(exc)
                else:
                    step = flow.send(answer)
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


async def run_async(flow: Flow[T], transport: AsyncTransport, store: AnyStore | None = None) -> T:
    """Run ``flow`` to completion, awaiting ``transport`` for each step (and
    ``store``'s operations, when they are awaitable)."""
    try:
        step = next(flow)
        while True:
            if isinstance(step, Sleep):
                await transport.sleep(step.seconds)
                step = flow.send(None)
                continue
            if isinstance(step, Gather):
                step = flow.send(await _gather_async(step, transport, store))
                continue
            if isinstance(step, StoreCall):
                try:
                    answer = await _store_async(step, store)
                except RestliError as exc:
                    step = flow.throw(exc)
                else:
                    step = flow.send(answer)
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


def _outcome_sync(
    flow: Flow[Any], transport: SyncTransport, store: AnyStore | None
) -> Outcome[Any]:
    try:
        return Outcome(value=run_sync(flow, transport, store))
    except Exception as exc:  # handed to the gathering flow, which decides
        return Outcome(error=exc)


def _gather_sync(
    step: Gather, transport: SyncTransport, store: AnyStore | None
) -> list[Outcome[Any]]:
    flows = step.flows
    workers = min(step.limit, len(flows))
    if workers <= 1:
        return [_outcome_sync(flow, transport, store) for flow in flows]
    pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="restli-gather")
    try:
        futures = [pool.submit(_outcome_sync, flow, transport, store) for flow in flows]
        return [future.result() for future in futures]
    finally:
        # Interrupted (Ctrl-C in the waiting thread): flows not started are dropped,
        # the running ones end within their own deadline.
        pool.shutdown(wait=True, cancel_futures=True)
        for flow in flows:
            flow.close()


async def _gather_async(
    step: Gather, transport: AsyncTransport, store: AnyStore | None
) -> list[Outcome[Any]]:
    async def one(flow: Flow[Any]) -> Outcome[Any]:
        try:
            return Outcome(value=await run_async(flow, transport, store))
        except Exception as exc:  # handed to the gathering flow, which decides
            return Outcome(error=exc)

    calls = [functools.partial(one, flow) for flow in step.flows]
    at_once = getattr(transport, "gather", None)
    try:
        if at_once is None or step.limit <= 1:
            return [await call() for call in calls]
        return list(await at_once(calls, step.limit))
    finally:
        for flow in step.flows:
            flow.close()


def gather(flows: Sequence[Flow[T]], limit: int) -> Flow[list[Outcome[T]]]:
    """A flow that runs ``flows`` at once (at most ``limit`` at a time) and returns
    their :class:`Outcome` values in order. With ``limit`` 1 they run one after the
    other, each started when the one before it ended."""
    if not flows:
        return []
    outcomes = yield Gather(tuple(flows), max(1, limit))
    if not isinstance(outcomes, list) or len(outcomes) != len(flows):
        raise TypeError("the driver did not answer a Gather with one Outcome per flow")
    return cast("list[Outcome[T]]", outcomes)


def single(request: Request) -> Flow[Response]:
    """The simplest flow: send ``request`` once and return its response."""
    response = yield request
    if not isinstance(response, Response):
        raise TypeError("the driver sent no response for a request")
    return response
