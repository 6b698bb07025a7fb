# Create, read, update and delete a test ad account, the way the official examples do,
# with the session hook the official README suggests.
import os

from linkedin_api.clients.restli.client import RestliClient

ACCESS_TOKEN = os.environ["ACCESS_TOKEN"]
AD_ACCOUNTS_RESOURCE = "/adAccounts"
AD_ACCOUNTS_ENTITY_RESOURCE = "/adAccounts/{id}"
API_VERSION = "202302"

restli_client = RestliClient()
restli_client.session.hooks["response"].append(lambda r: r.raise_for_status())

# Create a test ad account
create_response = restli_client.create(
    resource_path=AD_ACCOUNTS_RESOURCE,
    entity={
        "name": "Test Ad Account",
        "reference": "urn:li:organization:123",
        "status": "DRAFT",
        "type": "BUSINESS",
        "test": True,
    },
    access_token=ACCESS_TOKEN,
    version_string=API_VERSION,
)
ad_account_id = create_response.entity_id
print(f"Successfully created ad account: {ad_account_id}\n")

# Get the created ad account
get_response = restli_client.get(
    resource_path=AD_ACCOUNTS_ENTITY_RESOURCE,
    path_keys={"id": ad_account_id},
    access_token=ACCESS_TOKEN,
    version_string=API_VERSION,
)
print(f"Successfully fetched ad account: {get_response.entity}\n")

# Find test ad accounts
query_params = {
    "search": {"reference": {"values": ["urn:li:organization:123"]}, "test": True},
}
finder_response = restli_client.finder(
    resource_path=AD_ACCOUNTS_RESOURCE,
    finder_name="search",
    query_params=query_params,
    access_token=ACCESS_TOKEN,
    version_string=API_VERSION,
)
print(f"Find ad accounts: {[e['id'] for e in finder_response.elements]}\n")

# Partially update the ad account
partial_update_response = restli_client.partial_update(
    resource_path=AD_ACCOUNTS_ENTITY_RESOURCE,
    path_keys={"id": ad_account_id},
    patch_set_object={"name": "Modified Test Ad Account"},
    access_token=ACCESS_TOKEN,
    version_string=API_VERSION,
)
print(f"Update status: {partial_update_response.status_code}\n")

# Delete the ad account
delete_response = restli_client.delete(
    resource_path=AD_ACCOUNTS_ENTITY_RESOURCE,
    path_keys={"id": ad_account_id},
    access_token=ACCESS_TOKEN,
    version_string=API_VERSION,
)
print(f"Delete status: {delete_response.status_code}\n")

# A missing account: the session hook raises requests' own error
try:
    restli_client.get(
        resource_path=AD_ACCOUNTS_ENTITY_RESOURCE,
        path_keys={"id": ad_account_id},
        access_token=ACCESS_TOKEN,
        version_string=API_VERSION,
    )
except Exception as e:
    print(f"After delete: {type(e).__name__}")
