"""URNs as LinkedIn uses them: ``urn:<namespace>:<entityType>:<id>``.

The id is either simple text (``urn:li:person:abc``) or a compound tuple of parts in
parentheses, each part itself text or a URN, possibly compound again
(``urn:li:sponsoredCreative:(urn:li:sponsoredCampaign:123,456)``).

Parsing is strict and linear. The id is read once, token by token (a token is one
of ``( ) ,`` or the text between them), with a depth counter instead of recursion,
so a nested URN costs no more than a flat one of the same length. Id text holds only
what RFC 8141 §2 allows in a URN (letters, digits, ``-._~!$&'*+;=:@/`` and ``%XX``
escapes), less the tuple grammar's ``( ) ,``: no whitespace, no control character,
nothing outside ASCII. LinkedIn's ids (``123``, ``-f_Ut43FoQ``, ``C5622AQ...``) are
well inside that.
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
# RFC 8141 §2: NSS = pchar *(pchar / "/"), pchar = unreserved / pct-encoded /
# sub-delims / ":" / "@". The tuple grammar takes "(", ")" and "," (sub-delims).
_BAD_ID_CHAR = re.compile(r"[^A-Za-z0-9\-._~!$&'*+;=:@/%]|%(?![0-9A-Fa-f]{2})").search
_TOKENS = re.compile(r"[(),]|[^(),]+").finditer
_DELIMITERS = re.compile(r"[(),]").finditer
_MAX_DEPTH = 32

# What the id reader expects next.
_VALUE = 0  # an id or a part: text, a URN or "("
_URN_ID = 1  # "urn:<ns>:<type>:" was read: its compound id, "(", must follow
_AFTER = 2  # a value ended: "," or ")" (or the end of the id)


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

        Takes time linear in the length of ``text``, however deeply it nests.

        Raises:
            UrnError: naming what is wrong, e.g. an unbalanced parenthesis, or a
                character URNs cannot hold (whitespace, control, non-ASCII).
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

        Raises:
            UrnError: no id, an empty one, or one holding what a URN cannot hold.
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
    """The top-level parts of a tuple's inside (already validated)."""
    depth = 0
    start = 0
    parts = []
    for match in _DELIMITERS(inner):
        char = match.group()
        if char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
        elif depth == 0:
            parts.append(inner[start : match.start()])
            start = match.end()
    parts.append(inner[start:])
    return parts


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
    # Only the start of the URN is shown: the text may be megabytes long.
    text = f"urn:{namespace[:80]}:{entity_type[:80]}:{id_text[:80]}"[:80]
    _check_header(namespace, entity_type, text)
    if not id_text:
        raise UrnError(f"empty URN id in {text!r}")
    _check_id(id_text, text)


def _check_header(namespace: str, entity_type: str, text: str) -> None:
    if not _NAMESPACE(namespace):
        raise UrnError(f"bad URN namespace {namespace[:40]!r} in {text!r}")
    if not _ENTITY_TYPE(entity_type):
        raise UrnError(f"bad URN entity type {entity_type[:40]!r} in {text!r}")


def _check_text(token: str, offset: int, text: str) -> None:
    """Id text (a simple id, a part, a nested URN's id) holds only NSS characters."""
    bad = _BAD_ID_CHAR(token)
    if bad is None:
        return
    found = bad.group()
    if found == "%":
        found = token[bad.start() : bad.start() + 3]
    raise UrnError(
        f"URN id holds {found!r} (character {offset + bad.start() + 1} of the id), which a "
        f"URN cannot hold (RFC 8141 §2: no whitespace, control or non-ASCII characters, "
        f"'%' only in %XX): {text!r}"
    )


def _check_id(id_text: str, text: str) -> None:
    """Validate a whole id in one pass: tuples, parts and nested URNs.

    Grammar: ``id = text | urn | "(" part *("," part) ")"`` where a part is an id
    again and ``urn = "urn:" namespace ":" type ":" id``; nesting is limited to
    32 levels of parentheses.
    """
    # Balance first (two C-level counts): a runaway "((((" is reported as such.
    opens = id_text.count("(")
    closes = id_text.count(")")
    if opens > closes:
        raise UrnError(f"unbalanced '(' in URN id of {text!r}")
    if closes > opens:
        raise UrnError(f"unbalanced ')' in URN id of {text!r}")
    if not opens and "," not in id_text and not id_text.startswith("urn:"):
        _check_text(id_text, 0, text)  # a simple id: the common case
        return
    depth = 0
    expect = _VALUE
    for match in _TOKENS(id_text):
        token = match.group()
        if token == "(":
            if expect == _AFTER:
                if depth == 0:
                    raise UrnError(f"a compound URN id must be one '(...)' group: {text!r}")
                raise UrnError(
                    f"'(' after a part (only 'urn:<namespace>:<type>:' or ',' may come "
                    f"before it) at character {match.start() + 1} of the id of {text!r}"
                )
            depth += 1
            if depth > _MAX_DEPTH:
                raise UrnError(f"URN nested more than {_MAX_DEPTH} levels deep: {text!r}")
            expect = _VALUE
        elif token == ")" or token == ",":
            if depth == 0:
                if token == ")":
                    raise UrnError(f"unbalanced ')' in URN id of {text!r}")
                raise UrnError(
                    f"',' outside parentheses (a compound URN id must be one '(...)' "
                    f"group): {text!r}"
                )
            if expect == _URN_ID:
                raise UrnError(f"empty URN id in a part of {text!r}")
            if expect == _VALUE:
                raise UrnError(f"empty part in compound URN id of {text!r}")
            if token == ")":
                depth -= 1
                expect = _AFTER
            else:
                expect = _VALUE
        else:  # text
            if expect == _AFTER:
                if depth == 0:
                    raise UrnError(f"a compound URN id must be one '(...)' group: {text!r}")
                raise UrnError(
                    f"text after ')' at character {match.start() + 1} of the id of {text!r}"
                )
            if token.startswith("urn:"):
                fields = token.split(":", 3)
                if len(fields) < 4:
                    raise UrnError(
                        f"a URN is urn:<namespace>:<type>:<id>: {token[:80]!r} in {text!r}"
                    )
                _check_header(fields[1], fields[2], text)
                if fields[3]:
                    _check_text(fields[3], match.end() - len(fields[3]), text)
                    expect = _AFTER
                else:
                    expect = _URN_ID
            else:
                _check_text(token, match.start(), text)
                expect = _AFTER
    if expect != _AFTER:  # only "urn:x:y:" can end here: the balance checks the rest
        raise UrnError(f"empty URN id in {text!r}")
