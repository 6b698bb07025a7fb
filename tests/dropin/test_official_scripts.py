"""Code written for LinkedIn's official client runs with only its import line changed.

Each script in ``scripts/`` is written against ``linkedin-api-client`` (the official
README's examples, and scripts in the style of its examples). The test replaces the
official import lines with ours, points the unchanged code at a ``restli serve``
process through the environment (``RESTLI_API_ROOT``, which ``restli serve`` prints),
and runs it to its end as a user would: a subprocess.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

SCRIPTS = Path(__file__).parent / "scripts"
IMPORTS = {
    "from linkedin_api.clients.restli.client import RestliClient": (
        "from restli_requests import RestliClient"
    ),
    "from linkedin_api.clients.auth.client import AuthClient": (
        "from restli_requests import AuthClient"
    ),
}
CLIENT_ID, CLIENT_SECRET = "dropin-client", "dropin-secret"


def run(script: str, api_root: str, tmp_path: Path) -> str:
    text = (SCRIPTS / script).read_text()
    for official, ours in IMPORTS.items():
        text = text.replace(official, ours)
    assert "linkedin_api" not in text
    path = tmp_path / script
    path.write_text(text)
    env = {
        **os.environ,
        "RESTLI_API_ROOT": api_root,
        "ACCESS_TOKEN": "AQXdropin-access-token",
        "CLIENT_ID": CLIENT_ID,
        "CLIENT_SECRET": CLIENT_SECRET,
        "OAUTH2_REDIRECT_URL": "http://127.0.0.1:3000/oauth",
    }
    result = subprocess.run(
        [sys.executable, str(path)],
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
        stdin=subprocess.DEVNULL,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


def test_the_official_readme_examples(api_root: str, tmp_path: Path) -> None:
    out = run("readme_snippets.py", api_root, tmp_path)
    assert "hook 200" in out  # the session hooks of the README ran
    assert "batch_finder" in out and out.rstrip().endswith("done")


def test_crud_with_a_session_hook(api_root: str, tmp_path: Path) -> None:
    out = run("crud_ad_accounts.py", api_root, tmp_path)
    assert "Successfully created ad account" in out
    assert "Delete status: 204" in out
    assert "After delete: HTTPError" in out  # raised by the hook, as itself


def test_a_tunneled_batch_get_shows_the_raw_request(api_root: str, tmp_path: Path) -> None:
    out = run("batch_get_query_tunneling.py", api_root, tmp_path)
    assert out.startswith("POST ")
    assert "X-HTTP-Method-Override: GET" in out
    assert "errors: 400" in out or "results: 400" in out


def test_posts_through_ugc_posts_and_posts(api_root: str, tmp_path: Path) -> None:
    out = run("create_posts.py", api_root, tmp_path)
    assert "/ugcPosts: urn:li:ugcPost:" in out
    assert "/posts: urn:li:share:" in out or "/posts: urn:li:ugcPost:" in out


def test_a_two_legged_token_and_its_introspection(api_root: str, tmp_path: Path) -> None:
    out = run("oauth_2legged.py", api_root, tmp_path)
    assert "expires in 1800 seconds" in out
    assert "active: True" in out and "auth_type: 2L" in out


def test_member_authorization_code_exchange_and_me(api_root: str, tmp_path: Path) -> None:
    out = run("oauth_member_auth.py", api_root, tmp_path)
    assert "Member authorization URL: " in out
    assert "Me: {" in out
