"""In-memory Rest.li resources: collections (simple, URN or compound keys) and simple resources.

A Rest.li server types the keys it reads from the schema, since the URL only carries
text (PROTOCOL.md §3). Here a collection knows its key fields and their types (int
or str), turns decoded text into a canonical key, and prints keys back the way
``URIParamUtils.encodeKeyForBody`` does: a simple key raw, a compound key in the
reduced form.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from typing import TYPE_CHECKING, Any, Union

import attrs

from .._codec import encode_path, reduced_decode, reduced_encode
from .._errors import RestliDecodeError, RestliEncodeError
from .._messages import Request
from .._wire import RestliMethod
from ._http import RestliServiceError, bad_request, show

if TYPE_CHECKING:
    from ._server import RestliServer

__all__ = [
    "ALL_METHODS",
    "Action",
    "BatchFinder",
    "Call",
    "Collection",
    "Finder",
    "Page",
    "SimpleResource",
    "apply_patch",
    "clone",
]

Key = Union[int, str, tuple[Union[int, str], ...]]
Entity = dict[str, Any]

ALL_METHODS: frozenset[RestliMethod] = frozenset(RestliMethod)
_INT_TEXT = frozenset("0123456789")


@attrs.frozen
class Page:
    """What a finder returns when it pages by itself (otherwise it returns a list).

    Attributes:
        elements: the entities of this page.
        paging: the ``paging`` object to answer (``None`` leaves it out).
        metadata: the ``metadata`` object to answer (``None`` leaves it out).
    """

    elements: Sequence[Mapping[str, Any]]
    paging: Mapping[str, Any] | None = None
    metadata: Mapping[str, Any] | None = None


@attrs.frozen
class Call:
    """What a finder, batch finder or action is called with.

    Attributes:
        server: the server answering.
        resource: the collection or simple resource the request addressed.
        request: the request as it arrived (before un-tunneling).
        params: the decoded query parameters, without the reserved ones (``q``,
            ``bq``, ``action``, ``ids``, ``start``, ``count``, ``pageSize``,
            ``pageToken`` and the projections). Values are strings, lists and dicts.
        key: the entity key for an action on ``/r/{key}`` (an int, a str or a
            dict of key parts), else ``None``.
        body: the decoded JSON body (the action parameters), else ``None``.
        version: the ``LinkedIn-Version`` the request carried, if any.
    """

    server: RestliServer
    resource: Collection | SimpleResource
    request: Request
    params: Mapping[str, Any]
    key: Any = None
    body: Any = None
    version: str | None = None


FinderResult = Union[Iterable[Mapping[str, Any]], Page]
Finder = Callable[[Call], FinderResult]
BatchFinder = Callable[[Call, Any], FinderResult]
Action = Callable[[Call], Any]


@attrs.frozen
class _FinderSpec:
    function: Finder
    cursor: bool


@attrs.frozen
class _BatchFinderSpec:
    function: BatchFinder
    criteria_param: str


class _Resource:
    """What collections and simple resources share: a path, methods and actions."""

    path: str
    methods: frozenset[RestliMethod]
    actions: dict[str, Action]
    required: tuple[str, ...]

    def add_action(self, name: str, function: Action) -> None:
        """Serve ``POST <path>?action=<name>`` with ``function``.

        ``function(call)`` gets the parameters (the JSON body) as ``call.body`` and
        returns the action's value, answered as ``{"value": ...}``; returning
        ``None`` makes a void action (200, empty body). It may raise
        :class:`RestliServiceError` to answer with an error.
        """
        self.actions[name] = function

    def missing_required(self, entity: Mapping[str, Any]) -> list[str]:
        """The required fields ``entity`` lacks."""
        return [field for field in self.required if field not in entity]


def _methods(methods: Iterable[RestliMethod | str] | None) -> frozenset[RestliMethod]:
    if methods is None:
        return ALL_METHODS
    out = set()
    for method in methods:
        if isinstance(method, RestliMethod):
            out.add(method)
            continue
        try:
            out.add(RestliMethod(str(method).lower()))
        except ValueError:
            raise RestliEncodeError(f"unknown Rest.li method {method!r}") from None
    return frozenset(out)


def _check_path(path: str) -> str:
    if not isinstance(path, str) or not path.startswith("/") or path.endswith("/"):
        raise RestliEncodeError(
            f"a resource path starts with '/' and does not end with one, not {path!r}"
        )
    if any(not seg for seg in path[1:].split("/")) or any(c in path for c in "?#{}"):
        raise RestliEncodeError(f"a resource path is plain segments like '/widgets', not {path!r}")
    return path


class SimpleResource(_Resource):
    """A Rest.li simple resource: one entity at a fixed path (like ``/me``).

    It answers GET, UPDATE (PUT), PARTIAL_UPDATE (POST), DELETE and actions, as its
    ``methods`` allow.
    """

    def __init__(
        self,
        path: str,
        entity: Mapping[str, Any] | None,
        *,
        methods: Iterable[RestliMethod | str] | None = None,
    ) -> None:
        self.path = _check_path(path)
        self.entity: Entity | None = clone(dict(entity)) if entity is not None else None
        self.methods = _methods(
            methods
            if methods is not None
            else (
                RestliMethod.GET,
                RestliMethod.UPDATE,
                RestliMethod.PARTIAL_UPDATE,
                RestliMethod.DELETE,
                RestliMethod.ACTION,
            )
        )
        self.actions: dict[str, Action] = {}
        self.required = ()

    def __repr__(self) -> str:
        return f"SimpleResource({self.path!r})"


class Collection(_Resource):
    """A Rest.li collection held in memory, keyed by one field or by several.

    Entities are plain dicts that hold their own key fields (``{"id": 1, ...}``, or
    ``{"account": "urn:li:sponsoredAccount:1", "user": "urn:li:person:abc", ...}``
    for a compound key). Build one with :meth:`RestliServer.add_collection`.

    Attributes:
        path: the resource path, e.g. ``/adAccounts``.
        key_fields: the entity fields that form the key (one for a simple key).
        key_types: ``int`` or ``str`` for each key field.
        methods: the Rest.li methods the collection answers (others get a 400).
        required: fields a created or replaced entity must have (else 422).
        upsert: an UPDATE (PUT) of a key that does not exist creates the entity
            (answered 201) instead of a 404, as LinkedIn's association resources
            (``/adAccountUsers``, ``/campaignConversions``) do.
        key_factory: how a created entity without its key field gets one, from a
            serial number (1, 2, ...): ``lambda n: f"urn:li:share:{n}"``. An int
            key needs none (the next free id is used).
        on_delete: what DELETE does to a stored entity: ``None`` removes it;
            otherwise ``on_delete(copy)`` returns the entity to keep instead (a soft
            delete), or ``None`` to remove it.
    """

    def __init__(
        self,
        path: str,
        entities: Iterable[Mapping[str, Any]] = (),
        *,
        key: str | Sequence[str] = "id",
        key_type: type | Mapping[str, type] | None = None,
        methods: Iterable[RestliMethod | str] | None = None,
        required: Iterable[str] = (),
        upsert: bool = False,
        key_factory: Callable[[int], int | str] | None = None,
        on_delete: Callable[[Entity], Entity | None] | None = None,
    ) -> None:
        self.path = _check_path(path)
        fields = (key,) if isinstance(key, str) else tuple(key)
        if not fields or not all(isinstance(f, str) and f for f in fields):
            raise RestliEncodeError(f"key must be a field name or a sequence of them, not {key!r}")
        if len(set(fields)) != len(fields):
            raise RestliEncodeError(f"key fields repeat: {fields!r}")
        self.key_fields: tuple[str, ...] = fields
        self.compound = len(fields) > 1
        entity_list = [dict(e) for e in entities]
        self.key_types: dict[str, type] = {}
        for field in fields:
            chosen = key_type.get(field) if isinstance(key_type, Mapping) else key_type
            if chosen is None:
                values = [e.get(field) for e in entity_list]
                is_int = all(type(v) is int for v in values)
                chosen = int if is_int and (values or field == "id") else str
            if chosen not in (int, str):
                raise RestliEncodeError(f"key types are int or str, not {chosen!r}")
            self.key_types[field] = chosen
        self.methods = _methods(methods)
        self.required = tuple(required)
        self.upsert = upsert
        self.key_factory = key_factory
        self.on_delete = on_delete
        self._serial = 0
        self.actions = {}
        self.finders: dict[str, _FinderSpec] = {}
        self.batch_finders: dict[str, _BatchFinderSpec] = {}
        self._entities: dict[Key, Entity] = {}
        self._next_id = 1
        for entity in entity_list:
            self.put(entity)

    def __repr__(self) -> str:
        return f"Collection({self.path!r}, {len(self._entities)} entities, key={self.key_fields!r})"

    # ------------------------------------------------------------------ registration

    def add_finder(self, name: str, function: Finder, *, cursor: bool = False) -> None:
        """Serve ``GET <path>?q=<name>`` with ``function``.

        ``function(call)`` returns the matching entities (the server pages them by
        ``start``/``count`` and answers ``total``), or a :class:`Page` it built
        itself. With ``cursor=True`` a request carrying ``pageSize`` (and
        ``pageToken`` after the first page) is paged by cursor instead: the answer
        has ``metadata.nextPageToken`` until the last page.
        """
        self.finders[name] = _FinderSpec(function, cursor)

    def add_batch_finder(self, name: str, function: BatchFinder, *, criteria_param: str) -> None:
        """Serve ``GET <path>?bq=<name>&<criteria_param>=List(...)`` with ``function``.

        ``function(call, criteria)`` is called once per criteria (a decoded dict)
        and returns its entities (paged by ``start``/``count``) or a :class:`Page`;
        raising :class:`RestliServiceError` fails only that criteria.
        """
        self.batch_finders[name] = _BatchFinderSpec(function, criteria_param)

    # ------------------------------------------------------------------ entities

    def __len__(self) -> int:
        return len(self._entities)

    def __iter__(self) -> Iterator[Entity]:
        return iter(self.values())

    def values(self) -> list[Entity]:
        """The entities, in insertion order (the stored dicts: do not mutate them)."""
        return list(self._entities.values())

    def put(self, entity: Mapping[str, Any]) -> Any:
        """Store ``entity`` (a copy), replacing any with the same key.

        A simple int-keyed entity without its key field gets the next free id.
        Returns the key (an int or str, or a dict for a compound key).

        Raises:
            RestliEncodeError: when the key fields are missing or of the wrong type.
        """
        stored: Entity = clone(dict(entity))
        if not self.compound and self.key_fields[0] not in stored:
            if self.key_types[self.key_fields[0]] is not int:
                raise RestliEncodeError(
                    f"{self.path}: entity has no key field {self.key_fields[0]!r}"
                )
            stored[self.key_fields[0]] = self._next_id
        try:
            key = self.key_of(stored)
        except RestliServiceError as exc:
            raise RestliEncodeError(f"{self.path}: {exc.message}") from None
        self._store(key, stored)
        return self.key_value(key)

    def get(self, key: Any) -> Entity | None:
        """The entity with ``key`` (an int/str, or a dict for a compound key), or None."""
        try:
            canonical = self.key_from_value(key)
        except RestliServiceError:
            return None
        return self._entities.get(canonical)

    def _store(self, key: Key, entity: Entity) -> None:
        self._entities[key] = entity
        if isinstance(key, int) and key >= self._next_id:
            self._next_id = key + 1

    def _lookup(self, key: Key) -> Entity | None:
        return self._entities.get(key)

    def _new_id(self) -> int:
        value = self._next_id
        self._next_id += 1
        return value

    def new_key(self) -> Key | None:
        """A fresh key for a created entity that lacks one, or ``None`` when none can be made.

        An int key is the next free id; otherwise :attr:`key_factory` makes one from
        the next serial number (skipping any already taken).
        """
        if self.compound:
            return None
        if self.key_factory is None:
            return self._new_id() if self.key_types[self.key_fields[0]] is int else None
        while True:
            self._serial += 1
            key = self.key_from_value(self.key_factory(self._serial), "generated key")
            if key not in self._entities:
                return key

    def remove(self, key: Key) -> bool:
        """DELETE the entity at ``key`` (see :attr:`on_delete`); ``False`` when there is none."""
        entity = self._entities.get(key)
        if entity is None:
            return False
        kept = self.on_delete(clone(entity)) if self.on_delete is not None else None
        if kept is None:
            del self._entities[key]
        else:
            self._entities[key] = self.set_key(kept, key)
        return True

    # ------------------------------------------------------------------ keys

    def _leaf(self, field: str, value: Any, where: str) -> int | str:
        kind = self.key_types[field]
        if kind is int:
            if type(value) is int:
                return value
            if isinstance(value, str) and value and _is_int_text(value):
                return int(value)
            raise bad_request(f"{where}: {show(value)} is not a valid integer key", field=field)
        if isinstance(value, str):
            return value
        raise bad_request(f"{where}: {show(value)} is not a valid string key", field=field)

    def key_from_value(self, value: Any, where: str = "key") -> Key:
        """The canonical key for a decoded Rest.li value (or a Python key value).

        Raises:
            RestliServiceError: 400 when the value does not fit the key's type.
        """
        if not self.compound:
            if isinstance(value, (dict, list)):
                raise bad_request(f"{where}: {self.path} has simple keys, not {show(value)}")
            return self._leaf(self.key_fields[0], value, where)
        if not isinstance(value, Mapping):
            raise bad_request(
                f"{where}: {self.path} has compound keys "
                f"({', '.join(self.key_fields)}), not {show(value)}"
            )
        missing = [f for f in self.key_fields if f not in value]
        extra = [f for f in value if f not in self.key_types]
        if missing or extra:
            raise bad_request(
                f"{where}: compound key of {self.path} needs exactly the parts "
                f"{', '.join(self.key_fields)}"
                + (f"; missing {', '.join(missing)}" if missing else "")
                + (f"; unknown {', '.join(map(str, extra))}" if extra else "")
            )
        return tuple(self._leaf(f, value[f], f"{where}.{f}") for f in self.key_fields)

    def key_from_body(self, text: str) -> Key:
        """The canonical key for a batch body map key.

        Rest.li writes a simple key raw and a compound key in the reduced form
        (``URIParamUtils.encodeKeyForBody``), so only the latter is decoded.
        """
        if not self.compound:
            return self._leaf(self.key_fields[0], text, f"body key {text!r}")
        try:
            value = reduced_decode(text)
        except RestliDecodeError as exc:
            raise bad_request(
                f"body key {text[:80]!r} is not a valid compound key: {exc}"
            ) from None
        return self.key_from_value(value, f"body key {text[:80]!r}")

    def key_of(self, entity: Mapping[str, Any]) -> Key:
        """The canonical key held in an entity's key fields.

        Raises:
            RestliServiceError: 422 when a key field is missing or of the wrong type.
        """
        parts: list[int | str] = []
        for field in self.key_fields:
            if field not in entity:
                raise _invalid(field, f"the key field {field!r} is missing")
            value = entity[field]
            kind = self.key_types[field]
            wrong_int = kind is int and type(value) is not int
            if wrong_int or (kind is str and not isinstance(value, str)):
                raise _invalid(field, f"the key field {field!r} must be a {kind.__name__}")
            parts.append(value)
        return tuple(parts) if self.compound else parts[0]

    def key_value(self, key: Key) -> Any:
        """The key as a Python value: the int/str, or a dict of parts."""
        if isinstance(key, tuple):
            return dict(zip(self.key_fields, key, strict=True))
        return key

    def wire(self, key: Key) -> str:
        """The key as it appears in headers and body maps (``encodeKeyForBody``)."""
        if isinstance(key, tuple):
            return reduced_encode(self.key_value(key))
        return str(key)

    def path_text(self, key: Key) -> str:
        """The key as a path segment (``encodeKeyForUri``)."""
        return encode_path(self.key_value(key))

    def set_key(self, entity: Entity, key: Key) -> Entity:
        """``entity`` with its key fields set from ``key``."""
        parts = key if isinstance(key, tuple) else (key,)
        for field, part in zip(self.key_fields, parts, strict=True):
            entity[field] = part
        return entity


def clone(value: Any) -> Any:
    """A deep copy of JSON-like data (dicts and lists; leaves are shared).

    Much faster than ``copy.deepcopy`` on entities; JSON bodies are depth-limited
    before they get here, so the recursion is shallow.
    """
    if isinstance(value, dict):
        return {k: clone(v) for k, v in value.items()}
    if isinstance(value, list):
        return [clone(v) for v in value]
    return value


def _is_int_text(text: str) -> bool:
    digits = text[1:] if text[0] == "-" else text
    return bool(digits) and len(digits) <= 19 and set(digits) <= _INT_TEXT


def _invalid(field: str, message: str) -> RestliServiceError:
    return RestliServiceError(
        422,
        message,
        code="VALIDATION_FAILED",
        error_details={
            "inputErrors": [
                {
                    "code": "FIELD_VALUE_INVALID",
                    "description": message,
                    "input": {"inputPath": {"fieldPath": field}},
                }
            ]
        },
    )


def missing_fields_error(fields: Sequence[str]) -> RestliServiceError:
    """The 422 LinkedIn answers for an entity missing required fields."""
    message = "required field(s) missing: " + ", ".join(fields)
    return RestliServiceError(
        422,
        message,
        code="VALIDATION_FAILED",
        error_details={
            "inputErrors": [
                {
                    "code": "REQUIRED_FIELD_MISSING",
                    "description": f"{field} is required",
                    "input": {"inputPath": {"fieldPath": field}},
                }
                for field in fields
            ]
        },
    )


# --------------------------------------------------------------------------- patches

_SET = "$set"
_DELETE = "$delete"


def apply_patch(entity: Entity, patch: Any, where: str = "patch") -> Entity:
    """Apply a Rest.li patch tree to ``entity`` in place and return it.

    ``$set`` sets fields, ``$delete`` removes them, and any other field holds a
    sub-patch for the record under it (created empty when absent), as in Rest.li's
    ``PatchTree``. Other ``$`` directives are errors.

    Raises:
        RestliServiceError: 400 naming the malformed part of the patch.
    """
    # An explicit stack instead of recursion: a deep patch cannot overflow.
    stack: list[tuple[Entity, Any, str]] = [(entity, patch, where)]
    while stack:
        target, tree, path = stack.pop()
        if not isinstance(tree, dict):
            raise bad_request(f"{path} must be an object, not {type(tree).__name__}")
        for name, value in tree.items():
            if name == _SET:
                if not isinstance(value, dict):
                    raise bad_request(f"{path}.$set must be an object")
                for field, item in value.items():
                    target[field] = item
            elif name == _DELETE:
                if not isinstance(value, list) or not all(isinstance(f, str) for f in value):
                    raise bad_request(f"{path}.$delete must be a list of field names")
                for field in value:
                    target.pop(field, None)
            elif name.startswith("$"):
                raise bad_request(f"{path}: unknown patch directive {name!r}")
            else:
                child = target.get(name)
                if child is None:
                    child = target[name] = {}
                elif not isinstance(child, dict):
                    raise bad_request(f"{path}.{name}: cannot patch a field that is not a record")
                stack.append((child, value, f"{path}.{name}"))
    return entity
