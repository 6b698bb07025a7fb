"""Pagination, written once: a pure state machine and the two thin iterators that drive it.

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
"""

from __future__ import annotations

from collections import deque
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator, Mapping, Sequence
from typing import TYPE_CHECKING, Any, Generic, Literal, Protocol, TypeVar

import attrs

from ._errors import ResponseDecodeError, RestliEncodeError, RestliError
from ._log import redact_url
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

__all__ = [
    "DEFAULT_CURSOR_PAGE_SIZE",
    "AsyncPager",
    "AsyncPagingMixin",
    "Checkpoint",
    "CollectionPage",
    "PaginationError",
    "Pager",
    "Paginator",
    "PagingStyle",
    "SyncPagingMixin",
]

T = TypeVar("T")
R = TypeVar("R")

PagingStyle = Literal["offset", "cursor"]

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


# --------------------------------------------------------------------------- values


def _count(value: Any, name: str, minimum: int) -> int:
    # Query values may arrive as text ("10") when a caller moves its query_params over.
    if isinstance(value, str) and value.isascii() and value.isdigit() and len(value) < 19:
        value = int(value)
    if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
        raise RestliEncodeError(f"{name} must be an int >= {minimum}, got {value!r}")
    return value


def _optional_count(value: Any, name: str, minimum: int) -> int | None:
    return None if value is None else _count(value, name, minimum)


def _to_criteria_starts(value: Any) -> tuple[tuple[int, int], ...] | None:
    if value is None:
        return None
    try:
        pairs = list(value.items()) if isinstance(value, Mapping) else [tuple(p) for p in value]
    except TypeError:
        raise RestliEncodeError(
            f"Checkpoint.criteria_starts must map criteria indexes to starts, got {value!r}"
        ) from None
    out: dict[int, int] = {}
    for pair in pairs:
        if len(pair) != 2:
            raise RestliEncodeError(f"Checkpoint.criteria_starts: {pair!r} is not a pair")
        index = _count(pair[0], "a Checkpoint.criteria_starts index", 0)
        if index in out:
            raise RestliEncodeError(f"Checkpoint.criteria_starts repeats criteria {index}")
        out[index] = _count(pair[1], "a Checkpoint.criteria_starts start", 0)
    return tuple(sorted(out.items()))


def _check_start(_instance: Any, _attribute: Any, value: Any) -> None:
    if value is not None:
        _count(value, "Checkpoint.start", 0)


def _check_skip(_instance: Any, _attribute: Any, value: Any) -> None:
    _count(value, "Checkpoint.skip", 0)


def _check_token(_instance: Any, _attribute: Any, value: Any) -> None:
    if value is not None and (not isinstance(value, str) or not value):
        raise RestliEncodeError(f"Checkpoint.page_token must be a non-empty str, got {value!r}")


@attrs.frozen
class Checkpoint:
    """Where a paged read stands: pass it back as ``resume=`` to go on from there.

    Exactly one style is set:

    * offset paging: ``start``, the index of the next element to read;
    * cursor paging: ``page_token``, the token of the page holding the next element
      (``None``: the first page), and ``skip``, how many elements of that page were
      already delivered;
    * a batch finder: ``criteria_starts``, ``(criteria index, start)`` for each
      criteria not read to its end (indexes into the ``finder_criteria`` list).

    A checkpoint is a plain value: :meth:`to_dict` / :meth:`from_dict` turn it into
    JSON-ready data and back, to resume in another process.

    Raises:
        RestliEncodeError: for a negative or non-int position, an empty token, or a
            mix of styles.
    """

    start: int | None = attrs.field(default=None, validator=_check_start)
    page_token: str | None = attrs.field(default=None, validator=_check_token)
    skip: int = attrs.field(default=0, validator=_check_skip)
    criteria_starts: tuple[tuple[int, int], ...] | None = attrs.field(
        default=None, converter=_to_criteria_starts
    )

    def __attrs_post_init__(self) -> None:
        offset = self.start is not None or self.criteria_starts is not None
        if self.start is not None and self.criteria_starts is not None:
            raise RestliEncodeError("a Checkpoint has a start or criteria_starts, not both")
        if offset and (self.page_token is not None or self.skip):
            raise RestliEncodeError(
                "a Checkpoint is either offset (start / criteria_starts) or cursor "
                "(page_token, skip), not both"
            )

    @property
    def style(self) -> PagingStyle:
        """``"offset"`` or ``"cursor"``."""
        if self.start is None and self.criteria_starts is None:
            return "cursor"
        return "offset"

    def to_dict(self) -> dict[str, Any]:
        """The checkpoint as JSON-ready data (only the fields that are set)."""
        out: dict[str, Any] = {}
        if self.start is not None:
            out["start"] = self.start
        if self.page_token is not None:
            out["page_token"] = self.page_token
        if self.skip:
            out["skip"] = self.skip
        if self.criteria_starts is not None:
            out["criteria_starts"] = [list(pair) for pair in self.criteria_starts]
        return out

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Checkpoint:
        """The checkpoint :meth:`to_dict` gave.

        Raises:
            RestliEncodeError: ``data`` is not such a mapping.
        """
        if not isinstance(data, Mapping):
            raise RestliEncodeError(f"a checkpoint is a mapping, got {type(data).__name__}")
        unknown = set(data) - {"start", "page_token", "skip", "criteria_starts"}
        if unknown:
            raise RestliEncodeError(f"unknown checkpoint field(s): {', '.join(sorted(unknown))}")
        return cls(
            start=data.get("start"),
            page_token=data.get("page_token"),
            skip=data.get("skip", 0),
            criteria_starts=data.get("criteria_starts"),
        )


class PaginationError(RestliError):
    """Paging cannot go on without repeating or losing elements.

    Raised when the server ignores ``start`` (it echoes another ``start``, or sends
    the same page again), sends a ``nextPageToken`` it sent before, sends a malformed
    token, or (from an element iterator over a batch finder) when one criteria
    failed. Everything delivered before it stands; :attr:`checkpoint` says where to
    resume.

    Attributes:
        checkpoint: where the read stands (``None``: nothing is left).
        request_method, request_url: the page request involved (never its headers).
        criteria_index: for a failed batch finder criteria, its index.
        error: for a failed batch finder criteria, the server's error (a dict).
    """

    def __init__(
        self,
        message: str,
        *,
        checkpoint: Checkpoint | None,
        request_method: str = "",
        request_url: str = "",
        criteria_index: int | None = None,
        error: Any = None,
    ) -> None:
        self.checkpoint = checkpoint
        self.request_method = request_method
        self.request_url = request_url
        self.criteria_index = criteria_index
        self.error = error
        super().__init__(message)


@attrs.frozen
class CollectionPage:
    """One page of a paged read.

    Attributes:
        elements: the entities of this page (cut short by ``max_items``, and
            without the elements a resumed cursor checkpoint skips).
        paging: the page's :class:`Paging` (all ``None`` when the server sent none).
        metadata: the page's ``metadata`` (e.g. ``nextPageToken``), or ``None``.
        number: the page's index in this read (0 for the first page delivered).
        checkpoint: where this page starts: resuming here reads it again.
        next_checkpoint: where the element after this page's last one is; ``None``
            when nothing is left.
        response: the typed response the page came from
            (:class:`CollectionResponse`, or :class:`BatchFinderResponse`).
        criteria_index: for a batch finder, the index of the criteria in
            ``finder_criteria``; else ``None``.
        criteria: for a batch finder, that criteria; else ``None``.
        error: for a batch finder criteria that failed, the server's error (a dict
            with ``status``, ``message``...); the page then has no elements.
    """

    elements: list[Any] = attrs.field(repr=lambda v: f"<{len(v)} items>")
    paging: Paging
    metadata: Any
    number: int
    checkpoint: Checkpoint
    next_checkpoint: Checkpoint | None
    response: BaseRestliResponse = attrs.field(repr=False)
    criteria_index: int | None = None
    criteria: Any = None
    error: Any = None

    @property
    def total(self) -> int | None:
        """``paging.total``: how many elements the server says there are, if it says."""
        return self.paging.total

    @property
    def is_error(self) -> bool:
        """Whether this is a failed batch finder criteria."""
        return self.error is not None

    @property
    def next_start(self) -> int | None:
        """Offset paging: the ``start`` of the next page (``None`` when last)."""
        after = self.next_checkpoint
        if after is None:
            return None
        if after.criteria_starts is not None and self.criteria_index is not None:
            return dict(after.criteria_starts).get(self.criteria_index)
        return after.start

    @property
    def next_page_token(self) -> str | None:
        """Cursor paging: the ``pageToken`` of the next page (``None`` when last)."""
        after = self.next_checkpoint
        return None if after is None else after.page_token

    def checkpoint_after(self, delivered: int) -> Checkpoint | None:
        """Where to resume once the first ``delivered`` elements of this page are used.

        With offset paging that is ``start + delivered`` (exact unless the server
        drops elements from pages after paging them); with cursor paging, this
        page's token and the elements to skip.

        Raises:
            RestliEncodeError: ``delivered`` is not between 0 and ``len(elements)``.
        """
        if (
            isinstance(delivered, bool)
            or not isinstance(delivered, int)
            or not 0 <= delivered <= len(self.elements)
        ):
            raise RestliEncodeError(
                f"delivered must be an int from 0 to {len(self.elements)}, got {delivered!r}"
            )
        if delivered == len(self.elements):
            return self.next_checkpoint
        here = self.checkpoint
        if delivered == 0:
            return here
        if here.criteria_starts is not None and self.criteria_index is not None:
            starts = dict(here.criteria_starts)
            starts[self.criteria_index] += delivered
            return Checkpoint(criteria_starts=tuple(starts.items()))
        if here.start is not None:
            return Checkpoint(start=here.start + delivered)
        return attrs.evolve(here, skip=here.skip + delivered)


# --------------------------------------------------------------------------- the paginator


class _Lane:
    """The position of one sequence being paged (one per batch finder criteria)."""

    __slots__ = ("previous", "seen", "skip", "start", "token")

    def __init__(self, start: int = 0, token: str | None = None, skip: int = 0) -> None:
        self.start = start
        self.token = token
        self.skip = skip
        self.previous: list[Any] | None = None  # last page's elements (repeat check)
        self.seen: set[str] = {token} if token is not None else set()


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

    Raises:
        RestliEncodeError: for a malformed argument (the first request is built
            at once, so every builder error shows here).
    """

    def __init__(
        self,
        builder: RequestBuilder,
        method: RestliMethod | str,
        *,
        resource_path: str,
        access_token: str,
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
    ) -> None:
        self._method = _paged_method(method)
        if paging not in ("offset", "cursor"):
            raise RestliEncodeError(f"paging must be 'offset' or 'cursor', got {paging!r}")
        self._style: PagingStyle = paging
        if resume is not None and not isinstance(resume, Checkpoint):
            raise RestliEncodeError(f"resume must be a Checkpoint, got {type(resume).__name__}")
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
                raise RestliEncodeError("get_all takes no finder_name or finder_criteria")
        else:
            if finder_name is None:
                raise RestliEncodeError(f"{self._method.wire_name} needs a finder_name")
            self._call["finder_name"] = finder_name
            if self._method is RestliMethod.FINDER and finder_criteria is not None:
                raise RestliEncodeError("a finder takes no finder_criteria (batch_finder does)")
        if self._method is RestliMethod.BATCH_FINDER:
            if paging != "offset":
                raise RestliEncodeError(
                    "batch finders page by offset (start/count) only: each criteria would "
                    "need its own pageToken"
                )
            if not isinstance(finder_criteria, (tuple, list)) or len(finder_criteria) != 2:
                raise RestliEncodeError(
                    "batch_finder needs finder_criteria=(parameter_name, [criteria, ...])"
                )
            name, criteria = finder_criteria
            if not isinstance(criteria, (list, tuple)):
                raise RestliEncodeError(
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
        # Build the first request now: a malformed argument is reported by the call
        # that made the paginator, not by the first next().
        self._pending = self._build_next()

    # ----------------------------------------------------------------- set-up

    def _offset_settings(
        self, params: dict[str, Any], page_size: int | None, resume: Checkpoint | None
    ) -> tuple[dict[int, _Lane], int | None]:
        for name in _CURSOR_PARAMS:
            if params.get(name) is not None:
                raise RestliEncodeError(
                    f"query_params has {name!r}, a cursor paging parameter: pass "
                    f"paging='cursor' (and page_size / resume instead)"
                )
        start = _optional_count(params.pop("start", None), "query_params['start']", 0)
        count = _optional_count(params.pop("count", None), "query_params['count']", 1)
        size = _optional_count(page_size, "page_size", 1)
        if size is not None and count is not None and size != count:
            raise RestliEncodeError(
                f"page_size={size} and query_params['count']={count} disagree: give one"
            )
        size = count if size is None else size
        if resume is not None:
            if resume.style != "offset":
                raise RestliEncodeError(
                    "resume is a cursor checkpoint (page_token); this read pages by offset"
                )
            if start is not None:
                raise RestliEncodeError("give resume or query_params['start'], not both")
        starts: dict[int, int]
        if self._criteria is not None:
            if resume is not None and resume.criteria_starts is not None:
                starts = dict(resume.criteria_starts)
                for index in starts:
                    if index >= len(self._criteria):
                        raise RestliEncodeError(
                            f"resume names criteria {index}, but finder_criteria has "
                            f"{len(self._criteria)}"
                        )
            else:
                first = resume.start if resume is not None else start
                starts = dict.fromkeys(range(len(self._criteria)), first or 0)
        else:
            if resume is not None and resume.criteria_starts is not None:
                raise RestliEncodeError(
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
                raise RestliEncodeError(
                    f"query_params has {name!r}, an offset paging parameter, but "
                    f"paging='cursor' (LinkedIn rejects a mix of the two)"
                )
        count = _optional_count(params.pop("pageSize", None), "query_params['pageSize']", 1)
        token = params.pop("pageToken", None)
        if token is not None and (not isinstance(token, str) or not token):
            raise RestliEncodeError(f"query_params['pageToken'] must be a str, got {token!r}")
        size = _optional_count(page_size, "page_size", 1)
        if size is not None and count is not None and size != count:
            raise RestliEncodeError(
                f"page_size={size} and query_params['pageSize']={count} disagree: give one"
            )
        # LinkedIn: "the pageSize value stays the same" from page to page, so it is
        # always sent (a Rest.li server pages by cursor only when it is).
        if size is None:
            size = count if count is not None else DEFAULT_CURSOR_PAGE_SIZE
        skip = 0
        if resume is not None:
            if resume.style != "cursor":
                raise RestliEncodeError(
                    "resume is an offset checkpoint (start); this read pages by cursor"
                )
            if token is not None:
                raise RestliEncodeError("give resume or query_params['pageToken'], not both")
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
            RestliEncodeError: there is no pending request.
        """
        request = self._pending
        if request is None:
            raise RestliEncodeError("feed() needs a pending request: call next_request() first")
        # Paging always raises for an error status: with raise_for_status=False an
        # error would look like an empty page, which ends the read silently.
        parsed = parse_response(request, response)
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
        # With the start echoed and a total, the read ends by itself; otherwise a page
        # equal to the previous one is the only sign of a server ignoring ``start``.
        if (
            elements
            and (echoed is None or total is None)
            and lane.previous is not None
            and elements == lane.previous
        ):
            raise self._error(
                request,
                f"{where}the page at start={start} holds the same {len(elements)} "
                f"element(s) as the page before it: the server ignores the start "
                f"parameter, so paging on would never end",
            )
        # Advance by the page size the server used (paging.count), not by the number
        # of elements: LinkedIn may drop elements from a page after paging it, and
        # start + len(elements) would then read them again. A server that sends more
        # elements than count has moved further.
        step = max(paging.count or 0, len(elements))
        if step <= 0:
            step = self._page_size or 0
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
        return start + step

    def _next_token(self, request: Request, lane: _Lane, metadata: Any) -> str | None:
        token = metadata.get("nextPageToken") if isinstance(metadata, dict) else None
        if token is None or token == "":
            return None
        if not isinstance(token, str):
            raise self._error(
                request,
                f"metadata.nextPageToken is a {type(token).__name__}, expected a string",
            )
        if token in lane.seen:
            shown = token if len(token) <= 60 else token[:57] + "..."
            raise self._error(
                request,
                f"the server sent nextPageToken {shown!r} again (after "
                f"{self._requests + 1} page(s)): paging on would go round in circles",
            )
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
                lane.previous = elements
                after = Checkpoint(start=next_start)
        else:
            token = self._next_token(request, lane, parsed.metadata)
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
                lane.seen.add(token)
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
                response=parsed.response,
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
                lane.previous = elements
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
        """The flow of one page: ``call_flow(request, self.feed)``, with the checkpoint
        attached to any error.

        An error raised while fetching or reading the page keeps its class (so
        ``except RateLimitError`` still works) and gains a ``checkpoint`` attribute
        (and, on Python 3.11+, a note) saying where to resume.

        Args:
            request: the pending request (from :meth:`next_request`).
            call_flow: a client's ``call_flow`` (send with retries, then parse).

        Returns:
            A flow whose result is ``feed(response)``.
        """
        try:
            return (yield from call_flow(request, self.feed))
        except RestliError as exc:
            if not isinstance(exc, PaginationError):
                _attach_checkpoint(exc, self.checkpoint)
            raise


class CallFlow(Protocol):
    """A client's ``call_flow``: one request, sent with retries, then parsed."""

    def __call__(self, request: Request, parse: Callable[[Response], R]) -> Flow[R]: ...


def _attach_checkpoint(exc: RestliError, checkpoint: Checkpoint | None) -> None:
    # The error keeps its own class; the resume point rides along as an attribute.
    exc.checkpoint = checkpoint  # type: ignore[attr-defined]
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
        raise RestliEncodeError(
            f"only 'finder', 'get_all' and 'batch_finder' results are paged, not {method!r}"
        )
    return found


def _params(query_params: Any) -> dict[str, Any]:
    if query_params is None:
        return {}
    if not isinstance(query_params, Mapping):
        raise RestliEncodeError(f"query_params must be a dict, not {type(query_params).__name__}")
    return dict(query_params)


# --------------------------------------------------------------------------- delivery


class _End:
    """Nothing left to deliver."""


_END = _End()


class _Delivery(Generic[T]):
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


class _PageDelivery(_Delivery[CollectionPage]):
    __slots__ = ()

    def wants(self) -> Request | None:
        return None if self._buffer else self.paginator.next_request()

    def take(self) -> CollectionPage | _End:
        return self._buffer.popleft() if self._buffer else _END

    @property
    def checkpoint(self) -> Checkpoint | None:
        return self._buffer[0].checkpoint if self._buffer else self.paginator.checkpoint


class _ElementDelivery(_Delivery[Any]):
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
        delivery: _Delivery[T],
        run: Callable[[Flow[list[CollectionPage]]], list[CollectionPage]],
        call_flow: CallFlow,
    ) -> None:
        self._delivery = delivery
        self._run = run
        self._call_flow = call_flow

    def __iter__(self) -> Pager[T]:
        return self

    def __next__(self) -> T:
        delivery = self._delivery
        item = delivery.take()  # the common case: the current page has more
        if not isinstance(item, _End):
            return item
        while (request := delivery.wants()) is not None:
            delivery.accept(self._run(delivery.paginator.fetch_flow(request, self._call_flow)))
        item = delivery.take()
        if isinstance(item, _End):
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
        delivery: _Delivery[T],
        run: Callable[[Flow[list[CollectionPage]]], Awaitable[list[CollectionPage]]],
        call_flow: CallFlow,
    ) -> None:
        self._delivery = delivery
        self._run = run
        self._call_flow = call_flow

    def __aiter__(self) -> AsyncPager[T]:
        return self

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


# --------------------------------------------------------------------------- client mixins


class _Host(Protocol):
    """What the paging methods need from a client (``ClientCore`` has it all)."""

    builder: RequestBuilder

    def _version(self, version_string: str | None) -> str | None: ...

    def call_flow(self, request: Request, parse: Callable[[Response], R]) -> Flow[R]: ...


class _SyncHost(_Host, Protocol):
    def _run(self, flow: Flow[R]) -> R: ...


class _AsyncHost(_Host, Protocol):
    def _run(self, flow: Flow[R]) -> Awaitable[R]: ...


def _paginator(
    host: _Host,
    method: RestliMethod | str,
    arguments: dict[str, Any],
) -> Paginator:
    # The client's _version applies its default and its version policy.
    arguments["version_string"] = host._version(arguments.get("version_string"))
    return Paginator(host.builder, method, **arguments)


class SyncPagingMixin:
    """``iter_pages`` and ``iter_elements`` for a synchronous client."""

    def iter_pages(
        self: _SyncHost,
        method: RestliMethod | str,
        *,
        resource_path: str,
        access_token: str,
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
    ) -> Pager[CollectionPage]:
        """Iterate over the pages of a FINDER, GET_ALL or BATCH_FINDER result.

        Each page is fetched with the client's retry policy (a 429 or 5xx on page 7
        is retried like any call); paging follows the rules of :class:`Paginator`.
        Nothing is sent before iteration starts::

            for page in client.iter_pages("finder", resource_path="/adCampaigns",
                                          finder_name="search", access_token=token,
                                          version_string="202406", paging="cursor"):
                print(page.number, len(page.elements), page.next_checkpoint)

        Args:
            method: ``"finder"``, ``"get_all"`` or ``"batch_finder"``.
            resource_path, access_token, finder_name, finder_criteria, path_keys,
                query_params, version_string: as for the client's method of that
                name (``version_string`` defaults to the client's).
            paging: ``"offset"`` (``start``/``count``) or ``"cursor"``
                (``pageSize``/``pageToken``, LinkedIn's ad search finders since 202401).
            page_size: elements per page (see :class:`Paginator`).
            max_items: stop after this many elements.
            max_pages: stop after this many requests.
            resume: a :class:`Checkpoint` to go on from (from a page, an iterator,
                or an error raised while paging).

        Returns:
            A :class:`Pager` of :class:`CollectionPage` (batch finders: one page per
            criteria per request, with ``criteria_index``); its ``checkpoint`` is
            the resume point.

        Raises:
            RestliEncodeError: for a malformed argument (at once).
            ResponseError, TransportError: while iterating, once retries are spent;
                the error carries a ``checkpoint`` attribute.
            PaginationError: while iterating, when the server's paging is broken.
        """
        paginator = _paginator(
            self,
            method,
            {
                "resource_path": resource_path,
                "access_token": access_token,
                "finder_name": finder_name,
                "finder_criteria": finder_criteria,
                "path_keys": path_keys,
                "query_params": query_params,
                "version_string": version_string,
                "paging": paging,
                "page_size": page_size,
                "max_items": max_items,
                "max_pages": max_pages,
                "resume": resume,
            },
        )
        return Pager(_PageDelivery(paginator), self._run, self.call_flow)

    def iter_elements(
        self: _SyncHost,
        method: RestliMethod | str,
        *,
        resource_path: str,
        access_token: str,
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
    ) -> Pager[Any]:
        """Iterate over the elements of a paged result, page after page.

        The arguments are those of :meth:`iter_pages`. The iterator's
        ``checkpoint`` is the position just after the last element returned. For a
        batch finder, elements of every criteria come in page order, and a failed
        criteria raises :class:`PaginationError` (iterating on continues with the
        other criteria).

        Returns:
            A :class:`Pager` of the entities.

        Raises:
            RestliEncodeError: for a malformed argument (at once).
            ResponseError, TransportError, PaginationError: as for :meth:`iter_pages`.
        """
        paginator = _paginator(
            self,
            method,
            {
                "resource_path": resource_path,
                "access_token": access_token,
                "finder_name": finder_name,
                "finder_criteria": finder_criteria,
                "path_keys": path_keys,
                "query_params": query_params,
                "version_string": version_string,
                "paging": paging,
                "page_size": page_size,
                "max_items": max_items,
                "max_pages": max_pages,
                "resume": resume,
            },
        )
        return Pager(_ElementDelivery(paginator), self._run, self.call_flow)


class AsyncPagingMixin:
    """``iter_pages`` and ``iter_elements`` for an asynchronous client (``async for``)."""

    def iter_pages(
        self: _AsyncHost,
        method: RestliMethod | str,
        *,
        resource_path: str,
        access_token: str,
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
    ) -> AsyncPager[CollectionPage]:
        """The pages of a paged result, for ``async for`` (see the sync ``iter_pages``).

        This is a plain method: it returns the iterator at once (no ``await``)::

            async for page in client.iter_pages("get_all", resource_path="/adAccounts",
                                                access_token=token, page_size=100):
                ...

        Returns:
            An :class:`AsyncPager` of :class:`CollectionPage`.

        Raises:
            RestliEncodeError: for a malformed argument (at once).
            ResponseError, TransportError, PaginationError: while iterating.
        """
        paginator = _paginator(
            self,
            method,
            {
                "resource_path": resource_path,
                "access_token": access_token,
                "finder_name": finder_name,
                "finder_criteria": finder_criteria,
                "path_keys": path_keys,
                "query_params": query_params,
                "version_string": version_string,
                "paging": paging,
                "page_size": page_size,
                "max_items": max_items,
                "max_pages": max_pages,
                "resume": resume,
            },
        )
        return AsyncPager(_PageDelivery(paginator), self._run, self.call_flow)

    def iter_elements(
        self: _AsyncHost,
        method: RestliMethod | str,
        *,
        resource_path: str,
        access_token: str,
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
    ) -> AsyncPager[Any]:
        """The elements of a paged result, for ``async for`` (see the sync
        ``iter_elements``).

        Returns:
            An :class:`AsyncPager` of the entities.

        Raises:
            RestliEncodeError: for a malformed argument (at once).
            ResponseError, TransportError, PaginationError: while iterating.
        """
        paginator = _paginator(
            self,
            method,
            {
                "resource_path": resource_path,
                "access_token": access_token,
                "finder_name": finder_name,
                "finder_criteria": finder_criteria,
                "path_keys": path_keys,
                "query_params": query_params,
                "version_string": version_string,
                "paging": paging,
                "page_size": page_size,
                "max_items": max_items,
                "max_pages": max_pages,
                "resume": resume,
            },
        )
        return AsyncPager(_ElementDelivery(paginator), self._run, self.call_flow)
