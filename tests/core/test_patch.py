"""Partial updates: build_patch and the patch= / patches= arguments (PROTOCOL.md §4)."""

from __future__ import annotations

import copy
import json
from collections.abc import Mapping
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from restli_core import RequestBuilder, RestliEncodeError, RestliUsageError, build_patch

TOKEN = "tok"
builder = RequestBuilder()


def apply_patch(entity: Mapping[str, Any], patch: Mapping[str, Any]) -> dict[str, Any]:
    """Apply a Rest.li patch tree as a Rest.li server does (PatchApplier semantics)."""
    result = copy.deepcopy(dict(entity))
    for name in patch.get("$delete", []):
        result.pop(name, None)
    for name, value in patch.get("$set", {}).items():
        result[name] = copy.deepcopy(value)
    for name, sub in patch.items():
        if name not in ("$set", "$delete"):
            result[name] = apply_patch(result.get(name, {}), sub)
    return result


# --------------------------------------------------------------------------- build_patch


@pytest.mark.parametrize(
    ("original", "modified", "expected"),
    [
        ({}, {}, {}),
        ({"a": 1, "b": [1, 2]}, {"a": 1, "b": [1, 2]}, {}),
        ({"a": 1}, {"a": 2}, {"$set": {"a": 2}}),
        ({"a": 1}, {"a": 1, "b": "new"}, {"$set": {"b": "new"}}),
        ({"a": 1, "b": 2}, {"a": 1}, {"$delete": ["b"]}),
        ({"a": 1, "b": 2}, {"a": 1, "b": None}, {"$delete": ["b"]}),
        ({"a": None}, {"a": 1}, {"$set": {"a": 1}}),
        ({"a": None}, {}, {}),
        # lists are replaced whole, never diffed element by element
        ({"tags": [1, 2, 3]}, {"tags": [1, 2]}, {"$set": {"tags": [1, 2]}}),
        ({"tags": [{"x": 1}]}, {"tags": [{"x": 2}]}, {"$set": {"tags": [{"x": 2}]}}),
        # JSON distinguishes these, so must the diff
        ({"a": 1}, {"a": True}, {"$set": {"a": True}}),
        ({"a": 1}, {"a": 1.0}, {"$set": {"a": 1.0}}),
        ({"a": [1]}, {"a": [True]}, {"$set": {"a": [True]}}),
        ({"a": {"x": 1}}, {"a": {"x": 1.0}}, {"a": {"$set": {"x": 1.0}}}),
        # nested records become sub-patches
        (
            {"name": "n", "loc": {"city": "P", "zip": "1", "geo": {"lat": 1}}},
            {"name": "n", "loc": {"city": "Q", "geo": {"lat": 1, "lng": 2}}},
            {"loc": {"$set": {"city": "Q"}, "$delete": ["zip"], "geo": {"$set": {"lng": 2}}}},
        ),
        ({"loc": {"city": "P"}}, {"loc": {"city": "P"}}, {}),
        ({"loc": {"city": "P"}}, {"loc": {}}, {"loc": {"$delete": ["city"]}}),
        # a record replaced by a scalar (or the reverse) is set whole
        ({"a": {"x": 1}}, {"a": 5}, {"$set": {"a": 5}}),
        ({"a": 5}, {"a": {"x": 1}}, {"$set": {"a": {"x": 1}}}),
        (
            {"a": 1, "b": 2, "c": {"d": 1}},
            {"a": 9, "c": {"d": 2}, "e": 3},
            {"$set": {"a": 9, "e": 3}, "$delete": ["b"], "c": {"$set": {"d": 2}}},
        ),
    ],
)
def test_build_patch(original: dict[str, Any], modified: dict[str, Any], expected: Any) -> None:
    patch = build_patch(original, modified)
    assert patch == expected
    # == treats 1, 1.0 and True alike; compare the JSON text too
    assert json.dumps(patch, sort_keys=True) == json.dumps(expected, sort_keys=True)


def test_build_patch_does_not_touch_its_inputs() -> None:
    original = {"a": {"b": [1]}, "c": 1}
    modified = {"a": {"b": [2]}}
    before = (copy.deepcopy(original), copy.deepcopy(modified))
    build_patch(original, modified)
    assert (original, modified) == before


@pytest.mark.parametrize(
    ("original", "modified", "error", "pattern"),
    [
        ([1], {}, RestliUsageError, "original must be a mapping"),
        ({}, "x", RestliUsageError, "modified must be a mapping"),
        ({}, {1: "a"}, RestliEncodeError, "field names must be strings"),
        ({2: "a"}, {}, RestliEncodeError, "field names must be strings"),
        ({"a": {1: 1}}, {"a": {1: 2}}, RestliEncodeError, r"a\.1"),
    ],
)
def test_build_patch_rejects(
    original: Any, modified: Any, error: type[Exception], pattern: str
) -> None:
    with pytest.raises(error, match=pattern):
        build_patch(original, modified)


def test_build_patch_deep_nesting_is_an_encode_error() -> None:
    deep: dict[str, Any] = {}
    other: dict[str, Any] = {}
    node, node2 = deep, other
    for _ in range(5000):
        node["a"] = {}
        node2["a"] = {}
        node, node2 = node["a"], node2["a"]
    node2["x"] = 1
    with pytest.raises(RestliEncodeError, match="nested too deeply"):
        build_patch(deep, other)


records = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.text(max_size=5)
    | st.lists(st.integers(), max_size=3),
    lambda inner: st.dictionaries(st.sampled_from("abcde"), inner, max_size=4),
    max_leaves=15,
)
entities = st.dictionaries(st.sampled_from("abcdef"), records, max_size=6)


def without_none(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: without_none(v) for k, v in value.items() if v is not None}
    return value


@settings(max_examples=200, deadline=None)
@given(entities, entities)
def test_applying_the_patch_gives_the_modified_entity(
    original: dict[str, Any], modified: dict[str, Any]
) -> None:
    patch = build_patch(original, modified)
    # None means "absent"; a value under $set is sent as given, so compare without them
    result = without_none(apply_patch(without_none(original), patch))
    assert json.dumps(result, sort_keys=True) == json.dumps(without_none(modified), sort_keys=True)


@settings(max_examples=100, deadline=None)
@given(entities)
def test_no_change_is_an_empty_patch(entity: dict[str, Any]) -> None:
    assert build_patch(entity, copy.deepcopy(entity)) == {}


# --------------------------------------------------------------------------- partial_update


def test_partial_update_with_patch_tree() -> None:
    patch = build_patch({"name": "a", "notes": "x"}, {"name": "b"})
    request = builder.partial_update(
        resource_path="/adAccounts/{id}", path_keys={"id": 1}, patch=patch, access_token=TOKEN
    )
    assert request.body == b'{"patch":{"$set":{"name":"b"},"$delete":["notes"]}}'
    assert request.method == "POST"
    assert request.headers["X-RestLi-Method"] == "partial_update"


def test_partial_update_with_patch_set_object() -> None:
    request = builder.partial_update(
        resource_path="/r/{id}", path_keys={"id": 1}, patch_set_object={"a": 1}, access_token=TOKEN
    )
    assert request.body == b'{"patch":{"$set":{"a":1}}}'


def test_partial_update_with_empty_patch() -> None:
    request = builder.partial_update(
        resource_path="/r/{id}", path_keys={"id": 1}, patch={}, access_token=TOKEN
    )
    assert request.body == b'{"patch":{}}'


def test_batch_partial_update_with_patches() -> None:
    request = builder.batch_partial_update(
        resource_path="/r",
        ids=[1, {"a": "x:y"}],
        patches=[{"$delete": ["z"]}, {"loc": {"$set": {"c": 1}}}],
        access_token=TOKEN,
    )
    assert json.loads(request.body or b"") == {
        "entities": {
            "1": {"patch": {"$delete": ["z"]}},
            "(a:x%3Ay)": {"patch": {"loc": {"$set": {"c": 1}}}},
        }
    }
    assert request.url == "https://api.linkedin.com/v2/r?ids=List(1,(a:x%3Ay))"


@pytest.mark.parametrize(
    ("kwargs", "pattern"),
    [
        ({}, "exactly one of patch_set_object and patch"),
        ({"patch": {}, "patch_set_object": {}}, "exactly one of"),
        ({"patch_set_object": [1]}, "patch_set_object must be a dict"),
        ({"patch": [1]}, "patch must be a patch tree"),
        ({"patch": {"$set": [1]}}, r"patch\['\$set'\] must be a dict"),
        ({"patch": {"$delete": "a"}}, r"patch\['\$delete'\] must be a list"),
        ({"patch": {"$delete": [1]}}, r"patch\['\$delete'\] must be a list"),
        ({"patch": {"$set": {"a": 1}, "$delete": ["a"]}}, "'a' is both set and deleted"),
        ({"patch": {"$set": {"a": 1}, "a": {}}}, "'a' is both set and patched"),
        ({"patch": {"$delete": ["a"], "a": {}}}, "'a' is both deleted and patched"),
        ({"patch": {"$reorder": []}}, "unknown patch operation"),
        ({"patch": {"loc": 5}}, r"patch\['loc'\] must be a patch tree"),
        ({"patch": {"loc": {"$set": 5}}}, r"patch\['loc'\]\['\$set'\]"),
    ],
)
def test_partial_update_rejects(kwargs: dict[str, Any], pattern: str) -> None:
    with pytest.raises(RestliUsageError, match=pattern):
        builder.partial_update(
            resource_path="/r/{id}", path_keys={"id": 1}, access_token=TOKEN, **kwargs
        )


@pytest.mark.parametrize(
    ("kwargs", "pattern"),
    [
        ({"patch": {1: {}}}, "field names must be strings"),
        ({"patch_set_object": {"a": {1, 2}}}, "patch_set_object as JSON"),
    ],
)
def test_partial_update_without_rest_li_form(kwargs: dict[str, Any], pattern: str) -> None:
    with pytest.raises(RestliEncodeError, match=pattern):
        builder.partial_update(
            resource_path="/r/{id}", path_keys={"id": 1}, access_token=TOKEN, **kwargs
        )


@pytest.mark.parametrize(
    ("kwargs", "pattern"),
    [
        ({"patches": [{}], "patch_set_objects": [{}]}, "exactly one of"),
        ({"patches": [{"$set": 1}]}, r"patches\[0\]\['\$set'\]"),
        ({"patches": [{}, {}]}, "same length"),
        ({"patch_set_objects": ["x"]}, r"patch_set_objects\[0\] must be a dict"),
        ({"patches": {"a": {}}}, "patches must be a list"),
    ],
)
def test_batch_partial_update_rejects(kwargs: dict[str, Any], pattern: str) -> None:
    with pytest.raises(RestliUsageError, match=pattern):
        builder.batch_partial_update(resource_path="/r", ids=[1], access_token=TOKEN, **kwargs)


def test_deeply_nested_patch_tree_is_an_encode_error() -> None:
    tree: dict[str, Any] = {}
    node = tree
    for _ in range(5000):
        node["a"] = {}
        node = node["a"]
    with pytest.raises(RestliEncodeError, match="nested too deeply"):
        builder.partial_update(resource_path="/r", patch=tree, access_token=TOKEN)
