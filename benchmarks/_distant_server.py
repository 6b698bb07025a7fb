"""A loopback stand-in for a LinkedIn API that sits far away: slow to answer, thin pipe.

The transport suites measure clients against a server that answers at once over a
loopback socket, where nothing but CPU time matters. Real calls to
``api.linkedin.com`` spend most of their time waiting: tens of milliseconds before
the first byte, then a body that trickles in at whatever the path carries. This
server reproduces that, so a benchmark shows what concurrency and compression buy:

* **latency**: every answer leaves a fixed delay after its request arrived
  (default 40 ms). Each request waits on its own timer, so requests on different
  connections overlap as they do on a real server; nothing is serialised. The
  first answer on a new connection can wait longer (``connect_latency``, default 0),
  standing for the TCP and TLS handshakes a real connection costs.
* **bandwidth**: a body goes out in chunks (default 16 KiB) paced per connection so
  that it never runs faster than the cap (default 8 MB/s, 1 MB = 10^6 bytes).
* **compression**: gzip when the request's ``Accept-Encoding`` allows it, else
  deflate when that is allowed, else identity; ``Content-Length`` is always set.
* **data**: ``/rest/adCampaigns`` (and ``/v2/adCampaigns``) over a deterministic
  store of campaigns (default 5,000) shaped like LinkedIn's ad campaigns, about
  1.5-2 KB of JSON each, with values varied per campaign so gzip ratios are those
  of real pages, not of repeated text.

Two Rest.li methods are served, with LinkedIn's envelopes:

* FINDER ``GET ...?q=search&start=S&count=C`` (other parameters ignored) answers
  ``{"elements": [...], "paging": {"start", "count", "total", "links": []}}``;
* BATCH_GET ``GET ...?ids=List(1,2,3)``, or the same query tunneled (``POST`` with
  ``X-HTTP-Method-Override: GET`` and a form body holding the query), answers
  ``{"results": {...}, "statuses": {...}, "errors": {...}}`` keyed by the id text,
  in the order the ids were asked for; unknown ids get a 404 entry in ``errors``.

Query values are decoded with :func:`restli_core.decode` (the library's public
decoder), so the server reads ``List(...)`` exactly as Rest.li defines it. Requests
must carry ``Authorization: Bearer ...`` and ``X-RestLi-Protocol-Version: 2.0.0``;
versioned calls (``/rest``) need ``LinkedIn-Version``. Errors come as Rest.li error
responses (``X-RestLi-Error-Response: true``).

The server counts API requests, the body bytes it wrote (compressed size, as on
the wire), the responses it compressed and the new connections. ``GET /__distant/stats`` reads the counters and ``POST /__distant/reset``
reads and zeroes them; neither is delayed nor counted. :class:`DistantServer` wraps
both, and runs the server in a child process (the default: its CPU time is not taken
from the measured client) or in a background thread of this process (fast to start,
for tests).

Run as a script (``python _distant_server.py --latency 40 --rate 8``), this file
prints the port it listens on and serves until SIGTERM or SIGINT.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import gzip
import http.client
import json
import os
import random
import signal
import socket
import subprocess
import sys
import threading
import zlib
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from types import TracebackType
from typing import Any, Literal
from urllib.parse import unquote

from restli_core import RestliDecodeError, decode

__all__ = [
    "DEFAULT_CAMPAIGNS",
    "DEFAULT_CHUNK",
    "DEFAULT_LATENCY",
    "DEFAULT_RATE",
    "DistantServer",
    "Stats",
    "campaign_ids",
    "choose_encoding",
    "make_campaign",
]

DEFAULT_LATENCY = 0.040  # seconds before each answer
DEFAULT_RATE = 8_000_000.0  # body bytes per second, per connection
DEFAULT_CAMPAIGNS = 5_000
DEFAULT_CHUNK = 16 * 1024  # bytes written at a time while pacing a body

STATS_PATH = "/__distant/stats"
RESET_PATH = "/__distant/reset"
RESOURCE_PATHS = ("/rest/adCampaigns", "/v2/adCampaigns")

_MAX_BODY = 1 << 20  # a tunneled query longer than this is refused (413)
_MAX_COUNT = 1_000  # LinkedIn's largest page for ad campaigns
_CACHE_ENTRIES = 512  # encoded bodies kept (pages and batches repeat across runs)
_READY_TIMEOUT = 30.0
_REASONS = {
    200: "OK",
    400: "Bad Request",
    401: "Unauthorized",
    404: "Not Found",
    405: "Method Not Allowed",
    413: "Content Too Large",
    415: "Unsupported Media Type",
    431: "Request Header Fields Too Large",
    501: "Not Implemented",
}


# --------------------------------------------------------------------- the campaign store

_OBJECTIVES = (
    ("BRAND_AWARENESS", "MAX_REACH", "CPM"),
    ("WEBSITE_VISIT", "MAX_CLICK", "CPC"),
    ("LEAD_GENERATION", "MAX_LEAD", "CPC"),
    ("VIDEO_VIEW", "MAX_VIDEO_VIEW", "CPV"),
    ("ENGAGEMENT", "MAX_CLICK", "CPC"),
    ("WEBSITE_CONVERSION", "MAX_CONVERSION", "CPM"),
)
_FORMATS = ("STANDARD_UPDATE", "SINGLE_VIDEO", "CAROUSEL", "TEXT_AD", "SPOTLIGHT")
_STATUSES = ("ACTIVE", "PAUSED", "DRAFT", "ARCHIVED", "COMPLETED", "CANCELED")
_SERVING = ("RUNNABLE", "CAMPAIGN_GROUP_END_DATE_HOLD", "ACCOUNT_TOTAL_BUDGET_HOLD", "STOPPED")
_CURRENCIES = ("USD", "EUR", "GBP", "CAD")
_LOCALES = (("en", "US"), ("en", "GB"), ("de", "DE"), ("fr", "FR"), ("es", "ES"))
_REGIONS = ("NA", "EMEA", "APAC", "LATAM", "DACH", "Nordics", "UKI", "ANZ")
_AUDIENCES = ("Engineers", "IT Decision Makers", "Finance Leads", "HR Managers", "Founders")
_THEMES = ("Brand", "Retargeting", "Webinar", "Launch", "Always On", "Event", "Trial")


def campaign_ids(count: int = DEFAULT_CAMPAIGNS) -> list[int]:
    """The ids of the first ``count`` campaigns of the store, in finder order (ascending)."""
    return [_campaign_id(index) for index in range(count)]


def _campaign_id(index: int) -> int:
    # Increasing but irregular (gaps of 1,000-1,999): realistic nine-digit ids.
    return 180_000_000 + 1_500 * index + (index * 7_919) % 500


def make_campaign(index: int) -> dict[str, Any]:
    """Campaign number ``index`` (0-based) of the store, shaped like LinkedIn's adCampaigns.

    The same index always gives the same campaign. Values (names, URNs, amounts,
    targeting lists, times) vary per campaign, as in a real account.
    """
    rng = random.Random(index * 1_000_003 + 11)
    cid = _campaign_id(index)
    account = 507_000_000 + rng.randrange(12) * 104_729
    group = 612_000_000 + (index // 20) * 3_571 + rng.randrange(3)
    objective, optimization, cost_type = rng.choice(_OBJECTIVES)
    currency = rng.choice(_CURRENCIES)
    language, country = rng.choice(_LOCALES)
    created = 1_672_531_200_000 + index * 1_731_000 + rng.randrange(86_400_000)
    modified = created + rng.randrange(1, 120 * 86_400_000)
    start = created + rng.randrange(14 * 86_400_000)
    run_schedule: dict[str, int] = {"start": start}
    if rng.random() < 0.6:
        run_schedule["end"] = start + rng.randrange(7, 180) * 86_400_000

    def urns(kind: str, low: int, high: int, most: int) -> list[str]:
        picked = sorted(rng.sample(range(low, high), rng.randint(1, most)))
        return [f"urn:li:{kind}:{n}" for n in picked]

    include: list[dict[str, Any]] = [
        {"or": {"urn:li:adTargetingFacet:locations": urns("geo", 100_000_000, 106_000_000, 4)}},
        {
            "or": {
                "urn:li:adTargetingFacet:interfaceLocales": [f"urn:li:locale:{language}_{country}"]
            }
        },
        {
            "or": {
                "urn:li:adTargetingFacet:titles": urns("title", 1, 30_000, 3),
                "urn:li:adTargetingFacet:skills": urns("skill", 1, 60_000, 3),
            }
        },
        {"or": {"urn:li:adTargetingFacet:industries": urns("industry", 1, 3_200, 3)}},
        {"or": {"urn:li:adTargetingFacet:seniorities": urns("seniority", 1, 11, 3)}},
    ]
    if rng.random() < 0.5:
        include.append(
            {"or": {"urn:li:adTargetingFacet:staffCountRanges": urns("staffCountRange", 1, 9, 3)}}
        )
    name = (
        f"{rng.choice(_THEMES)} {rng.choice(_REGIONS)} - {rng.choice(_AUDIENCES)} "
        f"Q{rng.randint(1, 4)} {rng.randint(2023, 2025)} #{cid % 100_000}"
    )
    return {
        "account": f"urn:li:sponsoredAccount:{account}",
        "associatedEntity": f"urn:li:organization:{2_400_000 + rng.randrange(90_000)}",
        "audienceExpansionEnabled": rng.random() < 0.4,
        "campaignGroup": f"urn:li:sponsoredCampaignGroup:{group}",
        "changeAuditStamps": {
            "created": {"actor": f"urn:li:person:{_member(rng)}", "time": created},
            "lastModified": {"actor": f"urn:li:person:{_member(rng)}", "time": modified},
        },
        "connectedTelevisionOnly": False,
        "costType": cost_type,
        "creativeSelection": rng.choice(("OPTIMIZED", "ROUND_ROBIN")),
        "dailyBudget": {
            "amount": f"{rng.randint(20, 2_000)}.{rng.randrange(100):02d}",
            "currencyCode": currency,
        },
        "format": rng.choice(_FORMATS),
        "id": cid,
        "locale": {"country": country, "language": language},
        "name": name,
        "objectiveType": objective,
        "offsiteDeliveryEnabled": rng.random() < 0.5,
        "offsitePreferences": {
            "iabCategories": {"exclude": []},
            "publisherRestrictionFiles": {"exclude": []},
        },
        "optimizationTargetType": optimization,
        "pacingStrategy": rng.choice(("LIFETIME", "DAILY")),
        "politicalIntent": "NOT_DECLARED",
        "runSchedule": run_schedule,
        "servingStatuses": [rng.choice(_SERVING)],
        "status": _STATUSES[index % len(_STATUSES)],
        "storyDeliveryEnabled": False,
        "targetingCriteria": {
            "include": {"and": include},
            "exclude": {
                "or": {
                    "urn:li:adTargetingFacet:employers": urns("organization", 1_000, 9_000_000, 3),
                    "urn:li:adTargetingFacet:degrees": urns("degree", 700, 900, 2),
                }
            },
        },
        "test": False,
        "totalBudget": {"amount": f"{rng.randint(1_000, 90_000)}.00", "currencyCode": currency},
        "type": "SPONSORED_UPDATES",
        "unitCost": {
            "amount": f"{rng.randint(2, 40)}.{rng.randrange(100):02d}",
            "currencyCode": currency,
        },
        "version": {"versionTag": str(rng.randint(1, 40))},
    }


def _member(rng: random.Random) -> str:
    # LinkedIn member ids are opaque 10-character tokens.
    alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
    return "".join(rng.choice(alphabet) for _ in range(10))


def _dumps(value: Any) -> bytes:
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False).encode()


# --------------------------------------------------------------------- HTTP helpers


def choose_encoding(accept_encoding: str | None) -> Literal["gzip", "deflate", "identity"]:
    """The content coding of a response, from the request's ``Accept-Encoding``.

    gzip when it is acceptable (named, as ``x-gzip`` too, or covered by ``*``, with a
    quality above 0), else deflate on the same terms, else identity.
    """
    if not accept_encoding:
        return "identity"
    weights: dict[str, float] = {}
    for item in accept_encoding.split(","):
        token, *parameters = item.split(";")
        token = token.strip().lower()
        if not token:
            continue
        weight = 1.0
        for parameter in parameters:
            key, _, value = parameter.partition("=")
            if key.strip().lower() == "q":
                try:
                    weight = float(value.strip())
                except ValueError:
                    weight = 0.0
        weights[token] = weight

    def acceptable(*names: str) -> bool:
        named = [weights[n] for n in names if n in weights]
        if named:
            return max(named) > 0
        return weights.get("*", 0.0) > 0

    if acceptable("gzip", "x-gzip"):
        return "gzip"
    if acceptable("deflate"):
        return "deflate"
    return "identity"


def _compress(body: bytes, encoding: str) -> bytes:
    if encoding == "gzip":
        return gzip.compress(body, compresslevel=6, mtime=0)
    if encoding == "deflate":  # HTTP's "deflate" is the zlib format (RFC 9110, 8.4.1.2)
        return zlib.compress(body, 6)
    return body


class _HttpError(Exception):
    """A request the server refuses: answered with a Rest.li error response."""

    def __init__(self, status: int, message: str, code: str = "BAD_REQUEST") -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message


@dataclass(frozen=True)
class _Incoming:
    method: str
    target: str
    version: str
    headers: dict[str, str]  # lower-cased names; repeats joined with ", "

    @property
    def keep_alive(self) -> bool:
        tokens = {t.strip().lower() for t in self.headers.get("connection", "").split(",")}
        if self.version == "HTTP/1.0":
            return "keep-alive" in tokens
        return "close" not in tokens


def _parse_head(head: bytes) -> _Incoming:
    lines = head.decode("latin-1").split("\r\n")
    parts = lines[0].split(" ")
    if len(parts) != 3 or not parts[2].startswith("HTTP/1."):
        raise _HttpError(400, f"malformed request line {lines[0][:80]!r}")
    headers: dict[str, str] = {}
    for line in lines[1:]:
        if not line:
            continue
        name, colon, value = line.partition(":")
        if not colon or not name or name != name.strip():
            raise _HttpError(400, f"malformed header line {line[:80]!r}")
        key = name.lower()
        value = value.strip()
        headers[key] = f"{headers[key]}, {value}" if key in headers else value
    return _Incoming(parts[0], parts[1], parts[2], headers)


@dataclass(frozen=True)
class Stats:
    """What the server did since the last reset.

    Attributes:
        requests: API requests answered (the control requests are not counted).
        body_bytes: response body bytes written, as sent (compressed when compressed).
        compressed: responses sent gzip- or deflate-encoded.
        connections: connections whose first API request came after the reset (new
            connections; one opened earlier and reused is not counted again).
    """

    requests: int
    body_bytes: int
    compressed: int
    connections: int


@dataclass
class _Link:
    """What the server remembers about one connection."""

    used: bool = False  # has it carried an API request yet?


# --------------------------------------------------------------------- the application


class _App:
    """Routes requests, builds bodies and writes them slowly, one connection at a time."""

    def __init__(
        self,
        latency: float,
        rate: float,
        campaigns: int,
        chunk: int,
        connect_latency: float = 0.0,
    ) -> None:
        if latency < 0 or connect_latency < 0 or rate <= 0 or campaigns < 0 or chunk <= 0:
            raise ValueError(
                "latency >= 0, connect_latency >= 0, rate > 0, campaigns >= 0 and chunk > 0"
            )
        self.latency = latency
        self.connect_latency = connect_latency
        self.rate = rate
        self.chunk = chunk
        ids = campaign_ids(campaigns)
        self.ids = ids
        self.documents = [_dumps(make_campaign(i)) for i in range(campaigns)]
        self.by_id = dict(zip(ids, self.documents, strict=True))
        self.requests = 0
        self.body_bytes = 0
        self.compressed = 0
        self.connections = 0
        self.cache: OrderedDict[tuple[Any, ...], bytes] = OrderedDict()
        self.tasks: set[asyncio.Task[None]] = set()

    # ---------------------------------------------------------------- connections

    async def handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        task = asyncio.current_task()
        assert task is not None
        self.tasks.add(task)
        sock = writer.get_extra_info("socket")
        if sock is not None:
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        link = _Link()
        try:
            while await self._one_exchange(reader, writer, link):
                pass
        except (ConnectionError, asyncio.IncompleteReadError):
            pass  # the client went away
        except asyncio.CancelledError:
            pass  # the server is stopping: end quietly (asyncio logs a cancelled handler)
        finally:
            self.tasks.discard(task)
            writer.close()
            with contextlib.suppress(Exception):
                await writer.wait_closed()

    async def _one_exchange(
        self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter, link: _Link
    ) -> bool:
        """Read one request and answer it; ``False`` when the connection must end."""
        try:
            head = await reader.readuntil(b"\r\n\r\n")
        except asyncio.IncompleteReadError:
            return False  # closed between requests
        except asyncio.LimitOverrunError:
            await self._write_error(writer, _HttpError(431, "request head too large"))
            return False
        received = asyncio.get_running_loop().time()
        try:
            request = _parse_head(head)
        except _HttpError as exc:
            await self._write_error(writer, exc)
            return False
        if "chunked" in request.headers.get("transfer-encoding", "").lower():
            await self._write_error(writer, _HttpError(501, "chunked request bodies"))
            return False
        try:
            length = int(request.headers.get("content-length", "0"))
        except ValueError:
            length = -1
        if not 0 <= length <= _MAX_BODY:
            await self._write_error(writer, _HttpError(413, "bad or too large Content-Length"))
            return False
        body = await reader.readexactly(length) if length else b""

        path = request.target.partition("?")[0]
        if path in (STATS_PATH, RESET_PATH):
            await self._control(writer, path, request.method)
            return request.keep_alive

        self.requests += 1
        delay = self.latency
        if not link.used:  # the first API request on this connection
            link.used = True
            self.connections += 1
            delay += self.connect_latency
        try:
            status, key, payload = self._route(request, body)
        except _HttpError as exc:
            status, key, payload = exc.status, None, _error_body(exc)
        encoding = choose_encoding(request.headers.get("accept-encoding"))
        if encoding != "identity":
            self.compressed += 1
        wire = await self._encoded(key, payload, encoding)
        # The latency counts from the arrival of the request: building and
        # compressing the body happen inside it, as on a real server.
        delay += received - asyncio.get_running_loop().time()
        if delay > 0:
            await asyncio.sleep(delay)
        writer.write(_head(status, len(wire), encoding, request.keep_alive, status >= 400))
        await self._write_paced(writer, wire)
        return request.keep_alive

    async def _encoded(self, key: tuple[Any, ...] | None, payload: bytes, encoding: str) -> bytes:
        if encoding == "identity":
            return payload
        if key is None:
            return _compress(payload, encoding)
        cache_key = (*key, encoding)
        found = self.cache.get(cache_key)
        if found is not None:
            self.cache.move_to_end(cache_key)
            return found
        # zlib releases the GIL: compressing in a worker thread keeps other
        # connections' timers and writes going meanwhile.
        loop = asyncio.get_running_loop()
        wire = await loop.run_in_executor(None, _compress, payload, encoding)
        self.cache[cache_key] = wire
        if len(self.cache) > _CACHE_ENTRIES:
            self.cache.popitem(last=False)
        return wire

    async def _write_paced(self, writer: asyncio.StreamWriter, data: bytes) -> None:
        # Each chunk leaves when a link of `rate` bytes/s would have finished carrying
        # it, so the last byte is delivered len(data) / rate seconds after the first.
        loop = asyncio.get_running_loop()
        started = loop.time()
        sent = 0
        for offset in range(0, len(data), self.chunk):
            piece = data[offset : offset + self.chunk]
            sent += len(piece)
            delay = started + sent / self.rate - loop.time()
            if delay > 0:
                await asyncio.sleep(delay)
            writer.write(piece)
            self.body_bytes += len(piece)
            await writer.drain()
        if not data:
            await writer.drain()

    async def _write_error(self, writer: asyncio.StreamWriter, exc: _HttpError) -> None:
        body = _error_body(exc)
        writer.write(_head(exc.status, len(body), "identity", False, True) + body)
        with contextlib.suppress(ConnectionError):
            await writer.drain()

    async def _control(self, writer: asyncio.StreamWriter, path: str, method: str) -> None:
        if (path, method) not in ((STATS_PATH, "GET"), (RESET_PATH, "POST")):
            exc = _HttpError(405, f"{method} {path} is not allowed", "METHOD_NOT_ALLOWED")
            body, status, error = _error_body(exc), 405, True
        else:
            counters = {
                "requests": self.requests,
                "body_bytes": self.body_bytes,
                "compressed": self.compressed,
                "connections": self.connections,
            }
            body, status, error = _dumps(counters), 200, False
            if path == RESET_PATH:
                self.requests = self.body_bytes = self.compressed = self.connections = 0
        writer.write(_head(status, len(body), "identity", True, error) + body)
        await writer.drain()

    # ---------------------------------------------------------------- Rest.li

    def _route(self, request: _Incoming, body: bytes) -> tuple[int, tuple[Any, ...], bytes]:
        path, _, query = request.target.partition("?")
        if path not in RESOURCE_PATHS:
            raise _HttpError(404, f"no resource at {path[:100]!r}", "NOT_FOUND")
        headers = request.headers
        if not headers.get("authorization", "").startswith("Bearer "):
            raise _HttpError(401, "Empty oauth2 access token", "EMPTY_ACCESS_TOKEN")
        if headers.get("x-restli-protocol-version") != "2.0.0":
            raise _HttpError(400, "X-RestLi-Protocol-Version: 2.0.0 is required")
        if path.startswith("/rest/") and not headers.get("linkedin-version"):
            raise _HttpError(400, "A version must be present", "VERSION_MISSING")
        method = request.method
        override = headers.get("x-http-method-override")
        if method == "POST" and override is not None:
            content_type = headers.get("content-type", "").partition(";")[0].strip().lower()
            if content_type != "application/x-www-form-urlencoded":
                raise _HttpError(
                    415,
                    "a tunneled request without an entity needs an "
                    "application/x-www-form-urlencoded body",
                    "UNSUPPORTED_MEDIA_TYPE",
                )
            try:
                tunneled = body.decode("ascii")
            except UnicodeDecodeError:
                raise _HttpError(400, "the tunneled query is not ASCII") from None
            query = f"{query}&{tunneled}" if query else tunneled
            method = override.strip().upper()
        if method != "GET":
            raise _HttpError(405, f"{method} is not served here", "METHOD_NOT_ALLOWED")
        params = _parse_query(query)
        if "ids" in params:
            return self._batch_get(params["ids"])
        if params.get("q") == "search":
            return self._finder(params)
        if "q" in params:
            raise _HttpError(400, f"unknown finder {str(params['q'])[:60]!r}")
        raise _HttpError(400, "adCampaigns answers q=search and ids=List(...) only")

    def _finder(self, params: dict[str, Any]) -> tuple[int, tuple[Any, ...], bytes]:
        start = _int_param(params, "start", 0)
        count = _int_param(params, "count", 10)
        if start < 0 or not 0 <= count <= _MAX_COUNT:
            raise _HttpError(400, f"start must be >= 0 and count within 0..{_MAX_COUNT}")
        page = self.documents[start : start + count]
        paging = _dumps({"start": start, "count": count, "total": len(self.ids), "links": []})
        body = b'{"elements":[' + b",".join(page) + b'],"paging":' + paging + b"}"
        return 200, ("finder", start, count), body

    def _batch_get(self, raw_ids: Any) -> tuple[int, tuple[Any, ...], bytes]:
        if not isinstance(raw_ids, list):
            raise _HttpError(400, "ids must be a List(...)")
        try:
            ids = [int(i) for i in raw_ids]
        except (TypeError, ValueError):
            raise _HttpError(400, "adCampaigns ids are longs") from None
        if len(set(ids)) != len(ids):
            raise _HttpError(400, "ids holds the same id twice")
        results: list[bytes] = []
        statuses: list[bytes] = []
        errors: list[bytes] = []
        for cid in ids:
            document = self.by_id.get(cid)
            if document is None:
                statuses.append(b'"%d":404' % cid)
                error = {"status": 404, "code": "NOT_FOUND", "message": f"no campaign {cid}"}
                errors.append(b'"%d":%s' % (cid, _dumps(error)))
            else:
                statuses.append(b'"%d":200' % cid)
                results.append(b'"%d":%s' % (cid, document))
        body = (
            b'{"results":{'
            + b",".join(results)
            + b'},"statuses":{'
            + b",".join(statuses)
            + b'},"errors":{'
            + b",".join(errors)
            + b"}}"
        )
        return 200, ("batch_get", tuple(ids)), body


def _parse_query(query: str) -> dict[str, Any]:
    params: dict[str, Any] = {}
    for piece in query.split("&"):
        if not piece:
            continue
        raw_name, _, raw_value = piece.partition("=")
        name = unquote(raw_name)
        if name in params:
            raise _HttpError(400, f"repeated query parameter {name[:60]!r}")
        try:
            params[name] = decode(raw_value)
        except RestliDecodeError as exc:
            raise _HttpError(400, f"query parameter {name[:60]!r}: {exc}") from None
    return params


def _int_param(params: dict[str, Any], name: str, default: int) -> int:
    value = params.get(name)
    if value is None:
        return default
    try:
        return int(value)
    except (TypeError, ValueError):
        raise _HttpError(400, f"{name} must be an integer") from None


def _error_body(exc: _HttpError) -> bytes:
    return _dumps({"status": exc.status, "code": exc.code, "message": exc.message})


def _head(status: int, length: int, encoding: str, keep_alive: bool, error: bool) -> bytes:
    lines = [
        f"HTTP/1.1 {status} {_REASONS.get(status, 'Error')}",
        "Content-Type: application/json",
        f"Content-Length: {length}",
        "X-RestLi-Protocol-Version: 2.0.0",
        "Vary: Accept-Encoding",
        f"Connection: {'keep-alive' if keep_alive else 'close'}",
    ]
    if encoding != "identity":
        lines.append(f"Content-Encoding: {encoding}")
    if error:
        lines.append("X-RestLi-Error-Response: true")
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")


async def _serve(app: _App, ready: Callable[[int, asyncio.Event], None]) -> None:
    """Serve ``app`` on a free loopback port until the event given to ``ready`` is set."""
    stop = asyncio.Event()
    server = await asyncio.start_server(app.handle, "127.0.0.1", 0, backlog=256)
    try:
        ready(server.sockets[0].getsockname()[1], stop)
        await stop.wait()
    finally:
        server.close()
        for task in list(app.tasks):  # idle keep-alive connections would wait forever
            task.cancel()
        await asyncio.gather(*app.tasks, return_exceptions=True)
        await server.wait_closed()


# --------------------------------------------------------------------- the handle


class DistantServer:
    """A running distant-API server on ``127.0.0.1``; use it as a context manager.

    Args:
        latency: seconds between a request's arrival and its answer (default 0.040).
        connect_latency: extra seconds before the first answer on a new connection
            (default 0; e.g. 2 x latency for the TCP and TLS handshakes).
        rate: body bytes per second on each connection (default 8,000,000).
        campaigns: campaigns in the store (default 5,000).
        chunk: bytes written at a time while pacing a body (default 16 KiB).
        mode: ``"process"`` (a child process; the default) or ``"thread"`` (a
            background thread with its own event loop, in this process).
    """

    def __init__(
        self,
        *,
        latency: float = DEFAULT_LATENCY,
        connect_latency: float = 0.0,
        rate: float = DEFAULT_RATE,
        campaigns: int = DEFAULT_CAMPAIGNS,
        chunk: int = DEFAULT_CHUNK,
        mode: Literal["process", "thread"] = "process",
    ) -> None:
        if mode not in ("process", "thread"):
            raise ValueError(f"mode must be 'process' or 'thread', not {mode!r}")
        self.latency = latency
        self.connect_latency = connect_latency
        self.rate = rate
        self.campaigns = campaigns
        self.chunk = chunk
        self.mode = mode
        self.port = 0
        self._process: subprocess.Popen[bytes] | None = None
        self._thread: threading.Thread | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._stop: asyncio.Event | None = None
        self._control: http.client.HTTPConnection | None = None

    @property
    def url(self) -> str:
        """``http://127.0.0.1:<port>``: the API root (``/rest`` and ``/v2`` are under it)."""
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> DistantServer:
        """Start serving; returns ``self`` once the port accepts connections."""
        if self.port:
            raise RuntimeError("the server is already started")
        if self.mode == "thread":
            self._start_thread()
        else:
            self._start_process()
        return self

    def _start_thread(self) -> None:
        app = _App(self.latency, self.rate, self.campaigns, self.chunk, self.connect_latency)
        started = threading.Event()
        failure: list[BaseException] = []

        def ready(port: int, stop: asyncio.Event) -> None:
            self.port = port
            self._loop = asyncio.get_running_loop()
            self._stop = stop
            started.set()

        def run() -> None:
            try:
                asyncio.run(_serve(app, ready))
            except BaseException as exc:  # reported by start(), not lost in the thread
                failure.append(exc)
                started.set()

        self._thread = threading.Thread(target=run, name="distant-server", daemon=True)
        self._thread.start()
        if not started.wait(_READY_TIMEOUT) or failure:
            self.stop()
            raise RuntimeError("the distant server thread did not start") from (
                failure[0] if failure else None
            )

    def _start_process(self) -> None:
        arguments = [
            sys.executable,
            os.path.abspath(__file__),
            f"--latency={self.latency * 1000!r}",
            f"--connect-latency={self.connect_latency * 1000!r}",
            f"--rate={self.rate / 1e6!r}",
            f"--campaigns={self.campaigns}",
            f"--chunk={self.chunk}",
        ]
        process = subprocess.Popen(
            arguments,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            # Its own session: a Ctrl-C reaches only the benchmark, whose finally
            # stops the server.
            start_new_session=True,
            preexec_fn=_die_with_parent,
        )
        self._process = process
        assert process.stdout is not None
        line = process.stdout.readline()
        if not line.strip().isdigit():
            self.stop()
            raise RuntimeError("the distant server process did not start")
        self.port = int(line)

    def _request(self, method: str, path: str) -> Stats:
        if not self.port:
            raise RuntimeError("the server is not started")
        for attempt in (1, 2):  # a kept connection may have been closed meanwhile
            if self._control is None:
                self._control = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
            try:
                self._control.request(method, path)
                response = self._control.getresponse()
                data = json.loads(response.read())
                if response.status != 200:
                    raise RuntimeError(f"{method} {path}: {response.status} {data}")
                return Stats(**data)
            except (ConnectionError, http.client.HTTPException):
                self._control.close()
                self._control = None
                if attempt == 2:
                    raise
        raise AssertionError("unreachable")

    def stats(self) -> Stats:
        """The counters since the last reset."""
        return self._request("GET", STATS_PATH)

    def reset(self) -> Stats:
        """Zero the counters; returns what they held."""
        return self._request("POST", RESET_PATH)

    def stop(self) -> None:
        """Stop serving and release everything; calling it again does nothing."""
        if self._control is not None:
            self._control.close()
            self._control = None
        process, self._process = self._process, None
        if process is not None:
            if process.poll() is None:
                process.terminate()
                try:
                    process.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    process.kill()
                    process.wait(timeout=10)
            if process.stdout is not None:
                process.stdout.close()
        thread, self._thread = self._thread, None
        if thread is not None:
            loop, stop = self._loop, self._stop
            if loop is not None and stop is not None:
                with contextlib.suppress(RuntimeError):  # the loop already ended
                    loop.call_soon_threadsafe(stop.set)
            thread.join(timeout=10)
            self._loop = self._stop = None
        self.port = 0

    def __enter__(self) -> DistantServer:
        return self if self.port else self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()


def _die_with_parent() -> None:
    # Runs in the child before exec: should the parent die without stopping the
    # server (SIGKILL), the kernel sends the child SIGTERM (PR_SET_PDEATHSIG), so no
    # server outlives its benchmark. Linux only; elsewhere a no-op.
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGTERM)  # 1 = PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass


# --------------------------------------------------------------------- as a script


def main(argv: list[str] | None = None) -> None:
    """Serve until SIGTERM or SIGINT, after printing the port on stdout."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--latency", type=float, default=DEFAULT_LATENCY * 1000, help="ms")
    parser.add_argument(
        "--connect-latency", type=float, default=0.0, help="extra ms on a new connection"
    )
    parser.add_argument("--rate", type=float, default=DEFAULT_RATE / 1e6, help="MB/s")
    parser.add_argument("--campaigns", type=int, default=DEFAULT_CAMPAIGNS)
    parser.add_argument("--chunk", type=int, default=DEFAULT_CHUNK, help="bytes")
    args = parser.parse_args(argv)
    app = _App(
        args.latency / 1000,
        args.rate * 1e6,
        args.campaigns,
        args.chunk,
        args.connect_latency / 1000,
    )

    def ready(port: int, stop: asyncio.Event) -> None:
        loop = asyncio.get_running_loop()
        loop.add_signal_handler(signal.SIGTERM, stop.set)
        loop.add_signal_handler(signal.SIGINT, stop.set)
        print(port, flush=True)

    asyncio.run(_serve(app, ready))


if __name__ == "__main__":
    main(sys.argv[1:])
