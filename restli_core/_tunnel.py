"""Query tunneling (PROTOCOL.md §5): moving a too-long query string into the body.

LinkedIn's gateway rejects URLs whose query is longer than about 4 KB (414). Rest.li's
answer (``QueryTunnelUtil`` in linkedin/rest.li) is to send the request as ``POST``
with the original verb in ``X-HTTP-Method-Override`` and the query in the body:

* without a body, the body *is* the query, as ``application/x-www-form-urlencoded``;
* with a body, a ``multipart/mixed`` body: the query first, then the original body
  with its own ``Content-Type``.

Every Rest.li server un-tunnels such requests before dispatching them, so the
resource sees exactly the request it would have seen without tunneling.
"""

from __future__ import annotations

from ._wire import CT_FORM, CT_MULTIPART_MIXED, H_CONTENT_TYPE, H_METHOD_OVERRIDE

__all__ = ["tunnel"]

Pairs = tuple[tuple[str, str], ...]

_CRLF = "\r\n"


def new_boundary(*parts: bytes) -> str:
    """A random multipart boundary that occurs in none of ``parts``.

    RFC 2046 §5.1.1: the boundary must not appear inside any encapsulated part.
    128 random bits make a clash practically impossible; we check anyway.
    """
    import secrets  # imported here: it loads OpenSSL, and tunneling is rare

    while True:
        boundary = f"restli-{secrets.token_hex(16)}"
        token = boundary.encode("ascii")
        if not any(token in part for part in parts):
            return boundary


def tunnel(
    *,
    http_method: str,
    query: str,
    headers: Pairs,
    body: bytes | None,
    body_content_type: str,
) -> tuple[Pairs, bytes]:
    """Tunnel a request whose encoded query is too long for the URL.

    The caller sends the result as ``POST`` to the URL cut at ``?``.

    Args:
        http_method: the verb the request would have used (GET, DELETE, PUT or POST);
            it goes into ``X-HTTP-Method-Override`` as is (not always GET: a tunneled
            DELETE must stay a DELETE).
        query: the encoded query string, without ``?``, exactly as the URL would
            have carried it (it is not re-encoded).
        headers: the request's headers, without ``Content-Type``; all are kept.
        body: the original body, or ``None``.
        body_content_type: the ``Content-Type`` of ``body`` (ignored without a body).

    Returns:
        The new headers and the new body.
    """
    query_bytes = query.encode("utf-8")
    if body is None:
        content_type = CT_FORM
        new_body = query_bytes
    else:
        boundary = new_boundary(query_bytes, body)
        content_type = f"{CT_MULTIPART_MIXED}; boundary={boundary}"
        # RFC 2046 §5.1.1 layout with CRLF line breaks: each part is introduced by
        # "--boundary", has its own headers and a blank line, and the body ends with
        # the close delimiter "--boundary--".
        head = (
            f"--{boundary}{_CRLF}"
            f"{H_CONTENT_TYPE}: {CT_FORM}{_CRLF}{_CRLF}"
            f"{query}{_CRLF}"
            f"--{boundary}{_CRLF}"
            f"{H_CONTENT_TYPE}: {body_content_type}{_CRLF}{_CRLF}"
        ).encode()
        tail = f"{_CRLF}--{boundary}--".encode("ascii")
        new_body = head + body + tail
    new_headers = (
        *headers,
        (H_CONTENT_TYPE, content_type),
        (H_METHOD_OVERRIDE, http_method),
    )
    return new_headers, new_body
