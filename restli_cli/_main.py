"""The ``restli`` command: call, inspect and serve Rest.li 2.0 from a shell.

Exit status: 0 on success; 1 when a call failed (an error status, a transport error,
a failed demo step); 2 for bad input (invalid JSON, an unknown method, a missing
token...), always as one line on stderr, never a traceback.
"""

from __future__ import annotations

import argparse
import datetime
import json
import math
import os
import sys
from collections.abc import Sequence
from typing import Any, NoReturn

from restli_core import (
    RequestBuilder,
    RestliDecodeError,
    RestliEncodeError,
    RestliError,
    RestliMethod,
    RestliUsageError,
    decode,
    encode,
    encode_path,
    reduced_decode,
    reduced_encode,
)

from ._common import TOKEN_ENV, TRANSPORTS, UsageError, _client, _json, _pairs
from ._output import format_http, to_jsonable

METHODS = tuple(m.wire_name for m in RestliMethod)


# --------------------------------------------------------------------------- restli serve

SERVE_EPILOG = """\
faults (--fault SPEC, repeatable; each is checked in order, the first that matches
a request answers it):
  SPEC is [STATUS][:OPTION,OPTION...] or OPTION,OPTION..., where STATUS is a 4xx/5xx
  code and each OPTION is KEY=VALUE or the word "disconnect":
    times=N|always     how many requests it hits (default 1; "always" with probability)
    probability=P      hit a matching request with chance P, 0 < P <= 1 (seeded
                       draws; then times defaults to always)
    retry-after=S      send Retry-After: S (seconds)
    delay=S            wait S seconds before answering (a status is then optional)
    disconnect         drop the connection instead of answering
    path=/adAccounts   only that resource (and its entities)
    method=M           only that Rest.li method (batch_get) or HTTP verb (GET)
    version=YYYYMM     only requests with that LinkedIn-Version
    code=C, message=M  the error body's code and message (no commas)
  examples:
    --fault 429:retry-after=2            throttle the next request
    --fault 503:times=3                  three 503s, then normal answers
    --fault 503:probability=0.1          one request in ten fails, for ever
    --fault 426:version=202212           202212 is refused once as retired
    --fault 500:path=/adAccounts,method=batch_get
    --fault delay=2.5,times=5            five slow answers
    --fault disconnect                   drop the next connection

tokens: by default any bearer token is accepted; with --token (repeatable) only
those, and the ones the OAuth endpoints issue (others: 401 INVALID_ACCESS_TOKEN).
With --check-tokens only the issued ones (and --token ones, which never expire):
an issued token expires (401 EXPIRED_ACCESS_TOKEN, serviceErrorCode 65602) after
--token-lifetime seconds (default 60 days; 2-legged: 30 minutes), and a refresh
token has a fixed deadline (--refresh-token-lifetime, default 365 days) that
refreshing does not move. A test access token and refresh token (client app-1,
member member-1) are printed after the first two lines.

quotas (off by default; counted on the server's clock, see --start-time):
  --daily-limit RESOURCE=N[:SCOPE]       N calls a UTC day, e.g. adAnalytics=500:MEMBER
  --limit RESOURCE=N/WINDOW[:SCOPE]      N calls per SECOND, MINUTE, HOUR or DAY
  SCOPE is APPLICATION (per client id, the default), MEMBER or APPLICATION_AND_MEMBER.
  Beyond a limit: LinkedIn's 429 {"status":429,"serviceErrorCode":101,"code":
  "TOO_MANY_REQUESTS","message":"Resource level throttle APPLICATION DAY limit for
  calls to this resource is reached."}, no Retry-After; DAY counts reset at 00:00 UTC.
  The resource is the first path segment after /rest or /v2 (adAnalytics).
  --metric-volume-limit N[/SECONDS]      adAnalytics' data-volume limit (LinkedIn:
  45000000/300): the fields of the elements answered, per application, in a sliding
  window; beyond it: 429 "More than 45 million metric values were requested in a
  5-minute window".

clock: --start-time 2026-12-03T23:59:50 (UTC) starts the server's clock there, to
see a midnight reset without waiting a day; --clock-offset S moves it S seconds;
--freeze-clock stops it between moves. With --control, a test in another process
moves it and reads counts over HTTP (only on this server, never on LinkedIn's):
  GET  /_restli/clock                    {"now": UNIX, "utc": ISO, "frozen": BOOL}
  POST /_restli/clock {"advance": S} | {"set": UNIX or ISO}
  GET  /_restli/stats                    token calls, and calls per resource/status

resources (--resources FILE, repeatable): a JSON file such as
  {"resources": [
    {"path": "/widgets", "key": "id", "entities": [{"id": 1, "name": "a"}],
     "finders": {"byName": {"params": ["name"]}}},
    {"path": "/settings", "entity": {"lang": "en"}},
    {"path": "/adAccounts", "entities": [{"id": 900, "name": "Mine", "type": "BUSINESS"}]}
  ]}
  Fields: path (required); key ("id", or a list for a compound key); key_type ("int",
  "str", or per field); entities; required (fields, else 422); methods (Rest.li
  names); upsert (PUT creates); finders ({"params": [...]} filters on equal fields,
  {"search": [...], "booleans": [...]} reads LinkedIn's search=(f:(values:List(..)))
  record; "cursor": true allows pageSize/pageToken); actions ({"value": ...} or
  {"echo": true}); entity (instead of key/entities: a simple resource). A path
  already served gets the entities, finders and actions added. The full schema is in
  the restli_core.testing.load_resources docstring.

The first two lines on stdout say where it serves and what to export, e.g.
  export RESTLI_API_ROOT=http://127.0.0.1:8089
after which the official client's code runs unchanged against it.
"""

_FAULT_KEYS = frozenset(
    {"times", "probability", "retry-after", "delay", "path", "method", "version", "code", "message"}
)


_WINDOWS = ("SECOND", "MINUTE", "HOUR", "DAY")
_SCOPES = ("APPLICATION", "MEMBER", "APPLICATION_AND_MEMBER")


def _limit_error(spec: str, why: str) -> argparse.ArgumentTypeError:
    return argparse.ArgumentTypeError(f"{spec!r}: {why}")


def parse_limit(spec: str, *, daily: bool = False) -> dict[str, Any]:
    """The ``RestliServer.set_limit`` keywords a ``--limit`` (or, with ``daily``,
    ``--daily-limit``) SPEC stands for: ``RESOURCE=N/WINDOW[:SCOPE]`` (daily:
    ``RESOURCE=N[:SCOPE]``).

    Raises:
        argparse.ArgumentTypeError: naming what is wrong with the SPEC.
    """
    resource, eq, rest = spec.strip().partition("=")
    resource = resource.strip().strip("/")
    form = "RESOURCE=N[:SCOPE]" if daily else "RESOURCE=N/WINDOW[:SCOPE]"
    if not eq or not resource or "/" in resource:
        raise _limit_error(spec, f"expected {form}, e.g. adAnalytics=500:MEMBER")
    amount, _, scope = rest.partition(":")
    window = "DAY"
    if not daily:
        amount, slash, window = amount.partition("/")
        window = window.strip().upper()
        if not slash or window not in _WINDOWS:
            raise _limit_error(spec, f"expected {form}, WINDOW one of {', '.join(_WINDOWS)}")
    amount = amount.strip()
    if not (amount.isascii() and amount.isdigit()):
        raise _limit_error(spec, f"the number of calls must be a whole number, not {amount!r}")
    scope = scope.strip().upper() or "APPLICATION"
    if scope not in _SCOPES:
        raise _limit_error(spec, f"SCOPE must be one of {', '.join(_SCOPES)}, not {scope!r}")
    return {"resource": resource, "calls": int(amount), "window": window, "scope": scope}


def _daily_limit(spec: str) -> dict[str, Any]:
    return parse_limit(spec, daily=True)


def parse_volume_limit(spec: str) -> tuple[int, float]:
    """``(values, window seconds)`` of a ``--metric-volume-limit N[/SECONDS]`` SPEC."""
    amount, slash, seconds = spec.strip().partition("/")
    try:
        values = int(amount.replace("_", ""))
        window = float(seconds) if slash else 300.0
    except ValueError:
        raise _limit_error(spec, "expected N[/SECONDS], e.g. 45000000/300") from None
    if values < 1 or not 0 < window < 1e9:
        raise _limit_error(spec, "N must be >= 1 and SECONDS > 0")
    return values, window


def parse_start_time(text: str) -> float:
    """The Unix time of a ``--start-time`` value: ISO 8601, UTC unless it says otherwise
    (``2026-12-03T23:59:50``, ``...Z``, ``...+01:00``), or Unix seconds."""
    value = text.strip()
    try:
        seconds = float(value)
    except ValueError:
        pass
    else:
        if not math.isfinite(seconds):
            raise argparse.ArgumentTypeError(f"{text!r}: expected a finite time")
        return seconds
    try:
        when = datetime.datetime.fromisoformat(value.replace("Z", "+00:00").replace("z", "+00:00"))
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"{text!r}: expected an ISO 8601 time such as 2026-12-03T23:59:50 (UTC) or Unix seconds"
        ) from None
    if when.tzinfo is None:
        when = when.replace(tzinfo=datetime.timezone.utc)
    return when.timestamp()


def _offset(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        value = math.nan
    if not math.isfinite(value):
        raise argparse.ArgumentTypeError(f"{text!r}: expected a number of seconds")
    return value


def _seconds(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r}: expected whole seconds") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"{text!r}: expected whole seconds >= 1")
    return value


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        raise UsageError(message)


def parse_fault(spec: str) -> dict[str, Any]:
    """The ``RestliServer.inject`` keywords a ``--fault`` SPEC stands for.

    Raises:
        argparse.ArgumentTypeError: naming what is wrong with the SPEC.
    """
    from restli_core.testing import Fault

    text = spec.strip()
    head, colon, rest = text.partition(":")
    kwargs: dict[str, Any] = {}
    if head.isdigit():
        kwargs["status"] = int(head)
        options = rest
    elif colon and "=" not in head:  # "abc:..." (a ':' inside a value is fine)
        raise argparse.ArgumentTypeError(f"{spec!r}: {head!r} is not a status code")
    else:
        options = text
    times: str | None = None
    for item in filter(None, (part.strip() for part in options.split(","))):
        if item == "disconnect":
            kwargs["disconnect"] = True
            continue
        key, eq, value = item.partition("=")
        key = key.strip().lower()
        value = value.strip()
        if not eq or key not in _FAULT_KEYS:
            known = ", ".join(sorted(_FAULT_KEYS | {"disconnect"}))
            raise argparse.ArgumentTypeError(f"{spec!r}: unknown option {item!r} (known: {known})")
        if not value:
            raise argparse.ArgumentTypeError(f"{spec!r}: {key} needs a value")
        try:
            if key == "times":
                times = value
            elif key in ("probability", "delay", "retry-after"):
                kwargs[key.replace("-", "_")] = float(value)
            else:
                kwargs[key] = value
        except ValueError:
            raise argparse.ArgumentTypeError(
                f"{spec!r}: {key} takes a number, not {value!r}"
            ) from None
    if times is None:
        kwargs["times"] = None if "probability" in kwargs else 1
    elif times == "always":
        kwargs["times"] = None
    elif times.isdigit():
        kwargs["times"] = int(times)
    else:
        raise argparse.ArgumentTypeError(
            f"{spec!r}: times takes a count or 'always', not {times!r}"
        )
    if "retry_after" in kwargs and float(kwargs["retry_after"]).is_integer():
        kwargs["retry_after"] = int(kwargs["retry_after"])
    try:
        Fault(**kwargs)  # the same checks inject() makes
    except (RestliEncodeError, TypeError) as exc:
        raise argparse.ArgumentTypeError(f"{spec!r}: {exc}") from None
    return kwargs


def add_serve_arguments(parser: argparse.ArgumentParser) -> None:
    """The options of ``restli serve``."""
    parser.formatter_class = argparse.RawDescriptionHelpFormatter
    parser.epilog = SERVE_EPILOG
    parser.add_argument("--port", type=int, default=8089, help="port (0: any free port)")
    parser.add_argument("--quiet", action="store_true", help="do not log each request")
    parser.add_argument(
        "--retired-version",
        action="append",
        default=[],
        metavar="YYYYMM",
        help="answer 426 for this LinkedIn-Version (repeatable; default 202001, 202010, 202101)",
    )
    parser.add_argument(
        "--token",
        action="append",
        default=None,
        metavar="TOKEN",
        help="accept only this bearer token (repeatable; default: any token)",
    )
    parser.add_argument(
        "--fault",
        action="append",
        default=[],
        type=parse_fault,
        metavar="SPEC",
        help="inject a fault, e.g. 429:retry-after=2, 503:times=3, 503:probability=0.1 "
        "(repeatable; see below)",
    )
    parser.add_argument(
        "--resources",
        action="append",
        default=[],
        metavar="FILE",
        help="serve the extra resources and entities of this JSON file (repeatable; see below)",
    )
    parser.add_argument(
        "--check-tokens",
        action="store_true",
        help="accept only the tokens the OAuth endpoints issue (and --token ones); they "
        "expire and can be revoked (prints a test access token and refresh token)",
    )
    parser.add_argument(
        "--token-lifetime",
        type=_seconds,
        default=None,
        metavar="SECONDS",
        help="how long an issued 3-legged access token lives (default 5184000: 60 days)",
    )
    parser.add_argument(
        "--app-token-lifetime",
        type=_seconds,
        default=None,
        metavar="SECONDS",
        help="how long an issued 2-legged token lives (default 1800)",
    )
    parser.add_argument(
        "--refresh-token-lifetime",
        type=_seconds,
        default=None,
        metavar="SECONDS",
        help="from a member's consent to the refresh token's deadline (default 31536000)",
    )
    parser.add_argument(
        "--daily-limit",
        action="append",
        default=[],
        type=_daily_limit,
        metavar="RESOURCE=N[:SCOPE]",
        help="allow N calls a UTC day to RESOURCE per SCOPE (APPLICATION, MEMBER or "
        "APPLICATION_AND_MEMBER; default APPLICATION), then answer LinkedIn's DAY 429 "
        "(repeatable)",
    )
    parser.add_argument(
        "--limit",
        action="append",
        default=[],
        type=parse_limit,
        metavar="RESOURCE=N/WINDOW[:SCOPE]",
        help="allow N calls per SECOND, MINUTE, HOUR or DAY, e.g. adAnalytics=100/MINUTE "
        "(repeatable)",
    )
    parser.add_argument(
        "--metric-volume-limit",
        type=parse_volume_limit,
        default=None,
        metavar="N[/SECONDS]",
        help="adAnalytics' data-volume limit: N metric values per application per sliding "
        "window (default window 300 s; LinkedIn's is 45000000/300)",
    )
    parser.add_argument(
        "--start-time",
        type=parse_start_time,
        default=None,
        metavar="ISO",
        help="start the server's clock at this time (UTC unless given), e.g. "
        "2026-12-03T23:59:50 to see a midnight reset (default: now)",
    )
    parser.add_argument(
        "--clock-offset",
        type=_offset,
        default=0.0,
        metavar="SECONDS",
        help="shift the server's clock by this many seconds (after --start-time)",
    )
    parser.add_argument(
        "--freeze-clock",
        action="store_true",
        help="stop the server's clock: it moves only through /_restli/clock (--control)",
    )
    parser.add_argument(
        "--control",
        action="store_true",
        help="serve /_restli/clock (read, set, advance the clock) and /_restli/stats "
        "(token calls, calls per resource) for tests in other processes",
    )
    parser.add_argument(
        "--no-official-examples",
        dest="official_examples",
        action="store_false",
        help="leave out what the official README addresses by id (ad accounts 123 and 456, "
        "campaign groups 123, 456, 789) and delete ads entities outright, so the seed's "
        "counts are exact",
    )


# --------------------------------------------------------------------------- the parser


def _build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="restli",
        description="Call LinkedIn's Rest.li 2.0 APIs, inspect the wire format, "
        "or run the embedded Rest.li server.",
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    commands.required = True

    serve = commands.add_parser(
        "serve",
        help="run the embedded Rest.li server on 127.0.0.1",
        description="Run the embedded Rest.li server (LinkedIn-like seed data, OAuth\n"
        "endpoints) on 127.0.0.1, for code written for LinkedIn's APIs to run against.",
    )
    add_serve_arguments(serve)

    req = commands.add_parser("request", help="make one Rest.li call and print the response")
    req.add_argument("method", metavar="METHOD", help=f"one of: {', '.join(METHODS)}")
    req.add_argument("resource_path", metavar="RESOURCE_PATH", help="e.g. /adAccounts/{id}")
    req.add_argument("--path-key", action="append", metavar="NAME=JSON", help="path key value")
    req.add_argument("--param", action="append", metavar="NAME=JSON", help="query parameter")
    req.add_argument("--id", action="append", metavar="JSON", help="an id (batch methods)")
    req.add_argument(
        "--entity",
        action="append",
        metavar="JSON",
        help="entity (create/update), patch fields (partial_update), one per id for batch "
        "methods, or the parameters object of an action",
    )
    req.add_argument("--name", help="finder, batch finder or action name")
    req.add_argument(
        "--criteria", metavar="NAME=JSON", help="batch finder criteria: parameter name = JSON list"
    )
    req.add_argument("--version", help="LinkedIn-Version (YYYYMM or YYYYMM.RR)")
    req.add_argument(
        "--base-url",
        "--api-root",
        dest="base_url",
        metavar="URL",
        help="the API root to call instead of LinkedIn's: unversioned calls go to URL/v2, "
        "versioned ones (--version) to URL/rest, e.g. the URL 'restli serve' prints "
        "(default: $RESTLI_API_ROOT, else https://api.linkedin.com)",
    )
    req.add_argument("--token", help=f"access token (default: ${TOKEN_ENV})")
    req.add_argument("--transport", choices=TRANSPORTS, default="requests")
    req.add_argument("--timeout", type=float, default=None, help="timeout in seconds")
    req.add_argument(
        "--dry-run", action="store_true", help="print the exact HTTP request instead of sending it"
    )

    for name, verb in (("encode", "Encode JSON as"), ("decode", "Decode")):
        sub = commands.add_parser(name, help=f"{verb} Rest.li 2.0 text")
        sub.add_argument("value", metavar="JSON" if name == "encode" else "TEXT")
        sub.add_argument("--context", choices=("query", "path", "reduced"), default="query")

    from ._export import add_export_arguments

    add_export_arguments(
        commands.add_parser(
            "export", help="write a whole collection, or a list of ids, as JSON Lines"
        )
    )

    demo = commands.add_parser(
        "demo", help="run the official README's examples against the embedded server"
    )
    demo.add_argument("--transport", action="append", choices=TRANSPORTS, help="limit to these")
    return parser


def _request_kwargs(args: argparse.Namespace, method: str, token: str) -> dict[str, Any]:
    kwargs: dict[str, Any] = {"resource_path": args.resource_path, "access_token": token}
    path_keys = _pairs(args.path_key, "--path-key")
    params = _pairs(args.param, "--param")
    if path_keys is not None:
        kwargs["path_keys"] = path_keys
    if params is not None:
        kwargs["query_params"] = params
    if args.version:
        kwargs["version_string"] = args.version
    ids = [_json(text, "--id") for text in args.id or []]
    entities = [_json(text, "--entity") for text in args.entity or []]

    def one_entity() -> Any:
        if len(entities) != 1:
            raise UsageError(f"{method} takes exactly one --entity")
        return entities[0]

    def need_name() -> str:
        if not args.name:
            raise UsageError(f"{method} needs --name")
        return str(args.name)

    if method in ("batch_get", "batch_delete", "batch_update", "batch_partial_update"):
        if not ids:
            raise UsageError(f"{method} needs at least one --id")
        kwargs["ids"] = ids
    if method in ("create", "update"):
        kwargs["entity"] = one_entity()
    elif method == "partial_update":
        kwargs["patch_set_object"] = one_entity()
    elif method in ("batch_create", "batch_update"):
        if not entities:
            raise UsageError(f"{method} needs --entity (one per id for batch_update)")
        kwargs["entities"] = entities
    elif method == "batch_partial_update":
        kwargs["patch_set_objects"] = entities
    elif method == "finder":
        kwargs["finder_name"] = need_name()
    elif method == "batch_finder":
        kwargs["finder_name"] = need_name()
        criteria = _pairs([args.criteria] if args.criteria else None, "--criteria")
        if not criteria:
            raise UsageError("batch_finder needs --criteria NAME=JSON-list")
        ((param, values),) = criteria.items()
        if not isinstance(values, list):
            raise UsageError("--criteria value must be a JSON list of criteria objects")
        kwargs["finder_criteria"] = (param, values)
    elif method == "action":
        kwargs["action_name"] = need_name()
        if entities:
            kwargs["action_params"] = one_entity()
    return kwargs


def _run_request(args: argparse.Namespace) -> int:
    method = args.method.lower().replace("-", "_")
    if method not in METHODS:
        raise UsageError(f"unknown method {args.method!r}; choose from: {', '.join(METHODS)}")
    token = args.token or os.environ.get(TOKEN_ENV)
    if not token:
        if not args.dry_run:
            raise UsageError(f"no access token: pass --token or set ${TOKEN_ENV}")
        token = "dry-run-token"
    kwargs = _request_kwargs(args, method, token)
    if args.dry_run:
        builder = RequestBuilder(api_root=args.base_url or None)
        request = getattr(builder, method)(**kwargs)
        print(format_http(request))
        return 0
    client = _client(args.transport, args.base_url, args.timeout)
    try:
        response = getattr(client, method)(**kwargs)
    finally:
        client.close()
    print(json.dumps(to_jsonable(response), indent=2, ensure_ascii=False, default=str))
    return 0


def _run_codec(args: argparse.Namespace) -> int:
    if args.command == "encode":
        value = _json(args.value, "JSON")
        enc = {"query": encode, "path": encode_path, "reduced": reduced_encode}[args.context]
        print(enc(value))
    else:
        dec = reduced_decode if args.context == "reduced" else decode
        print(json.dumps(dec(args.value), ensure_ascii=False))
    return 0


def _run_serve(args: argparse.Namespace) -> int:
    from ._serve import run_serve  # http.server only loads for this command

    return run_serve(args)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the ``restli`` command; returns the exit status."""
    try:
        args = _build_parser().parse_args(argv)
        if args.command == "request":
            return _run_request(args)
        if args.command in ("encode", "decode"):
            return _run_codec(args)
        if args.command == "serve":
            return _run_serve(args)
        if args.command == "export":
            from ._export import run_export

            return run_export(args)
        from ._demo import run_demo

        status: int = run_demo(args.transport)
        return status
    except UsageError as exc:
        print(f"restli: {exc}", file=sys.stderr)
        return 2
    except (RestliEncodeError, RestliDecodeError, RestliUsageError) as exc:
        print(f"restli: {exc}", file=sys.stderr)
        return 2
    except RecursionError:  # JSON input nested deeper than Python can hold
        print("restli: the input is nested too deeply", file=sys.stderr)
        return 2
    except BrokenPipeError:
        # The reader went away (``restli ... | head``): say nothing more, and keep
        # Python from complaining again when it flushes stdout at exit.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 1
    except RestliError as exc:
        print(f"restli: {type(exc).__name__}: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
