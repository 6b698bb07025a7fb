"""``/adAnalytics``: LinkedIn's ads reporting finder, with made-up but stable numbers.

``GET /rest/adAnalytics?q=analytics&pivot=CAMPAIGN&timeGranularity=DAILY
&dateRange=(start:(year:2024,month:1,day:1),end:(year:2024,month:1,day:7))
&campaigns=List(urn%3Ali%3AsponsoredCampaign%3A1)&fields=impressions,clicks``

answers one element per facet value (the URNs of ``accounts``, ``campaignGroups``,
``campaigns``, ``creatives``, ``companies`` or ``shares``) and time bucket of
``dateRange`` (one for ``ALL``, else one per day, month or year), each with
``pivotValues`` (that URN), ``dateRange`` (the bucket) and the metrics
``impressions``, ``clicks``, ``costInLocalCurrency``, ``likes``, ``comments``,
``shares`` and ``externalWebsiteConversions``, drawn from a hash of the URN and the
date, so every server answers the same. ``fields=`` selects among them, as on
LinkedIn, which is also what the data-volume limit counts
(:meth:`RestliServer.set_metric_volume_limit`). ``q=statistics`` takes ``pivots=List(...)``
(up to 3) instead of ``pivot``. The answer is not paged, as LinkedIn's is not, and
holds at most 15,000 elements (else 400).
"""

from __future__ import annotations

import datetime
import hashlib
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from .._wire import RestliMethod
from ._http import bad_request, show
from ._resources import Call, Page

if TYPE_CHECKING:
    from ._server import RestliServer

__all__ = ["add_ad_analytics"]

FACETS = ("accounts", "campaignGroups", "campaigns", "creatives", "companies", "shares")
GRANULARITIES = ("ALL", "DAILY", "MONTHLY", "YEARLY")
MAX_ELEMENTS = 15_000  # LinkedIn's cap on one adAnalytics answer
_MAX_DAYS = 3_660


def add_ad_analytics(server: RestliServer) -> None:
    """Serve ``/adAnalytics`` (finders ``analytics`` and ``statistics``) on ``server``."""
    analytics = server.add_collection(
        "/adAnalytics", (), key="id", key_type=int, methods=(RestliMethod.FINDER,)
    )
    analytics.add_finder("analytics", _analytics)
    analytics.add_finder("statistics", _statistics)


def _analytics(call: Call) -> Page:
    pivot = call.params.get("pivot")
    if not isinstance(pivot, str) or not pivot:
        raise bad_request("q=analytics needs pivot= (e.g. CAMPAIGN)", field="pivot")
    return _report(call)


def _statistics(call: Call) -> Page:
    pivots = call.params.get("pivots")
    if not isinstance(pivots, list) or not 1 <= len(pivots) <= 3:
        raise bad_request("q=statistics needs pivots=List(...) of 1 to 3 pivots", field="pivots")
    return _report(call)


def _report(call: Call) -> Page:
    params = call.params
    granularity = params.get("timeGranularity")
    if granularity not in GRANULARITIES:
        raise bad_request(
            f"timeGranularity must be one of {', '.join(GRANULARITIES)}, not {show(granularity)}",
            field="timeGranularity",
        )
    start, end = _date_range(params.get("dateRange"))
    urns: list[str] = []
    for facet in FACETS:
        values = params.get(facet)
        if values is None:
            continue
        if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
            raise bad_request(f"{facet} must be List(<URN>,...)", field=facet)
        urns.extend(values)
    if not urns:
        raise bad_request(
            f"name the entities to report on with one of {', '.join(FACETS)}", field="campaigns"
        )
    buckets = _buckets(start, end, str(granularity))
    if len(urns) * len(buckets) > MAX_ELEMENTS:
        raise bad_request(
            f"the report would hold {len(urns) * len(buckets)} elements, more than "
            f"{MAX_ELEMENTS}: narrow dateRange or the facets"
        )
    elements = [_element(urn, first, last) for urn in urns for first, last in buckets]
    return Page(elements, paging={"start": 0, "count": len(elements), "links": []})


def _date(value: Any, where: str) -> datetime.date:
    if not isinstance(value, Mapping):
        raise bad_request(f"dateRange.{where} must be (year:Y,month:M,day:D)", field="dateRange")
    try:
        return datetime.date(int(value["year"]), int(value["month"]), int(value["day"]))
    except (KeyError, TypeError, ValueError):
        raise bad_request(
            f"dateRange.{where} is not a date: {show(dict(value))}", field="dateRange"
        ) from None


def _date_range(value: Any) -> tuple[datetime.date, datetime.date]:
    if not isinstance(value, Mapping) or "start" not in value:
        raise bad_request(
            "dateRange=(start:(year:Y,month:M,day:D),end:(...)) is required", field="dateRange"
        )
    start = _date(value["start"], "start")
    end = _date(value["end"], "end") if "end" in value else start
    if end < start:
        raise bad_request("dateRange ends before it starts", field="dateRange")
    if (end - start).days > _MAX_DAYS:
        raise bad_request(f"dateRange spans more than {_MAX_DAYS} days", field="dateRange")
    return start, end


def _buckets(
    start: datetime.date, end: datetime.date, granularity: str
) -> list[tuple[datetime.date, datetime.date]]:
    if granularity == "ALL":
        return [(start, end)]
    out: list[tuple[datetime.date, datetime.date]] = []
    first = start
    while first <= end:
        if granularity == "DAILY":
            following = first + datetime.timedelta(days=1)
        elif granularity == "MONTHLY":
            following = datetime.date(first.year + first.month // 12, first.month % 12 + 1, 1)
        else:
            following = datetime.date(first.year + 1, 1, 1)
        out.append((first, min(following - datetime.timedelta(days=1), end)))
        first = following
    return out


def _ymd(day: datetime.date) -> dict[str, int]:
    return {"year": day.year, "month": day.month, "day": day.day}


def _element(urn: str, first: datetime.date, last: datetime.date) -> dict[str, Any]:
    digest = hashlib.sha256(f"{urn}|{first}|{last}".encode()).digest()
    days = (last - first).days + 1
    impressions = days * (100 + int.from_bytes(digest[:2], "big") % 9_900)
    clicks = impressions // (20 + digest[2] % 30)
    return {
        "pivotValues": [urn],
        "dateRange": {"start": _ymd(first), "end": _ymd(last)},
        "impressions": impressions,
        "clicks": clicks,
        "costInLocalCurrency": f"{clicks * (1 + digest[3] % 400) / 100:.2f}",
        "likes": clicks // 3,
        "comments": clicks // 11,
        "shares": clicks // 17,
        "externalWebsiteConversions": clicks // (5 + digest[4] % 20),
    }
