"""What the official client's README and examples address by id, for ``restli serve``.

The README reads and changes ad account 123, deletes accounts 123 and 456, and reads
and patches campaign groups 123, 456 and 789. The seed's ids are 1..25 and 1..60 (and
tests count them), so these live apart, in :func:`add_official_examples`, which
``RestliServer(official_examples=True)`` and ``restli serve`` apply.

The README also deletes account 123 and then batch-deletes 123 and 456, reading the
result for 123. LinkedIn's ads APIs delete softly: a DRAFT entity is removed, any other
is set to ``PENDING_DELETION`` and stays readable. With that rule (applied to ad
accounts, campaign groups and campaigns here) the README runs top to bottom, and
again, against one server.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ._seed import account_urn, campaign_group

if TYPE_CHECKING:
    from ._resources import Entity
    from ._server import RestliServer

__all__ = [
    "EXAMPLE_AD_ACCOUNTS",
    "EXAMPLE_CAMPAIGN_GROUPS",
    "add_official_examples",
    "linkedin_delete",
]

EXAMPLE_AD_ACCOUNTS: tuple[dict[str, Any], ...] = (
    {
        "id": 123,
        "name": "Test Ad Account",
        "status": "ACTIVE",
        "type": "BUSINESS",
        "reference": "urn:li:organization:123",
        "test": True,
        "currency": "USD",
    },
    {
        "id": 456,
        "name": "Ad Account 456",
        "status": "CANCELED",
        "type": "ENTERPRISE",
        "reference": "urn:li:organization:456",
        "test": False,
        "currency": "USD",
    },
)
"""The ad accounts the README addresses (``/adAccounts/123``, ``ids=["123", "456"]``)."""

EXAMPLE_CAMPAIGN_GROUPS: tuple[dict[str, Any], ...] = (
    campaign_group(123, account_urn(123), "ACTIVE"),
    campaign_group(456, account_urn(123), "DRAFT"),
    campaign_group(789, account_urn(456), "PAUSED"),
)
"""The campaign groups the README batch-gets and patches (123, 456, 789)."""

_SOFT_DELETED = ("/adAccounts", "/adCampaignGroups", "/adCampaigns")


def linkedin_delete(entity: Entity) -> Entity | None:
    """LinkedIn's ads deletion: a DRAFT entity is removed; others go PENDING_DELETION."""
    if entity.get("status") == "DRAFT":
        return None
    entity["status"] = "PENDING_DELETION"
    return entity


def add_official_examples(server: RestliServer) -> None:
    """Add the README's entities to a seeded ``server`` and delete ads entities softly."""
    accounts = server.collection("/adAccounts")
    for account in EXAMPLE_AD_ACCOUNTS:
        accounts.put(account)
    groups = server.collection("/adCampaignGroups")
    for group in EXAMPLE_CAMPAIGN_GROUPS:
        groups.put(group)
    for path in _SOFT_DELETED:
        server.collection(path).on_delete = linkedin_delete
