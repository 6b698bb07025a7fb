# The official client's README examples, in order, as one script (their syntax slips,
# such as missing commas and unquoted keys, mended; nothing else changed).
import os

from linkedin_api.clients.restli.client import RestliClient

THREE_LEGGED_ACCESS_TOKEN = MY_ACCESS_TOKEN = os.environ["ACCESS_TOKEN"]

restli_client = RestliClient()

# Simple API Request Example
response = restli_client.get(resource_path="/me", access_token=THREE_LEGGED_ACCESS_TOKEN)
print(response.entity)

# Finder Request Example
response = restli_client.finder(
    resource_path="/adAccounts",
    finder_name="search",
    query_params={
        "search": {
            "status": {"values": ["ACTIVE", "DRAFT"]},
            "reference": {"values": ["urn:li:organization:123"]},
            "test": True,
        }
    },
    version_string="202212",
    access_token=THREE_LEGGED_ACCESS_TOKEN,
)
ad_accounts = response.elements
print("finder", len(ad_accounts))


def do_something_fn(response, *args, **kwargs):
    print("hook", response.status_code)


def do_something_2_fn(response, *args, **kwargs):
    pass


restli_client.session.hooks = {"response": [do_something_fn, do_something_2_fn]}

# GET
response = restli_client.get(
    resource_path="/adAccounts/{id}",
    path_keys={"id": 123},
    query_params={"fields": "id,name"},
    access_token=MY_ACCESS_TOKEN,
    version_string="202212",
)
ad_account = response.entity
print("get", ad_account)

# BATCH_GET
response = restli_client.batch_get(
    resource_path="/adCampaignGroups",
    ids=[123, 456, 789],
    access_token=MY_ACCESS_TOKEN,
    version_string="202212",
)
campaign_groups = response.results.items()
print("batch_get", len(campaign_groups))

# GET_ALL
response = restli_client.get_all(
    resource_path="/fieldsOfStudy",
    query_params={"start": 0, "count": 15},
    access_token=MY_ACCESS_TOKEN,
    version_string="202212",
)
fields_of_study = response.elements
total = response.paging.total
print("get_all", len(fields_of_study), total)

# FINDER
response = restli_client.finder(
    resource_path="/adAccounts",
    finder_name="search",
    query_params={
        "search": {
            "status": {"values": ["ACTIVE", "DRAFT", "CANCELED"]},
            "reference": {"values": ["urn:li:organization:123"]},
            "test": False,
        },
        "start": 0,
        "count": 5,
    },
    access_token=MY_ACCESS_TOKEN,
    version_string="202212",
)
ad_accounts = response.elements
total = response.paging.total
print("finder", len(ad_accounts), total)

# BATCH_FINDER
response = restli_client.batch_finder(
    resource_path="/organizationAuthorizations",
    finder_name="authorizationActionsAndImpersonator",
    finder_criteria=(
        "authorizationActions",
        [
            {"OrganizationRoleAuthorizationAction": {"actionType": "ADMINISTRATOR_READ"}},
            {"OrganizationContentAuthorizationAction": {"actionType": "ORGANIC_SHARE_DELETE"}},
        ],
    ),
    access_token=MY_ACCESS_TOKEN,
    version_string="202212",
)
admin_read_authorizations = response.results[0].elements
organic_share_delete_authorizations = response.results[1].elements
print("batch_finder", len(admin_read_authorizations), len(organic_share_delete_authorizations))

# CREATE
response = restli_client.create(
    resource_path="/adAccountsV2",
    entity={"name": "Test Ad Account", "type": "BUSINESS", "test": True},
    access_token=MY_ACCESS_TOKEN,
)
created_entity_id = response.entity_id
print("create", created_entity_id)

# BATCH_CREATE
response = restli_client.batch_create(
    resource_path="/adCampaignGroups",
    entities=[
        {"account": "urn:li:sponsoredAccount:111", "name": "CampaignGroupTest1", "status": "DRAFT"},
        {"account": "urn:li:sponsoredAccount:222", "name": "CampaignGroupTest2", "status": "DRAFT"},
    ],
    access_token=MY_ACCESS_TOKEN,
    version_string="202212",
)
created_elements = response.elements
first_created_element_id = response.elements[0].id
print("batch_create", len(created_elements), first_created_element_id)

# UPDATE
response = restli_client.update(
    resource_path="/adAccountUsers/{id}",
    path_keys={"id": {"account": "urn:li:sponsoredAccount:123", "user": "urn:li:person:foobar"}},
    entity={
        "account": "urn:li:sponsoredAccount:123",
        "user": "urn:li:person:foobar",
        "role": "VIEWER",
    },
    access_token=MY_ACCESS_TOKEN,
    version_string="202212",
)
status = response.status_code
print("update", status)

# BATCH_UPDATE
response = restli_client.batch_update(
    resource_path="/campaignConversions",
    ids=[
        {
            "campaign": "urn:li:sponsoredCampaign:123",
            "conversion": "urn:lla:llaPartnerConversion:456",
        },
        {
            "campaign": "urn:li:sponsoredCampaign:123",
            "conversion": "urn:lla:llaPartnerConversion:789",
        },
    ],
    entities=[
        {
            "campaign": "urn:li:sponsoredCampaign:123",
            "conversion": "urn:lla:llaPartnerConversion:456",
        },
        {
            "campaign": "urn:li:sponsoredCampaign:123",
            "conversion": "urn:lla:llaPartnerConversion:789",
        },
    ],
    access_token=MY_ACCESS_TOKEN,
    version_string="202212",
)
batch_results = response.results.items()
print("batch_update", len(batch_results))

# PARTIAL_UPDATE
response = restli_client.partial_update(
    resource_path="/adAccounts/{id}",
    path_keys={"id": 123},
    patch_set_object={"name": "TestAdAccountModified", "reference": "urn:li:organization:456"},
    access_token=MY_ACCESS_TOKEN,
    version_string="202212",
)
status = response.status_code
print("partial_update", status)

# BATCH_PARTIAL_UPDATE
response = restli_client.batch_partial_update(
    resource_path="/adCampaignGroups",
    ids=["123", "456"],
    patch_set_objects=[
        {"status": "ACTIVE"},
        {"runSchedule": {"start": 1678029270721, "end": 1679029270721}},
    ],
    access_token=MY_ACCESS_TOKEN,
    version_string="202212",
)
result_status = response.results["123"].status
print("batch_partial_update", result_status)

# DELETE
response = restli_client.delete(
    resource_path="/adAccounts/{id}",
    path_keys={"id": 123},
    access_token=MY_ACCESS_TOKEN,
    version_string="202212",
)
status_code = response.status_code
print("delete", status_code)

# BATCH_DELETE
response = restli_client.batch_delete(
    resource_path="/adAccounts",
    ids=["123", "456"],
    access_token=MY_ACCESS_TOKEN,
    version_string="202212",
)
status_code = response.results["123"].status
print("batch_delete", status_code)

# ACTION
response = restli_client.action(
    resource_path="/liveAssetActions",
    action_name="register",
    action_params={
        "registerLiveEventRequest": {
            "owner": "urn:li:person:12345",
            "recipes": ["urn:li:digitalmediaRecipe:feedshare-live-video"],
            "region": "WEST_US",
        }
    },
    access_token=MY_ACCESS_TOKEN,
)
status_code = response.status_code
print("action", status_code)
print("done")
