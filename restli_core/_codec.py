"""The Rest.li 2.0 value codec (PROTOCOL.md §1-3).

Rest.li writes structured values as text: a map is ``(k1:v1,k2:v2)``, a list is
``List(v1,v2)``, and a string is its text with the grammar characters escaped.
That text is then escaped once more for the place it goes (reference:
``URIParamUtils`` and ``URIElementParser`` in linkedin/rest.li):

* layer 1 (Rest.li's own): ``( ) , : '`` and ``%`` inside data become ``%XX``;
* layer 2 (URL): any other character not allowed in that URL component is UTF-8
  percent-encoded. The *reduced* form (headers, body map keys) stops after layer 1.

Decoding is strict and linear: it splits on the four grammar characters, walks the
pieces with an explicit stack (no recursion, so deep nesting cannot overflow), and
reports the first problem with its column.

Nesting is bounded both ways by :data:`MAX_DEPTH` (100 levels of maps and lists):
a decoded value deeper than that could not be printed (``repr``), serialised
(``json.dumps``) or compared without Python's recursion limit, so the decoder
refuses it, and the encoder refuses to write what the decoder would refuse.
"""

from __future__ import annotations

import enum
import math
import re
from collections.abc import Callable, Mapping
from decimal import Decimal
from typing import Any
from urllib.parse import quote

from ._errors import RestliDecodeError, RestliEncodeError, RestliUsageError
from ._wire import PROJECTION_PARAMS

__all__ = [
    "MAX_DEPTH",
    "decode",
    "encode",
    "encode_path",
    "param_encode",
    "reduced_decode",
    "reduced_encode",
]

#: The deepest nesting of maps and lists that :func:`decode` and :func:`reduced_decode`
#: accept and the encoders write: ``(a:(b:c))`` is 2 levels. Real Rest.li values are a
#: few levels deep; past this, printing or serialising the decoded value would hit
#: Python's recursion limit (the reference server bounds nesting too).
MAX_DEPTH = 100

# --------------------------------------------------------------------------- escaping

_EMPTY = "''"  # Rest.li 2.0 spelling of the empty string, in every context

# Characters left as they are, beyond the unreserved set A-Za-z0-9-._~ which
# urllib.parse.quote never escapes. Derived from PROTOCOL.md §2: the component's
# allowed characters minus the layer-1 characters ( ) , : ' and %.
_QUERY_SAFE = "!$*;@/?"
_PATH_SAFE = "!$&*+=@"

_UNRESERVED = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~"
# Fast checks: the text (after replacing ':' by %3A) needs nothing more. The '%' in
# the classes only admits the %3A just inserted: text holding '%' never takes them.
_QUERY_DONE = re.compile(f"[{re.escape(_UNRESERVED + _QUERY_SAFE)}%]+").fullmatch
_PATH_DONE = re.compile(f"[{re.escape(_UNRESERVED + _PATH_SAFE)}%]+").fullmatch
_LAYER1 = "(),:'%"
_REDUCED_TABLE = str.maketrans({c: f"%{ord(c):02X}" for c in _LAYER1})
_REDUCED_NEEDS = re.compile(r"[(),:'%]").search


def _byte_table(safe: str) -> dict[int, str]:
    """A ``str.translate`` table for the 256 byte values: each to itself when it may
    stay literal, else to its ``%XX`` escape.

    Text is escaped as its UTF-8 bytes (RFC 3986 §2.5): non-ASCII text is first
    turned into one character per UTF-8 byte (:func:`_utf8_bytes`), so this fixed
    table covers every character there is.
    """
    keep = frozenset(_UNRESERVED + safe)
    return {code: chr(code) if chr(code) in keep else f"%{code:02X}" for code in range(256)}


_QUERY_TABLE = _byte_table(_QUERY_SAFE)
_PATH_TABLE = _byte_table(_PATH_SAFE)


def _utf8_bytes(text: str) -> str:
    """``text`` as its UTF-8 bytes, one character (U+0000-U+00FF) per byte."""
    try:
        return text.encode("utf-8").decode("latin-1")
    except UnicodeEncodeError as exc:
        code = ord(text[exc.start])
        raise _Where(f"text holds a lone surrogate (U+{code:04X}), not valid Unicode") from None


# URNs are most of the text LinkedIn queries carry, and their only reserved character
# is ':'; the escapers try plain words and that case first. (An AttributeError or
# TypeError for non-text is expected by the list fast path in _encoder.)
def _escape_query(text: str) -> str:
    if text.isascii():
        if text.isalnum():
            return text
        if "%" not in text:
            done = text.replace(":", "%3A")
            if _QUERY_DONE(done):
                return done
        return text.translate(_QUERY_TABLE) if text else _EMPTY
    return _utf8_bytes(text).translate(_QUERY_TABLE)


def _escape_path(text: str) -> str:
    if text.isascii():
        if text.isalnum():
            return text
        if "%" not in text:
            done = text.replace(":", "%3A")
            if _PATH_DONE(done):
                return done
        return text.translate(_PATH_TABLE) if text else _EMPTY
    return _utf8_bytes(text).translate(_PATH_TABLE)


def _escape_reduced(text: str) -> str:
    if _REDUCED_NEEDS(text):
        return text.translate(_REDUCED_TABLE)
    return text or _EMPTY


# --------------------------------------------------------------------------- encoding


def java_double(value: float) -> str:
    """Format ``value`` as Java's ``Double.toString`` does (``1.0E10``, ``3.2``).

    Python's ``repr`` already gives the shortest digits that round-trip; only the
    layout differs: Java uses plain notation for 1e-3 <= |x| < 1e7 (always with a
    fractional digit) and ``d.dddE±n`` outside it, with no ``+`` in the exponent.
    """
    if value != value or value in (math.inf, -math.inf):
        raise RestliEncodeError(f"{value!r} has no Rest.li form (NaN and infinities)")
    if value == 0.0:
        return "-0.0" if math.copysign(1.0, value) < 0 else "0.0"
    sign, digit_tuple, exponent = Decimal(repr(value)).as_tuple()
    if not isinstance(exponent, int):  # pragma: no cover - a finite float's is an int
        raise RestliEncodeError(f"{value!r} has no Rest.li form")
    digits = "".join(map(str, digit_tuple)).rstrip("0") or "0"
    # value = 0.d1d2d3... * 10**point  <=>  scientific exponent is point - 1
    point = len(digit_tuple) + exponent
    if len(digits) == 1:
        # Java always shows two significant digits (d.d) and, since JDK 19, picks the
        # two-digit decimal nearest the exact binary value when it still reads back
        # as the same double: Double.MIN_VALUE is 4.9E-324, not 5.0E-324.
        two = f"{Decimal(value):.1e}"
        if float(two) == value:
            mantissa, _, exp_text = two.partition("e")
            digits = mantissa.lstrip("-").replace(".", "").rstrip("0") or "0"
            point = int(exp_text) + 1
    sci = point - 1
    minus = "-" if sign else ""
    if -3 <= sci < 7:
        if point <= 0:
            return f"{minus}0.{'0' * -point}{digits}"
        whole = digits[:point].ljust(point, "0")
        frac = digits[point:] or "0"
        return f"{minus}{whole}.{frac}"
    return f"{minus}{digits[0]}.{digits[1:] or '0'}E{sci}"


class _Where(Exception):
    """Internal: carries an encode failure up, collecting where it happened."""

    def __init__(self, message: str) -> None:
        self.message = message
        self.path: list[str] = []


def int_text(value: int) -> str:
    """``value`` in decimal; an int too long for Python to write (more digits than
    ``sys.get_int_max_str_digits()``, 4300 by default) is a :class:`RestliEncodeError`.
    """
    try:
        return str(int(value))
    except ValueError:
        raise RestliEncodeError(
            f"an int of {int(value).bit_length()} bits has too many digits to write as text"
        ) from None


def _sorted_items(value: Mapping[Any, Any]) -> list[tuple[str, Any]]:
    items: list[tuple[str, Any]] = []
    for key, item in value.items():
        if item is None:
            continue  # None in a map means "absent" (PROTOCOL.md §1)
        items.append((_key_text(key), item))
    # Java orders strings by UTF-16 code units; for ASCII keys that is the same as
    # Python's code-point order, otherwise compare the UTF-16 encodings.
    if any(not k.isascii() for k, _ in items):
        items.sort(key=lambda kv: kv[0].encode("utf-16-be"))
    else:
        items.sort(key=lambda kv: kv[0])
    return items


def _key_text(key: Any) -> str:
    if type(key) is str:
        return key
    if isinstance(key, enum.Enum):
        return str(key.value)
    if isinstance(key, str):
        return str(key)
    from ._urn import Urn

    if isinstance(key, Urn):
        return str(key)
    raise _Where(f"map keys must be strings, not {type(key).__name__} ({key!r})")


def _scalar(value: Any, escape: Callable[[str], str]) -> str | None:
    """Encode a non-container value, or return None if it is a container."""
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, enum.Enum):
        inner = value.value
        return escape(inner) if isinstance(inner, str) else _scalar(inner, escape)
    if isinstance(value, str):
        return escape(str(value))
    if isinstance(value, int):
        try:
            return int_text(value)
        except RestliEncodeError as exc:
            raise _Where(str(exc)) from None
    if isinstance(value, float):
        try:
            return java_double(value)
        except RestliEncodeError as exc:
            raise _Where(str(exc)) from None
    from ._urn import Urn

    if isinstance(value, Urn):
        return escape(str(value))
    if isinstance(value, (Mapping, list, tuple)):
        return None
    if value is None:
        raise _Where("None has no Rest.li form (leave the entry out instead)")
    raise _Where(f"a value of type {type(value).__name__} has no Rest.li form")


def _encoder(escape: Callable[[str], str]) -> tuple[Callable[[Any], str], Callable[[Any], str]]:
    """Build the value encoders for one escaping context.

    Returns ``(fast, located)``: ``fast`` handles plain dicts, lists and text with as
    little Python work per value as possible; on anything unusual it defers to
    ``located``, which handles every type and records where a failure happened.
    """

    def located(value: Any) -> str:
        if isinstance(value, Mapping):
            parts = []
            for key, item in _sorted_items(value):
                try:
                    parts.append(f"{escape(key)}:{located(item)}")
                except _Where as where:
                    where.path.append(f"[{key!r}]")
                    raise
            return f"({','.join(parts)})"
        if isinstance(value, (list, tuple)):
            out = []
            for index, item in enumerate(value):
                try:
                    if item is None:
                        raise _Where("None is not allowed in a list (it has no Rest.li form)")
                    out.append(located(item))
                except _Where as where:
                    where.path.append(f"[{index}]")
                    raise
            return f"List({','.join(out)})"
        text = _scalar(value, escape)
        if text is None:  # pragma: no cover - containers are handled above
            raise _Where(f"a value of type {type(value).__name__} has no Rest.li form")
        return text

    def fast(value: Any) -> str:
        kind = type(value)
        if kind is str:
            return escape(value)
        if kind is dict:
            if len(value) == 1:  # {"values": [...]}: common in LinkedIn criteria
                ((key, item),) = value.items()
                if type(key) is str and item is not None:
                    if type(item) is str:
                        return f"({escape(key)}:{escape(item)})"
                    return f"({escape(key)}:{fast(item)})"
            try:
                items = sorted(value.items())
            except TypeError:
                return located(value)
            parts = []
            for key, item in items:
                if item is None:
                    continue  # None in a map means "absent" (PROTOCOL.md §1)
                if type(key) is not str or not key.isascii():
                    return located(value)  # non-text keys, or UTF-16 ordering needed
                if type(item) is str:
                    parts.append(f"{escape(key)}:{escape(item)}")
                else:
                    parts.append(f"{escape(key)}:{fast(item)}")
            return f"({','.join(parts)})"
        if kind is list or kind is tuple:
            try:  # all text (the common case): escape in one C-level pass
                return f"List({','.join(map(escape, value))})"
            except (TypeError, AttributeError):
                return f"List({','.join([fast(item) for item in value])})"
        if kind is int:
            return str(value)
        if value is None:
            raise _Where("None has no Rest.li form")
        text = _scalar(value, escape)
        return located(value) if text is None else text

    return fast, located


_ENCODERS = {
    "query": _encoder(_escape_query),
    "path": _encoder(_escape_path),
    "reduced": _encoder(_escape_reduced),
}
_enc_query = _ENCODERS["query"]
_enc_path = _ENCODERS["path"]
_enc_reduced = _ENCODERS["reduced"]


_INNERMOST_GROUP = re.compile(r"\([^()]*\)").sub


def _deeper_than_max(text: str) -> bool:
    """Whether encoded ``text`` nests maps and lists more than :data:`MAX_DEPTH` deep.

    In encoded text every ``(`` opens a container (data parentheses are escaped),
    so the nesting is that of the parentheses. Most values hold few of them; for
    the others, each pass of one C-level substitution removes the innermost groups.
    """
    if text.count("(") <= MAX_DEPTH:
        return False
    for _ in range(MAX_DEPTH):
        text = _INNERMOST_GROUP("", text)
        if "(" not in text:
            return False
    return True


def _too_deep(where: str) -> RestliEncodeError:
    return RestliEncodeError(
        f"cannot encode {where}: nested more than {MAX_DEPTH} levels deep (or it contains itself)"
    )


def _run(
    encoders: tuple[Callable[[Any], str], Callable[[Any], str]], value: Any, where: str
) -> str:
    fast, located = encoders
    try:
        text = fast(value)
    except (_Where, RecursionError, ValueError):  # ValueError: an int too long to write
        pass
    else:
        # What the decoder would refuse is not written (MAX_DEPTH).
        if _deeper_than_max(text):
            raise _too_deep(where)
        return text
    # Something is wrong: encode again, slowly, to say exactly where.
    try:
        located(value)
    except _Where as failure:
        location = where + "".join(reversed(failure.path))
        raise RestliEncodeError(f"cannot encode {location}: {failure.message}") from None
    except RecursionError:
        raise _too_deep(where) from None
    # The fast encoder ran out of stack where the located one did not.
    raise _too_deep(where)  # pragma: no cover - depends on the stack left


def encode(value: Any) -> str:
    """Encode ``value`` for a URL query parameter (Rest.li 2.0).

    >>> encode({"status": ["ACTIVE", ""], "name": "a b"})
    "(name:a%20b,status:List(ACTIVE,''))"

    Raises:
        RestliEncodeError: for a value with no Rest.li form, naming where it was.
    """
    return _run(_enc_query, value, "value")


def encode_path(value: Any) -> str:
    """Encode ``value`` for a URL path segment (a path key)."""
    return _run(_enc_path, value, "path key")


def reduced_encode(value: Any) -> str:
    """Encode ``value`` in the reduced form used in headers and body map keys.

    Only Rest.li's own grammar characters are escaped; spaces and non-ASCII text
    stay literal.
    """
    return _run(_enc_reduced, value, "value")


def _mask_text(name: str, value: Any) -> str:
    if isinstance(value, str):
        mask = value
    elif isinstance(value, (list, tuple)) and all(isinstance(v, str) for v in value):
        mask = ",".join(value)
    else:
        raise RestliEncodeError(
            f"cannot encode query parameter {name!r}: a projection is a string "
            f"or a list of field names, not {type(value).__name__}"
        )
    # The mask is sent as written; only characters a query may not hold are escaped.
    try:
        return quote(mask, safe="!$'()*,;:@/?")
    except UnicodeEncodeError as exc:
        code = ord(mask[exc.start])
        raise RestliEncodeError(
            f"cannot encode query parameter {name!r}: the projection holds a lone "
            f"surrogate (U+{code:04X}), not valid Unicode"
        ) from None


def param_encode(params: Mapping[str, Any] | None) -> str:
    """Encode a whole query string: ``name=value`` pairs sorted by encoded name.

    ``None`` values are left out. ``fields``, ``metadataFields``, ``pagingFields``
    and the v2 APIs' ``projection`` are projection masks and go out as their text
    (a list of names is joined with ``,``; only what a query cannot hold is
    escaped): ``projection=(id,profilePicture(displayImage~:playableStreams))``.
    Returns ``""`` for no parameters.

    Raises:
        RestliEncodeError: a value with no Rest.li form, naming the parameter.
        RestliUsageError: ``params`` is not a mapping.
    """
    if params is None:
        return ""
    if not isinstance(params, Mapping):
        raise RestliUsageError(f"params must be a dict, not {type(params).__name__}")
    pairs = param_pairs(params)
    pairs.sort()  # encoded names are unique (encoding is one-to-one)
    return "&".join([f"{n}={v}" for n, v in pairs])


def param_pairs(params: Mapping[str, Any]) -> list[tuple[str, str]]:
    """The encoded ``(name, value)`` pairs of ``params``, unsorted (see :func:`param_encode`)."""
    pairs: list[tuple[str, str]] = []
    fast = _enc_query[0]
    for name, value in params.items():
        if value is None:
            continue
        if not isinstance(name, str):
            raise RestliEncodeError(
                f"query parameter names must be strings, not {type(name).__name__} ({name!r})"
            )
        try:
            encoded_name = _escape_query(name)
        except _Where as failure:
            raise RestliEncodeError(
                f"cannot encode a query parameter name: {failure.message}"
            ) from None
        if name in PROJECTION_PARAMS:
            pairs.append((encoded_name, _mask_text(name, value)))
            continue
        try:
            text = fast(value)
        except (_Where, RecursionError, ValueError):
            text = _run(_enc_query, value, f"query parameter {name!r}")
        if _deeper_than_max(text):
            raise _too_deep(f"query parameter {name!r}")
        pairs.append((encoded_name, text))
    return pairs


# --------------------------------------------------------------------------- decoding

_SPLIT = re.compile(r"([(),:])").split
_BAD_ESCAPE = re.compile(r"%(?![0-9A-Fa-f]{2})").search
_ESCAPE_RUN = re.compile(r"(?:%[0-9A-Fa-f]{2})+").sub
_ASCII_ESCAPES = (
    {f"{code:02{case}}": chr(code) for code in range(128) for case in ("X", "x")}
    | {f"{code:02X}"[0] + f"{code:02x}"[1]: chr(code) for code in range(128)}
    | {f"{code:02x}"[0] + f"{code:02X}"[1]: chr(code) for code in range(128)}
)


def _decode_run(match: re.Match[str]) -> str:
    # One run of %XX escapes is one UTF-8 byte string: decode it in one C call.
    return bytes.fromhex(match.group().replace("%", "")).decode("utf-8")


# Parser states
_VALUE = 0  # a value must start here
_FIRST_KEY = 1  # just after "(": a key or ")"
_KEY = 2  # just after "," in a map: a key
_FIRST_ITEM = 3  # just after "List(": a value or ")"
_AFTER = 4  # a container just closed: "," / ")" / end must follow


def _excerpt(text: str, column: int) -> str:
    start = max(0, column - 11)
    return text[start : column + 10]


def _unescape(token: str, text: str, column: int) -> str:
    if token == _EMPTY:
        return ""
    if "%" not in token:
        return token
    done = token.replace("%3A", ":")  # URNs: the common case, see _escape_query
    if "%" not in done:
        return done
    # ASCII escapes (%20, %28, %2F...): one dictionary lookup each.
    parts = token.split("%")
    out = [parts[0]]
    try:
        for part in parts[1:]:
            out.append(_ASCII_ESCAPES[part[:2]])
            out.append(part[2:])
        return "".join(out)
    except KeyError:
        pass  # a UTF-8 byte (%C3...) or a bad escape
    bad = _BAD_ESCAPE(token)
    if bad is None:
        try:
            if token.isascii() and "\\" not in token:
                # Every %XX becomes \xXX and the C codecs turn the escapes into the
                # bytes they stand for: several times faster than a Python loop.
                latin = token.replace("%", "\\x").encode("ascii").decode("unicode_escape")
                return latin.encode("latin-1").decode("utf-8")
            return _ESCAPE_RUN(_decode_run, token)
        except UnicodeDecodeError:
            raise RestliDecodeError(
                f"percent-escapes in {token[:40]!r} are not valid UTF-8",
                column=column,
                text=_excerpt(text, column),
            ) from None
    col = column + bad.start()
    raise RestliDecodeError(
        f"bad percent-escape {token[bad.start() : bad.start() + 3]!r}",
        column=col,
        text=_excerpt(text, col),
    )


def _parse(text: str, what: str) -> Any:
    if not isinstance(text, str):
        raise RestliDecodeError(f"{what} takes a str, not {type(text).__name__}")
    if not text:
        raise RestliDecodeError("empty input (the empty string is written '')", column=1)
    pieces = _SPLIT(text)
    count = len(pieces)
    if count == 1:
        return _unescape(text, text, 1)
    # pieces alternate: text, delimiter, text, delimiter, ..., text (texts at even
    # indexes, possibly empty). Each turn of the loop takes one text and the delimiter
    # after it, so a list item costs one turn.
    stack: list[Any] = []  # enclosing containers
    keys: list[Any] = []  # the pending key of each enclosing container
    top: Any = None  # the innermost open container (dict or list)
    key: Any = None  # the pending key when top is a dict
    closed: Any = None  # the container just closed (state _AFTER)
    state = _VALUE
    depth = 0  # open containers (len(stack) + 1 while one is open)
    column = 1  # column of pieces[i]
    i = 0

    def fail(message: str, col: int) -> RestliDecodeError:
        return RestliDecodeError(message, column=col, text=_excerpt(text, col))

    while True:
        token = pieces[i]
        delim = pieces[i + 1] if i + 1 < count else ""
        delim_col = column + len(token)

        if state in (_KEY, _FIRST_KEY):
            if not token:
                if state == _FIRST_KEY and delim == ")":
                    closed = top  # "()" : the empty map
                    depth -= 1
                    top = stack.pop() if stack else None
                    key = keys.pop() if keys else None
                    state = _AFTER
                    column = delim_col + 1
                    i += 2
                    continue
                raise fail("expected a map key", column if delim else delim_col)
            if delim != ":":
                if not delim:
                    raise fail("missing ':' and ')' at the end of the input", delim_col)
                raise fail(f"expected ':' after the map key {token[:20]!r}", delim_col)
            key = _unescape(token, text, column)
            state = _VALUE
            column = delim_col + 1
            i += 2
            continue

        if state == _AFTER:
            if token:
                raise fail(f"unexpected text {token[:20]!r} after a value", column)
            value = closed
        else:  # _VALUE or _FIRST_ITEM: a value starts here
            if delim == "(":
                if not token:
                    new: Any = {}
                    state = _FIRST_KEY
                elif token == "List":
                    new = []
                    state = _FIRST_ITEM
                else:
                    raise fail(
                        f"unexpected '(' after {token[:20]!r} (only 'List(' opens a list)",
                        delim_col,
                    )
                depth += 1
                if depth > MAX_DEPTH:
                    raise fail(f"nested more than {MAX_DEPTH} levels deep", delim_col)
                if top is not None:
                    stack.append(top)
                    keys.append(key)
                top = new
                key = None
                column = delim_col + 1
                i += 2
                continue
            if not token:
                if state == _FIRST_ITEM and delim == ")":
                    closed = top  # "List()" : the empty list
                    depth -= 1
                    top = stack.pop() if stack else None
                    key = keys.pop() if keys else None
                    state = _AFTER
                    column = delim_col + 1
                    i += 2
                    continue
                if delim:
                    raise fail(f"expected a value, found {delim!r}", delim_col)
                raise fail("expected a value at the end of the input", delim_col)
            value = _unescape(token, text, column)

        # A value is complete: store it, then act on the delimiter after it.
        if top is None:
            if delim:
                raise fail(f"unexpected {delim!r} after the end of the value", delim_col)
            return value
        if type(top) is dict:
            top[key] = value
            if delim == ",":
                state = _KEY
            elif delim == ")":
                closed = top
                depth -= 1
                top = stack.pop() if stack else None
                key = keys.pop() if keys else None
                state = _AFTER
            elif delim:
                raise fail(f"unexpected {delim!r} (expected ',' or ')')", delim_col)
            else:
                raise fail("missing ')' at the end of the input", delim_col)
        else:
            top.append(value)
            if delim == ",":
                state = _VALUE
            elif delim == ")":
                closed = top
                depth -= 1
                top = stack.pop() if stack else None
                key = keys.pop() if keys else None
                state = _AFTER
            elif delim:
                raise fail(f"unexpected {delim!r} (expected ',' or ')')", delim_col)
            else:
                raise fail("missing ')' at the end of the input", delim_col)
        column = delim_col + 1
        i += 2


def decode(text: str) -> Any:
    """Decode Rest.li 2.0 text taken from a URL (query or path).

    Returns dicts, lists and strings (Rest.li leaves are typed by the server's
    schema, not by the text). ``''`` is the empty string.

    Raises:
        RestliDecodeError: for any malformed input, with the column of the problem.
    """
    return _parse(text, "decode")


def reduced_decode(text: str) -> Any:
    """Decode Rest.li 2.0 text in the reduced form (headers, body map keys)."""
    return _parse(text, "reduced_decode")
