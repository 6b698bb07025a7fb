"""The library's exceptions, and the factory that turns an HTTP error into one.

Every error this library raises on purpose derives from :class:`RestliError`, so
``except RestliError`` catches them all. Errors that describe a bad *value* also
derive from :class:`ValueError`, the builtin they resemble::

    RestliError
    +-- RestliEncodeError (ValueError)    a value has no Rest.li form
    |   +-- UrnError                      text that is not a well-formed URN
    +-- RestliDecodeError (ValueError)    text is not valid Rest.li 2.0 (with the column)
    +-- RestliUsageError (TypeError, ValueError)
    |                                     a misuse of the API: an argument of the wrong
    |                                     type or shape, a bad setting
    +-- ResponseError                     the server answered with a non-2xx status
    |   +-- BadRequestError               400 (``input_errors`` for validation failures)
    |   +-- UnauthorizedError             401
    |   +-- ForbiddenError                403
    |   +-- NotFoundError                 404
    |   +-- ConflictError                 409
    |   +-- UnprocessableEntityError      422
    |   +-- VersionNotActiveError         426 (``version``: the LinkedIn-Version sent)
    |   +-- RateLimitError                429 (``retry_after`` seconds, when given)
    |   +-- ServerError                   5xx
    |   (any other 1xx/3xx/4xx status is a plain ResponseError)
    +-- ResponseDecodeError (ValueError)  a 2xx answer whose body or headers cannot be
    |                                     parsed, or an answer HTTP does not allow (a
    |                                     header with CR/LF/NUL: Response refuses it)
    |   +-- ResponseTooLargeError         a body larger than the transport's max_body_size
    +-- AuthError                         an OAuth endpoint answered with an error
    +-- TransportError                    the HTTP library failed (connection, protocol)
        +-- TransportTimeout              ... because a connect or read timeout expired

:func:`error_from_response` builds the right :class:`ResponseError` subclass from a
request and its non-2xx response; :func:`raise_for_status` raises it.

No message produced here ever contains a bearer token or a client secret: requests
are shown as ``METHOD URL`` only, credential-like query parameters are masked, and
any credential the request carried is scrubbed from text quoted from the body.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from http import HTTPStatus
from typing import Any, Protocol, TypeVar
from urllib.parse import parse_qsl, unquote

from ._wire import (
    CT_FORM,
    H_AUTHORIZATION,
    H_CONTENT_TYPE,
    H_DATE,
    H_LINKEDIN_VERSION,
    H_REQUEST_ID,
    H_RETRY_AFTER,
)


# What this module reads of a request and a response. The message classes live in
# a module above this one (they raise these errors), so they are described here
# rather than imported: restli_core.Request and restli_core.Response have it all.
class _Headers(Protocol):
    def get(self, name: str, default: Any = None) -> Any: ...

    @property
    def raw(self) -> tuple[tuple[str, str], ...]: ...


class Request(Protocol):
    """What the error factory reads of a :class:`~restli_core.Request`."""

    @property
    def method(self) -> str: ...

    @property
    def url(self) -> str: ...

    @property
    def headers(self) -> _Headers: ...

    @property
    def body(self) -> bytes | None: ...


class Response(Protocol):
    """What the errors read of a :class:`~restli_core.Response`."""

    @property
    def status_code(self) -> int: ...

    @property
    def url(self) -> str: ...

    @property
    def headers(self) -> _Headers: ...

    @property
    def body(self) -> bytes: ...


_R = TypeVar("_R", bound=Response)


class RestliError(Exception):
    """Root of every exception this library raises on purpose.

    Attributes:
        checkpoint: when the error ended a paged read (``iter_pages`` /
            ``iter_elements``), where that read stands: pass it back as ``resume=``
            to go on. ``None`` otherwise (or when nothing is left to read).
        attempts: when the error ended a call, how many times its request was
            sent (``None`` for errors raised before sending).
    """

    checkpoint: Any = None  # a restli_core.Checkpoint, or None
    #: Set by the retry flow on the error that ended a call: how many times the
    #: request was sent, and why no more (shown at the end of ``str(error)``).
    attempts: int | None = None
    attempts_note: str = ""

    def __str__(self) -> str:
        text = super().__str__()
        return f"{text} [{self.attempts_note}]" if self.attempts_note else text

    def __reduce__(self) -> tuple[Any, ...]:
        # The subclasses take keyword-only arguments, which the default exception
        # pickling (``cls(*args)``) cannot replay: restore the attributes instead,
        # so errors cross process boundaries (multiprocessing, task queues).
        # What crosses holds no credential: see _pickled_state.
        return (_restore_error, (type(self), self.args, _pickled_state(self.__dict__)))


def _pickled_state(state: dict[str, Any]) -> dict[str, Any]:
    """An error's attributes as pickled: without what may hold a credential.

    Anything carrying a bearer ``token`` (a :class:`~restli_core.Request`) is left out and
    ``request_url`` redacted; a :class:`~restli_core.Response` pickles without its
    ``raw`` library object (which may keep the request) and with its URL redacted
    (``Response.__reduce__``); an attribute named ``raw`` is left out.
    """
    out: dict[str, Any] = {}
    for name, value in state.items():
        if name == "raw" or isinstance(getattr(value, "token", None), str):
            out[name] = None
        elif name == "request_url" and isinstance(value, str):
            out[name] = redact_url(value)
        else:
            out[name] = value
    return out


def _restore_error(
    cls: type[RestliError], args: tuple[Any, ...], state: dict[str, Any]
) -> RestliError:
    error = cls.__new__(cls)
    error.args = args
    error.__dict__.update(state)
    return error


class RestliEncodeError(RestliError, ValueError):
    """A value (or an argument) that cannot be expressed in Rest.li 2.0."""


class RestliUsageError(RestliError, TypeError, ValueError):
    """A misuse of the API: an argument of the wrong type or shape, or a bad setting.

    It is both a ``TypeError`` and a ``ValueError``, the builtins such a mistake is
    usually caught as; the message names the argument.
    """


class RestliDecodeError(RestliError, ValueError):
    """Text that is not valid Rest.li 2.0.

    Attributes:
        column: 1-based column of the problem in the decoded text (``None`` if unknown).
        text: a short excerpt of the text around the problem.
    """

    def __init__(self, message: str, *, column: int | None = None, text: str = "") -> None:
        self.column = column
        self.text = text
        where = f" at column {column}" if column is not None else ""
        super().__init__(f"{message}{where}")


class ResponseError(RestliError):
    """The server answered with a status outside 2xx.

    Attributes:
        status_code: the HTTP status.
        service_error_code: LinkedIn's ``serviceErrorCode`` from the body, if any.
        code: the symbolic ``code`` from the body (e.g. ``ACCESS_DENIED``), if any.
        message: the server's ``message`` (or OAuth ``error_description``); without
            one, the status's reason phrase, plus a short excerpt (at most 200 characters)
            of a body that is not a JSON object.
        request_id: the body's ``requestId`` or the ``x-li-uuid`` header, if any.
        error_details: the body's ``errorDetails`` (``inputErrors`` for validation
            failures), as a dict; empty when absent.
        body: the decoded JSON error body (a dict; empty when the body was not JSON).
        request_method, request_url: the request that failed (never its headers).
        response: the raw :class:`~restli_core.Response`.
    """

    status_code: int

    def __init__(
        self,
        message: str,
        *,
        status_code: int,
        service_error_code: int | None = None,
        code: str | None = None,
        request_id: str | None = None,
        error_details: Mapping[str, Any] | None = None,
        body: Mapping[str, Any] | None = None,
        request_method: str = "",
        request_url: str = "",
        response: Response | None = None,
    ) -> None:
        self.status_code = status_code
        self.service_error_code = service_error_code
        self.code = code
        self.message = message
        self.request_id = request_id
        self.error_details: dict[str, Any] = dict(error_details or {})
        self.body: dict[str, Any] = dict(body or {})
        self.request_method = request_method
        self.request_url = redact_url(request_url)
        self.response = response
        super().__init__(self._summary())

    @property
    def input_errors(self) -> list[Any]:
        """Validation errors (``errorDetails.inputErrors``); empty when none."""
        errors = self.error_details.get("inputErrors")
        return list(errors) if isinstance(errors, list) else []

    def _summary(self) -> str:
        parts = [f"{self.status_code}"]
        if self.code:
            parts.append(self.code)
        head = " ".join(parts)
        text = f"{head}: {self.message}" if self.message else head
        if self.service_error_code is not None:
            text += f" (serviceErrorCode {self.service_error_code})"
        if self.request_method or self.request_url:
            text += f" [{self.request_method} {self.request_url}]".replace("[ ", "[")
        if self.request_id:
            text += f" request id {self.request_id}"
        return text


class BadRequestError(ResponseError):
    """400: the request was malformed (see ``input_errors``)."""


class UnauthorizedError(ResponseError):
    """401: the access token is missing, expired or revoked."""


class ForbiddenError(ResponseError):
    """403: the token lacks a permission (scope) or the member lacks a role."""


class NotFoundError(ResponseError):
    """404: no such resource or entity."""


class ConflictError(ResponseError):
    """409: the change conflicts with the entity's current state."""


class UnprocessableEntityError(ResponseError):
    """422: the entity failed validation."""


class VersionNotActiveError(ResponseError):
    """426: the ``LinkedIn-Version`` sent is retired (or not yet active).

    LinkedIn answers ``426 NONEXISTENT_VERSION`` when the ``LinkedIn-Version``
    header names a version outside its versioning calendar; each version is
    supported for about 12 months. The message says which version was sent.

    Attributes:
        version: the ``LinkedIn-Version`` the request carried, if known.
    """

    version: str | None = None

    def __init__(self, message: str, *, version: str | None = None, **kwargs: Any) -> None:
        self.version = version
        super().__init__(message, **kwargs)

    def _summary(self) -> str:
        calendar = (
            "a version that is active in LinkedIn's versioning calendar "
            "(each version is supported for about 12 months)"
        )
        if self.version:
            advice = (
                f"the request sent LinkedIn-Version {self.version}, which is not active: "
                f"use {calendar} and update the version string passed to the client"
            )
        else:
            advice = f"the request sent no LinkedIn-Version header: send {calendar}"
        return f"{super()._summary()}; {advice}"


class RateLimitError(ResponseError):
    """429: throttled. ``retry_after`` is the server's delay in seconds, if given.

    ``retry_after`` comes from the ``Retry-After`` header, either delay-seconds or an
    HTTP date (RFC 9110 §10.2.3), the latter measured from the response's ``Date``
    (else the local clock). The retry policy reads the header the same way, so this
    is the delay it waits. LinkedIn's daily quotas often answer without the header:
    then it is ``None``.

    ``throttle`` is what the body says of the limit (a :class:`~restli_core.Throttle`:
    scope, window, kind), or ``None``. A daily limit raises the subclass
    :class:`~restli_core.QuotaExhaustedError`.
    """

    retry_after: float | None = None
    throttle: Any = None  # a restli_core.Throttle, or None

    def __init__(
        self,
        message: str,
        *,
        retry_after: float | None = None,
        throttle: Any = None,
        **kwargs: Any,
    ) -> None:
        self.retry_after = retry_after
        self.throttle = throttle
        super().__init__(message, **kwargs)

    def _summary(self) -> str:
        text = super()._summary()
        if self.retry_after is not None:
            text += f"; retry after {self.retry_after:g} seconds"
        return text


class ServerError(ResponseError):
    """5xx: the server (or a gateway in front of it) failed."""


class ResponseDecodeError(RestliError, ValueError):
    """A successful (2xx) response whose body or headers cannot be parsed.

    Also raised by :class:`~restli_core.Response` (and so by a transport) for an
    answer of any status that HTTP does not allow: a header name that is not a
    token, a header value holding CR, LF or NUL, a status outside 100-999.

    Attributes:
        response: the raw :class:`~restli_core.Response`.
        request_method, request_url: the request whose answer it was (never headers).
    """

    def __init__(
        self,
        message: str,
        *,
        response: Response | None = None,
        request_method: str = "",
        request_url: str = "",
    ) -> None:
        self.response = response
        self.request_method = request_method
        self.request_url = redact_url(request_url)
        super().__init__(message)


class AuthError(RestliError):
    """An OAuth 2.0 endpoint answered with an error.

    Attributes:
        error: the OAuth ``error`` code (e.g. ``invalid_grant``), if any.
        error_description: the server's ``error_description``, if any.
        status_code: the HTTP status.
        response: the raw :class:`~restli_core.Response`, if any.
    """

    def __init__(
        self,
        message: str,
        *,
        error: str | None = None,
        error_description: str | None = None,
        status_code: int | None = None,
        response: Response | None = None,
    ) -> None:
        self.error = error
        self.error_description = error_description
        self.status_code = status_code
        self.response = response
        super().__init__(message)


class ResponseTooLargeError(ResponseDecodeError):
    """The response body, once decoded (gzip undone), is larger than the transport's
    ``max_body_size``: reading stopped there, before memory ran away (a small
    compressed answer can inflate to gigabytes).

    Attributes:
        limit: the limit, in bytes.
    """

    def __init__(self, message: str, *, limit: int, **kwargs: Any) -> None:
        self.limit = limit
        super().__init__(message, **kwargs)


class TransportError(RestliError):
    """The HTTP library failed to complete the exchange.

    Attributes:
        request_method, request_url: the request that failed (never its headers).
        sent: ``False`` only when the request certainly never reached the server
            (e.g. the connection was refused), so even a POST may be retried.
    """

    def __init__(
        self,
        message: str,
        *,
        request_method: str = "",
        request_url: str = "",
        sent: bool = True,
    ) -> None:
        self.request_method = request_method
        self.request_url = redact_url(request_url)
        self.sent = sent
        super().__init__(message)


class TransportTimeout(TransportError):
    """A connect or read timeout expired."""


# --------------------------------------------------------------------------- the factory

_EXCERPT_LIMIT = 200  # characters of a non-JSON body quoted in a message
_EXCERPT_SCAN = 4096  # bytes of the body looked at to build that excerpt

_SCRIPT_OR_STYLE = re.compile(r"<(script|style)\b[^>]*>.*?</\1\s*>", re.IGNORECASE | re.DOTALL)
_TAG = re.compile(r"<[^>]*>")
_SPACE = re.compile(r"\s+")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_MIN_SECRET = 6  # shorter values are not scrubbed: they would blank ordinary words

_STATUS_CLASSES: dict[int, type[ResponseError]] = {
    400: BadRequestError,
    401: UnauthorizedError,
    403: ForbiddenError,
    404: NotFoundError,
    409: ConflictError,
    422: UnprocessableEntityError,
    426: VersionNotActiveError,
    429: RateLimitError,
}


def error_class_for(status_code: int) -> type[ResponseError]:
    """The :class:`ResponseError` subclass for an HTTP status (5xx: ServerError)."""
    cls = _STATUS_CLASSES.get(status_code)
    if cls is not None:
        return cls
    if 500 <= status_code <= 599:
        return ServerError
    return ResponseError


def error_from_response(
    request: Request | None, response: Response, *, now: float | None = None
) -> ResponseError:
    """Build (without raising) the error a non-2xx ``response`` stands for.

    The status picks the class (see the tree in this module's docstring). A Rest.li
    error body (``status``, ``serviceErrorCode``, ``code``, ``message``, ``requestId``,
    ``errorDetails``) fills the attributes; an OAuth-style body (``error``,
    ``error_description``) is understood too. A body that is not a JSON object (an
    HTML page from a proxy, an empty or truncated body) still gives the right class,
    with a short excerpt of the body (at most 200 characters) in the message.

    Args:
        request: the request that was sent (its method and URL go in the message;
            its headers and body never do), or ``None`` if unknown.
        response: the response received.
        now: the current time (seconds since the epoch) used for an HTTP-date
            ``Retry-After`` when the response has no ``Date`` header; defaults to
            :func:`time.time`.

    Returns:
        The :class:`ResponseError` subclass instance (a plain :class:`ResponseError`
        for statuses without a subclass, including a 2xx passed by mistake).
    """
    status = response.status_code
    cls = error_class_for(status)
    secrets = request_secrets(request) if request is not None else []
    # A server that echoes a credential (in the body or a header) does not get it
    # kept in the error, which may be logged or pickled.
    response = without_secrets(response, secrets)
    found, data = parse_json_body(response.body)
    error_body: dict[str, Any] = data if found and isinstance(data, dict) else {}

    reason = _reason(status)
    if error_body:
        message = _text(error_body.get("message")) or _text(error_body.get("error_description"))
        if not message:
            message = reason
        code = _text(error_body.get("code")) or _text(error_body.get("error"))
    elif found and isinstance(data, dict):
        message, code = f"{reason} (empty JSON object)", None
    else:
        message, code = f"{reason} ({describe_body(response.body, secrets)})", None
    details = error_body.get("errorDetails")
    service_code = error_body.get("serviceErrorCode")
    request_id = _text(error_body.get("requestId")) or _text(response.headers.get(H_REQUEST_ID))

    method = request.method if request is not None else ""
    url = request.url if request is not None else response.url
    common: dict[str, Any] = {
        "status_code": status,
        "service_error_code": service_code if type(service_code) is int else None,
        "code": scrub(code, secrets) if code else None,
        "request_id": scrub(request_id, secrets) if request_id else None,
        "error_details": details if isinstance(details, dict) else None,
        "body": error_body,
        "request_method": method,
        "request_url": redact_url(url),
        "response": response,
    }
    message = scrub(message, secrets)
    if cls is RateLimitError:
        # Loaded here: a 429 is rare, and the date parsing is not needed before.
        from ._retry_after import parse_retry_after
        from ._throttle import parse_throttle

        retry_after = parse_retry_after(
            response.headers.get(H_RETRY_AFTER), response.headers.get(H_DATE), now=now
        )
        throttle = parse_throttle(error_body)
        return RateLimitError(message, retry_after=retry_after, throttle=throttle, **common)
    if cls is VersionNotActiveError:
        version = request.headers.get(H_LINKEDIN_VERSION) if request is not None else None
        return VersionNotActiveError(message, version=version, **common)
    return cls(message, **common)


def raise_for_status(
    request: Request | None, response: Response, *, now: float | None = None
) -> None:
    """Raise the :class:`ResponseError` for ``response`` unless its status is 2xx.

    Args:
        request: the request that was sent, or ``None`` if unknown.
        response: the response received.
        now: see :func:`error_from_response`.

    Raises:
        ResponseError: the subclass for the status (e.g. :class:`NotFoundError`).
    """
    if not 200 <= response.status_code <= 299:
        raise error_from_response(request, response, now=now)


# --------------------------------------------------------------------------- helpers
# Shared with the response and OAuth parsers; not part of the public API.


def parse_json_body(body: bytes) -> tuple[bool, Any]:
    """``(True, value)`` when ``body`` is JSON, else ``(False, None)``.

    Catches ``RecursionError`` too: ``json.loads`` recurses once per nesting level,
    so a body of ten thousand ``[`` would otherwise escape as a non-library error.
    """
    if not body:
        return False, None
    try:
        return True, json.loads(body)
    except (ValueError, RecursionError):  # JSONDecodeError and UnicodeDecodeError are ValueErrors
        return False, None


def describe_body(body: bytes, secrets: Iterable[str] = ()) -> str:
    """A one-line description of a body that is not the JSON expected."""
    if not body.strip():
        return "empty body"
    return f"body is not JSON: {body_excerpt(body, secrets)!r}"


def body_excerpt(body: bytes, secrets: Iterable[str] = ()) -> str:
    """At most 200 characters of ``body`` on one line: HTML tags dropped, secrets masked."""
    secrets = list(secrets)
    pattern = secret_pattern(secrets)
    if pattern is None:
        text = body[:_EXCERPT_SCAN].decode("utf-8", errors="replace")
    else:
        # Mask over a little more than is kept, so a secret across the cut is
        # masked whole instead of leaving its first characters.
        longest = max(len(secret) for secret in secrets)
        head = body[: _EXCERPT_SCAN + _LONGEST_FORM * longest]
        text = _mask(head.decode("latin-1"), pattern, _EXCERPT_SCAN)
        text = text.encode("latin-1").decode("utf-8", errors="replace")
    if text.lstrip()[:1] == "<":  # an HTML page from a gateway: keep its words
        text = _TAG.sub(" ", _SCRIPT_OR_STYLE.sub(" ", text))
    text = _CONTROL.sub("?", _SPACE.sub(" ", text)).strip()
    if len(text) > _EXCERPT_LIMIT:
        text = text[: _EXCERPT_LIMIT - 3] + "..."
    return text


def request_secrets(request: Request) -> list[str]:
    """Every credential ``request`` carries: its Authorization value, the secret
    parameters (:data:`SECRET_PARAMS`) of its URL and of a form body."""
    found: list[str] = []
    auth = request.headers.get(H_AUTHORIZATION)
    if auth:
        credential = auth.partition(" ")[2].strip() or auth.strip()
        found.append(credential)
    _, rest = _split(request.url)
    if "=" in rest:
        found.extend(v for k, v in parse_qsl(rest[1:].replace("#", "&")) if _is_secret(k))
    content_type = request.headers.get(H_CONTENT_TYPE) or ""
    if request.body and content_type.split(";")[0].strip().lower() == CT_FORM:
        text = request.body.decode("utf-8", errors="replace")
        found.extend(v for k, v in parse_qsl(text) if k.lower() in SECRET_PARAMS)
    return [s for s in dict.fromkeys(found) if len(s) >= _MIN_SECRET]


# A character of a secret is at most 4 UTF-8 bytes, each at most 6 characters
# written (\u00XX in JSON), or 2 UTF-16 units as \uXXXX: the longest form of one.
_LONGEST_FORM = 24


def _hex(text: str) -> str:
    """A pattern for hex digits ``text`` in either case."""
    return "".join(f"[{c.upper()}{c.lower()}]" if c.isalpha() else c for c in text)


def _byte_forms(byte: int) -> str:
    """The ways one UTF-8 byte of a secret can be written in a URL, a form or JSON."""
    forms = [re.escape(chr(byte)), "%" + _hex(f"{byte:02X}")]
    if byte < 0x80:
        forms.append(r"\\u00" + _hex(f"{byte:02X}"))  # JSON \u00XX
        if chr(byte) in '/"\\':
            forms.append(re.escape("\\" + chr(byte)))  # JSON \/ \" \\
        if byte == 0x20:
            forms.append(r"\+")  # a form's space
    return f"(?:{'|'.join(forms)})"


def _char_forms(char: str) -> str:
    """The ways one character of a secret can be written (see :func:`secret_pattern`)."""
    data = char.encode("utf-8", errors="surrogatepass")
    as_bytes = "".join(_byte_forms(b) for b in data)
    if len(data) == 1:
        return as_bytes
    units = char.encode("utf-16-be", errors="surrogatepass")
    as_json = "".join(
        r"\\u" + _hex(units[i : i + 2].hex()) for i in range(0, len(units), 2)
    )  # JSON \uXXXX (a surrogate pair beyond the BMP)
    return f"(?:{as_bytes}|{as_json})"


def secret_pattern(secrets: Iterable[str]) -> re.Pattern[str] | None:
    """One pattern matching each secret however it was written: as is, percent-encoded
    (wholly or in part, hex in either case), with ``+`` for a space, or JSON-escaped.

    The pattern runs over text as UTF-8 bytes, one character per byte
    (``bytes.decode("latin-1")``); :func:`scrub` converts text to and from that.
    Secrets shorter than 6 characters are left out (they would mask ordinary words).
    """
    alternatives = [
        "".join(map(_char_forms, secret))
        for secret in sorted(set(secrets), key=len, reverse=True)
        if len(secret) >= _MIN_SECRET
    ]
    return re.compile("|".join(alternatives)) if alternatives else None


def without_secrets(response: _R, secrets: Iterable[str]) -> _R:
    """``response``, or a copy with every secret in its body and header values
    replaced by ``***`` (and no ``raw``) when it holds any."""
    pattern = secret_pattern(secrets)
    if pattern is None:
        return response
    body = response.body.decode("latin-1")
    pairs = response.headers.raw
    masked = [(name, _mask_header(value, pattern)) for name, value in pairs]
    if pattern.search(body) is None and masked == list(pairs):
        return response
    copy: _R = type(response)(  # type: ignore[call-arg]
        response.status_code, masked, _mask(body, pattern).encode("latin-1"), response.url
    )
    return copy


def _mask_header(value: str, pattern: re.Pattern[str]) -> str:
    # A header value read off the wire is its bytes as ISO-8859-1 (see _messages):
    # already the form the pattern reads. Other text is looked at as UTF-8.
    if value.isascii() or max(value) <= "\xff":
        return _mask(value, pattern)
    data = value.encode("utf-8", errors="surrogatepass").decode("latin-1")
    return _mask(data, pattern).encode("latin-1").decode("utf-8", errors="surrogatepass")


def _mask(text: str, pattern: re.Pattern[str], limit: int | None = None) -> str:
    """``text`` (bytes as latin-1) with each match of ``pattern`` replaced by ``***``;
    with ``limit``, only the matches starting before it are looked at and the
    text is cut there, or after the last such match when it runs past."""
    if limit is None:
        return pattern.sub("***", text)
    out = []
    at = 0
    for match in pattern.finditer(text):
        if match.start() >= limit:
            break
        out.append(text[at : match.start()])
        out.append("***")
        at = match.end()
    out.append(text[at : max(limit, at)])
    return "".join(out)


def scrub(text: str, secrets: Iterable[str]) -> str:
    """``text`` with every secret replaced by ``***``, however it was encoded."""
    pattern = secret_pattern(secrets)
    if pattern is None:
        return text
    data = text.encode("utf-8", errors="surrogatepass").decode("latin-1")
    masked = pattern.sub("***", data)
    if masked == data:
        return text
    return masked.encode("latin-1").decode("utf-8", errors="surrogatepass")


# --------------------------------------------------------------------------- redaction
# The one place that decides what of a URL is secret: error messages, log lines
# (restli_core._log) and transport errors (restli_core.transport) all use it.

#: Parameter names whose value is a credential, wherever they appear (a URL's query
#: or fragment, an OAuth form body): OAuth 2.0 (RFC 6749 §4.1.2, §4.1.3, §4.2.2,
#: §6), PKCE (RFC 7636 §4.5), token introspection (RFC 7662 §2.1), and LinkedIn's
#: legacy ``oauth2_access_token``. Compared without regard to case.
SECRET_PARAMS = frozenset(
    {
        "access_token",
        "client_secret",
        "code",
        "code_verifier",
        "oauth2_access_token",
        "refresh_token",
        "token",
    }
)

# One name=value pair of a query or fragment (RFC 3986 §3.4, §3.5).
_PARAM = re.compile(r"([^&=?#]+)=([^&#]*)")
# RFC 3986 §3.2.1: userinfo (user:password@) is a credential too.
_USERINFO = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*://)[^/?#@]*@")


def _is_secret(name: str) -> bool:
    return unquote(name).strip().lower() in SECRET_PARAMS


def _split(url: str) -> tuple[str, str]:
    """``url`` cut before its query or fragment, whichever comes first."""
    cut = min((i for i in (url.find("?"), url.find("#")) if i >= 0), default=-1)
    return (url, "") if cut < 0 else (url[:cut], url[cut:])


def redact_url(url: str) -> str:
    """``url`` with credentials replaced by ``***``: userinfo and secret parameter values.

    Secret parameters (:data:`SECRET_PARAMS`) are masked in the query and in the
    fragment (the OAuth implicit grant returns its token there).

    Args:
        url: a URL as sent.

    Returns:
        The URL safe to show or log. A URL without a query, fragment or userinfo is
        returned as is.
    """
    if "@" in url:
        url = _USERINFO.sub(r"\1***@", url)
    base, rest = _split(url)
    if "=" not in rest:
        return url

    def mask(match: re.Match[str]) -> str:
        name = match.group(1)
        return f"{name}=***" if _is_secret(name) else match.group(0)

    return base + _PARAM.sub(mask, rest)


def redact_text(text: str, url: str) -> str:
    """``text`` with the credentials that ``url`` carries replaced by ``***``.

    For messages of HTTP libraries, which quote the URL they failed on as is.

    Args:
        text: the message.
        url: the URL the message may quote.

    Returns:
        The message safe to show or log.
    """
    userinfo = _USERINFO.match(url)
    if userinfo is not None:
        credentials = url[userinfo.end(1) : userinfo.end() - 1]
        if credentials:
            text = text.replace(credentials, "***")
    _, rest = _split(url)
    for match in _PARAM.finditer(rest):
        name, value = match.groups()
        if value and _is_secret(name):
            text = text.replace(value, "***")
    return text


def _reason(status: int) -> str:
    # The summary already starts with the status number: give the phrase only.
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "Unknown Status"


def _text(value: Any) -> str | None:
    return value if isinstance(value, str) and value else None
