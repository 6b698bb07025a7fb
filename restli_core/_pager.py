"""The iterators that drive a :class:`~restli_core.Paginator`: :class:`Pager` (sync) and
:class:`AsyncPager` (``async for``).

A *delivery* decides what an iterator hands out (pages, or the elements of pages)
and when it needs another page; it is pure. Each page is one run of the
paginator's ``fetch_flow`` by the driver the iterator was given, so retries,
backoff and ``Retry-After`` apply to every page. The only line that differs between
the two iterators is ``self._run(flow)`` against ``await self._run(flow)``.

With ``concurrency`` above 1 the paginator reads ahead in the background while the
caller works through what it was given; an iterator stops that when it is closed
(:meth:`Pager.close`), when the read ends, or when it is garbage-collected.
"""

from __future__ import annotations

import weakref
from collections import deque
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from ._pages import Checkpoint, CollectionPage, PaginationError
from ._paginator import CallFlow, Paginator

if TYPE_CHECKING:
    from ._flow import Flow
    from ._messages import Request

__all__ = ["AsyncPager", "Delivery", "ElementDelivery", "PageDelivery", "Pager"]

T = TypeVar("T")

# --------------------------------------------------------------------------- delivery


class _End:
    """Nothing left to deliver."""


_END = _End()


class Delivery(Generic[T]):
    """What an iterator hands out, and when it needs another page. Pure."""

    __slots__ = ("_buffer", "paginator")

    def __init__(self, paginator: Paginator) -> None:
        self.paginator = paginator
        self._buffer: deque[CollectionPage] = deque()

    def wants(self) -> Request | None:
        """The request to fetch before :meth:`take` can deliver, else ``None``."""
        raise NotImplementedError

    def accept(self, pages: list[CollectionPage]) -> None:
        self._buffer.extend(pages)

    def take(self) -> T | _End:
        raise NotImplementedError

    @property
    def checkpoint(self) -> Checkpoint | None:
        raise NotImplementedError


class PageDelivery(Delivery[CollectionPage]):
    __slots__ = ()

    def wants(self) -> Request | None:
        return None if self._buffer else self.paginator.next_request()

    def take(self) -> CollectionPage | _End:
        return self._buffer.popleft() if self._buffer else _END

    @property
    def checkpoint(self) -> Checkpoint | None:
        return self._buffer[0].checkpoint if self._buffer else self.paginator.checkpoint


class ElementDelivery(Delivery[Any]):
    # Runs once per element: the current page's list and length are kept at hand.
    __slots__ = ("_elements", "_index", "_length", "_page")

    def __init__(self, paginator: Paginator) -> None:
        super().__init__(paginator)
        self._page: CollectionPage | None = None
        self._elements: list[Any] = []
        self._index = 0
        self._length = 0

    def wants(self) -> Request | None:
        if self._index < self._length:
            return None
        while self._buffer:
            page = self._page = self._buffer.popleft()
            self._elements, self._index, self._length = page.elements, 0, len(page.elements)
            if page.error is not None:
                raise _criteria_error(page, self.checkpoint)
            if self._length:
                return None
        return self.paginator.next_request()

    def take(self) -> Any:
        index = self._index
        if index >= self._length:
            return _END
        self._index = index + 1
        return self._elements[index]

    @property
    def checkpoint(self) -> Checkpoint | None:
        page = self._page
        if page is not None and self._index < self._length:
            return page.checkpoint_after(self._index)
        return self._buffer[0].checkpoint if self._buffer else self.paginator.checkpoint


def _criteria_error(page: CollectionPage, checkpoint: Checkpoint | None) -> PaginationError:
    error = page.error
    detail = ""
    if isinstance(error, dict):
        status, message = error.get("status"), error.get("message")
        detail = ": " + " ".join(str(p) for p in (status, message) if p is not None)
    return PaginationError(
        f"batch finder criteria {page.criteria_index} failed{detail}; the other criteria "
        f"go on (keep iterating, or resume from .checkpoint)",
        checkpoint=checkpoint,
        criteria_index=page.criteria_index,
        error=error,
    )


class Pager(Iterator[T]):
    """A synchronous iterator over pages or elements, with a resumable checkpoint.

    Returned by the sync clients' ``iter_pages`` (items: :class:`CollectionPage`)
    and ``iter_elements`` (items: the entities). Nothing is sent until iteration
    starts; each page is one ``client._run(client.call_flow(...))``.
    """

    def __init__(
        self,
        delivery: Delivery[T],
        run: Callable[[Flow[list[CollectionPage]]], list[CollectionPage]],
        call_flow: CallFlow,
    ) -> None:
        self._delivery = delivery
        self._run = run
        self._call_flow = call_flow
        # Pages read ahead in the background stop when this iterator goes away.
        weakref.finalize(self, delivery.paginator.close)

    def __iter__(self) -> Pager[T]:
        return self

    def close(self) -> None:
        """Stop reading ahead (``concurrency`` above 1): no page not yet started is
        asked for, and those already on their way end on their own (a thread cannot
        be stopped). Iterating again afterwards goes on from :attr:`checkpoint`.
        Idempotent."""
        self._delivery.paginator.close()

    def __next__(self) -> T:
        delivery = self._delivery
        item = delivery.take()  # the common case: the current page has more
        if not isinstance(item, _End):
            return item
        while (request := delivery.wants()) is not None:
            delivery.accept(self._run(delivery.paginator.fetch_flow(request, self._call_flow)))
        item = delivery.take()
        if isinstance(item, _End):
            delivery.paginator.close()
            raise StopIteration
        return item

    @property
    def checkpoint(self) -> Checkpoint | None:
        """Where to resume: just after the last item this iterator returned (``None``
        once the collection was read to its end)."""
        return self._delivery.checkpoint

    @property
    def paginator(self) -> Paginator:
        """The state machine behind this iterator."""
        return self._delivery.paginator


class AsyncPager(AsyncIterator[T]):
    """The asynchronous twin of :class:`Pager`, for ``async for``.

    Returned by the async clients' ``iter_pages`` and ``iter_elements``.
    """

    def __init__(
        self,
        delivery: Delivery[T],
        run: Callable[[Flow[list[CollectionPage]]], Awaitable[list[CollectionPage]]],
        call_flow: CallFlow,
    ) -> None:
        self._delivery = delivery
        self._run = run
        self._call_flow = call_flow
        weakref.finalize(self, delivery.paginator.close)

    def __aiter__(self) -> AsyncPager[T]:
        return self

    def close(self) -> None:
        """Stop reading ahead: the requests in flight are cancelled and no page not yet
        started is asked for. Iterating again afterwards goes on from
        :attr:`checkpoint`. Idempotent."""
        self._delivery.paginator.close()

    async def aclose(self) -> None:
        """:meth:`close`, awaitable (for ``contextlib.aclosing``)."""
        self.close()

    async def __anext__(self) -> T:
        delivery = self._delivery
        item = delivery.take()  # the common case: the current page has more
        if not isinstance(item, _End):
            return item
        while (request := delivery.wants()) is not None:
            delivery.accept(
                await self._run(delivery.paginator.fetch_flow(request, self._call_flow))
            )
        item = delivery.take()
        if isinstance(item, _End):
            delivery.paginator.close()
            raise StopAsyncIteration
        return item

    @property
    def checkpoint(self) -> Checkpoint | None:
        """Where to resume (see :attr:`Pager.checkpoint`)."""
        return self._delivery.checkpoint

    @property
    def paginator(self) -> Paginator:
        """The state machine behind this iterator."""
        return self._delivery.paginator
