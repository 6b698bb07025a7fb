# Client credentials: a 2-legged token, then what the token introspection says of it.
import os

from linkedin_api.clients.auth.client import AuthClient

CLIENT_ID = os.environ["CLIENT_ID"]
CLIENT_SECRET = os.environ["CLIENT_SECRET"]

auth_client = AuthClient(client_id=CLIENT_ID, client_secret=CLIENT_SECRET)

token_response = auth_client.get_two_legged_access_token()
access_token = token_response.access_token
print(f"Access token expires in {token_response.expires_in} seconds")

introspection_response = auth_client.introspect_access_token(access_token)
print(f"active: {introspection_response.active}")
print(f"auth_type: {introspection_response.auth_type}")
print(f"status: {introspection_response.status}")
print(f"expires_at: {introspection_response.expires_at}")
