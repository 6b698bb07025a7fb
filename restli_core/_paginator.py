"""Pagination, written once: the pure state machine of a paged read.

LinkedIn's collections come a page at a time, in two styles (PROTOCOL.md §6):

* **offset** paging (Rest.li's own): the request carries ``start`` and ``count``; the
  answer's ``paging`` echoes them and may carry ``total``. The next page starts at
  ``start + count``. ``total`` may be missing; a page may be shorter than ``count``
  even though more remain (LinkedIn filters results after paging them).
* **cursor** paging (LinkedIn's ad search finders since version 202401): the request
  carries ``pageSize`` (the same on every page) and, after the first page,
  ``pageToken``; the answer's ``metadata.nextPageToken`` is the next token, absent on
  the last page.

:class:`Paginator` holds that logic and nothing else: ``next_request()`` gives the
:class:`Request` for the next page (or ``None``), ``feed(response)`` parses the answer
and returns its :class:`CollectionPage` values. It never sends anything. The
iterators :class:`Pager` and :class:`AsyncPager` drive it with a client's flow
driver, one page per call of ``client._run(client.call_flow(request, parse))``, so
retries, backoff and ``Retry-After`` apply to every page. The only line that differs
between them is ``self._run(flow)`` against ``await self._run(flow)``.

The rules, and why:

* offset: stop when ``start + count >= total``; without ``total``, stop at the first
  empty page (never at a merely short one: a short page proves nothing when the
  server filters). A server that ignores ``start`` would loop forever; it is caught
  when the echoed ``paging.start`` differs from the one sent, or when a page repeats
  the previous one, and ends in :class:`PaginationError`.
* cursor: stop when there is no ``nextPageToken``; a token already sent means the
  server is going round in circles: :class:`PaginationError`.
* batch finders (``bq=``) are paged by offset, each criteria on its own: the criteria
  still unfinished are asked for together while they are at the same ``start``.
* ``max_items`` / ``max_pages`` bound the work; a :class:`Checkpoint` (on every page,
  on the iterators, and on any error raised while paging) says where to resume,
  and ``resume=`` takes it back.
* ``concurrency`` N: once an offset page has told ``paging.total``, the pages that
  follow are known in advance (``start + k * count`` up to ``total``). They are read
  ahead in a :class:`~restli_core.Window`: up to 4N planned, N on the wire (a new one
  as soon as one is answered), running in the background between one
  :meth:`Paginator.fetch_flow` and the next, so the slots never drain at the end of
  a plan. Each fetch takes the answers that are ready, parses and reads them in
  order, exactly as if they had come one by one, and tops the plan up again. If a
  page moves the read somewhere the plan did not expect (the server used another
  page size, or the read stopped), the answers planned past it are dropped and
  paging goes on from where it really stands. :meth:`Paginator.close` (the
  iterators call it when the read ends, when they are closed and when they are
  let go) stops the read-ahead. Cursor paging stays one page at a time (each token
  comes from the page before), and so do batch finders.
"""

from __future__ import annotations

import hashlib
import json
from collections import deque
from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, Protocol, TypeVar

from ._chunking import check_concurrency
from ._errors import ResponseDecodeError, RestliError, RestliUsageError
from ._flow import Window, window_start, window_take
from ._log import redact_url
from ._pages import Checkpoint, CollectionPage, PaginationError, PagingStyle, count_arg
from ._responses import (
    BaseRestliResponse,
    BatchFinderResponse,
    CollectionResponse,
    Paging,
    parse_response,
)
from ._wire import RestliMethod

if TYPE_CHECKING:
    from ._builder import RequestBuilder
    from ._flow import Flow
    from ._messages import Request, Response

__all__ = ["DEFAULT_CURSOR_PAGE_SIZE", "CallFlow", "Paginator", "PagingStyle"]

R = TypeVar("R")


#: The ``pageSize`` sent in cursor mode when none is given: the default LinkedIn
#: documents for its cursor-paged search finders ("the default is 100").
DEFAULT_CURSOR_PAGE_SIZE = 100

_PAGED = {
    RestliMethod.FINDER: RestliMethod.FINDER,
    RestliMethod.GET_ALL: RestliMethod.GET_ALL,
    RestliMethod.BATCH_FINDER: RestliMethod.BATCH_FINDER,
}
# Query parameters the paginator owns (Rest.li's reserved paging names, and
# LinkedIn's cursor pair).
_OFFSET_PARAMS = ("start", "count")
_CURSOR_PARAMS = ("pageSize", "pageToken")


def _optional_count(value: Any, name: str, minimum: int) -> int | None:
    return None if value is None else count_arg(value, name, minimum)


# --------------------------------------------------------------------------- the paginator


#: Pages and cursor tokens remembered per sequence, to catch a server going round in
#: circles (A, B, A...): as 16-byte digests, so memory stays small whatever the size
#: of the tokens, and the oldest are forgotten first.
REMEMBERED_PAGES = 1024
#: Empty pages in a row after which a read the server says goes on is stopped: an
#: empty page moves the read on without delivering anything, so a server that
#: answers only those (with a growing ``total``, or new tokens) would never end.
MAX_EMPTY_PAGES = 20
#: With ``concurrency`` N, up to this many times N pages are planned at once and sent
#: N at a time, each as soon as another is answered: a page that answers late holds
#: up only the pages after it, not the next N.
READ_AHEAD = 4
#: Pages longer than this are remembered by a sample of their elements.
_SAMPLED = 8


def _digest(value: Any) -> bytes:
    if isinstance(value, list) and len(value) > _SAMPLED:
        # A page is known by its length and a few of its elements: a server that
        # repeats a page repeats all of them, while two pages of a real collection
        # never share their first, middle and last elements. (Serialising a whole
        # 100-element page cost more than parsing it.)
        n = len(value)
        value = [n, value[0], value[n // 3], value[(2 * n) // 3], value[-1]]
    text = value if isinstance(value, str) else json.dumps(value, sort_keys=True, default=repr)
    return hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=16).digest()


class _Seen:
    """A bounded set of digests; the oldest is forgotten first."""

    __slots__ = ("_order", "_set")

    def __init__(self) -> None:
        self._order: deque[bytes] = deque()
        self._set: set[bytes] = set()

    def add(self, value: Any) -> bool:
        """Remember ``value``; ``False`` if it was already remembered."""
        digest = _digest(value)
        if digest in self._set:
            return False
        self._order.append(digest)
        self._set.add(digest)
        if len(self._order) > REMEMBERED_PAGES:
            self._set.discard(self._order.popleft())
        return True


class _Lane:
    """The position of one sequence being paged (one per batch finder criteria)."""

    __slots__ = ("empty", "pages", "skip", "start", "step", "token", "tokens", "total")

    def __init__(self, start: int = 0, token: str | None = None, skip: int = 0) -> None:
        self.start = start
        self.token = token
        self.skip = skip
        self.pages = _Seen()  # the pages read so far (repeat check)
        self.tokens = _Seen()  # the cursor tokens sent so far
        if token is not None:
            self.tokens.add(token)
        self.empty = 0  # empty pages in a row
        self.total: int | None = None  # offset: the last page's paging.total
        self.step = 0  # offset: how far the last page moved the start


class Paginator:
    """The pure paging state machine for FINDER, GET_ALL and BATCH_FINDER reads.

    It builds each page's request with a :class:`RequestBuilder` and reads each
    answer; it never sends. Drive it by hand::

        paginator = Paginator(builder, "finder", resource_path="/adCampaigns",
                              finder_name="search", access_token=token, page_size=100)
        while (request := paginator.next_request()) is not None:
            response = send(request)            # any transport, retries as you like
            for page in paginator.feed(response):
                ...

    (The clients' ``iter_pages`` / ``iter_elements`` do exactly this.)

    Args:
        builder: builds the requests.
        method: ``"finder"``, ``"get_all"`` or ``"batch_finder"`` (or the
            :class:`RestliMethod`).
        resource_path, access_token, finder_name, finder_criteria, path_keys,
            query_params, version_string: as for the builder's method. Paging
            parameters found in ``query_params`` (``start``/``count``, or
            ``pageSize``/``pageToken``) are taken as the first position and page
            size and are then managed by the paginator.
        paging: ``"offset"`` (``start``/``count``, the default) or ``"cursor"``
            (``pageSize``/``pageToken`` -> ``metadata.nextPageToken``). Batch
            finders page by offset only.
        page_size: elements per page (``count`` / ``pageSize``). Default: offset
            paging sends no ``count`` (the server's default, 10 in Rest.li);
            cursor paging sends ``pageSize=100``.
        max_items: stop after this many elements (``None``: no limit).
        max_pages: stop after this many requests (``None``: no limit).
        resume: a :class:`Checkpoint` to start from.
        concurrency: offset pages asked for at once once ``paging.total`` is known
            (default 1: one after the other); see the module docstring.

    Raises:
        RestliUsageError: for a malformed argument (the first request is built
            at once, so every builder error shows here).
    """

    def __init__(
        self,
        builder: RequestBuilder,
        method: RestliMethod | str,
        *,
        resource_path: str,
        access_token: str | None = None,
        finder_name: str | None = None,
        finder_criteria: tuple[str, Sequence[Mapping[str, Any]]] | None = None,
        path_keys: Mapping[str, Any] | None = None,
        query_params: Mapping[str, Any] | None = None,
        version_string: str | None = None,
        paging: PagingStyle = "offset",
        page_size: int | None = None,
        max_items: int | None = None,
        max_pages: int | None = None,
        resume: Checkpoint | None = None,
        concurrency: int = 1,
    ) -> None:
        self._method = _paged_method(method)
        self._concurrency = check_concurrency(concurrency)
        if paging not in ("offset", "cursor"):
            raise RestliUsageError(f"paging must be 'offset' or 'cursor', got {paging!r}")
        self._style: PagingStyle = paging
        if resume is not None and not isinstance(resume, Checkpoint):
            raise RestliUsageError(f"resume must be a Checkpoint, got {type(resume).__name__}")
        self._max_items = _optional_count(max_items, "max_items", 0)
        self._max_pages = _optional_count(max_pages, "max_pages", 0)
        self._builder = builder
        self._call: dict[str, Any] = {
            "resource_path": resource_path,
            "access_token": access_token,
            "path_keys": path_keys,
            "version_string": version_string,
        }
        params = _params(query_params)
        self._criteria: list[Any] | None = None
        self._criteria_param = ""
        if self._method is RestliMethod.GET_ALL:
            if finder_name is not None or finder_criteria is not None:
                raise RestliUsageError("get_all takes no finder_name or finder_criteria")
        else:
            if finder_name is None:
                raise RestliUsageError(f"{self._method.wire_name} needs a finder_name")
            self._call["finder_name"] = finder_name
            if self._method is RestliMethod.FINDER and finder_criteria is not None:
                raise RestliUsageError("a finder takes no finder_criteria (batch_finder does)")
        if self._method is RestliMethod.BATCH_FINDER:
            if paging != "offset":
                raise RestliUsageError(
                    "batch finders page by offset (start/count) only: each criteria would "
                    "need its own pageToken"
                )
            if not isinstance(finder_criteria, (tuple, list)) or len(finder_criteria) != 2:
                raise RestliUsageError(
                    "batch_finder needs finder_criteria=(parameter_name, [criteria, ...])"
                )
            name, criteria = finder_criteria
            if not isinstance(criteria, (list, tuple)):
                raise RestliUsageError(
                    f"finder_criteria[1] must be a list, not {type(criteria).__name__}"
                )
            self._criteria_param = name
            self._criteria = list(criteria)

        if paging == "offset":
            first, size = self._offset_settings(params, page_size, resume)
        else:
            first, size = self._cursor_settings(params, page_size, resume)
        self._params = params
        self._page_size = size
        self._lanes: dict[int, _Lane] = first
        self._pending: Request | None = None
        self._pending_lanes: tuple[int, ...] = ()
        self._requests = 0
        self._items = 0
        self._pages = 0
        self._stopped = False
        self._failed = False
        self._window: Window | None = None  # pages read ahead (concurrency > 1)
        self._ahead: deque[tuple[int, Request]] = deque()  # their (start, request), in order
        # Build the first request now: a malformed argument is reported by the call
        # that made the paginator, not by the first next().
        self._pending = self._build_next()

    # ----------------------------------------------------------------- set-up

    def _offset_settings(
        self, params: dict[str, Any], page_size: int | None, resume: Checkpoint | None
    ) -> tuple[dict[int, _Lane], int | None]:
        for name in _CURSOR_PARAMS:
            if params.get(name) is not None:
                raise RestliUsageError(
                    f"query_params has {name!r}, a cursor paging parameter: pass "
                    f"paging='cursor' (and page_size / resume instead)"
                )
        start = _optional_count(params.pop("start", None), "query_params['start']", 0)
        count = _optional_count(params.pop("count", None), "query_params['count']", 1)
        size = _optional_count(page_size, "page_size", 1)
        if size is not None and count is not None and size != count:
            raise RestliUsageError(
                f"page_size={size} and query_params['count']={count} disagree: give one"
            )
        size = count if size is None else size
        if resume is not None:
            if resume.style != "offset":
                raise RestliUsageError(
                    "resume is a cursor checkpoint (page_token); this read pages by offset"
                )
            if start is not None:
                raise RestliUsageError("give resume or query_params['start'], not both")
        starts: dict[int, int]
        if self._criteria is not None:
            if resume is not None and resume.criteria_starts is not None:
                starts = dict(resume.criteria_starts)
                for index in starts:
                    if index >= len(self._criteria):
                        raise RestliUsageError(
                            f"resume names criteria {index}, but finder_criteria has "
                            f"{len(self._criteria)}"
                        )
            else:
                first = resume.start if resume is not None else start
                starts = dict.fromkeys(range(len(self._criteria)), first or 0)
        else:
            if resume is not None and resume.criteria_starts is not None:
                raise RestliUsageError(
                    "resume is a batch finder checkpoint (criteria_starts); this read is not"
                )
            first = resume.start if resume is not None else start
            starts = {0: first or 0}
        return {index: _Lane(start=value) for index, value in starts.items()}, size

    def _cursor_settings(
        self, params: dict[str, Any], page_size: int | None, resume: Checkpoint | None
    ) -> tuple[dict[int, _Lane], int | None]:
        for name in _OFFSET_PARAMS:
            if params.get(name) is not None:
                raise RestliUsageError(
                    f"query_params has {name!r}, an offset paging parameter, but "
                    f"paging='cursor' (LinkedIn rejects a mix of the two)"
                )
        count = _optional_count(params.pop("pageSize", None), "query_params['pageSize']", 1)
        token = params.pop("pageToken", None)
        if token is not None and (not isinstance(token, str) or not token):
            raise RestliUsageError(f"query_params['pageToken'] must be a str, got {token!r}")
        size = _optional_count(page_size, "page_size", 1)
        if size is not None and count is not None and size != count:
            raise RestliUsageError(
                f"page_size={size} and query_params['pageSize']={count} disagree: give one"
            )
        # LinkedIn: "the pageSize value stays the same" from page to page, so it is
        # always sent (a Rest.li server pages by cursor only when it is).
        if size is None:
            size = count if count is not None else DEFAULT_CURSOR_PAGE_SIZE
        skip = 0
        if resume is not None:
            if resume.style != "cursor":
                raise RestliUsageError(
                    "resume is an offset checkpoint (start); this read pages by cursor"
                )
            if token is not None:
                raise RestliUsageError("give resume or query_params['pageToken'], not both")
            token, skip = resume.page_token, resume.skip
        return {0: _Lane(token=token, skip=skip)}, size

    # ----------------------------------------------------------------- state

    @property
    def method(self) -> RestliMethod:
        """The Rest.li method being paged."""
        return self._method

    @property
    def style(self) -> PagingStyle:
        """``"offset"`` or ``"cursor"``."""
        return self._style

    @property
    def checkpoint(self) -> Checkpoint | None:
        """Where the read stands: the position of the next element not yet returned by
        :meth:`feed` (``None`` when the collection was read to its end)."""
        lanes = self._lanes
        if not lanes:
            return None
        if self._criteria is not None:
            return Checkpoint(criteria_starts=tuple((i, lane.start) for i, lane in lanes.items()))
        lane = lanes[0]
        if self._style == "offset":
            return Checkpoint(start=lane.start)
        return Checkpoint(page_token=lane.token, skip=lane.skip)

    @property
    def finished(self) -> bool:
        """Whether the collection was read to its end."""
        return not self._lanes

    @property
    def pages_fetched(self) -> int:
        """How many responses were fed (requests answered)."""
        return self._requests

    @property
    def items(self) -> int:
        """How many elements the pages returned so far hold."""
        return self._items

    def next_request(self) -> Request | None:
        """The request for the next page, or ``None`` when the read is over.

        Until :meth:`feed` accepts an answer, the same request is returned again
        (so a caller may resend it after an error).
        """
        if self._pending is None:
            self._pending = self._build_next()
        return self._pending

    def _build_next(self) -> Request | None:
        if self._failed or self._stopped or not self._lanes:
            return None
        if (self._max_pages is not None and self._requests >= self._max_pages) or (
            self._max_items is not None and self._items >= self._max_items
        ):
            self._stopped = True
            return None
        params = dict(self._params)
        if self._style == "cursor":
            lane = self._lanes[0]
            params["pageSize"] = self._page_size
            params["pageToken"] = lane.token
            self._pending_lanes = (0,)
            return self._build(params, None)
        # Offset: every lane at the lowest start goes in this request (all of them,
        # normally: criteria stay in step unless a checkpoint split them).
        start = min(lane.start for lane in self._lanes.values())
        self._pending_lanes = tuple(i for i, lane in self._lanes.items() if lane.start == start)
        params["start"] = start
        count = self._page_size
        if count is not None and self._max_items is not None:
            # Ask for no more than is wanted (count may vary between offset pages).
            count = min(count, self._max_items - self._items)
        params["count"] = count
        criteria = None
        if self._criteria is not None:
            criteria = [self._criteria[i] for i in self._pending_lanes]
        return self._build(params, criteria)

    def plan(self) -> list[tuple[int, Request]]:
        """The offset pages that can be asked for together now, as ``(start,
        request)`` pairs, the pending request first; empty when the read is over.

        More than one only with ``concurrency`` above 1, on an offset read of one
        sequence (not a batch finder) whose last page gave ``paging.total``: then
        up to :data:`READ_AHEAD` x ``concurrency`` pages that follow at the same
        step, within ``total``, ``max_items`` and ``max_pages``.
        """
        first = self.next_request()
        if first is None:
            return []
        lane = self._lanes.get(0)
        planned = [(lane.start if lane is not None else 0, first)]
        if lane is not None and lane.total is not None and self._reads_ahead(lane):
            planned += self._planned(lane, lane.total, 1, self._concurrency * READ_AHEAD)
        return planned

    def _reads_ahead(self, lane: _Lane) -> bool:
        return (
            self._concurrency > 1
            and self._style == "offset"
            and self._criteria is None
            and lane.step > 0
        )

    def _planned(self, lane: _Lane, total: int, first: int, end: int) -> list[tuple[int, Request]]:
        # The pages `first` to `end - 1` steps after the lane's start, within total,
        # max_pages and max_items.
        planned: list[tuple[int, Request]] = []
        for ahead in range(first, end):
            start = lane.start + ahead * lane.step
            if start >= total:
                break
            if self._max_pages is not None and self._requests + ahead >= self._max_pages:
                break
            params = dict(self._params)
            params["start"] = start
            count = self._page_size
            if self._max_items is not None:
                room = self._max_items - self._items - ahead * lane.step
                if room <= 0:
                    break
                count = room if count is None else min(count, room)
            params["count"] = count
            planned.append((start, self._build(params, None)))
        return planned

    def _build(self, params: dict[str, Any], criteria: list[Any] | None) -> Request:
        builder = self._builder
        if self._method is RestliMethod.GET_ALL:
            return builder.get_all(query_params=params, **self._call)
        if self._method is RestliMethod.FINDER:
            return builder.finder(query_params=params, **self._call)
        assert criteria is not None
        return builder.batch_finder(
            query_params=params, finder_criteria=(self._criteria_param, criteria), **self._call
        )

    # ----------------------------------------------------------------- answers

    def feed(self, response: Response) -> list[CollectionPage]:
        """Parse the answer to :meth:`next_request`'s request and move on.

        Args:
            response: the response to the pending request.

        Returns:
            The pages it holds: one for a finder or get_all, one per criteria asked
            for a batch finder (possibly fewer once ``max_items`` is reached).

        Raises:
            ResponseError: the status is not 2xx (the request stays pending).
            ResponseDecodeError: the body is not a collection.
            PaginationError: the server ignores ``start`` or repeats a token.
            RestliUsageError: there is no pending request.
        """
        request = self._pending
        if request is None:
            raise RestliUsageError("feed() needs a pending request: call next_request() first")
        # Paging always raises for an error status: with raise_for_status=False an
        # error would look like an empty page, which ends the read silently.
        return self._feed_parsed(request, parse_response(request, response))

    def _feed_parsed(self, request: Request, parsed: BaseRestliResponse) -> list[CollectionPage]:
        try:
            if isinstance(parsed, BatchFinderResponse):
                pages = self._feed_batch(request, parsed)
            else:
                assert isinstance(parsed, CollectionResponse)
                pages = self._feed_single(request, parsed)
        except PaginationError:
            self._failed = True  # a broken server: going on would repeat or lose data
            self._pending = None
            raise
        self._pending = None
        self._requests += 1
        return pages

    def _error(self, request: Request, message: str) -> PaginationError:
        url = redact_url(request.url)
        return PaginationError(
            f"{message} [{request.method} {url}]",
            checkpoint=self.checkpoint,
            request_method=request.method,
            request_url=url,
        )

    def _take(self, elements: list[Any]) -> list[Any]:
        if self._max_items is None:
            return elements
        room = self._max_items - self._items
        return elements if len(elements) <= room else elements[:room]

    def _next_start(
        self, request: Request, lane: _Lane, elements: list[Any], paging: Paging, where: str
    ) -> int | None:
        """The next page's ``start`` for an offset lane, or ``None`` at the end."""
        start = lane.start
        echoed = paging.start
        if echoed is not None and echoed != start:
            if not elements:
                return None  # nothing at or after ``start``
            raise self._error(
                request,
                f"{where}the request asked for start={start} and the server answered "
                f"start={echoed}: it ignores the start parameter, so paging on would "
                f"return the same elements again",
            )
        total = paging.total
        # Advance by the page size the server used (paging.count), not by the number
        # of elements: LinkedIn may drop elements from a page after paging it, and
        # start + len(elements) would then read them again. A server that sends more
        # elements than count has moved further.
        step = max(paging.count or 0, len(elements))
        if step <= 0:
            step = self._page_size or 0
        lane.total, lane.step = total, step
        if total is not None:
            if start + step >= total:
                return None
        elif not elements:
            return None  # no total: an empty page is the end (a short one is not)
        if step <= 0:
            raise self._error(
                request,
                f"{where}the server sent an empty page at start={start} with total={total} "
                f"and no page size, so the next start is unknown; pass page_size",
            )
        self._check_progress(
            request, lane, elements, f"{where}start={start}", "the start parameter"
        )
        return start + step

    def _check_progress(
        self, request: Request, lane: _Lane, elements: list[Any], at: str, ignored: str
    ) -> None:
        """Raise if the page just read proves that paging on would never end."""
        if elements:
            lane.empty = 0
            if not lane.pages.add(elements):
                raise self._error(
                    request,
                    f"the page at {at} holds the same {len(elements)} element(s) as a "
                    f"page before it: the server ignores {ignored}, so paging on would "
                    f"never end",
                )
            return
        lane.empty += 1
        if lane.empty >= MAX_EMPTY_PAGES:
            raise self._error(
                request,
                f"the server sent {lane.empty} empty pages in a row up to {at} and says "
                f"more follow: paging on would never end",
            )

    def _next_token(
        self, request: Request, lane: _Lane, elements: list[Any], metadata: Any
    ) -> str | None:
        token = metadata.get("nextPageToken") if isinstance(metadata, dict) else None
        if token is None or token == "":
            return None
        if not isinstance(token, str):
            raise self._error(
                request,
                f"metadata.nextPageToken is a {type(token).__name__}, expected a string",
            )
        if not lane.tokens.add(token):
            shown = token if len(token) <= 60 else token[:57] + "..."
            raise self._error(
                request,
                f"the server sent nextPageToken {shown!r} again (after "
                f"{self._requests + 1} page(s)): paging on would go round in circles",
            )
        self._check_progress(request, lane, elements, "the page of that token", "the page token")
        return token

    def _feed_single(self, request: Request, parsed: CollectionResponse) -> list[CollectionPage]:
        lane = self._lanes[0]
        elements = parsed.elements
        if self._style == "offset":
            next_start = self._next_start(request, lane, elements, parsed.paging, "")
            here = Checkpoint(start=lane.start)
            taken = self._take(elements)
            after: Checkpoint | None
            if len(taken) < len(elements):
                self._stopped = True
                lane.start += len(taken)
                after = Checkpoint(start=lane.start)
            elif next_start is None:
                del self._lanes[0]
                after = None
            else:
                lane.start = next_start
                after = Checkpoint(start=next_start)
        else:
            token = self._next_token(request, lane, elements, parsed.metadata)
            here = Checkpoint(page_token=lane.token, skip=lane.skip)
            visible = elements[lane.skip :] if lane.skip else elements
            taken = self._take(visible)
            if len(taken) < len(visible):
                self._stopped = True
                lane.skip += len(taken)
                after = Checkpoint(page_token=lane.token, skip=lane.skip)
            elif token is None:
                del self._lanes[0]
                after = None
            else:
                lane.token, lane.skip = token, 0
                after = Checkpoint(page_token=token)
        self._items += len(taken)
        page = CollectionPage(
            elements=taken,
            paging=parsed.paging,
            metadata=parsed.metadata,
            number=self._pages,
            checkpoint=here,
            next_checkpoint=after,
            response=parsed,
        )
        self._pages += 1
        return [page]

    def _feed_batch(self, request: Request, parsed: BatchFinderResponse) -> list[CollectionPage]:
        asked = self._pending_lanes
        results = parsed.results
        if len(results) != len(asked):
            url = redact_url(request.url)
            raise ResponseDecodeError(
                f"the batch finder answered {len(results)} result(s) for {len(asked)} "
                f"criteria [{request.method} {url}]",
                response=parsed.core_response,
                request_method=request.method,
                request_url=url,
            )
        # Decide every criteria's next start before changing anything, so that an
        # error leaves the checkpoint where this request began.
        outcomes: list[int | None] = []
        for index, result in zip(asked, results, strict=True):
            if result.isError:
                outcomes.append(None)
                continue
            outcomes.append(
                self._next_start(
                    request,
                    self._lanes[index],
                    result.elements,
                    result.paging or Paging(),
                    f"criteria {index}: ",
                )
            )
        pages: list[CollectionPage] = []
        for index, result, next_start in zip(asked, results, outcomes, strict=True):
            if self._max_items is not None and self._items >= self._max_items:
                self._stopped = True  # the others stay where they were
                break
            lane = self._lanes[index]
            here = self.checkpoint
            assert here is not None
            elements = result.elements
            taken = self._take(elements)
            if len(taken) < len(elements):
                self._stopped = True
                lane.start += len(taken)
            elif next_start is None:
                del self._lanes[index]
            else:
                lane.start = next_start
            self._items += len(taken)
            pages.append(
                CollectionPage(
                    elements=taken,
                    paging=result.paging or Paging(),
                    metadata=result.metadata,
                    number=self._pages,
                    checkpoint=here,
                    next_checkpoint=self.checkpoint,
                    response=parsed,
                    criteria_index=index,
                    criteria=self._criteria[index] if self._criteria is not None else None,
                    error=result.error if result.isError else None,
                )
            )
            self._pages += 1
        return pages

    # ----------------------------------------------------------------- driving

    def fetch_flow(self, request: Request, call_flow: CallFlow) -> Flow[list[CollectionPage]]:
        """The flow of the next page: ``call_flow(request, self.feed)``, with the
        checkpoint attached to any error.

        An error raised while fetching or reading the page keeps its class (so
        ``except RateLimitError`` still works) and gains a ``checkpoint`` attribute
        (and, on Python 3.11+, a note) saying where to resume.

        With ``concurrency`` N, once ``paging.total`` is known the pages that follow
        are read ahead in a :class:`~restli_core.Window`: up to :data:`READ_AHEAD` x
        N planned, N in flight, in the background between one call and the next.
        This flow then takes the next page from the window (waiting for it if it has
        not arrived), parses it and plans one more. Pages are still handed out one
        by one and in order, so when one fails, those before it have been returned
        already. :meth:`close` stops the read-ahead.

        Args:
            request: the pending request (from :meth:`next_request`).
            call_flow: a client's ``call_flow`` (send with retries, then parse).

        Returns:
            A flow whose result is the pages read, in order.
        """
        window = self._window
        if window is not None and request is self._pending and self._window_holds_next():
            return (yield from self._take_ready(window, call_flow))
        self.close()
        planned = self.plan() if request is self._pending else []
        if len(planned) <= 1:
            try:
                return (yield from call_flow(request, self.feed))
            except RestliError as exc:
                if not isinstance(exc, PaginationError):
                    _attach_checkpoint(exc, self.checkpoint)
                raise
        window = self._window = Window(self._concurrency)
        yield from self._read_ahead(window, planned, call_flow)
        return (yield from self._take_ready(window, call_flow))

    def close(self) -> None:
        """Stop reading ahead: the pages planned and not sent yet are dropped, and
        those in flight are cancelled or ignored. Paging can go on afterwards (the
        next page is asked for again). Idempotent."""
        window, self._window = self._window, None
        self._ahead.clear()
        if window is not None:
            window.close()

    def _window_holds_next(self) -> bool:
        lane = self._lanes.get(0)
        return bool(self._ahead) and lane is not None and self._ahead[0][0] == lane.start

    def _read_ahead(
        self, window: Window, planned: list[tuple[int, Request]], call_flow: CallFlow
    ) -> Flow[None]:
        # The flows only send (with retries) and read; each answer is parsed when it
        # is taken, in order, while the requests after it are still on the wire.
        flows = [call_flow(sent, _unparsed) for _, sent in planned]
        self._ahead.extend(planned)
        yield from window_start(window, flows)

    def _take_ready(self, window: Window, call_flow: CallFlow) -> Flow[list[CollectionPage]]:
        # The next answer, fed to the state machine; then the plan is topped up, so
        # N requests stay in flight while the caller reads.
        try:
            outcome = yield from window_take(window)
        except BaseException:
            self.close()  # interrupted or cancelled while waiting
            raise
        _, sent = self._ahead.popleft()
        try:
            self._pending = sent
            pages = self._feed_parsed(sent, parse_response(sent, outcome.unwrap()))
        except RestliError as exc:
            self.close()
            if not isinstance(exc, PaginationError):
                _attach_checkpoint(exc, self.checkpoint)
            raise
        lane = self._lanes.get(0)
        if lane is not None and lane.total is not None and self._reads_ahead(lane):
            end = self._concurrency * READ_AHEAD
            more = self._planned(lane, lane.total, len(self._ahead), end)
            yield from self._read_ahead(window, more, call_flow)
        if not self._ahead:
            self.close()
        return pages


def _unparsed(response: Response) -> Response:
    return response


class CallFlow(Protocol):
    """A client's ``call_flow``: one request, sent with retries, then parsed."""

    def __call__(self, request: Request, parse: Callable[[Response], R]) -> Flow[R]: ...


def _attach_checkpoint(exc: RestliError, checkpoint: Checkpoint | None) -> None:
    # The error keeps its own class; RestliError declares where a read stands.
    exc.checkpoint = checkpoint
    add_note = getattr(exc, "add_note", None)  # PEP 678, Python 3.11+
    if add_note is not None:
        add_note(f"paging stopped here; resume with resume={checkpoint!r}")


def _paged_method(method: Any) -> RestliMethod:
    if isinstance(method, str):
        try:
            method = RestliMethod(method.strip().lower())
        except ValueError:
            method = None
    found = _PAGED.get(method) if isinstance(method, RestliMethod) else None
    if found is None:
        raise RestliUsageError(
            f"only 'finder', 'get_all' and 'batch_finder' results are paged, not {method!r}"
        )
    return found


def _params(query_params: Any) -> dict[str, Any]:
    if query_params is None:
        return {}
    if not isinstance(query_params, Mapping):
        raise RestliUsageError(f"query_params must be a dict, not {type(query_params).__name__}")
    return dict(query_params)
