# Share a post through the legacy /ugcPosts API and the versioned /posts API.
import os

from linkedin_api.clients.restli.client import RestliClient

ACCESS_TOKEN = os.environ["ACCESS_TOKEN"]
API_VERSION = "202302"

restli_client = RestliClient()

me_response = restli_client.get(resource_path="/me", access_token=ACCESS_TOKEN)
person_urn = f"urn:li:person:{me_response.entity['id']}"

ugc_posts_create_response = restli_client.create(
    resource_path="/ugcPosts",
    entity={
        "author": person_urn,
        "lifecycleState": "PUBLISHED",
        "specificContent": {
            "com.linkedin.ugc.ShareContent": {
                "shareCommentary": {"text": "Sample text post created with /ugcPosts API"},
                "shareMediaCategory": "NONE",
            }
        },
        "visibility": {"com.linkedin.ugc.MemberNetworkVisibility": "PUBLIC"},
    },
    access_token=ACCESS_TOKEN,
)
print(f"Successfully created post using /ugcPosts: {ugc_posts_create_response.entity_id}")

posts_create_response = restli_client.create(
    resource_path="/posts",
    entity={
        "author": person_urn,
        "lifecycleState": "PUBLISHED",
        "visibility": "PUBLIC",
        "commentary": "Sample text post created with /posts API",
        "distribution": {
            "feedDistribution": "MAIN_FEED",
            "targetEntities": [],
            "thirdPartyDistributionChannels": [],
        },
    },
    version_string=API_VERSION,
    access_token=ACCESS_TOKEN,
)
print(f"Successfully created post using /posts: {posts_create_response.entity_id}")
