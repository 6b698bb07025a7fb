"""URNs as LinkedIn uses them: ``urn:<namespace>:<entityType>:<id>``.

The id is either simple text (``urn:li:person:abc``) or a compound tuple of parts in
parentheses, each part itself text or a URN, possibly compound again
(``urn:li:sponsoredCreative:(urn:li:sponsoredCampaign:123,456)``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Union

import attrs

from ._errors import RestliEncodeError

__all__ = ["Urn", "UrnPart"]

UrnPart = Union[str, "Urn"]

_NAMESPACE = re.compile(r"[A-Za-z0-9][A-Za-z0-9-]{0,31}").fullmatch
_ENTITY_TYPE = re.compile(r"[A-Za-z_][A-Za-z0-9_.-]*").fullmatch
_MAX_DEPTH = 32


class UrnError(RestliEncodeError):
    """Text that is not a well-formed URN (also a ``ValueError``)."""


@attrs.frozen(repr=False)
class Urn:
    """A parsed URN.

    Build one with :meth:`parse` (from text) or :meth:`build` (from parts); ``str()``
    gives the text back exactly. As a Rest.li value a ``Urn`` encodes as its text.

    Attributes:
        namespace: ``li`` for LinkedIn URNs.
        entity_type: e.g. ``sponsoredCampaign``.
        id: the id text as written (``123``, or ``(urn:li:x:1,2)`` for compound ids).
    """

    namespace: str
    entity_type: str
    id: str

    def __attrs_post_init__(self) -> None:
        _validate(self.namespace, self.entity_type, self.id)

    @classmethod
    def parse(cls, text: str) -> Urn:
        """Parse ``text`` into a :class:`Urn`.

        Raises:
            UrnError: naming what is wrong, e.g. an unbalanced parenthesis.
        """
        if isinstance(text, Urn):
            return text
        if not isinstance(text, str):
            raise UrnError(f"a URN is text, not {type(text).__name__}")
        return _parse(text)

    @classmethod
    def build(cls, entity_type: str, *ids: UrnPart | int, namespace: str = "li") -> Urn:
        """Build a URN from its entity type and one id (simple) or several (compound).

        >>> str(Urn.build("sponsoredCreative", Urn.parse("urn:li:sponsoredCampaign:1"), 2))
        'urn:li:sponsoredCreative:(urn:li:sponsoredCampaign:1,2)'
        """
        if not ids:
            raise UrnError("a URN needs at least one id")
        parts = [str(p) for p in ids]
        for part in parts:
            if not part:
                raise UrnError("a URN id part must not be empty")
        id_text = parts[0] if len(parts) == 1 else f"({','.join(parts)})"
        return cls(namespace, entity_type, id_text)

    @property
    def is_compound(self) -> bool:
        """True when the id is a tuple ``(a,b,...)``."""
        return self.id.startswith("(")

    @property
    def parts(self) -> tuple[UrnPart, ...]:
        """The id parts: one for a simple id; each part of a compound one.

        Parts that are URNs come back as :class:`Urn`, the others as text.
        """
        if not self.is_compound:
            return (self.id,)
        return tuple(_part(p) for p in _split_compound(self.id[1:-1]))

    def __str__(self) -> str:
        return f"urn:{self.namespace}:{self.entity_type}:{self.id}"

    def __repr__(self) -> str:
        return f"Urn({str(self)!r})"


def _part(text: str) -> UrnPart:
    return _parse(text) if text.startswith("urn:") else text


def _split_compound(inner: str) -> Iterable[str]:
    depth = 0
    start = 0
    for index, char in enumerate(inner):
        if char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
        elif char == "," and depth == 0:
            yield inner[start:index]
            start = index + 1
    yield inner[start:]


def _parse(text: str) -> Urn:
    if not text.startswith("urn:"):
        raise UrnError(f"not a URN (must start with 'urn:'): {text[:80]!r}")
    fields = text.split(":", 3)
    if len(fields) < 4:
        raise UrnError(f"a URN is urn:<namespace>:<type>:<id>: {text[:80]!r}")
    _, namespace, entity_type, id_text = fields
    return Urn(namespace, entity_type, id_text)


def _validate(namespace: str, entity_type: str, id_text: str) -> None:
    for name, value in (("namespace", namespace), ("entity type", entity_type), ("id", id_text)):
        if not isinstance(value, str):
            raise UrnError(f"URN {name} must be text, not {type(value).__name__}")
    text = f"urn:{namespace}:{entity_type}:{id_text}"[:80]
    if not _NAMESPACE(namespace):
        raise UrnError(f"bad URN namespace {namespace!r} in {text!r}")
    if not _ENTITY_TYPE(entity_type):
        raise UrnError(f"bad URN entity type {entity_type!r} in {text!r}")
    if not id_text:
        raise UrnError(f"empty URN id in {text!r}")
    # Check the parentheses without recursion first, so a deeply nested id is
    # rejected before any part is parsed.
    depth = deepest = 0
    first_close = -1
    for index, char in enumerate(id_text):
        if char == "(":
            depth += 1
            deepest = max(deepest, depth)
        elif char == ")":
            depth -= 1
            if depth < 0:
                raise UrnError(f"unbalanced ')' in URN id of {text!r}")
            if depth == 0 and first_close < 0:
                first_close = index
    if depth:
        raise UrnError(f"unbalanced '(' in URN id of {text!r}")
    if deepest > _MAX_DEPTH:
        raise UrnError(f"URN nested more than {_MAX_DEPTH} levels deep: {text!r}")
    if id_text.startswith("("):
        if first_close != len(id_text) - 1:
            raise UrnError(f"a compound URN id must be one '(...)' group: {text!r}")
        for part in _split_compound(id_text[1:-1]):
            if not part:
                raise UrnError(f"empty part in compound URN id of {text!r}")
            if part.startswith("urn:"):
                _parse(part)
