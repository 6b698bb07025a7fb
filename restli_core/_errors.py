"""The library's exceptions.

Every error this library raises on purpose derives from :class:`RestliError`, so
``except RestliError`` catches them all. Errors that describe a bad *value* also
derive from :class:`ValueError`, the builtin they resemble::

    RestliError
    +-- RestliEncodeError (ValueError)    a value has no Rest.li form, or a bad argument
    +-- RestliDecodeError (ValueError)    text is not valid Rest.li 2.0 (with the column)
    +-- ResponseError                     the server answered with a non-2xx status
    |   +-- BadRequestError               400
    |   +-- UnauthorizedError             401
    |   +-- ForbiddenError                403
    |   +-- NotFoundError                 404
    |   +-- ConflictError                 409
    |   +-- UnprocessableEntityError      422
    |   +-- VersionNotActiveError         426 (LinkedIn-Version retired or not yet active)
    |   +-- RateLimitError                429 (``retry_after`` when the server gave one)
    |   +-- ServerError                   5xx
    +-- ResponseDecodeError (ValueError)  a 2xx answer whose body cannot be parsed
    +-- AuthError                         an OAuth endpoint answered with an error
    +-- TransportError                    the HTTP library failed (connection, protocol)
        +-- TransportTimeout              ... because a connect or read timeout expired

No message produced here ever contains a bearer token or a client secret: requests
are shown as ``METHOD URL`` only, and URLs never carry credentials.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ._messages import Response


class RestliError(Exception):
    """Root of every exception this library raises on purpose."""


class RestliEncodeError(RestliError, ValueError):
    """A value (or an argument) that cannot be expressed in Rest.li 2.0."""


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
        message: the server's ``message``, or a short excerpt of a non-JSON body.
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
        self.request_url = request_url
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

    Attributes:
        version: the ``LinkedIn-Version`` the request carried, if known.
    """

    version: str | None = None


class RateLimitError(ResponseError):
    """429: throttled. ``retry_after`` is the server's delay in seconds, if given."""

    retry_after: float | None = None


class ServerError(ResponseError):
    """5xx: the server (or a gateway in front of it) failed."""


class ResponseDecodeError(RestliError, ValueError):
    """A successful (2xx) response whose body or headers cannot be parsed.

    Attributes:
        response: the raw :class:`~restli_core.Response`.
    """

    def __init__(self, message: str, *, response: Response | None = None) -> None:
        self.response = response
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
        self.request_url = request_url
        self.sent = sent
        super().__init__(message)


class TransportTimeout(TransportError):
    """A connect or read timeout expired."""
