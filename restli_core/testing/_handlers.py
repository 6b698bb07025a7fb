"""The Rest.li methods themselves: what each one does to a collection and answers.

:class:`Served` holds one request being answered (decoded, routed, its method
known) and has a handler per method family. The envelopes follow PROTOCOL.md §6:
collections ``{"elements", "paging", "metadata"?}``, batch maps keyed by the key's
body form, batch create ``{"elements": [...]}`` in request order, and so on.
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from .._codec import decode, reduced_encode
from .._errors import SECRET_PARAMS, RestliDecodeError, RestliEncodeError
from .._messages import Request
from .._wire import (
    CT_JSON,
    H_CONTENT_TYPE,
    H_ERROR_RESPONSE,
    H_LOCATION,
    H_RESTLI_ID,
    PROJECTION_PARAMS,
    RestliMethod,
)
from ._http import (
    Incoming,
    Mask,
    RestliServiceError,
    apply_mask,
    bad_request,
    clip,
    dump_json,
    parse_json,
    show,
)
from ._resources import (
    Call,
    Collection,
    Entity,
    Key,
    Page,
    SimpleResource,
    apply_patch,
    clone,
    missing_fields_error,
)

if TYPE_CHECKING:
    from ._server import RestliServer

__all__ = ["Answer", "Headers", "Served", "error_answer", "json_answer"]

Headers = list[tuple[str, str]]
Answer = tuple[int, Headers, bytes]

_DEFAULT_COUNT = 10  # Rest.li's default page size (RestConstants.DEFAULT_COUNT)
_RESERVED = frozenset(
    {"q", "bq", "ids", "action", "start", "count", "pageSize", "pageToken", "$returnEntity"}
    | {"projection"}
    | PROJECTION_PARAMS
)
# The envelope field a ``projection`` such as ``(elements*(id))`` names, per method.
_ENVELOPE_ITEMS = {
    RestliMethod.GET_ALL: "elements",
    RestliMethod.FINDER: "elements",
    RestliMethod.BATCH_FINDER: "elements",
    RestliMethod.BATCH_GET: "results",
}
_BATCH_METHODS = frozenset(
    {
        RestliMethod.BATCH_GET,
        RestliMethod.BATCH_UPDATE,
        RestliMethod.BATCH_PARTIAL_UPDATE,
        RestliMethod.BATCH_DELETE,
    }
)


def json_answer(status: int, value: Any, headers: Headers | None = None) -> Answer:
    out = list(headers or [])
    out.append((H_CONTENT_TYPE, CT_JSON))
    return status, out, dump_json(value)


def error_answer(error: RestliServiceError) -> Answer:
    headers: Headers = [(H_ERROR_RESPONSE, "true"), *error.headers]
    return json_answer(error.status, error.body(), headers)


def _int_param(params: Mapping[str, Any], name: str, default: int, minimum: int) -> int:
    value = params.get(name)
    if value is None:
        return default
    if (
        not isinstance(value, str)
        or not (value.isascii() and value.isdigit())
        or len(value) > 9
        or int(value) < minimum
    ):
        raise bad_request(f"{name} must be an integer >= {minimum}, not {show(value)}", field=name)
    return int(value)


def _not_found(what: str) -> RestliServiceError:
    # The key comes from the request and may be megabytes long: quote its start.
    return RestliServiceError(404, f"{clip(what)} not found")


class Served:
    """One request being served: the pieces every method handler needs."""

    def __init__(
        self,
        server: RestliServer,
        request: Request,
        incoming: Incoming,
        resource: Collection | SimpleResource,
        method: RestliMethod,
        base: str,
        version: str | None,
    ) -> None:
        self.server = server
        self.request = request
        self.incoming = incoming
        self.resource = resource
        self.method = method
        self.base = base
        self.version = version
        params = incoming.params
        self.fields: Mask | None = params.get("fields")
        # LinkedIn's v2 ``projection``: the entity's mask, or the envelope's when it
        # names the envelope's items (``(elements*(id,name),paging)``).
        self.envelope_mask: Mask | None = None
        projection: Mask | None = params.get("projection")
        if projection is not None:
            if self.fields is not None:
                raise bad_request("use either fields or projection, not both", field="projection")
            items = _ENVELOPE_ITEMS.get(method)
            if items is not None and items in projection:
                self.fields = projection[items]
                self.envelope_mask = {**projection, items: None}
            else:
                self.fields = projection
        self.return_entity = params.get("$returnEntity") == "true"

    # ------------------------------------------------------------------ helpers

    def call(self, key: Any = None, body: Any = None) -> Call:
        params = {k: v for k, v in self.incoming.params.items() if k not in _RESERVED}
        return Call(
            server=self.server,
            resource=self.resource,
            request=self.request,
            params=params,
            key=key,
            body=body,
            version=self.version,
        )

    def project(self, entity: Mapping[str, Any]) -> Any:
        # The answer is serialised at once, so sharing the stored values is safe.
        return apply_mask(entity, self.fields, self.server.decorate)

    def body_object(self, what: str = "request body") -> dict[str, Any]:
        value = parse_json(self.incoming.body, self.incoming.content_type, what)
        if not isinstance(value, dict):
            raise bad_request(f"the {what} must be a JSON object, not {type(value).__name__}")
        return value

    def location(self, collection: Collection, key: Key) -> str:
        # Rest.li's Location is the collection URI plus the key as a path segment.
        return f"{self.base}{collection.path}/{collection.path_text(key)}"

    def batch_keys(self, collection: Collection) -> tuple[list[tuple[str, Key]], dict[str, Any]]:
        """The keys of ``ids=List(...)`` (deduplicated), and per-key errors for bad ones.

        As in ``RestLiRouter.parseBatchKeysParameter``, a key that does not parse
        fails alone (a 400 in the ``errors`` map), not the whole request.
        """
        ids = self.incoming.params.get("ids")
        if not isinstance(ids, list):
            raise bad_request("ids must be a list: ids=List(k1,k2)", field="ids")
        keys: list[tuple[str, Key]] = []
        seen: set[Key] = set()
        errors: dict[str, Any] = {}
        for index, value in enumerate(ids):
            try:
                key = collection.key_from_value(value, f"ids[{index}]")
            except RestliServiceError as error:
                errors[_raw_key_text(value)] = error.body()
                continue
            if key not in seen:
                seen.add(key)
                keys.append((collection.wire(key), key))
        return keys, errors

    def key(self, collection: Collection, segment: str) -> Key:
        try:
            value = decode(segment)
        except RestliDecodeError as exc:
            raise bad_request(f"the key in the path is not valid Rest.li: {exc}") from None
        return collection.key_from_value(value, "path key")

    def page(self, result: Any) -> dict[str, Any]:
        """A collection envelope: offset paging of a list, or a finder's own :class:`Page`."""
        if isinstance(result, Page):
            out: dict[str, Any] = {"elements": [self.project(e) for e in result.elements]}
            if result.paging is not None:
                out["paging"] = dict(result.paging)
            if result.metadata is not None:
                out["metadata"] = dict(result.metadata)
            return self.mask_envelope(out)
        elements = list(result)
        params = self.incoming.params
        start = _int_param(params, "start", 0, 0)
        count = _int_param(params, "count", _DEFAULT_COUNT, 0)
        total = len(elements)
        chunk = elements[start : start + count]
        links = []
        if start + count < total and count > 0:
            links.append(self.link("next", start + count, count))
        if start > 0:
            links.append(self.link("prev", max(0, start - count), count))
        paging = {"start": start, "count": count, "total": total, "links": links}
        return self.mask_envelope({"elements": [self.project(e) for e in chunk], "paging": paging})

    def cursor_page(self, result: Any) -> dict[str, Any]:
        """Cursor paging: ``pageSize`` and ``pageToken`` in, ``metadata.nextPageToken`` out."""
        params = self.incoming.params
        if "start" in params or "count" in params:
            raise bad_request("use either start/count or pageSize/pageToken, not both")
        size = _int_param(params, "pageSize", _DEFAULT_COUNT, 1)
        token = params.get("pageToken")
        offset = _read_token(token) if token is not None else 0
        if isinstance(result, Page):
            raise bad_request("this finder does not page by cursor")
        elements = list(result)
        chunk = elements[offset : offset + size]
        metadata: dict[str, Any] = {}
        if offset + size < len(elements):
            metadata["nextPageToken"] = _make_token(offset + size)
        paging = {"start": offset, "count": size, "links": []}
        return self.mask_envelope(
            {"elements": [self.project(e) for e in chunk], "paging": paging, "metadata": metadata}
        )

    def mask_envelope(self, envelope: dict[str, Any]) -> dict[str, Any]:
        if self.envelope_mask is not None:
            envelope = apply_mask(envelope, self.envelope_mask)
        params = self.incoming.params
        if "paging" in envelope and params.get("pagingFields") is not None:
            envelope["paging"] = apply_mask(envelope["paging"], params["pagingFields"])
        if "metadata" in envelope and params.get("metadataFields") is not None:
            envelope["metadata"] = apply_mask(envelope["metadata"], params["metadataFields"])
        return envelope

    def link(self, rel: str, start: int, count: int) -> dict[str, Any]:
        # A token passed as a query parameter (oauth2_access_token) is not echoed
        # into the links: they end up in logs and in what callers keep.
        pairs = [
            (n, v)
            for n, v in self.incoming.pairs
            if n not in ("start", "count") and n.lower() not in SECRET_PARAMS
        ]
        pairs += [("count", str(count)), ("start", str(start))]
        query = "&".join(f"{n}={v}" for n, v in pairs)
        return {"rel": rel, "href": f"{self.incoming.path}?{query}", "type": CT_JSON}

    # ------------------------------------------------------------------ simple resources

    def simple(self, resource: SimpleResource) -> Answer:
        method = self.method
        if method is RestliMethod.ACTION:
            return self.action(resource, None)
        if method is RestliMethod.GET:
            if resource.entity is None:
                raise _not_found(resource.path)
            return json_answer(200, self.project(resource.entity))
        if method is RestliMethod.UPDATE:
            resource.entity = self.body_object()
            return 204, [], b""
        if method is RestliMethod.PARTIAL_UPDATE:
            if resource.entity is None:
                raise _not_found(resource.path)
            resource.entity = self.patched(resource.entity, self.body_object())
            return 204, [], b""
        resource.entity = None  # DELETE
        return 204, [], b""

    # ------------------------------------------------------------------ collections

    def collection(self, coll: Collection, segment: str | None) -> Answer:
        method = self.method
        if method is RestliMethod.ACTION:
            key = self.key(coll, segment) if segment is not None else None
            return self.action(coll, None if key is None else coll.key_value(key))
        if segment is not None:
            key = self.key(coll, segment)
            if method is RestliMethod.GET:
                entity = coll._lookup(key)
                if entity is None:
                    raise _not_found(f"{coll.path}/{coll.wire(key)}")
                return json_answer(200, self.project(entity))
            if method is RestliMethod.UPDATE:
                return self.update(coll, key)
            if method is RestliMethod.PARTIAL_UPDATE:
                return self.partial_update(coll, key)
            if not coll.remove(key):  # DELETE
                raise _not_found(f"{coll.path}/{coll.wire(key)}")
            return 204, [], b""
        if method in _BATCH_METHODS:
            return self.batch(coll)
        if method is RestliMethod.GET_ALL:
            return json_answer(200, self.page(coll.values()))
        if method is RestliMethod.FINDER:
            return self.finder(coll)
        if method is RestliMethod.BATCH_FINDER:
            return self.batch_finder(coll)
        if method is RestliMethod.CREATE:
            return self.create(coll)
        return self.batch_create(coll)

    def finder(self, coll: Collection) -> Answer:
        name = self.incoming.params["q"]
        spec = coll.finders.get(name) if isinstance(name, str) else None
        if spec is None:
            raise bad_request(f"{coll.path} has no finder named {show(name)}", field="q")
        result = spec.function(self.call())
        params = self.incoming.params
        if spec.cursor and ("pageSize" in params or "pageToken" in params):
            return json_answer(200, self.cursor_page(result))
        return json_answer(200, self.page(result))

    def batch_finder(self, coll: Collection) -> Answer:
        name = self.incoming.params["bq"]
        spec = coll.batch_finders.get(name) if isinstance(name, str) else None
        if spec is None:
            raise bad_request(f"{coll.path} has no batch finder named {show(name)}", field="bq")
        criteria_list = self.incoming.params.get(spec.criteria_param)
        if not isinstance(criteria_list, list):
            raise bad_request(
                f"batch finder {show(name)} needs {spec.criteria_param}=List((...),(...))",
                field=spec.criteria_param,
            )
        # Paging parameters apply to every criteria: a bad one fails the whole request.
        _int_param(self.incoming.params, "start", 0, 0)
        _int_param(self.incoming.params, "count", _DEFAULT_COUNT, 0)
        call = self.call()
        elements = []
        for criteria in criteria_list:
            try:
                elements.append(self.page(spec.function(call, criteria)))
            except RestliServiceError as error:
                elements.append({"elements": [], "isError": True, "error": error.body()})
        return json_answer(200, {"elements": elements})

    def action(self, resource: Collection | SimpleResource, key: Any) -> Answer:
        name = self.incoming.params["action"]
        function = resource.actions.get(name) if isinstance(name, str) else None
        if function is None:
            raise bad_request(f"{resource.path} has no action named {show(name)}", field="action")
        # An action without parameters may be sent with an empty body or with {}.
        body = self.body_object("action parameters") if self.incoming.body else {}
        value = function(self.call(key=key, body=body))
        if value is None:
            return 200, [], b""
        return json_answer(200, {"value": value})

    def validated(self, coll: Collection, entity: dict[str, Any]) -> dict[str, Any]:
        missing = coll.missing_required(entity)
        if missing:
            raise missing_fields_error(missing)
        return entity

    def new_entity(self, coll: Collection, entity: dict[str, Any]) -> Key:
        """Validate and store a created entity; its key comes from it or is assigned."""
        self.validated(coll, entity)
        fresh = None if coll.compound or coll.key_fields[0] in entity else coll.new_key()
        if fresh is not None:
            key: Key = fresh
            coll.set_key(entity, key)
        else:
            key = coll.key_of(entity)
        if coll._lookup(key) is not None:
            raise RestliServiceError(409, f"{coll.path}/{coll.wire(key)} already exists")
        coll._store(key, entity)  # a freshly parsed body: ours to keep
        return key

    def create(self, coll: Collection) -> Answer:
        entity = self.body_object()
        key = self.new_entity(coll, entity)
        headers: Headers = [
            (H_RESTLI_ID, coll.wire(key)),
            (H_LOCATION, self.location(coll, key)),
        ]
        if self.return_entity:
            stored = coll._lookup(key)
            assert stored is not None
            return json_answer(201, self.project(stored), headers)
        return 201, headers, b""

    def batch_create(self, coll: Collection) -> Answer:
        body = self.body_object()
        items = body.get("elements")
        if not isinstance(items, list):
            raise bad_request('a batch create body is {"elements": [...]}')
        results: list[dict[str, Any]] = []
        for index, item in enumerate(items):
            try:
                if not isinstance(item, dict):
                    raise bad_request(f"elements[{index}] must be a JSON object")
                key = self.new_entity(coll, item)
            except RestliServiceError as error:
                results.append({"status": error.status, "error": error.body()})
                continue
            results.append(
                {"status": 201, "id": coll.wire(key), "location": self.location(coll, key)}
            )
        return json_answer(200, {"elements": results})

    def update(self, coll: Collection, key: Key) -> Answer:
        entity = self.body_object()
        status = self.replace(coll, key, entity)
        return status, [], b""

    def replace(self, coll: Collection, key: Key, entity: dict[str, Any]) -> int:
        """Store ``entity`` at ``key`` (UPDATE): 204, or 201 when an upsert created it."""
        existed = coll._lookup(key) is not None
        if not existed and not coll.upsert:
            raise _not_found(f"{coll.path}/{coll.wire(key)}")
        coll._store(key, coll.set_key(self.validated(coll, entity), key))
        return 204 if existed else 201

    def patched(self, entity: Entity, body: dict[str, Any], where: str = "patch") -> Entity:
        if set(body) != {"patch"}:
            raise bad_request('a partial update body is {"patch": {"$set": {...}}}')
        # Patch a copy: a patch that fails half-way must change nothing.
        return apply_patch(clone(entity), body["patch"], where)

    def partial_update(self, coll: Collection, key: Key) -> Answer:
        body = self.body_object()
        entity = coll._lookup(key)
        if entity is None:
            raise _not_found(f"{coll.path}/{coll.wire(key)}")
        updated = self.patched(entity, body)
        self.check_key_kept(coll, key, updated)
        coll._store(key, updated)
        if self.return_entity:
            return json_answer(200, self.project(updated))
        return 204, [], b""

    def check_key_kept(self, coll: Collection, key: Key, entity: Entity) -> None:
        try:
            same = coll.key_of(entity) == key
        except RestliServiceError:
            same = False
        if not same:
            raise bad_request(
                "a partial update cannot change or remove the key field(s) "
                + ", ".join(coll.key_fields)
            )

    def batch(self, coll: Collection) -> Answer:
        keys, errors = self.batch_keys(coll)
        method = self.method
        if method is RestliMethod.BATCH_GET:
            results: dict[str, Any] = {}
            statuses: dict[str, int] = {}
            for wire, key in keys:
                entity = coll._lookup(key)
                if entity is None:
                    errors[wire] = _not_found(f"{coll.path}/{wire}").body()
                    statuses[wire] = 404
                else:
                    results[wire] = self.project(entity)
                    statuses[wire] = 200
            for wire, error in errors.items():
                statuses.setdefault(wire, error["status"])
            answer = {"results": results, "statuses": statuses, "errors": errors}
            if self.envelope_mask is not None:
                answer = apply_mask(answer, self.envelope_mask)
            return json_answer(200, answer)
        bodies: dict[Key, Any] = {}
        if method is not RestliMethod.BATCH_DELETE:
            bodies = self.batch_entities(coll, keys)
        updated: dict[str, Any] = {}
        for wire, key in keys:
            try:
                status = 204
                entity = coll._lookup(key)
                upsert = coll.upsert and method is RestliMethod.BATCH_UPDATE
                if entity is None and not upsert:
                    raise _not_found(f"{coll.path}/{wire}")
                if method is RestliMethod.BATCH_DELETE:
                    coll.remove(key)
                elif method is RestliMethod.BATCH_UPDATE:
                    value = bodies[key]
                    if not isinstance(value, dict):
                        raise bad_request(f"entities[{wire!r}] must be a JSON object")
                    status = self.replace(coll, key, value)
                else:
                    assert entity is not None
                    value = bodies[key]
                    if not isinstance(value, dict):
                        raise bad_request(f"entities[{wire!r}] must be a JSON object")
                    new = self.patched(entity, value, f"entities[{wire!r}].patch")
                    self.check_key_kept(coll, key, new)
                    coll._store(key, new)
            except RestliServiceError as error:
                errors[wire] = error.body()
                continue
            updated[wire] = {"status": status}
        return json_answer(200, {"results": updated, "errors": errors})

    def batch_entities(self, coll: Collection, keys: list[tuple[str, Key]]) -> dict[Key, Any]:
        """The ``entities`` map of a batch update body, keyed like ``ids``.

        Rest.li rejects a batch whose body keys differ from its ``ids``.
        """
        body = self.body_object()
        entities = body.get("entities")
        if not isinstance(entities, dict):
            raise bad_request('a batch update body is {"entities": {"<key>": {...}}}')
        out: dict[Key, Any] = {}
        for text, value in entities.items():
            out[coll.key_from_body(text)] = value
        if set(out) != {key for _, key in keys}:
            raise bad_request(
                "Batch request mismatch: the keys of the entities map must be the ids "
                f"of the request ({len(out)} body keys for {len(keys)} ids)"
            )
        return out


def _raw_key_text(value: Any) -> str:
    if isinstance(value, str):
        return value
    try:
        return reduced_encode(value)
    except RestliEncodeError:  # a decoded value always encodes; be safe anyway
        return show(value)


def _make_token(offset: int) -> str:
    return base64.urlsafe_b64encode(f"restli-cursor:{offset}".encode()).decode("ascii").rstrip("=")


def _read_token(token: Any) -> int:
    if isinstance(token, str) and len(token) < 100:
        try:
            text = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)).decode("ascii")
        except (binascii.Error, UnicodeDecodeError, ValueError):
            text = ""
        prefix, _, number = text.partition(":")
        if prefix == "restli-cursor" and number.isdigit() and len(number) < 10:
            return int(number)
    raise bad_request(
        f"pageToken {show(token)} is not a token this server issued", field="pageToken"
    )
