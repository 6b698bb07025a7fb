"""Batch chunking: one batch call over any number of ids, sent as several requests.

LinkedIn caps the number of keys a batch method takes (and the gateway rejects
long URLs: 414 past about 4 KB of query, PROTOCOL.md §5), so integrations split big
id lists by hand and stitch the answers back together. With ``chunk_size`` (per
call, or the client's ``batch_chunk_size``) a BATCH_GET, BATCH_UPDATE,
BATCH_PARTIAL_UPDATE or BATCH_DELETE is sent as several requests of at most that
many ids, each with the client's retry policy and deadline, and the answers are
merged into one response of the usual type (``results``, ``statuses`` and ``errors``
maps united, in the order of the ids). With ``concurrency`` N (default 1: one after
the other) up to N chunks are in flight at once: a new one starts as soon as one
ends. The whole thing is one flow (:func:`chunked_batch_flow`), so sync and async
clients run the same code.

When a chunk fails
==================

A chunk that fails as a whole (an exception once retries are spent: a 5xx, a
transport error, a 4xx for the whole request) does not lose the other chunks'
results. The rule, chosen so that no failure passes silently and no result is
thrown away:

* the other chunks are still sent, except after 401, 403, 426 or 429: those concern
  every chunk alike (a bad token, a missing permission, a retired version, a spent
  quota), so the chunks not started yet are not sent and their ids are listed as
  unsent (with ``concurrency`` above 1, the chunks already in flight finish and
  their results are kept);
* then :class:`BatchChunkError` is raised. Its ``response`` is the merged response
  of the chunks that succeeded (same type as without chunking), its ``failures``
  lists each failed chunk's ids and exception, and ``unsent_ids`` the ids never
  sent. ``failed_ids`` is everything to try again.

Per-id failures *inside* a chunk's answer (a 404 for one id of a batch get) are
not chunk failures: they are in the merged ``errors`` map, as without chunking.
When the ids fit in one chunk nothing changes at all: the call is the plain call
and raises what it always raises.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, TypeVar, cast

import attrs

from ._errors import (
    ForbiddenError,
    RateLimitError,
    RestliError,
    RestliUsageError,
    UnauthorizedError,
    VersionNotActiveError,
)
from ._flow import Window, window_start, window_take
from ._responses import (
    BaseRestliResponse,
    BatchDeleteResponse,
    BatchGetResponse,
    BatchResults,
    BatchUpdateResponse,
    parse_response,
)
from ._wire import RestliMethod

if TYPE_CHECKING:
    from ._flow import Flow
    from ._messages import Request, Response

__all__ = [
    "BatchChunkError",
    "ChunkFailure",
    "check_concurrency",
    "chunked_batch_flow",
    "merge_batch_responses",
    "split_batch",
]

R = TypeVar("R")
B = TypeVar("B", BatchGetResponse, BatchUpdateResponse, BatchDeleteResponse)

# The per-id lists that travel with ``ids`` and are split alongside them.
_PARALLEL: dict[RestliMethod, tuple[str, ...]] = {
    RestliMethod.BATCH_GET: (),
    RestliMethod.BATCH_DELETE: (),
    RestliMethod.BATCH_UPDATE: ("entities",),
    RestliMethod.BATCH_PARTIAL_UPDATE: ("patch_set_objects", "patches"),
}
# Failures that every chunk would meet alike: sending the rest cannot succeed and
# (after a 429) only deepens the throttling.
_STOP_AFTER = (UnauthorizedError, ForbiddenError, VersionNotActiveError, RateLimitError)


@attrs.frozen
class ChunkFailure:
    """One chunk that failed as a whole.

    Attributes:
        ids: the ids that chunk carried (as given to the call).
        error: the exception its request ended with, once retries were spent.
    """

    ids: tuple[Any, ...]
    error: RestliError


class BatchChunkError(RestliError):
    """Some chunks of a chunked batch call failed; the others' results are kept.

    Attributes:
        method: the Rest.li method of the call.
        response: the merged response of the chunks that succeeded (a
            ``BatchGetResponse``, ``BatchUpdateResponse`` or ``BatchDeleteResponse``),
            or ``None`` when none did.
        failures: a :class:`ChunkFailure` per failed chunk, in order.
        unsent_ids: ids of the chunks not sent after a failure that every chunk
            would meet (401, 403, 426, 429).
        total_ids: how many ids the call was given.

    The first failure is also the ``__cause__``.
    """

    def __init__(
        self,
        method: RestliMethod,
        response: BaseRestliResponse | None,
        failures: Sequence[ChunkFailure],
        unsent_ids: Sequence[Any],
        total_ids: int,
    ) -> None:
        self.method = method
        self.response = response
        self.failures = tuple(failures)
        self.unsent_ids = tuple(unsent_ids)
        self.total_ids = total_ids
        failed = sum(len(f.ids) for f in self.failures)
        first = self.failures[0].error if self.failures else None
        text = (
            f"{method.wire_name}: {len(self.failures)} chunk(s) failed ({failed} of "
            f"{total_ids} ids)"
        )
        if self.unsent_ids:
            text += f", {len(self.unsent_ids)} ids not sent after it"
        if first is not None:
            text += f"; first failure: {type(first).__name__}: {first}"
        text += (
            "; the results of the other chunks are in .response, the ids to retry in .failed_ids"
        )
        super().__init__(text)

    @property
    def failed_ids(self) -> tuple[Any, ...]:
        """Every id without a result: those of the failed chunks, then the unsent ones."""
        return tuple(i for f in self.failures for i in f.ids) + self.unsent_ids


# --------------------------------------------------------------------------- pure parts


def check_concurrency(value: Any) -> int:
    """``value`` as a number of requests in flight at once (an int >= 1).

    Raises:
        RestliUsageError: for anything else.
    """
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise RestliUsageError(f"concurrency must be an int >= 1, got {value!r}")
    return value


def _chunk_size(value: Any) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise RestliUsageError(f"chunk_size must be an int >= 1 or None, got {value!r}")
    return value


def split_batch(
    method: RestliMethod, arguments: Mapping[str, Any], chunk_size: int | None
) -> list[dict[str, Any]] | None:
    """The builder arguments of each chunk, or ``None`` when there is nothing to split.

    ``ids`` and the lists that go with them (``entities``; ``patch_set_objects`` or
    ``patches``) are cut into consecutive slices of ``chunk_size``; every other
    argument is the same in each chunk.

    Args:
        method: BATCH_GET, BATCH_DELETE, BATCH_UPDATE or BATCH_PARTIAL_UPDATE.
        arguments: the builder's keyword arguments for the whole call.
        chunk_size: ids per chunk (``None``: no splitting).

    Returns:
        One argument dict per chunk, or ``None`` when ``chunk_size`` is ``None``,
        the ids fit in one chunk, or the arguments are malformed (then the plain
        call reports the problem exactly as it would without chunking).

    Raises:
        RestliUsageError: ``method`` is not one of the four, or ``chunk_size`` is
            not a positive int.
    """
    parallel = _PARALLEL.get(method)
    if parallel is None:
        raise RestliUsageError(
            f"only batch_get, batch_delete, batch_update and batch_partial_update are "
            f"chunked, not {method.wire_name}"
        )
    size = _chunk_size(chunk_size)
    ids = arguments.get("ids")
    if size is None or not isinstance(ids, (list, tuple)) or len(ids) <= size:
        return None
    lists = {}
    for name in parallel:
        values = arguments.get(name)
        if values is None:
            continue
        if not isinstance(values, (list, tuple)) or len(values) != len(ids):
            return None  # the builder's own message is the right one
        lists[name] = values
    chunks = []
    for begin in range(0, len(ids), size):
        chunk = dict(arguments)
        chunk["ids"] = list(ids[begin : begin + size])
        for name, values in lists.items():
            chunk[name] = list(values[begin : begin + size])
        chunks.append(chunk)
    return chunks


def _merge_maps(responses: Sequence[Any], name: str) -> BatchResults[Any]:
    merged: BatchResults[Any] = BatchResults()
    for response in responses:
        merged.update(getattr(response, name))
    return merged


def _merge_data(responses: Sequence[BaseRestliResponse], names: Sequence[str]) -> Any:
    first = responses[0].data
    data: dict[str, Any] = dict(first) if isinstance(first, dict) else {}
    for name in names:
        merged: dict[str, Any] = {}
        for response in responses:
            part = response.data.get(name) if isinstance(response.data, dict) else None
            if isinstance(part, dict):
                merged.update(part)
        data[name] = merged
    return data


def merge_batch_responses(responses: Sequence[B]) -> B:
    """One response holding the results of several chunk responses.

    The ``results``, ``statuses`` (batch get) and ``errors`` maps are united (a key
    answered twice keeps the later answer); ``data`` holds the united maps too. The
    status, URL, headers and raw response are those of the first chunk.

    Args:
        responses: the chunks' responses, all of one type, at least one.

    Returns:
        A response of that same type.

    Raises:
        RestliUsageError: for an empty list or mixed types.
    """
    if not responses:
        raise RestliUsageError("merge_batch_responses needs at least one response")
    first = responses[0]
    if any(type(r) is not type(first) for r in responses):
        raise RestliUsageError("merge_batch_responses needs responses of one type")
    if len(responses) == 1:
        return first
    names: tuple[str, ...] = (
        ("results", "statuses", "errors")
        if isinstance(first, BatchGetResponse)
        else ("results", "errors")
    )
    changes: dict[str, Any] = {name: _merge_maps(responses, name) for name in names}
    changes["data"] = _merge_data(responses, names)
    return attrs.evolve(first, **changes)


# --------------------------------------------------------------------------- the flow


def chunked_batch_flow(
    method: RestliMethod,
    arguments: Mapping[str, Any],
    *,
    build: Callable[..., Request],
    chunk_size: int | None,
    send: Callable[[Request], Flow[BaseRestliResponse]],
    send_chunk: Callable[[Request], Flow[Response]],
    concurrency: int = 1,
) -> Flow[BaseRestliResponse]:
    """The flow of a batch call, split into chunks when asked.

    Every chunk's request is built before the first is sent, so a malformed id in
    the last chunk is reported before anything changes on the server.

    Args:
        method: BATCH_GET, BATCH_DELETE, BATCH_UPDATE or BATCH_PARTIAL_UPDATE.
        arguments: the builder's keyword arguments for the whole call.
        build: the builder's method for ``method``.
        chunk_size: ids per request; ``None``: no splitting.
        send: the flow of the call when it is not split (the client's usual one).
        send_chunk: the flow of one chunk, returning its response unparsed; it
            must raise for an error status (a failed chunk is reported, never
            merged). Each answer is parsed when its turn comes, while the chunks
            after it are still on the wire.
        concurrency: chunks in flight at once (1: one after the other).

    Returns:
        A flow whose result is the (merged) typed response.

    Raises:
        BatchChunkError: a chunk failed (see the module docstring).
        RestliUsageError, RestliEncodeError: for a malformed argument, before
            anything is sent.
    """
    limit = check_concurrency(concurrency)
    chunks = split_batch(method, arguments, chunk_size)
    if chunks is None:
        return (yield from send(build(**arguments)))
    requests = [(tuple(chunk["ids"]), build(**chunk)) for chunk in chunks]
    stopped: list[RestliError] = []  # set by the first failure every chunk would meet

    def chunk_flow(request: Request) -> Flow[Response | None]:
        if stopped:
            return None  # not sent: the rest would fail alike
        try:
            return (yield from send_chunk(request))
        except _STOP_AFTER as exc:
            stopped.append(exc)
            raise

    parts: list[Any] = []
    failures: list[ChunkFailure] = []
    unsent: list[Any] = []
    window = Window(limit)
    try:
        yield from window_start(window, [chunk_flow(request) for _, request in requests])
        for ids, request in requests:
            outcome = yield from window_take(window)
            error, response = outcome.error, outcome.value
            if error is None and response is None:
                unsent.extend(ids)
                continue
            if error is None and response is not None:
                try:
                    parts.append(parse_response(request, response))
                    continue
                except RestliError as exc:  # a 2xx that is not a batch answer
                    error = exc
            if not isinstance(error, RestliError):
                raise cast(BaseException, error)  # not a failed call: a bug, reported as it is
            failures.append(ChunkFailure(ids, error))
    finally:
        window.close()
    if failures:
        merged = merge_batch_responses(parts) if parts else None
        raise BatchChunkError(
            method, merged, failures, unsent, len(arguments["ids"])
        ) from failures[0].error
    result: BaseRestliResponse = merge_batch_responses(parts)
    return result
