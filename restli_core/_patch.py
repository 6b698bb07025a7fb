"""Rest.li partial-update patches (PROTOCOL.md §4, PARTIAL_UPDATE).

A Rest.li patch is a tree that mirrors the record it changes (reference:
``PatchTree`` / ``PatchGenerator`` in linkedin/rest.li)::

    {"$set": {"name": "New"},            # fields given a new value
     "$delete": ["notes"],               # fields removed
     "location": {"$set": {"city": "X"}}}  # a nested record, patched in place

The request body wraps the tree as ``{"patch": <tree>}``. Lists are not patched
element by element: a changed list is set whole, as Rest.li does.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ._errors import RestliEncodeError, RestliUsageError

__all__ = ["build_patch", "check_patch"]

SET = "$set"
DELETE = "$delete"


def build_patch(original: Mapping[str, Any], modified: Mapping[str, Any]) -> dict[str, Any]:
    """Diff two versions of an entity into a Rest.li patch tree.

    Fields added or changed go under ``$set``; fields removed are listed under
    ``$delete``; a nested record (a dict on both sides) becomes a sub-patch under its
    field name; any other change (including a changed list) sets the new value
    whole. A field whose value is ``None`` counts as absent (Rest.li has no null
    fields). Values are compared as JSON compares them, so ``1`` and ``True`` or
    ``1`` and ``1.0`` differ.

    The result shares the values of ``modified``; it copies nothing (a value under
    ``$set`` goes out as given).
    Pass it as ``patch=`` to ``RequestBuilder.partial_update``, which sends
    ``{"patch": <tree>}``.

    >>> build_patch({"name": "a", "notes": "x", "loc": {"city": "P", "zip": "1"}},
    ...             {"name": "b", "loc": {"city": "Q", "zip": "1"}})
    {'$set': {'name': 'b'}, '$delete': ['notes'], 'loc': {'$set': {'city': 'Q'}}}

    Args:
        original: the entity as it is now.
        modified: the entity as it should become.

    Returns:
        The patch tree; ``{}`` when nothing changed.

    Raises:
        RestliUsageError: if an argument is not a mapping.
        RestliEncodeError: if a key is not a string, or the records nest too deeply.
    """
    for name, value in (("original", original), ("modified", modified)):
        if not isinstance(value, Mapping):
            raise RestliUsageError(
                f"build_patch: {name} must be a mapping (a record), not {type(value).__name__}"
            )
    try:
        return _diff(original, modified, "")
    except RecursionError:
        raise RestliEncodeError("build_patch: the records are nested too deeply") from None


def _diff(old: Mapping[Any, Any], new: Mapping[Any, Any], where: str) -> dict[str, Any]:
    to_set: dict[str, Any] = {}
    to_delete: list[str] = []
    nested: dict[str, Any] = {}
    for key, value in old.items():
        if value is not None and new.get(key) is None:
            to_delete.append(_field(key, where))
    for key, value in new.items():
        if value is None:
            continue
        before = old.get(key)
        if before is None:
            to_set[_field(key, where)] = value
        elif isinstance(before, Mapping) and isinstance(value, Mapping):
            sub = _diff(before, value, f"{where}{key}.")
            if sub:
                nested[_field(key, where)] = sub
        elif not _same(before, value):
            to_set[_field(key, where)] = value
    patch: dict[str, Any] = {}
    if to_set:
        patch[SET] = to_set
    if to_delete:
        patch[DELETE] = to_delete
    patch.update(nested)
    return patch


def _field(key: Any, where: str) -> str:
    if not isinstance(key, str):
        raise RestliEncodeError(
            f"build_patch: field names must be strings, not {type(key).__name__} ({where}{key!r})"
        )
    return key


def _same(a: Any, b: Any) -> bool:
    """Equality as JSON sees it: ``1``, ``1.0`` and ``True`` are three values."""
    if isinstance(a, Mapping) and isinstance(b, Mapping):
        return a.keys() == b.keys() and all(_same(v, b[k]) for k, v in a.items())
    if isinstance(a, (list, tuple)) and isinstance(b, (list, tuple)):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b, strict=True))
    return type(a) is type(b) and bool(a == b)


def check_patch(patch: Any, where: str) -> None:
    """Check that ``patch`` is a well-formed patch tree; raise naming ``where`` if not.

    Rules (``PatchTree`` in linkedin/rest.li): ``$set`` holds a record of new values,
    ``$delete`` a list of field names, every other key names a field whose value is
    a sub-patch; a field may not be both set and deleted, nor set and patched.

    Raises:
        RestliUsageError: naming the problem and where it is.
        RestliEncodeError: a field name that is not a string.
    """
    if not isinstance(patch, Mapping):
        raise RestliUsageError(
            f"{where} must be a patch tree (a dict such as build_patch returns), "
            f"not {type(patch).__name__}"
        )
    to_set = patch.get(SET)
    if to_set is not None and not isinstance(to_set, Mapping):
        raise RestliUsageError(f"{where}[{SET!r}] must be a dict of field values")
    to_delete = patch.get(DELETE)
    if to_delete is not None and (
        not isinstance(to_delete, (list, tuple))
        or not all(isinstance(name, str) for name in to_delete)
    ):
        raise RestliUsageError(f"{where}[{DELETE!r}] must be a list of field names")
    set_names = set(to_set) if to_set else set()
    deleted = set(to_delete) if to_delete else set()
    both = deleted & set_names
    if both:
        raise RestliUsageError(f"{where}: field {min(both)!r} is both set and deleted")
    for key, sub in patch.items():
        if key in (SET, DELETE):
            continue
        if not isinstance(key, str):
            raise RestliEncodeError(
                f"{where}: field names must be strings, not {type(key).__name__}"
            )
        if key.startswith("$"):
            raise RestliUsageError(
                f"{where}: unknown patch operation {key!r} (use '$set' or '$delete')"
            )
        if key in set_names or key in deleted:
            verb = "set" if key in set_names else "deleted"
            raise RestliUsageError(f"{where}: field {key!r} is both {verb} and patched")
        check_patch(sub, f"{where}[{key!r}]")
