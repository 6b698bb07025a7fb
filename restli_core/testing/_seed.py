"""The LinkedIn-like data a fresh :class:`RestliServer` starts with.

The resources, keys, finders and actions are listed in the ``restli_core.testing``
package docstring. Everything is generated from simple arithmetic on the ids, so
every server holds the same data and tests can rely on exact counts.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from .._wire import RestliMethod
from ._http import RestliServiceError, bad_request
from ._resources import Call, Collection

if TYPE_CHECKING:
    from ._server import RestliServer

__all__ = [
    "ME",
    "PROFILE_PICTURE",
    "account_urn",
    "campaign_group",
    "search_filter",
    "seed",
    "text_of",
]

ME = "urn:li:person:abc"
"""The member every access token belongs to (``GET /me`` answers with it)."""

PROFILE_PICTURE = "urn:li:digitalmediaAsset:C4D00AQAdaLovelace"
"""The member's ``profilePicture.displayImage`` (decorated by ``displayImage~``)."""

# LinkedIn's post ids are 19-digit numbers: a client that reads them as floats or
# 32-bit ints shows itself at once.
_POST_ID_BASE = 7_100_000_000_000_000_000

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


def campaign_group(number: int, account: str, status: str) -> dict[str, Any]:
    """A campaign group as the seed writes them (its schedule starts ``number`` days in)."""
    start = _EPOCH_MS + number * _DAY_MS
    return {
        "id": number,
        "account": account,
        "name": f"Campaign Group {number}",
        "status": status,
        "runSchedule": {"start": start, "end": start + 30 * _DAY_MS},
        "totalBudget": {"amount": "1000.00", "currencyCode": "USD"},
        "test": False,
    }


def _campaign_groups() -> list[dict[str, Any]]:
    return [
        campaign_group(
            i,
            account_urn((i - 1) // 12 + 1),
            ("ACTIVE", "DRAFT", "PAUSED", "ARCHIVED")[(i - 1) % 4],
        )
        for i in range(1, CAMPAIGN_GROUPS + 1)
    ]


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


def text_of(value: Any) -> str:
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
            e for e in entities if all(text_of(e.get(field)) in allowed for field, allowed in tests)
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


def _posts_by_author(call: Call) -> list[dict[str, Any]]:
    """``/posts?q=author&author=<person or organization URN>`` (newest first)."""
    author = call.params.get("author")
    if not isinstance(author, str):
        raise bad_request("the author finder needs author=<person or organization URN>")
    assert isinstance(call.resource, Collection)
    return [e for e in reversed(call.resource.values()) if e.get("author") == author]


def _ugc_posts_by_authors(call: Call) -> list[dict[str, Any]]:
    """``/ugcPosts?q=authors&authors=List(<URN>,...)`` (newest first)."""
    authors = call.params.get("authors")
    if not isinstance(authors, list) or not all(isinstance(a, str) for a in authors):
        raise bad_request("the authors finder needs authors=List(<URN>,...)", field="authors")
    assert isinstance(call.resource, Collection)
    return [e for e in reversed(call.resource.values()) if e.get("author") in authors]


# --------------------------------------------------------------------------- organization ACL

_ROLE = "OrganizationRoleAuthorizationAction"
_CONTENT = "OrganizationContentAuthorizationAction"
_ORG_ACTIONS = (
    # (organization number, union member, actionType, approved)
    (123, _ROLE, "ADMINISTRATOR_READ", True),
    (123, _ROLE, "ADMINISTRATOR_WRITE", True),
    (123, _CONTENT, "ORGANIC_SHARE_DELETE", True),
    (123, _CONTENT, "ORGANIC_SHARE_CREATE", True),
    (456, _ROLE, "ADMINISTRATOR_READ", True),
    (456, _ROLE, "ADMINISTRATOR_WRITE", False),
    (456, _CONTENT, "ORGANIC_SHARE_DELETE", False),
)


def _organization_authorizations() -> list[dict[str, Any]]:
    return [
        {
            "organization": f"urn:li:organization:{organization}",
            "member": ME,
            "action": {member: {"actionType": action_type}},
            "status": {"approved": {}} if approved else {"denied": {"reason": "NOT_AUTHORIZED"}},
        }
        for organization, member, action_type, approved in _ORG_ACTIONS
    ]


def _authorization_action(criteria: Any) -> tuple[str, str]:
    """The (union member, actionType) of one ``authorizationActions`` criteria.

    The official README writes a criteria as the action union itself
    (``(OrganizationRoleAuthorizationAction:(actionType:ADMINISTRATOR_READ))``);
    LinkedIn's docs wrap it in ``authorizationAction`` and start the member with a
    lowercase letter. Both are read; members compare without case.
    """
    if isinstance(criteria, dict) and set(criteria) == {"authorizationAction"}:
        criteria = criteria["authorizationAction"]
    if isinstance(criteria, dict) and len(criteria) == 1:
        ((member, value),) = criteria.items()
        if isinstance(value, dict) and isinstance(value.get("actionType"), str):
            return member.casefold(), value["actionType"]
    raise bad_request(
        "each authorizationActions criteria is an action such as "
        "(OrganizationRoleAuthorizationAction:(actionType:ADMINISTRATOR_READ))",
        field="authorizationActions",
    )


def _authorizations_by_action(call: Call, criteria: Any) -> list[dict[str, Any]]:
    """Batch finder ``organizationAuthorizations?bq=authorizationActionsAndImpersonator``."""
    member, action_type = _authorization_action(criteria)
    impersonator = call.params.get("impersonator")
    assert isinstance(call.resource, Collection)
    found = []
    for entity in call.resource.values():
        ((entity_member, value),) = entity["action"].items()
        if entity_member.casefold() != member or value["actionType"] != action_type:
            continue
        if isinstance(impersonator, str) and entity["member"] != impersonator:
            continue
        found.append({k: v for k, v in entity.items() if k != "id"})  # "id" is internal
    return found


# --------------------------------------------------------------------------- live video


def _register_live_event(counter: Callable[[], int]) -> Callable[[Call], Any]:
    """``/liveAssetActions?action=register``: register a live event, answer its asset."""

    def register(call: Call) -> Any:
        request = call.body.get("registerLiveEventRequest") if isinstance(call.body, dict) else None
        if not isinstance(request, dict):
            raise bad_request(
                'the register action takes {"registerLiveEventRequest": {...}}',
                field="registerLiveEventRequest",
            )
        owner = request.get("owner")
        recipes = request.get("recipes")
        if not isinstance(owner, str) or not owner.startswith("urn:li:"):
            raise bad_request(
                "registerLiveEventRequest.owner must be a person or organization URN",
                field="registerLiveEventRequest.owner",
            )
        if (
            not isinstance(recipes, list)
            or not recipes
            or not all(isinstance(r, str) for r in recipes)
        ):
            raise bad_request(
                "registerLiveEventRequest.recipes must be a list of recipe URNs",
                field="registerLiveEventRequest.recipes",
            )
        region = request.get("region", "WEST_US")
        asset = f"urn:li:digitalmediaAsset:D5LIVE{counter():08d}"
        ingest = (
            f"rtmps://{str(region).lower().replace('_', '-')}.live.restli-testing.invalid:443/live"
        )
        return {
            "asset": asset,
            "owner": owner,
            "region": region,
            "recipes": [{"recipe": r, "status": "PROCESSING"} for r in recipes],
            "uploadMechanism": {
                "com.linkedin.digitalmedia.uploading.RtmpUploadMechanism": {
                    "ingestUrl": f"{ingest}/{asset.rpartition(':')[2]}",
                    "streamKey": asset.rpartition(":")[2].lower(),
                }
            },
        }

    return register


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

    # LinkedIn creates an account user with PUT on its key: UPDATE upserts.
    users = server.add_collection(
        "/adAccountUsers",
        _account_users(),
        key=("account", "user"),
        required=("role",),
        upsert=True,
    )
    users.add_finder("accounts", _account_users_by_account)
    users.add_finder("authenticatedUser", _account_users_of_me)

    server.add_collection("/socialActions", _social_actions(), key="target", methods=_NO_CREATE)
    server.add_collection("/fieldsOfStudy", _fields_of_study(), key="id", methods=_READ_ONLY)
    server.add_simple_resource("/me", _me(), methods=(RestliMethod.GET,))
    server.add_simple_resource("/userinfo", _userinfo(), methods=(RestliMethod.GET,))
    streams = _playable_streams(PROFILE_PICTURE)
    server.add_decoration(PROFILE_PICTURE, streams)
    server.add_decoration(PROFILE_PICTURE, streams, view="playableStreams")

    # The unversioned API the README creates an account with (its own data).
    legacy_accounts = server.add_collection(
        "/adAccountsV2", _ad_accounts(), key="id", required=("name", "type")
    )
    legacy_accounts.add_finder(
        "search", search_filter(("status", "reference", "name", "id", "type", "currency"))
    )

    authorizations = server.add_collection(
        "/organizationAuthorizations",
        _organization_authorizations(),
        key="id",  # an internal serial: the answers leave it out
        key_type=int,
        methods=(RestliMethod.BATCH_FINDER,),
    )
    authorizations.add_batch_finder(
        "authorizationActionsAndImpersonator",
        _authorizations_by_action,
        criteria_param="authorizationActions",
    )

    # Associations of a campaign and a conversion: PUT on the key creates one.
    server.add_collection(
        "/campaignConversions",
        _campaign_conversions(),
        key=("campaign", "conversion"),
        key_type=str,
        upsert=True,
    )

    live = server.add_simple_resource("/liveAssetActions", None, methods=(RestliMethod.ACTION,))
    live.add_action("register", _register_live_event(itertools.count(1).__next__))

    posts = server.add_collection(
        "/posts",
        (),
        key="id",
        key_type=str,
        required=("author", "lifecycleState", "visibility", "distribution"),
        key_factory=lambda n: f"urn:li:share:{_POST_ID_BASE + n}",
    )
    posts.add_finder("author", _posts_by_author)
    ugc_posts = server.add_collection(
        "/ugcPosts",
        (),
        key="id",
        key_type=str,
        required=("author", "lifecycleState", "specificContent", "visibility"),
        key_factory=lambda n: f"urn:li:ugcPost:{_POST_ID_BASE + n}",
    )
    ugc_posts.add_finder("authors", _ugc_posts_by_authors)

    from ._analytics import add_ad_analytics  # the reporting finder (its own module)

    add_ad_analytics(server)


def _campaign_conversions() -> list[dict[str, Any]]:
    return [
        {
            "campaign": f"urn:li:sponsoredCampaign:{campaign}",
            "conversion": f"urn:lla:llaPartnerConversion:{conversion}",
        }
        for campaign, conversion in ((1, 1), (1, 2), (2, 1), (123, 456))
    ]


def _userinfo() -> Mapping[str, Any]:
    """OpenID Connect's userinfo for the member (``GET /v2/userinfo``)."""
    return {
        "sub": ME.rpartition(":")[2],
        "name": "Ada Lovelace",
        "given_name": "Ada",
        "family_name": "Lovelace",
        "picture": "https://media.restli-testing.invalid/ada-lovelace/200.jpg",
        "locale": {"country": "US", "language": "en"},
        "email": "ada.lovelace@example.com",
        "email_verified": True,
    }


def _playable_streams(asset: str) -> dict[str, Any]:
    """What ``displayImage~:playableStreams`` resolves the member's picture to."""
    elements = []
    for size in (100, 200, 400, 800):
        shape = f"profile-displayphoto-shrink_{size}_{size}"
        elements.append(
            {
                "artifact": f"urn:li:digitalmediaMediaArtifact:({asset},"
                f"urn:li:digitalmediaMediaArtifactClass:{shape})",
                "authorizationMethod": "PUBLIC",
                "data": {
                    "com.linkedin.digitalmedia.mediaartifact.StillImage": {
                        "mediaType": "image/jpeg",
                        "storageSize": {"width": size, "height": size},
                        "displaySize": {"width": float(size), "height": float(size), "uom": "PX"},
                    }
                },
                "identifiers": [
                    {
                        "identifier": f"https://media.restli-testing.invalid/ada-lovelace/{size}.jpg",
                        "index": 0,
                        "mediaType": "image/jpeg",
                        "identifierType": "EXTERNAL_URL",
                        "identifierExpiresInSeconds": 1_767_225_600,
                    }
                ],
            }
        )
    return {"paging": {"count": 10, "start": 0, "links": []}, "elements": elements}


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
        "profilePicture": {"displayImage": PROFILE_PICTURE},
    }
