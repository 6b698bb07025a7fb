"""Flows and the two drivers that run them.

A *flow* is a generator holding protocol logic that needs more than one exchange
(retries, pagination, token calls). It yields a :class:`Request` to have it sent, a
:class:`Sleep` to have the driver wait, a :class:`StoreCall` for the client's store,
or a :class:`WindowStart` / :class:`WindowTake` to run several flows at once; it
receives the :class:`Response` (``None`` after a sleep, an :class:`Outcome` after a
take), or has the transport's :class:`TransportError` thrown into it; its ``return``
value is the result. The logic is written once and runs unchanged under
:func:`run_sync` or :func:`run_async`, which are the only places that send. (Model:
httpx's ``Auth.auth_flow``.)

Running flows at once is the drivers' only difference beyond ``await``. A
:class:`Window` holds flows that run in the background, at most ``limit`` at a time
(a new one as soon as one ends): a flow starts flows in it (:func:`window_start`) and
takes their outcomes in the order they were added (:func:`window_take`), while the
rest keep running, even between one driver run and the next. Paging reads ahead
this way, so the requests in flight never drain at the end of a batch of planned
pages, and batch chunks are sent this way. The sync driver runs a window's flows
on a thread pool of its own over the same transport; the async driver starts them
as tasks through the transport's ``spawn`` (:class:`BackgroundAsyncTransport`:
the event loop's tasks are the transport's business) or, without it, runs each when
it is taken, as it does for a window of ``limit`` 1. Each flow keeps its own retries
and deadline. Whoever made a window closes it (:meth:`Window.close`): flows not
started are dropped, running ones are cancelled (tasks) or end on their own
(threads), and a driver run that used a window it closed waits for them to end.
"""

from __future__ import annotations

import contextlib
import functools
import inspect
import threading
from collections import deque
from collections.abc import Awaitable, Callable, Generator, Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import Any, Generic, Protocol, TypeVar, Union, cast

import attrs

from ._errors import RestliError, RestliUsageError, TransportError
from ._messages import Request, Response
from ._store import AnyStore, StoreCall, StoreError

T = TypeVar("T")
T_co = TypeVar("T_co", covariant=True)


@attrs.frozen
class Sleep:
    """A flow's request to wait ``seconds`` before going on."""

    seconds: float


@attrs.frozen
class Outcome(Generic[T]):
    """How one flow of a :class:`Window` ended: its result, or the exception it raised.

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


class Running(Protocol[T_co]):
    """A flow started in the background: a ``concurrent.futures.Future`` for the sync
    driver, a task (``asyncio.Task``) for the async one."""

    def done(self) -> bool: ...

    def cancel(self) -> bool: ...

    def result(self) -> T_co:
        """The call's result, once it is done (a Future waits for it)."""
        ...


class Window:
    """Flows that run in the background, at most ``limit`` at a time, started in the
    order they were added (a new one as soon as one ends); their outcomes are taken
    in that order. See the module docstring.

    A flow adds to it with :func:`window_start` and takes from it with
    :func:`window_take`; the driver of the first start decides how its flows run.
    Its maker must :meth:`close` it.
    """

    def __init__(self, limit: int) -> None:
        self.limit = max(1, limit)
        self._lock = threading.Lock()  # flows end in worker threads while the taker takes
        self._queued: deque[Flow[Any]] = deque()
        self._started: deque[Running[Outcome[Any]]] = deque()  # not taken yet, in order
        self._spawn: Callable[[Flow[Any]], Running[Outcome[Any]]] | None = None
        self._stop: Callable[[], None] | None = None
        self._running = 0  # flows started and not ended
        self._closed = False
        self._cancelled: list[Running[Outcome[Any]]] = []  # by close(), maybe still running

    def __repr__(self) -> str:
        state = "closed" if self._closed else f"{len(self)} waiting"
        return f"Window(limit={self.limit}, {state})"

    def __len__(self) -> int:
        """Flows added and not taken yet."""
        return len(self._queued) + len(self._started)

    @property
    def closed(self) -> bool:
        """Whether :meth:`close` was called."""
        return self._closed

    def close(self) -> None:
        """Drop the flows not started and cancel the running ones (a thread cannot be
        stopped: its flow ends on its own and its outcome is ignored). Idempotent."""
        with self._lock:
            if self._closed:
                return
            self._closed = True
            queued, self._queued = list(self._queued), deque()
            started, self._started = list(self._started), deque()
        for flow in queued:
            flow.close()
        for running in started:
            running.cancel()
        with self._lock:
            self._cancelled = [running for running in started if not running.done()]
        if self._stop is not None:
            self._stop()

    def _unsettled(self) -> list[Running[Outcome[Any]]]:
        """The flows cancelled by :meth:`close` that may still be running (each once)."""
        with self._lock:
            cancelled, self._cancelled = self._cancelled, []
        return [running for running in cancelled if not running.done()]

    @property
    def _bound(self) -> bool:
        return self._spawn is not None

    def _bind(
        self,
        spawn: Callable[[Flow[Any]], Running[Outcome[Any]]],
        stop: Callable[[], None] | None = None,
    ) -> None:
        self._spawn, self._stop = spawn, stop

    def _add(self, flows: Sequence[Flow[Any]]) -> None:
        with self._lock:
            if self._closed:
                raise RestliUsageError("this window is closed")
            self._queued.extend(flows)
        self._fill()

    def _fill(self) -> None:
        """Start queued flows while fewer than ``limit`` run."""
        spawn = self._spawn
        if spawn is None:
            return  # no background runner: each flow runs when it is taken
        with self._lock:
            while not self._closed and self._queued and self._running < self.limit:
                self._running += 1
                self._started.append(spawn(self._queued.popleft()))

    def _ended(self, *, start_next: bool = True) -> None:
        """A flow's runner says it has ended, before its outcome is handed over: the
        next flow starts from there (in the same thread, or the same task step), so
        a request goes out before whoever waits for that outcome wakes up. A flow
        that was cancelled starts nothing."""
        with self._lock:
            self._running -= 1
        if start_next:
            self._fill()

    def _head(self) -> Running[Outcome[Any]] | Flow[Any]:
        """The next flow in order: started (its handle), or not (the flow itself)."""
        with self._lock:
            if self._closed:
                raise RestliUsageError("this window is closed")
            if self._started:
                return self._started[0]
            if self._queued:
                return self._queued.popleft()
        raise RestliUsageError("window_take() on an empty window")

    def _taken(self, head: Running[Outcome[Any]]) -> Outcome[Any]:
        """The outcome of ``head`` (ended), now taken out of the window."""
        with self._lock:
            if self._started and self._started[0] is head:
                self._started.popleft()
        return head.result()


@attrs.frozen
class WindowStart:
    """A flow's request to add ``flows`` to ``window`` (see :func:`window_start`)."""

    window: Window
    flows: tuple[Flow[Any], ...]


@attrs.frozen
class WindowTake:
    """A flow's request for the next outcome of ``window`` (see :func:`window_take`)."""

    window: Window


Step = Union[Request, Sleep, StoreCall, WindowStart, WindowTake]
# What a flow receives: a Response for a Request, None after a Sleep or a WindowStart,
# an Outcome for a WindowTake, or whatever the store operation of a StoreCall returned.
Received = Union[Response, None, Outcome[Any], Any]
Flow = Generator[Step, Received, T]


class SyncTransport(Protocol):
    """What :func:`run_sync` needs: a way to send and a way to wait."""

    def send(self, request: Request) -> Response: ...

    def sleep(self, seconds: float) -> None: ...


class AsyncTransport(Protocol):
    """What :func:`run_async` needs: the awaitable counterparts."""

    async def send(self, request: Request) -> Response: ...

    async def sleep(self, seconds: float) -> None: ...


class BackgroundAsyncTransport(AsyncTransport, Protocol):
    """An async transport that can start a call in the background, to run a
    :class:`Window`'s flows while the caller does other work. Without it, an async
    client runs them one by one as they are taken."""

    def spawn(self, call: Callable[[], Awaitable[T]]) -> Running[T]:
        """Start ``call`` now as a task of the running event loop and return it (it
        never raises; cancelling the task stops it)."""
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
    blocks run at once (not whenever the garbage collector gets to it); a
    :class:`Window` it used and closed has its running flows waited for, so a call
    that ends, even by an error, leaves nothing of its own running."""
    windows: list[Window] = []
    try:
        step = next(flow)
        while True:
            if isinstance(step, Sleep):
                transport.sleep(step.seconds)
                step = flow.send(None)
                continue
            if isinstance(step, WindowStart):
                _start_sync(step, transport, store)
                _note(windows, step.window)
                step = flow.send(None)
                continue
            if isinstance(step, WindowTake):
                _note(windows, step.window)
                step = flow.send(_take_sync(step.window, transport, store))
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
        for window in windows:
            for running in window._unsettled():
                with contextlib.suppress(Exception):  # a thread cannot be stopped: wait
                    running.result()


async def run_async(flow: Flow[T], transport: AsyncTransport, store: AnyStore | None = None) -> T:
    """Run ``flow`` to completion, awaiting ``transport`` for each step (and
    ``store``'s operations, when they are awaitable); see :func:`run_sync`."""
    windows: list[Window] = []
    try:
        step = next(flow)
        while True:
            if isinstance(step, Sleep):
                await transport.sleep(step.seconds)
                step = flow.send(None)
                continue
            if isinstance(step, WindowStart):
                _start_async(step, transport, store)
                _note(windows, step.window)
                step = flow.send(None)
                continue
            if isinstance(step, WindowTake):
                _note(windows, step.window)
                step = flow.send(await _take_async(step.window, transport, store))
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
        for window in windows:
            for running in window._unsettled():
                try:
                    await cast("Awaitable[Any]", running)  # a task: its cancellation lands
                except BaseException:
                    if not running.done():
                        raise  # this task was cancelled again: stop waiting


def _note(windows: list[Window], window: Window) -> None:
    if not any(seen is window for seen in windows):
        windows.append(window)


def _outcome_sync(
    flow: Flow[Any], transport: SyncTransport, store: AnyStore | None
) -> Outcome[Any]:
    try:
        return Outcome(value=run_sync(flow, transport, store))
    except Exception as exc:  # handed to the flow that takes it, which decides
        return Outcome(error=exc)


async def _outcome_async(
    flow: Flow[Any], transport: AsyncTransport, store: AnyStore | None
) -> Outcome[Any]:
    try:
        return Outcome(value=await run_async(flow, transport, store))
    except Exception as exc:  # handed to the flow that takes it, which decides
        return Outcome(error=exc)


def _windowed_sync(
    window: Window, flow: Flow[Any], transport: SyncTransport, store: AnyStore | None
) -> Outcome[Any]:
    outcome = _outcome_sync(flow, transport, store)  # never raises
    window._ended()
    return outcome


async def _windowed_async(
    window: Window, flow: Flow[Any], transport: AsyncTransport, store: AnyStore | None
) -> Outcome[Any]:
    try:
        outcome = await _outcome_async(flow, transport, store)
    except BaseException:  # cancelled (by Window.close, or with the task awaiting it)
        window._ended(start_next=False)
        raise
    window._ended()
    return outcome


def _start_sync(step: WindowStart, transport: SyncTransport, store: AnyStore | None) -> None:
    window = step.window
    if not window._bound and window.limit > 1:  # one at a time: each runs when taken
        pool = ThreadPoolExecutor(max_workers=window.limit, thread_name_prefix="restli-window")
        window._bind(
            lambda flow: pool.submit(_windowed_sync, window, flow, transport, store),
            functools.partial(pool.shutdown, wait=False, cancel_futures=True),
        )
    window._add(step.flows)


def _take_sync(window: Window, transport: SyncTransport, store: AnyStore | None) -> Outcome[Any]:
    window._fill()
    head = window._head()
    if isinstance(head, Generator):
        return _outcome_sync(head, transport, store)
    head.result()  # a Future: wait for it
    return window._taken(head)


def _start_async(step: WindowStart, transport: AsyncTransport, store: AnyStore | None) -> None:
    window = step.window
    spawn = getattr(transport, "spawn", None)
    if not window._bound and spawn is not None and window.limit > 1:
        window._bind(
            lambda flow: spawn(functools.partial(_windowed_async, window, flow, transport, store))
        )
    window._add(step.flows)


async def _take_async(
    window: Window, transport: AsyncTransport, store: AnyStore | None
) -> Outcome[Any]:
    window._fill()
    head = window._head()
    if isinstance(head, Generator):
        return await _outcome_async(head, transport, store)
    await cast("Awaitable[Outcome[Any]]", head)  # a task: awaitable, never raises
    # One turn of the event loop before the outcome is handed over: the tasks started
    # meanwhile (by flows that ended) send their requests now, not after the caller's
    # work on it, which gives the loop no turn (parsing a page; awaiting a task that
    # has ended does not give it one either).
    await transport.sleep(0)
    return window._taken(head)


def window_start(window: Window, flows: Sequence[Flow[Any]]) -> Flow[None]:
    """A flow that adds ``flows`` to ``window``, where they start at once (as slots
    free) and run in the background until taken."""
    if flows:
        yield WindowStart(window, tuple(flows))


def window_take(window: Window) -> Flow[Outcome[Any]]:
    """A flow that waits for the next flow of ``window`` (in the order they were
    added) to end and returns its :class:`Outcome` (``window`` must not be empty)."""
    outcome = yield WindowTake(window)
    if not isinstance(outcome, Outcome):
        raise TypeError("the driver did not answer a WindowTake with an Outcome")
    return outcome


def single(request: Request) -> Flow[Response]:
    """The simplest flow: send ``request`` once and return its response."""
    response = yield request
    if not isinstance(response, Response):
        raise TypeError("the driver sent no response for a request")
    return response
