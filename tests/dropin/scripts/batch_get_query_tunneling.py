# A BATCH_GET of 400 campaign groups: the query is too long for a URL, so the request
# is tunneled (sent as a POST with the query in the body).
import os

from linkedin_api.clients.restli.client import RestliClient

ACCESS_TOKEN = os.environ["ACCESS_TOKEN"]
API_VERSION = "202302"

restli_client = RestliClient()

ids = [f"urn:li:sponsoredCampaignGroup:{n}" for n in range(1000000, 1000400)]
response = restli_client.batch_get(
    resource_path="/adCampaignGroups",
    ids=ids,
    access_token=ACCESS_TOKEN,
    version_string=API_VERSION,
)

request = response.response.request
print(request.method, request.url)
print("X-HTTP-Method-Override:", request.headers["X-HTTP-Method-Override"])
print("Content-Type:", request.headers["Content-Type"])
print("results:", len(response.results), "errors:", len(response.errors))
print("status of the first id:", response.statuses.get(ids[0], 200))
