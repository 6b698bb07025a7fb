# 3-legged OAuth: the member authorization URL, the code LinkedIn redirects back with,
# the code exchanged for a token, and the member's profile with it.
import os
from urllib.parse import parse_qs, urlsplit

import requests

from linkedin_api.clients.auth.client import AuthClient
from linkedin_api.clients.restli.client import RestliClient

CLIENT_ID = os.environ["CLIENT_ID"]
CLIENT_SECRET = os.environ["CLIENT_SECRET"]
OAUTH2_REDIRECT_URL = os.environ["OAUTH2_REDIRECT_URL"]

auth_client = AuthClient(
    client_id=CLIENT_ID, client_secret=CLIENT_SECRET, redirect_url=OAUTH2_REDIRECT_URL
)
restli_client = RestliClient()

auth_url = auth_client.generate_member_auth_url(
    scopes=["r_liteprofile", "r_emailaddress", "w_member_social"], state="123abc"
)
print(f"Member authorization URL: {auth_url}")

# The member consents in a browser; LinkedIn then redirects to OAUTH2_REDIRECT_URL
# with ?code=...&state=... (here the redirect is read instead of followed).
redirect = requests.get(auth_url, allow_redirects=False, timeout=10)
query = parse_qs(urlsplit(redirect.headers["Location"]).query)
assert query["state"] == ["123abc"]
auth_code = query["code"][0]

token_response = auth_client.exchange_auth_code_for_access_token(auth_code)
access_token = token_response.access_token
print(f"Access token expires in {token_response.expires_in} seconds")

me_response = restli_client.get(
    resource_path="/me",
    query_params={"projection": "(id,localizedFirstName,localizedLastName)"},
    access_token=access_token,
)
print(f"Me: {me_response.entity}")
