"""The LinkedIn-like data a fresh :class:`RestliServer` starts with.

The resources, keys, finders and actions are listed in the ``restli_core.testing``
package docstring. Everything is generated from simple arithmetic on the ids, so
every server holds the same data and tests can rely on exact counts.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from .._wire import RestliMethod
from ._http import RestliServiceError, bad_request
from ._resources import Call, Collection

if TYPE_CHECKING:
    from ._server import RestliServer

__all__ = ["ME", "seed"]

ME = "urn:li:person:abc"
"""The member every access token belongs to (``GET /me`` answers with it)."""

AD_ACCOUNTS = 25
CAMPAIGN_GROUPS = 60
CAMPAIGNS = 1200
_ACCOUNT_STATUSES = ("ACTIVE", "DRAFT", "CANCELED", "ACTIVE", "PENDING_DELETION")
_CAMPAIGN_STATUSES = ("ACTIVE", "PAUSED", "DRAFT", "ARCHIVED", "COMPLETED", "CANCELED")
_CAMPAIGN_TYPES = ("SPONSORED_UPDATES", "TEXT_AD", "DYNAMIC")
_DAY_MS = 86_400_000
_EPOCH_MS = 1_672_531_200_000  # 2023-01-01T00:00:00Z


def account_urn(number: int) -> str:
    return f"urn:li:sponsoredAccount:{number}"


def _ad_accounts() -> list[dict[str, Any]]:
    return [
        {
            "id": i,
            "name": f"Ad Account {i}",
            "status": _ACCOUNT_STATUSES[(i - 1) % len(_ACCOUNT_STATUSES)],
            "type": "ENTERPRISE" if i % 5 == 0 else "BUSINESS",
            "reference": "urn:li:organization:123" if i % 2 else "urn:li:organization:456",
            "test": i % 3 == 0,
            "currency": "USD",
        }
        for i in range(1, AD_ACCOUNTS + 1)
    ]


def _campaign_groups() -> list[dict[str, Any]]:
    groups = []
    for i in range(1, CAMPAIGN_GROUPS + 1):
        start = _EPOCH_MS + i * _DAY_MS
        groups.append(
            {
                "id": i,
                "account": account_urn((i - 1) // 12 + 1),
                "name": f"Campaign Group {i}",
                "status": ("ACTIVE", "DRAFT", "PAUSED", "ARCHIVED")[(i - 1) % 4],
                "runSchedule": {"start": start, "end": start + 30 * _DAY_MS},
                "totalBudget": {"amount": "1000.00", "currencyCode": "USD"},
                "test": False,
            }
        )
    return groups


def _campaigns() -> list[dict[str, Any]]:
    campaigns = []
    for i in range(1, CAMPAIGNS + 1):
        group = (i - 1) % CAMPAIGN_GROUPS + 1
        campaigns.append(
            {
                "id": i,
                "account": account_urn((group - 1) // 12 + 1),
                "campaignGroup": f"urn:li:sponsoredCampaignGroup:{group}",
                "name": f"Campaign {i}",
                "status": _CAMPAIGN_STATUSES[(i - 1) % len(_CAMPAIGN_STATUSES)],
                "type": _CAMPAIGN_TYPES[(i - 1) % len(_CAMPAIGN_TYPES)],
                "costType": "CPM" if i % 2 else "CPC",
                "dailyBudget": {"amount": "50.00", "currencyCode": "USD"},
                "unitCost": {"amount": f"{1 + i % 9}.00", "currencyCode": "USD"},
                "locale": {"country": "US", "language": "en"},
                "test": False,
            }
        )
    return campaigns


def _account_users() -> list[dict[str, Any]]:
    users: list[dict[str, Any]] = []
    for i in range(1, AD_ACCOUNTS + 1):
        role = "ACCOUNT_BILLING_ADMIN" if i <= 5 else "CAMPAIGN_MANAGER"
        users.append({"account": account_urn(i), "user": ME, "role": role})
        if i <= 10:
            users.append({"account": account_urn(i), "user": "urn:li:person:def", "role": "VIEWER"})
        if i <= 3:
            users.append(
                {"account": account_urn(i), "user": "urn:li:person:ghi", "role": "CREATIVE_MANAGER"}
            )
    return users


def _social_actions() -> list[dict[str, Any]]:
    return [
        {
            "target": f"urn:li:share:{i}",
            "likesSummary": {"totalLikes": i * 3, "likedByCurrentUser": i % 2 == 0},
            "commentsSummary": {"aggregatedTotalComments": i, "totalFirstLevelComments": i},
        }
        for i in range(1, 11)
    ]


_FIELDS_OF_STUDY = (
    "Accounting", "Architecture", "Biology", "Business Administration", "Chemistry",
    "Computer Science", "Economics", "Electrical Engineering", "History", "Law",
    "Mathematics", "Mechanical Engineering", "Medicine", "Philosophy", "Physics",
    "Psychology", "Statistics", "Linguistics", "Marketing", "Music",
)  # fmt: skip


def _fields_of_study() -> list[dict[str, Any]]:
    return [
        {
            "id": i,
            "name": {
                "localized": {"en_US": name},
                "preferredLocale": {"country": "US", "language": "en"},
            },
        }
        for i, name in enumerate(_FIELDS_OF_STUDY, start=1)
    ]


# --------------------------------------------------------------------------- finders


def _text_of(value: Any) -> str:
    """An entity value as Rest.li text compares it (the query only carries text)."""
    if value is True:
        return "true"
    if value is False:
        return "false"
    return str(value)


def search_filter(
    values_fields: Sequence[str], bool_fields: Sequence[str] = ("test",), param: str = "search"
) -> Any:
    """A finder over LinkedIn's ``search`` criteria record.

    ``search=(status:(values:List(ACTIVE,DRAFT)),test:true)``: each field of the
    record filters on one entity field; values within a field are alternatives,
    fields combine with AND. An unknown field is a 400, as schema validation gives.
    """

    def finder(call: Call) -> list[dict[str, Any]]:
        criteria = call.params.get(param)
        assert isinstance(call.resource, Collection)
        entities = call.resource.values()
        if criteria is None:
            return entities
        if not isinstance(criteria, dict):
            raise bad_request(
                f"{param} must be a record like (status:(values:List(ACTIVE)))", field=param
            )
        tests: list[tuple[str, frozenset[str]]] = []
        for field, spec in criteria.items():
            if field in bool_fields:
                if spec not in ("true", "false"):
                    raise bad_request(
                        f"{param}.{field} must be true or false", field=f"{param}.{field}"
                    )
                tests.append((field, frozenset((spec,))))
            elif field in values_fields:
                if (
                    not isinstance(spec, dict)
                    or set(spec) != {"values"}
                    or not isinstance(spec["values"], list)
                    or not all(isinstance(v, str) for v in spec["values"])
                ):
                    raise bad_request(
                        f"{param}.{field} must be (values:List(...))", field=f"{param}.{field}"
                    )
                tests.append((field, frozenset(spec["values"])))
            else:
                raise bad_request(
                    f"{param}.{field} is not a search criteria of {call.resource.path} "
                    f"(known: {', '.join(sorted((*values_fields, *bool_fields)))})",
                    field=f"{param}.{field}",
                )
        return [
            e
            for e in entities
            if all(_text_of(e.get(field)) in allowed for field, allowed in tests)
        ]

    return finder


def _account_users_by_account(call: Call) -> list[dict[str, Any]]:
    account = call.params.get("accounts")
    if not isinstance(account, str):
        raise bad_request(
            "the accounts finder needs accounts=<sponsoredAccount URN>", field="accounts"
        )
    assert isinstance(call.resource, Collection)
    return [e for e in call.resource.values() if e["account"] == account]


def _account_users_of_me(call: Call) -> list[dict[str, Any]]:
    assert isinstance(call.resource, Collection)
    return [e for e in call.resource.values() if e["user"] == ME]


def _campaigns_by_criteria(call: Call, criteria: Any) -> list[dict[str, Any]]:
    """Batch finder ``adCampaigns?bq=search&criteria=List((account:...,status:...))``."""
    if not isinstance(criteria, dict):
        raise bad_request("each criteria is a record like (account:urn:li:sponsoredAccount:1)")
    unknown = set(criteria) - {"account", "status", "campaignGroup"}
    if unknown:
        raise bad_request(f"unknown criteria field(s): {', '.join(sorted(unknown))}")
    account = criteria.get("account")
    if not isinstance(account, str):
        raise bad_request("criteria.account is required", field="account")
    accounts = call.server.collection("/adAccounts")
    number = account.rpartition(":")[2]
    if not account.startswith("urn:li:sponsoredAccount:") or accounts.get(number) is None:
        raise RestliServiceError(404, f"ad account {account} does not exist")
    assert isinstance(call.resource, Collection)
    out = []
    for entity in call.resource.values():
        if entity["account"] != account:
            continue
        if "status" in criteria and entity["status"] != criteria["status"]:
            continue
        if "campaignGroup" in criteria and entity["campaignGroup"] != criteria["campaignGroup"]:
            continue
        out.append(entity)
    return out


def _echo(call: Call) -> Any:
    return call.body


def _ping(call: Call) -> None:
    return None


def _count_by_status(call: Call) -> dict[str, int]:
    assert isinstance(call.resource, Collection)
    counts: dict[str, int] = {}
    for entity in call.resource.values():
        status = str(entity.get("status"))
        counts[status] = counts.get(status, 0) + 1
    return counts


_READ_ONLY = (RestliMethod.GET, RestliMethod.BATCH_GET, RestliMethod.GET_ALL)
_NO_CREATE = tuple(
    m for m in RestliMethod if m not in (RestliMethod.CREATE, RestliMethod.BATCH_CREATE)
)


def seed(server: RestliServer) -> None:
    """Register the LinkedIn-like resources on ``server``."""
    accounts = server.add_collection(
        "/adAccounts", _ad_accounts(), key="id", required=("name", "type")
    )
    accounts.add_finder(
        "search", search_filter(("status", "reference", "name", "id", "type", "currency"))
    )
    accounts.add_action("echo", _echo)
    accounts.add_action("ping", _ping)
    accounts.add_action("countByStatus", _count_by_status)

    groups = server.add_collection(
        "/adCampaignGroups", _campaign_groups(), key="id", required=("account", "name")
    )
    groups.add_finder("search", search_filter(("account", "status", "name", "id")))

    campaigns = server.add_collection(
        "/adCampaigns", _campaigns(), key="id", required=("account", "campaignGroup", "name")
    )
    campaigns.add_finder(
        "search",
        search_filter(("account", "campaignGroup", "status", "type", "name", "id")),
        cursor=True,
    )
    campaigns.add_batch_finder("search", _campaigns_by_criteria, criteria_param="criteria")

    users = server.add_collection(
        "/adAccountUsers", _account_users(), key=("account", "user"), required=("role",)
    )
    users.add_finder("accounts", _account_users_by_account)
    users.add_finder("authenticatedUser", _account_users_of_me)

    server.add_collection("/socialActions", _social_actions(), key="target", methods=_NO_CREATE)
    server.add_collection("/fieldsOfStudy", _fields_of_study(), key="id", methods=_READ_ONLY)
    server.add_simple_resource("/me", _me(), methods=(RestliMethod.GET,))


def _me() -> Mapping[str, Any]:
    return {
        "id": ME.rpartition(":")[2],
        "localizedFirstName": "Ada",
        "localizedLastName": "Lovelace",
        "vanityName": "ada-lovelace",
        "localizedHeadline": "Analyst at Analytical Engines",
        "firstName": {
            "localized": {"en_US": "Ada"},
            "preferredLocale": {"country": "US", "language": "en"},
        },
        "lastName": {
            "localized": {"en_US": "Lovelace"},
            "preferredLocale": {"country": "US", "language": "en"},
        },
    }
