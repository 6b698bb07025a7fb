"""Paged reads, the values: where a read stands (:class:`Checkpoint`), one page of it
(:class:`CollectionPage`) and the error that ends a read the server breaks
(:class:`PaginationError`). The rules live with :class:`~restli_core.Paginator`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal

import attrs

from ._errors import RestliError, RestliUsageError
from ._responses import BaseRestliResponse, Paging

__all__ = ["Checkpoint", "CollectionPage", "PaginationError", "PagingStyle", "count_arg"]

PagingStyle = Literal["offset", "cursor"]

# --------------------------------------------------------------------------- values


def count_arg(value: Any, name: str, minimum: int) -> int:
    # Query values may arrive as text ("10") when a caller moves its query_params over.
    if isinstance(value, str) and value.isascii() and value.isdigit() and len(value) < 19:
        value = int(value)
    if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
        raise RestliUsageError(f"{name} must be an int >= {minimum}, got {value!r}")
    return value


def _optionalcount_arg(value: Any, name: str, minimum: int) -> int | None:
    return None if value is None else count_arg(value, name, minimum)


def _to_criteria_starts(value: Any) -> tuple[tuple[int, int], ...] | None:
    if value is None:
        return None
    try:
        pairs = list(value.items()) if isinstance(value, Mapping) else [tuple(p) for p in value]
    except TypeError:
        raise RestliUsageError(
            f"Checkpoint.criteria_starts must map criteria indexes to starts, got {value!r}"
        ) from None
    out: dict[int, int] = {}
    for pair in pairs:
        if len(pair) != 2:
            raise RestliUsageError(f"Checkpoint.criteria_starts: {pair!r} is not a pair")
        index = count_arg(pair[0], "a Checkpoint.criteria_starts index", 0)
        if index in out:
            raise RestliUsageError(f"Checkpoint.criteria_starts repeats criteria {index}")
        out[index] = count_arg(pair[1], "a Checkpoint.criteria_starts start", 0)
    return tuple(sorted(out.items()))


def _check_start(_instance: Any, _attribute: Any, value: Any) -> None:
    if value is not None:
        count_arg(value, "Checkpoint.start", 0)


def _check_skip(_instance: Any, _attribute: Any, value: Any) -> None:
    count_arg(value, "Checkpoint.skip", 0)


def _check_token(_instance: Any, _attribute: Any, value: Any) -> None:
    if value is not None and (not isinstance(value, str) or not value):
        raise RestliUsageError(f"Checkpoint.page_token must be a non-empty str, got {value!r}")


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
        RestliUsageError: for a negative or non-int position, an empty token, or a
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
            raise RestliUsageError("a Checkpoint has a start or criteria_starts, not both")
        if offset and (self.page_token is not None or self.skip):
            raise RestliUsageError(
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
            RestliUsageError: ``data`` is not such a mapping.
        """
        if not isinstance(data, Mapping):
            raise RestliUsageError(f"a checkpoint is a mapping, got {type(data).__name__}")
        unknown = set(data) - {"start", "page_token", "skip", "criteria_starts"}
        if unknown:
            raise RestliUsageError(f"unknown checkpoint field(s): {', '.join(sorted(unknown))}")
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
            RestliUsageError: ``delivered`` is not between 0 and ``len(elements)``.
        """
        if (
            isinstance(delivered, bool)
            or not isinstance(delivered, int)
            or not 0 <= delivered <= len(self.elements)
        ):
            raise RestliUsageError(
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
