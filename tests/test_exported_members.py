"""The public names, pinned: other code and outside checks depend on them.

Adding a name is a decision (update the list); removing or renaming one breaks users.
"""

from __future__ import annotations

import importlib

import pytest

DESIGN_CORE_NAMES = {
    # DESIGN.md, "The core (restli_core) — public names"
    "encode", "encode_path", "reduced_encode", "param_encode", "decode", "reduced_decode",
    "RestliDecodeError", "RestliEncodeError", "Urn",
    "Request", "Response", "RestliMethod", "RequestBuilder", "parse_response",
    "GetResponse", "BatchGetResponse", "CollectionResponse", "Paging", "BatchFinderResponse",
    "BatchFinderResult", "CreateResponse", "BatchCreateResponse", "BatchCreateResult",
    "UpdateResponse", "BatchUpdateResponse", "BatchUpdateResult", "BatchDeleteResponse",
    "BatchDeleteResult", "ActionResponse", "BaseRestliResponse",
    "RestliError", "ResponseError", "BadRequestError", "UnauthorizedError", "ForbiddenError",
    "NotFoundError", "ConflictError", "UnprocessableEntityError", "VersionNotActiveError",
    "RateLimitError", "ServerError", "ResponseDecodeError", "AuthError", "TransportError",
    "TransportTimeout",
    "AccessToken3LResponse", "AccessToken2LResponse", "RefreshTokenExchangeResponse",
    "IntrospectTokenResponse",
    "Sleep", "run_sync", "run_async",
}  # fmt: skip

ADAPTERS = {
    "restli_requests": {"RestliClient", "AuthClient"},
    "restli_httpx": {"RestliClient", "AuthClient", "AsyncRestliClient", "AsyncAuthClient"},
    "restli_urllib3": {"RestliClient", "AuthClient"},
    "restli_aiohttp": {"AsyncRestliClient", "AsyncAuthClient"},
}

OFFICIAL_METHODS = [
    "get", "batch_get", "get_all", "finder", "batch_finder", "create", "batch_create",
    "update", "batch_update", "partial_update", "batch_partial_update", "delete",
    "batch_delete", "action",
]  # fmt: skip
OFFICIAL_AUTH_METHODS = [
    "generate_member_auth_url", "exchange_auth_code_for_access_token",
    "exchange_refresh_token_for_access_token", "get_two_legged_access_token",
    "introspect_access_token",
]  # fmt: skip


def test_design_names_are_exported_by_restli_core() -> None:
    import restli_core

    missing = DESIGN_CORE_NAMES - set(restli_core.__all__)
    assert not missing
    for name in restli_core.__all__:
        assert getattr(restli_core, name) is not None


def test_all_is_sorted_and_unique() -> None:
    import restli_core
    import restli_core.testing

    for module in (restli_core, restli_core.testing):
        assert list(module.__all__) == sorted(set(module.__all__), key=str)


@pytest.mark.parametrize("package", sorted(ADAPTERS))
def test_adapter_packages_offer_the_clients(package: str) -> None:
    module = importlib.import_module(package)
    assert ADAPTERS[package] <= set(module.__all__)
    for name in ADAPTERS[package]:
        cls = getattr(module, name)
        methods = OFFICIAL_AUTH_METHODS if "Auth" in name else OFFICIAL_METHODS
        for method in methods:
            assert callable(getattr(cls, method)), f"{package}.{name}.{method}"


def test_errors_form_one_tree() -> None:
    import restli_core as rc

    for name in DESIGN_CORE_NAMES:
        obj = getattr(rc, name)
        if isinstance(obj, type) and issubclass(obj, Exception):
            assert issubclass(obj, rc.RestliError), name
    assert issubclass(rc.TransportTimeout, rc.TransportError)
    for cls in (rc.RestliDecodeError, rc.RestliEncodeError, rc.ResponseDecodeError):
        assert issubclass(cls, ValueError)
