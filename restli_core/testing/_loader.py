"""Resources described as data (``restli serve --resources FILE``): :func:`load_resources`."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

from .._errors import RestliError, RestliUsageError
from .._wire import RestliMethod
from ._http import bad_request
from ._resources import Call, Collection, SimpleResource, clone
from ._seed import search_filter, text_of

if TYPE_CHECKING:
    from ._server import RestliServer

__all__ = ["load_resources"]

_COLLECTION_FIELDS = frozenset(
    {"path", "key", "key_type", "entities", "required", "methods", "upsert", "finders", "actions"}
)
_SIMPLE_FIELDS = frozenset({"path", "entity", "methods", "actions"})
_FIXED_FIELDS = ("key", "key_type", "methods", "required")
_KEY_TYPES: dict[str, type] = {"int": int, "str": str}


class _Bad(Exception):
    """A mistake in the description, with where it is."""


def load_resources(server: RestliServer, data: Any) -> list[Collection | SimpleResource]:
    """Serve the resources described by ``data`` on ``server``.

    The schema (a JSON object; every field but ``path`` is optional)::

        {
          "resources": [
            {
              "path": "/widgets",                  # served under /v2 and /rest
              "key": "id",                         # or ["account", "user"] (compound)
              "key_type": "int",                   # "int" | "str" | {"field": "str"}
              "entities": [{"id": 1, "name": "a", "color": "red"}],
              "required": ["name"],                # create/update without them: 422
              "methods": ["get", "batch_get", "get_all", "finder", "create"],
              "upsert": false,                     # PUT on a missing key creates it
              "finders": {
                "byColor": {"params": ["color"]},  # ?q=byColor&color=red
                "search": {"search": ["name", "color"], "booleans": ["test"]}
              },
              "actions": {"spin": {"value": {"spun": true}}, "echo": {"echo": true}}
            },
            {"path": "/settings", "entity": {"lang": "en"}},   # a simple resource
            {"path": "/adAccounts", "entities": [{"id": 900, "name": "Mine",
                                                  "type": "BUSINESS", "status": "ACTIVE"}]}
          ]
        }

    * A resource with ``entity`` (an object, or ``null``) is a simple resource (GET,
      UPDATE, PARTIAL_UPDATE, DELETE, actions; ``methods`` narrows them).
    * A ``path`` the server already serves (a seed resource, or one loaded before) gets
      the ``entities`` added (replacing any with the same key), and its ``finders`` and
      ``actions`` (and ``upsert``, or a simple resource's ``entity``, replaced);
      ``key``, ``key_type``, ``methods`` and ``required`` cannot change.
    * ``key_type`` is inferred when absent: ``int`` when every key value is an int.
    * A finder with ``params`` filters on entity fields of the same name (or a mapping
      ``{"param": "field"}``): each parameter present in the query must equal the field
      (text comparison; a ``List(...)`` value matches any of its items). A finder with
      ``search`` reads LinkedIn's criteria record, ``search=(name:(values:List(a,b)),
      test:true)``: those fields take ``(values:List(...))``, ``booleans`` take
      ``true``/``false``; ``param`` renames ``search``. Either pages by
      ``start``/``count`` (with ``total``); ``"cursor": true`` also allows
      ``pageSize``/``pageToken``.
    * An action answers a fixed ``value`` (``null``: a void action), or with ``"echo":
      true`` its parameters.

    Nothing is changed unless the whole description is valid.

    Args:
        server: the server to add them to.
        data: the decoded JSON: ``{"resources": [...]}``.

    Returns:
        The resources added or extended, in order.

    Raises:
        RestliUsageError: naming the faulty place (``resources[1].finders.byName``).
    """
    if not isinstance(data, Mapping) or set(data) != {"resources"}:
        raise RestliUsageError('a resources description is {"resources": [...]}')
    specs = data["resources"]
    if not isinstance(specs, list):
        raise RestliUsageError('"resources" must be a list of resource descriptions')
    steps: list[Callable[[], Collection | SimpleResource]] = []
    planned: dict[str, Collection | SimpleResource | None] = {}
    for index, spec in enumerate(specs):
        where = f"resources[{index}]"
        try:
            steps.append(_plan(server, spec, where, planned))
        except _Bad as exc:
            raise RestliUsageError(f"{where}{exc}") from None
        except RestliError as exc:  # a path, key or entity the resources refused
            raise RestliUsageError(f"{where}: {exc}") from None
    return [step() for step in steps]


def _plan(
    server: RestliServer,
    spec: Any,
    where: str,
    planned: dict[str, Collection | SimpleResource | None],
) -> Callable[[], Collection | SimpleResource]:
    """Check one description and return what applies it (building it already, unserved)."""
    if not isinstance(spec, Mapping):
        raise _Bad(": a resource description is an object")
    path = spec.get("path")
    if not isinstance(path, str):
        raise _Bad('.path: a resource path such as "/widgets" is required')
    # A path served already, or described earlier in the same file, is extended.
    existing = planned[path] if path in planned else server.resources.get(path)
    if existing is not None:
        return _plan_extension(server, existing, spec)
    if "entity" in spec:
        simple = _simple(spec)
        planned[path] = simple
        return lambda: _serve(server, simple)
    collection = _collection(spec)
    planned[path] = collection
    return lambda: _serve(server, collection)


def _serve(server: RestliServer, resource: Collection | SimpleResource) -> Any:
    with server._lock:
        server.resources[resource.path] = resource
    return resource


def _check_fields(spec: Mapping[str, Any], allowed: frozenset[str]) -> None:
    unknown = sorted(set(spec) - allowed)
    if unknown:
        raise _Bad(f": unknown field(s) {', '.join(map(repr, unknown))}")


def _simple(spec: Mapping[str, Any]) -> SimpleResource:
    _check_fields(spec, _SIMPLE_FIELDS)
    entity = spec["entity"]
    if entity is not None and not isinstance(entity, Mapping):
        raise _Bad(".entity: an object, or null")
    resource = SimpleResource(spec["path"], entity, methods=_methods(spec))
    for name, action in _actions(spec).items():
        resource.add_action(name, action)
    return resource


def _collection(spec: Mapping[str, Any]) -> Collection:
    _check_fields(spec, _COLLECTION_FIELDS)
    key = spec.get("key", "id")
    if not (
        isinstance(key, str)
        or (isinstance(key, list) and key and all(isinstance(k, str) for k in key))
    ):
        raise _Bad('.key: a field name, or a list of them for a compound key ("id")')
    required = spec.get("required", [])
    if not isinstance(required, list) or not all(isinstance(f, str) for f in required):
        raise _Bad(".required: a list of field names")
    upsert = spec.get("upsert", False)
    if not isinstance(upsert, bool):
        raise _Bad(".upsert: true or false")
    collection = Collection(
        spec["path"],
        _entities(spec),
        key=key,
        key_type=_key_type(spec.get("key_type")),
        methods=_methods(spec),
        required=required,
        upsert=upsert,
    )
    _add_finders(collection, spec)
    for name, action in _actions(spec).items():
        collection.add_action(name, action)
    return collection


def _plan_extension(
    server: RestliServer, resource: Collection | SimpleResource, spec: Mapping[str, Any]
) -> Callable[[], Collection | SimpleResource]:
    fixed = [f for f in _FIXED_FIELDS if f in spec]
    if fixed:
        raise _Bad(
            f": {resource.path} is already served (or described above); "
            f"{', '.join(fixed)} cannot change "
            "(only entities, finders and actions can be added)"
        )
    actions = _actions(spec)
    if isinstance(resource, SimpleResource):
        _check_fields(spec, frozenset({"path", "entity", "actions"}))
        entity = spec.get("entity", resource.entity)
        if entity is not None and not isinstance(entity, Mapping):
            raise _Bad(".entity: an object, or null")

        def extend_simple() -> SimpleResource:
            with server._lock:
                if "entity" in spec:
                    resource.entity = clone(dict(entity)) if entity is not None else None
                resource.actions.update(actions)
            return resource

        return extend_simple
    _check_fields(spec, frozenset({"path", "entities", "upsert", "finders", "actions"}))
    entities = _entities(spec)
    # Check every entity's key now, on a scratch copy, so that a bad one changes nothing.
    scratch = Collection(
        resource.path, (), key=resource.key_fields, key_type=dict(resource.key_types)
    )
    for number, entity in enumerate(entities):
        try:
            scratch.put(entity)
        except RestliError as exc:
            raise _Bad(f".entities[{number}]: {exc}") from None
    _add_finders(scratch, spec)
    upsert = spec.get("upsert")
    if upsert is not None and not isinstance(upsert, bool):
        raise _Bad(".upsert: true or false")

    def extend() -> Collection:
        with server._lock:
            for entity in entities:
                resource.put(entity)
            resource.finders.update(scratch.finders)
            resource.actions.update(actions)
            if upsert is not None:
                resource.upsert = upsert
        return resource

    return extend


def _entities(spec: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    entities = spec.get("entities", [])
    if not isinstance(entities, list) or not all(isinstance(e, Mapping) for e in entities):
        raise _Bad(".entities: a list of objects")
    return entities


def _key_type(value: Any) -> type | dict[str, type] | None:
    if value is None:
        return None
    if isinstance(value, str) and value in _KEY_TYPES:
        return _KEY_TYPES[value]
    if isinstance(value, Mapping) and all(v in _KEY_TYPES for v in value.values()):
        return {field: _KEY_TYPES[kind] for field, kind in value.items()}
    raise _Bad('.key_type: "int", "str", or an object of them per key field')


def _methods(spec: Mapping[str, Any]) -> list[RestliMethod] | None:
    methods = spec.get("methods")
    if methods is None:
        return None
    if not isinstance(methods, list):
        raise _Bad('.methods: a list of Rest.li method names ("get", "batch_get", ...)')
    out = []
    for name in methods:
        try:
            out.append(RestliMethod(str(name).lower()))
        except ValueError:
            known = ", ".join(m.wire_name for m in RestliMethod)
            raise _Bad(f".methods: unknown method {name!r} (known: {known})") from None
    return out


def _actions(spec: Mapping[str, Any]) -> dict[str, Callable[[Call], Any]]:
    actions = spec.get("actions", {})
    if not isinstance(actions, Mapping):
        raise _Bad('.actions: an object of action name -> {"value": ...} or {"echo": true}')
    out: dict[str, Callable[[Call], Any]] = {}
    for name, action in actions.items():
        if not isinstance(action, Mapping) or not (
            set(action) == {"value"} or (set(action) == {"echo"} and action["echo"] is True)
        ):
            raise _Bad(f'.actions.{name}: {{"value": <JSON>}} or {{"echo": true}}')
        if "echo" in action:
            out[name] = _echo
        else:
            out[name] = _constant(action["value"])
    return out


def _echo(call: Call) -> Any:
    return call.body


def _constant(value: Any) -> Callable[[Call], Any]:
    def answer(call: Call) -> Any:
        return clone(value)

    return answer


def _add_finders(collection: Collection, spec: Mapping[str, Any]) -> None:
    finders = spec.get("finders", {})
    if not isinstance(finders, Mapping):
        raise _Bad(".finders: an object of finder name -> description")
    for name, finder in finders.items():
        where = f".finders.{name}"
        if not isinstance(finder, Mapping):
            raise _Bad(f"{where}: an object")
        cursor = finder.get("cursor", False)
        if not isinstance(cursor, bool):
            raise _Bad(f"{where}.cursor: true or false")
        kinds = {"params", "search"} & set(finder)
        if len(kinds) != 1:
            raise _Bad(f'{where}: give either "params" or "search"')
        if "params" in finder:
            _check_fields(finder, frozenset({"params", "cursor"}))
            collection.add_finder(name, _params_finder(finder["params"], where), cursor=cursor)
            continue
        _check_fields(finder, frozenset({"search", "booleans", "param", "cursor"}))
        values = finder["search"]
        booleans = finder.get("booleans", [])
        param = finder.get("param", "search")
        if not _names(values) or not _names(booleans) or not isinstance(param, str):
            raise _Bad(f"{where}: search and booleans are lists of field names, param a name")
        collection.add_finder(name, search_filter(values, booleans, param), cursor=cursor)


def _names(value: Any) -> bool:
    return isinstance(value, list) and all(isinstance(v, str) and v for v in value)


def _params_finder(params: Any, where: str) -> Callable[[Call], list[Any]]:
    if _names(params):
        fields: dict[str, str] = {p: p for p in params}
    elif isinstance(params, Mapping) and all(
        isinstance(k, str) and isinstance(v, str) for k, v in params.items()
    ):
        fields = dict(params)
    else:
        raise _Bad(f'{where}.params: a list of parameter names, or {{"param": "field"}}')

    def finder(call: Call) -> list[Any]:
        tests: list[tuple[str, frozenset[str]]] = []
        for param, field in fields.items():
            if param not in call.params:
                continue
            value = call.params[param]
            wanted = value if isinstance(value, list) else [value]
            if not all(isinstance(v, str) for v in wanted):
                raise bad_request(f"{param} must be a value or List(...) of values", field=param)
            tests.append((field, frozenset(wanted)))
        assert isinstance(call.resource, Collection)
        return [
            e
            for e in call.resource.values()
            if all(text_of(e.get(field)) in allowed for field, allowed in tests)
        ]

    return finder
