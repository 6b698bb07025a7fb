"""``restli export``: a whole collection, or the entities of a list of ids, as JSON Lines.

A finder or get_all is read page after page (``iter_pages``: the page tells the
progress bar the server's ``total``); ids are fetched with ``batch_get``, in waves of
``--chunk-size`` x ``--concurrency`` ids, so the output and the bar advance as the
answers come. Each element becomes one line of compact JSON (UTF-8, ``\\n``).

With ``-o FILE`` the lines go to a temporary file in FILE's directory, which replaces
FILE only once everything was written (``os.replace``: readers see the old FILE or
the whole new one). An export that fails or is interrupted leaves what it received
in ``FILE.partial`` and FILE as it was: the data is kept, under a name that cannot
be taken for a complete export. A paged export that fails says how to resume
(``--resume-start`` / ``--resume-token``); an id export lists the ids that have no
result. Exit status: 0, 1 (a failed call, ids without a result), 2 (bad input),
130 (interrupted).
"""

from __future__ import annotations

import argparse
import contextlib
import importlib
import json
import os
import shlex
import sys
import tempfile
from collections.abc import Callable, Iterator, Sequence
from typing import IO, TYPE_CHECKING, Any

from restli_core import (
    BatchChunkError,
    BatchResults,
    Checkpoint,
    CollectionPage,
    ForbiddenError,
    RateLimitError,
    RestliEncodeError,
    RestliError,
    RestliUsageError,
    UnauthorizedError,
    VersionNotActiveError,
    encode,
)

from ._common import TOKEN_ENV, TRANSPORTS, UsageError, _client, _pairs

if TYPE_CHECKING:
    import asyncio

__all__ = ["add_export_arguments", "run_export"]

# Failures every later request would meet alike (the core's chunking stops on them too):
# the ids after one are not sent.
_STOP_AFTER = (UnauthorizedError, ForbiddenError, VersionNotActiveError, RateLimitError)
_LISTED_IDS = 10  # ids named in a summary line; the rest are counted

EXPORT_DESCRIPTION = """\
Write every element of a finder or get_all (read page after page), or the entities
of a list of ids (batch_get), as JSON Lines: one compact JSON object per line, UTF-8."""

EXPORT_EPILOG = """\
examples:
  restli export /adAccounts --finder search \\
      --param 'search={"status": {"values": ["ACTIVE"]}}' -o accounts.jsonl
  restli export /fieldsOfStudy --get-all --page-size 50 | jq -c .name
  restli export /adCampaigns --finder search --paging cursor --version 202610 --max-items 1000
  restli export /adAccounts --ids 1,2,3
  restli export /adAccounts --ids-file ids.txt --chunk-size 50 --concurrency 4 -o accounts.jsonl

output: with -o FILE the lines go to a temporary file beside FILE, which replaces FILE
  once the export is complete. An export that fails or is interrupted leaves what it
  received in FILE.partial, and FILE as it was.

failures: when paging fails midway (once retries are spent), the elements received
  are written, the error is reported, and the options that resume from there are
  printed (--resume-start N for offset paging, --resume-token T for cursor paging).
  For ids, those without a result (not found, or in a failed request) are listed.
  Either way the exit status is 1; bad input exits with 2.

ids: --ids takes a comma-separated list (a comma inside parentheses, brackets, braces
  or double quotes does not split); an id that reads as JSON is that value (1, "1",
  {"account": "urn:li:sponsoredAccount:1", "user": "urn:li:person:abc"}), any other is
  the text as is (urn:li:share:1). --ids-file reads one id per line ('-': stdin).
  Results are written in the order of the ids; a repeated id is fetched once.

progress: a bar on stderr (needs tqdm: pip install tqdm) when stderr is a terminal
  and the lines do not go to that same terminal; --progress / --no-progress decide
  instead."""


# --------------------------------------------------------------------------- arguments


def _count(minimum: int) -> Callable[[str], int]:
    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"expected a whole number, got {text!r}") from None
        if value < minimum:
            raise argparse.ArgumentTypeError(f"must be {minimum} or more, got {value}")
        return value

    return parse


def add_export_arguments(parser: argparse.ArgumentParser) -> None:
    """The options of ``restli export``."""
    parser.formatter_class = argparse.RawDescriptionHelpFormatter
    parser.description = EXPORT_DESCRIPTION
    parser.epilog = EXPORT_EPILOG
    parser.add_argument("resource_path", metavar="RESOURCE_PATH", help="e.g. /adAccounts")
    source = parser.add_argument_group("what to export (exactly one)")
    which = source.add_mutually_exclusive_group(required=True)
    which.add_argument("--finder", metavar="NAME", help="page through this finder (q=NAME)")
    which.add_argument("--get-all", action="store_true", help="page through the collection")
    which.add_argument(
        "--ids", action="append", metavar="ID,ID,...", help="batch_get these ids (repeatable)"
    )
    which.add_argument("--ids-file", metavar="FILE", help="batch_get the ids in FILE, one a line")

    call = parser.add_argument_group("the call")
    call.add_argument("--param", action="append", metavar="NAME=JSON", help="query parameter")
    call.add_argument("--path-key", action="append", metavar="NAME=JSON", help="path key value")
    call.add_argument("--version", help="LinkedIn-Version (YYYYMM or YYYYMM.RR)")
    call.add_argument(
        "--base-url",
        "--api-root",
        dest="base_url",
        metavar="URL",
        help="the API root to call instead of LinkedIn's, e.g. the URL 'restli serve' "
        "prints (default: $RESTLI_API_ROOT, else https://api.linkedin.com)",
    )
    call.add_argument("--token", help=f"access token (default: ${TOKEN_ENV})")
    call.add_argument("--transport", choices=TRANSPORTS, default="requests")
    call.add_argument("--timeout", type=float, default=None, help="timeout in seconds")
    call.add_argument(
        "--concurrency",
        type=_count(1),
        default=1,
        metavar="N",
        help="requests in flight at once (default 1)",
    )

    paged = parser.add_argument_group("paging (--finder, --get-all)")
    paged.add_argument(
        "--paging",
        choices=("offset", "cursor"),
        default="offset",
        help="offset: start/count (default); cursor: pageSize/pageToken",
    )
    paged.add_argument("--page-size", type=_count(1), metavar="N", help="elements per page")
    paged.add_argument("--max-items", type=_count(0), metavar="N", help="stop after N elements")
    paged.add_argument(
        "--resume-start",
        type=_count(0),
        metavar="N",
        help="offset paging: begin at element N (as a failed export says)",
    )
    paged.add_argument(
        "--resume-token", metavar="TOKEN", help="cursor paging: begin at the page of TOKEN"
    )
    paged.add_argument(
        "--resume-skip",
        type=_count(0),
        metavar="N",
        help="cursor paging: skip the first N elements of that page",
    )

    batch = parser.add_argument_group("ids (--ids, --ids-file)")
    batch.add_argument(
        "--chunk-size",
        type=_count(1),
        default=None,
        metavar="N",
        help="ids per batch_get request (default 100)",
    )

    out = parser.add_argument_group("output")
    out.add_argument(
        "-o",
        "--output",
        metavar="FILE",
        help="write to FILE instead of stdout ('-'); FILE is replaced only once complete",
    )
    out.add_argument(
        "--progress",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="show a progress bar on stderr, or not (default: a bar when stderr is a "
        "terminal and the lines are not printed to it)",
    )


# --------------------------------------------------------------------------- ids


def split_ids(text: str) -> list[str]:
    """The items of a comma-separated id list; commas nested in ``()``, ``[]``, ``{}``
    or inside double quotes do not split (compound URNs and JSON keys stay whole)."""
    items: list[str] = []
    depth = 0
    quoted = escaped = False
    current: list[str] = []
    for char in text:
        if quoted:
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == '"':
                quoted = False
        elif char == '"':
            quoted = True
        elif char in "([{":
            depth += 1
        elif char in ")]}":
            depth = max(depth - 1, 0)
        elif char == "," and depth == 0:
            items.append("".join(current))
            current = []
            continue
        current.append(char)
    items.append("".join(current))
    return [item.strip() for item in items if item.strip()]


def parse_id(text: str) -> Any:
    """An id as given on the command line: its JSON value when it reads as JSON (a
    number, a quoted string, an object for a compound key), else the text itself."""
    try:
        return json.loads(text)
    except (json.JSONDecodeError, RecursionError):
        return text


def _id_key(value: Any) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def _id_text(value: Any) -> str:
    return value if isinstance(value, str) else _id_key(value)


def _read_ids(args: argparse.Namespace) -> list[Any]:
    if args.ids_file is not None:
        try:
            if args.ids_file == "-":
                lines = sys.stdin.read().splitlines()
            else:
                with open(args.ids_file, encoding="utf-8") as file:
                    lines = file.read().splitlines()
        except OSError as exc:
            raise UsageError(f"--ids-file {args.ids_file}: {exc.strerror or exc}") from None
        except UnicodeDecodeError:
            raise UsageError(f"--ids-file {args.ids_file}: not UTF-8 text") from None
        texts = [line.strip() for line in lines if line.strip()]
        what = f"--ids-file {args.ids_file}"
    else:
        texts = [item for chunk in args.ids for item in split_ids(chunk)]
        what = "--ids"
    if not texts:
        raise UsageError(f"{what}: no ids")
    ids: list[Any] = []
    seen: set[str] = set()
    for text in texts:
        value = parse_id(text)
        try:
            encode(value)  # refused here, before anything is sent, rather than midway
        except RestliEncodeError as exc:
            raise UsageError(f"{what}: id {text!r} has no Rest.li form ({exc})") from None
        key = _id_key(value)
        if key not in seen:
            seen.add(key)
            ids.append(value)
    return ids


# --------------------------------------------------------------------------- output


def _json_line(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"), default=str) + "\n"


def _encode_lines(elements: Sequence[Any]) -> bytes:
    text = "".join(_json_line(element) for element in elements)
    try:
        return text.encode("utf-8")
    except UnicodeEncodeError:  # a lone surrogate: escaped JSON is still valid UTF-8
        return "".join(
            json.dumps(e, separators=(",", ":"), default=str) + "\n" for e in elements
        ).encode("utf-8")


class Sink:
    """Where the lines go: stdout, or a temporary file that replaces ``path`` at the end.

    Raises:
        UsageError: ``path`` cannot be written (a missing directory, a directory...).
    """

    def __init__(self, path: str | None) -> None:
        self.path = path
        self.written = 0
        self.partial: str | None = None  # where an unfinished file export was kept
        self._temp: str | None = None
        self._file: IO[bytes] | None = None
        self._done = False
        if path is None:
            return
        if os.path.isdir(path):
            raise UsageError(f"-o {path}: is a directory")
        directory = os.path.dirname(os.path.abspath(path))
        try:
            fd, self._temp = tempfile.mkstemp(
                dir=directory, prefix=f".{os.path.basename(path)}.", suffix=".tmp"
            )
        except OSError as exc:
            raise UsageError(f"-o {path}: cannot write there ({exc.strerror or exc})") from None
        self._file = os.fdopen(fd, "wb")

    def write(self, elements: Sequence[Any]) -> None:
        """Write the elements, one JSON line each (stdout is flushed at once)."""
        if not elements:
            return
        data = _encode_lines(elements)
        if self._file is not None:
            self._file.write(data)
        else:
            stdout = sys.stdout
            binary = getattr(stdout, "buffer", None)
            stdout.flush()
            if binary is not None:
                binary.write(data)
                binary.flush()
            else:  # a text-only stream (an embedding program's)
                stdout.write(data.decode("utf-8"))
                stdout.flush()
        self.written += len(elements)

    def where(self) -> str:
        """How to name the destination in a message."""
        return "stdout" if self.path is None else self.path

    def commit(self) -> None:
        """The export is complete: the temporary file becomes ``path``."""
        if self._file is None or self._temp is None or self.path is None:
            return
        self._file.flush()
        os.fsync(self._file.fileno())
        self._file.close()
        os.chmod(self._temp, _new_file_mode(self.path))
        os.replace(self._temp, self.path)
        self._done = True

    def close(self) -> None:
        """Without :meth:`commit`: keep what was written as ``path.partial`` (or
        remove the empty temporary file); ``path`` itself is left as it was."""
        if self._done or self._file is None or self._temp is None or self.path is None:
            return
        self._done = True
        with contextlib.suppress(OSError):
            self._file.close()
        try:
            if self.written:
                self.partial = f"{self.path}.partial"
                os.chmod(self._temp, _new_file_mode(self.path))
                os.replace(self._temp, self.partial)
            else:
                os.unlink(self._temp)
        except OSError:
            self.partial = self._temp if self.written else None


def _new_file_mode(path: str) -> int:
    # mkstemp makes 0600 files; give the export the mode a plain open() would.
    try:
        return os.stat(path).st_mode & 0o7777
    except OSError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


# --------------------------------------------------------------------------- progress


class Progress:
    """A tqdm bar on stderr, or nothing (every method is then a no-op)."""

    def __init__(self, factory: Any, total: int | None, desc: str) -> None:
        self._bar: Any = None
        if factory is not None:
            self._bar = factory(
                total=total, desc=desc, unit=" el", file=sys.stderr, dynamic_ncols=True
            )

    def set_total(self, total: int) -> None:
        if self._bar is not None:
            self._bar.total = total
            self._bar.refresh()

    def update(self, count: int, missing: int = 0) -> None:
        if self._bar is not None:
            if missing:
                self._bar.set_postfix(missing=missing, refresh=False)
            self._bar.update(count)

    def close(self) -> None:
        if self._bar is not None:
            self._bar.close()
            self._bar = None


def _bar_factory(args: argparse.Namespace) -> Any:
    """tqdm's class when a bar is wanted and tqdm is there, else ``None``.

    Raises:
        UsageError: ``--progress`` was given and tqdm is not installed.
    """
    wanted = args.progress
    if wanted is None:
        # A bar only where someone watches stderr, and not over lines being printed
        # to that same terminal.
        wanted = _isatty(sys.stderr) and (args.output is not None or not _isatty(sys.stdout))
    if not wanted:
        return None
    try:
        return importlib.import_module("tqdm").tqdm
    except ImportError:
        if args.progress:
            raise UsageError(
                "--progress needs tqdm: pip install tqdm (or restli-client[progress])"
            ) from None
        return None


def _isatty(stream: Any) -> bool:
    try:
        return bool(stream.isatty())
    except (AttributeError, ValueError):
        return False


# --------------------------------------------------------------------------- the client


class _LoopPager:
    """An ``AsyncPager`` read from plain code, one ``run_until_complete`` per item."""

    def __init__(self, pager: Any, loop: asyncio.AbstractEventLoop) -> None:
        self._pager = pager
        self._loop = loop

    def __iter__(self) -> Iterator[Any]:
        return self

    def __next__(self) -> Any:
        try:
            return self._loop.run_until_complete(self._pager.__anext__())
        except StopAsyncIteration:
            raise StopIteration from None


class _AsyncBridge:
    """The aiohttp client behind the two sync methods ``export`` calls."""

    def __init__(self, options: dict[str, Any]) -> None:
        import asyncio  # only this transport needs an event loop

        try:
            from restli_aiohttp import AsyncRestliClient
        except ImportError as exc:
            raise UsageError(str(exc)) from None
        self._loop = asyncio.new_event_loop()
        self.bridged_client = AsyncRestliClient(**options)

    def iter_pages(self, method: str, **kwargs: Any) -> _LoopPager:
        return _LoopPager(self.bridged_client.iter_pages(method, **kwargs), self._loop)

    def batch_get(self, **kwargs: Any) -> Any:
        return self._loop.run_until_complete(self.bridged_client.batch_get(**kwargs))

    def close(self) -> None:
        try:
            self._loop.run_until_complete(self.bridged_client.aclose())
        finally:
            self._loop.close()


def _open_client(args: argparse.Namespace) -> Any:
    if args.transport != "aiohttp":
        return _client(args.transport, args.base_url, args.timeout)
    options: dict[str, Any] = {}
    if args.base_url:
        options["api_root"] = args.base_url
    if args.timeout is not None:
        options["timeout"] = args.timeout
    return _AsyncBridge(options)


# --------------------------------------------------------------------------- the command


def _check(args: argparse.Namespace, paged: bool) -> Checkpoint | None:
    """Refuse options that do not fit together; the checkpoint to resume from."""
    if paged:
        if args.chunk_size is not None:
            raise UsageError("--chunk-size is for --ids and --ids-file (batch_get)")
    else:
        for option, value in (
            ("--page-size", args.page_size),
            ("--max-items", args.max_items),
            ("--resume-start", args.resume_start),
            ("--resume-token", args.resume_token),
            ("--resume-skip", args.resume_skip),
        ):
            if value is not None:
                raise UsageError(f"{option} is for --finder and --get-all (paging), not ids")
        if args.paging != "offset":
            raise UsageError("--paging is for --finder and --get-all, not ids")
        return None
    cursor = args.resume_token is not None or args.resume_skip is not None
    if args.resume_start is not None and cursor:
        raise UsageError("give --resume-start (offset) or --resume-token (cursor), not both")
    if args.resume_start is not None:
        if args.paging != "offset":
            raise UsageError(
                "--resume-start is for offset paging; with --paging cursor "
                "resume with --resume-token"
            )
        return Checkpoint(start=args.resume_start)
    if cursor:
        if args.paging != "cursor":
            raise UsageError("--resume-token and --resume-skip are for --paging cursor")
        if args.resume_token == "":
            raise UsageError("--resume-token: empty token")
        return Checkpoint(page_token=args.resume_token, skip=args.resume_skip or 0)
    return None


def run_export(args: argparse.Namespace) -> int:
    """Run ``restli export``; returns the exit status.

    Raises:
        UsageError: for bad input (status 2, reported by ``main``).
    """
    paged = args.ids is None and args.ids_file is None
    resume = _check(args, paged)
    ids = None if paged else _read_ids(args)
    token = args.token or os.environ.get(TOKEN_ENV)
    if not token:
        raise UsageError(f"no access token: pass --token or set ${TOKEN_ENV}")
    factory = _bar_factory(args)
    call: dict[str, Any] = {"resource_path": args.resource_path, "access_token": token}
    params = _pairs(args.param, "--param")
    path_keys = _pairs(args.path_key, "--path-key")
    if params is not None:
        call["query_params"] = params
    if path_keys is not None:
        call["path_keys"] = path_keys
    if args.version:
        call["version_string"] = args.version

    sink = Sink(None if args.output == "-" else args.output)
    try:
        client = _open_client(args)
        try:
            if args.concurrency != 1:
                call["concurrency"] = args.concurrency
            if ids is None:
                return _export_pages(client, args, call, resume, sink, factory)
            return _export_ids(client, args, call, ids, sink, factory)
        finally:
            client.close()
    finally:
        sink.close()


def _export_pages(
    client: Any,
    args: argparse.Namespace,
    call: dict[str, Any],
    resume: Checkpoint | None,
    sink: Sink,
    factory: Any,
) -> int:
    method = "get_all" if args.get_all else "finder"
    if not args.get_all:
        call["finder_name"] = args.finder
    call["paging"] = args.paging
    for name in ("page_size", "max_items"):
        if getattr(args, name) is not None:
            call[name] = getattr(args, name)
    if resume is not None:
        call["resume"] = resume
    # A malformed argument is refused here, before any request (exit 2 from main).
    pages = client.iter_pages(method, **call)
    position = resume  # where the first element not yet written is
    progress = Progress(factory, args.max_items, args.resource_path)
    try:
        first = True
        page: CollectionPage
        for page in pages:
            if first:
                first = False
                total = _remaining(page, args.max_items)
                if total is not None:
                    progress.set_total(total)
            sink.write(page.elements)
            position = page.next_checkpoint
            progress.update(len(page.elements))
    except KeyboardInterrupt:
        progress.close()
        sink.close()
        print(f"restli: interrupted; {_resume_hint(position, args, sink)}", file=sys.stderr)
        return 130
    except RestliError as exc:
        if isinstance(exc, (RestliUsageError, RestliEncodeError)):
            raise
        progress.close()
        sink.close()
        print(f"restli: {type(exc).__name__}: {exc}", file=sys.stderr)
        print(f"restli: {_resume_hint(position, args, sink)}", file=sys.stderr)
        return 1
    finally:
        progress.close()
    sink.commit()
    return 0


def _remaining(page: CollectionPage, max_items: int | None) -> int | None:
    total = page.total
    if total is None:
        return max_items
    left = max(total - (page.checkpoint.start or 0), 0)
    return left if max_items is None else min(left, max_items)


def _resume_hint(position: Checkpoint | None, args: argparse.Namespace, sink: Sink) -> str:
    """What was kept, and the options that go on from ``position``."""
    count = sink.written
    kept = _kept(sink, "element")
    if position is None:
        return f"{kept}; run the same command again to start over"
    options: list[str] = []
    if position.start is not None:
        options.append(f"--resume-start {position.start}")
    else:
        if position.page_token is not None:
            options.append(f"--resume-token {shlex.quote(position.page_token)}")
        if position.skip:
            options.append(f"--resume-skip {position.skip}")
    if args.max_items is not None:
        options.append(f"--max-items {max(args.max_items - count, 0)}")
    if not options:
        return f"{kept}; run the same command again to start over"
    then = (
        " (append its output: >>)" if sink.path is None else " and another -o, then join the files"
    )
    return f"{kept}; to resume, run the same command with {' '.join(options)}{then}"


def _export_ids(
    client: Any,
    args: argparse.Namespace,
    call: dict[str, Any],
    ids: list[Any],
    sink: Sink,
    factory: Any,
) -> int:
    chunk = args.chunk_size or 100
    wave = chunk * args.concurrency  # one batch_get call: `concurrency` chunks in flight
    call["chunk_size"] = chunk
    missing: list[tuple[Any, str]] = []  # (id, why it has no result), in id order
    failures: list[RestliError] = []
    stopped: RestliError | None = None
    progress = Progress(factory, len(ids), args.resource_path)
    try:
        for offset in range(0, len(ids), wave):
            part = ids[offset : offset + wave]
            failed: dict[str, str] = {}
            response: Any = None
            if stopped is not None:
                failed = dict.fromkeys(map(_id_key, part), "not sent")
            else:
                try:
                    response = client.batch_get(ids=part, **call)
                except BatchChunkError as exc:
                    response = exc.response
                    for failure in exc.failures:
                        failures.append(failure.error)
                        why = type(failure.error).__name__
                        failed.update(dict.fromkeys(map(_id_key, failure.ids), why))
                        if isinstance(failure.error, _STOP_AFTER):
                            stopped = failure.error
                    failed.update(dict.fromkeys(map(_id_key, exc.unsent_ids), "not sent"))
                except RestliError as exc:
                    if isinstance(exc, (RestliUsageError, RestliEncodeError)):
                        raise
                    failures.append(exc)
                    failed = dict.fromkeys(map(_id_key, part), type(exc).__name__)
                    if isinstance(exc, _STOP_AFTER):
                        stopped = exc
            results = response.results if response is not None else BatchResults()
            errors = response.errors if response is not None else BatchResults()
            found: list[Any] = []
            for value in part:
                entity = results.get(value)
                if entity is not None:
                    found.append(entity)
                    continue
                why = failed.get(_id_key(value)) or _error_text(errors.get(value))
                missing.append((value, why))
            sink.write(found)
            progress.update(len(part), len(missing))
    except KeyboardInterrupt:
        progress.close()
        sink.close()
        print(f"restli: interrupted; {_kept(sink, 'result')}", file=sys.stderr)
        return 130
    finally:
        progress.close()
    if failures:  # requests failed: the output is not what the ids would give
        first = failures[0]
        more = f" (and {len(failures) - 1} more failed requests)" if len(failures) > 1 else ""
        print(f"restli: {type(first).__name__}: {first}{more}", file=sys.stderr)
        sink.close()
        print(f"restli: {_kept(sink, 'result')}", file=sys.stderr)
    else:
        sink.commit()
    if missing:
        print(f"restli: warning: {_missing_summary(missing, len(ids))}", file=sys.stderr)
        return 1
    return 1 if failures else 0


def _kept(sink: Sink, what: str) -> str:
    """What an unfinished export kept, and where (call after ``sink.close()``)."""
    count = sink.written
    noun = f"{count} {what}{'s' * (count != 1)}"
    if sink.path is None:
        return f"{noun} written to stdout"
    if sink.partial is not None:
        return f"the {noun} received are in {sink.partial} ({sink.path} left as it was)"
    return f"nothing written ({sink.path} left as it was)"


def _error_text(error: Any) -> str:
    if isinstance(error, dict):
        parts = [str(error[k]) for k in ("status", "code") if error.get(k) is not None]
        if parts:
            return " ".join(parts)
    return "no result"


def _missing_summary(missing: list[tuple[Any, str]], total: int) -> str:
    listed = ", ".join(f"{_id_text(value)} ({why})" for value, why in missing[:_LISTED_IDS])
    more = f", and {len(missing) - _LISTED_IDS} more" if len(missing) > _LISTED_IDS else ""
    return f"{len(missing)} of {total} ids have no result: {listed}{more}"
