"""The pieces of restli_core.transport that adapters share, without a socket."""

from __future__ import annotations

import pickle
import zlib
from typing import Any

import pytest

from restli_core import Headers, Request, RestliUsageError, TransportError
from restli_core.transport import (
    LibraryError,
    body_decoder,
    cap_timeout,
    library_error,
    normalize_max_body_size,
    transport_error,
)

TOKEN = "tok-SECRET-helpers-0123"
REQUEST = Request(
    "POST",
    "https://api.linkedin.com/oauth/v2/accessToken?oauth2_access_token=url-secret-99&x=1",
    Headers(
        [
            ("Authorization", f"Bearer {TOKEN}"),
            ("Content-Type", "application/x-www-form-urlencoded"),
        ]
    ),
    b"grant_type=client_credentials&client_secret=form-secret-42",
)


def _compress(data: bytes, wbits: int) -> bytes:
    compressor = zlib.compressobj(9, zlib.DEFLATED, wbits)
    return compressor.compress(data) + compressor.flush()


DATA = bytes(range(256)) * 2000 + bytes(1_000_000)  # 1.5 MB, half of it zeros


@pytest.mark.parametrize(
    ("encoding", "wbits"),
    [("gzip", 31), ("GZip ", 31), ("deflate", 15), ("deflate", -15)],  # raw deflate too
)
@pytest.mark.parametrize("split", [1, 7, 4096, 10**9])
def test_body_decoder_undoes_the_coding_in_bounded_pieces(
    encoding: str, wbits: int, split: int
) -> None:
    encoded = _compress(DATA, wbits)
    if split == 1:
        encoded = encoded[:3000]  # one byte at a time: only the start
    decoder = body_decoder(REQUEST, encoding)
    assert decoder is not None
    pieces = [
        piece
        for at in range(0, len(encoded), split)
        for piece in decoder.decode(encoded[at : at + split])
    ]
    assert all(0 < len(piece) <= 64 * 1024 for piece in pieces)
    decoded = b"".join(pieces)
    assert DATA.startswith(decoded) if split == 1 else decoded == DATA


def test_body_decoder_passes_identity_through_and_leaves_other_codings() -> None:
    for encoding in (None, "identity", " Identity"):
        decoder = body_decoder(REQUEST, encoding)
        assert decoder is not None
        assert list(decoder.decode(b"abc")) == [b"abc"]
        assert list(decoder.decode(b"")) == []
    for encoding in ("br", "zstd", "gzip, gzip", "x-gzip", "compress"):
        assert body_decoder(REQUEST, encoding) is None


def test_body_decoder_refuses_a_body_that_is_not_its_coding() -> None:
    for encoding in ("gzip", "deflate"):
        decoder = body_decoder(REQUEST, encoding)
        assert decoder is not None
        with pytest.raises(TransportError) as info:
            list(decoder.decode(b"this is not compressed at all"))
        assert info.value.sent is True
        assert TOKEN not in str(info.value)


@pytest.mark.parametrize(
    ("timeout", "left", "capped"),
    [
        ((10.0, 60.0), None, (10.0, 60.0)),
        ((10.0, 60.0), 120.0, (10.0, 60.0)),
        ((10.0, 60.0), 30.0, (10.0, 30.0)),
        ((10.0, 60.0), 2.5, (2.5, 2.5)),
        ((10.0, 60.0), 0.0, (0.001, 0.001)),  # never 0: some libraries read it as "none"
    ],
)
def test_cap_timeout(
    timeout: tuple[float, float], left: float | None, capped: tuple[float, float]
) -> None:
    assert cap_timeout(timeout, left) == capped


@pytest.mark.parametrize("value", [0, -1, True, False, 1.5, "10", None, 2**70 * 1.0])
def test_normalize_max_body_size_refuses(value: Any) -> None:
    with pytest.raises(RestliUsageError):
        normalize_max_body_size(value)


def test_normalize_max_body_size_accepts() -> None:
    assert normalize_max_body_size(1) == 1
    assert normalize_max_body_size(2**40) == 2**40


class LeakyError(Exception):
    """A library error that keeps the request, headers and all."""

    def __init__(self, message: str, request: Request) -> None:
        super().__init__(message)
        self.request = request


def test_library_error_keeps_type_message_and_traceback_without_secrets() -> None:
    try:
        raise LeakyError(
            f"failed: Authorization: Bearer {TOKEN}; {REQUEST.url}; {REQUEST.body!r}", REQUEST
        )
    except LeakyError as exc:
        error, cause = transport_error(REQUEST, exc), library_error(REQUEST, exc)
    assert isinstance(cause, LibraryError)
    assert cause.library_type == f"{__name__}.LeakyError"
    assert cause.__traceback__ is not None
    assert cause.__cause__ is None and cause.__context__ is None
    for text in (repr(cause), str(cause), str(error), pickle.dumps(cause).decode("latin-1")):
        for secret in (TOKEN, "url-secret-99", "form-secret-42"):
            assert secret not in text
    assert "LeakyError: failed: Authorization: Bearer ***" in str(cause)
    again = pickle.loads(pickle.dumps(cause))
    assert (str(again), again.library_type) == (str(cause), cause.library_type)
