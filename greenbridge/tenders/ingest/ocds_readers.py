"""Reading OCDS JSON from files, directories and URLs, streamed item by item.

The mapping to notices lives in `ocds.py`; this module only turns bytes into release and record dicts.

How one input is read:
1. Open it (file, or urllib for http/https) and read its first bytes, the "head" (HEAD_BYTES).
2. Gzip is recognised by its magic bytes (whatever the name says) and decompressed on the fly.
3. The head is checked before any parsing, so the user gets a plain reason: empty, binary, UTF-16,
   not UTF-8, XML/HTML.
4. JSON Lines (by name, or when the first line is a whole JSON object followed by more lines) is read
   line by line; a bad line is a rejected item, the others go on.
5. Otherwise the head tells the shape, from the content only (never from a file or folder name):
   - one object: its top-level keys tell a release package from a record package from a single
     release or record; a package is streamed with ijson (`releases.item`/`records.item`), so memory
     stays flat however large the file is;
   - a top-level JSON array (UK Find a Tender and Portugal publish pages that way) or several JSON
     values one after the other (`{…}{…}`, with or without whitespace): each element or value is
     read on its own and may be a release package, a record package, a release or a record; a value
     that is not OCDS is a rejected item and the others go on. Each value is held in memory while it
     is read, so it must stay under INGEST_MAX_DOCUMENT_BYTES;
   - a large package followed by more values: the package is streamed, then (for a file) the file is
     read again from the value after it.
   A record whose `ocid` is missing but whose compiledRelease (or versionedRelease) has one, as Canada's
   and Mexico's 2017 feeds publish them, takes that ocid.
Numbers are kept as ijson gives them: int for integers, Decimal for the rest (money must stay exact).
"""

from __future__ import annotations

import io
import json
import os
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any, BinaryIO

import ijson
from django.utils.translation import gettext_noop

from .nesting import Nesting
from .ocds_input import _Input, _not_utf8, _prepare, _TooLarge
from .types import IngestError, RejectedItem, Said, SaidError

try:  # the C backend is ~10x faster than the pure-Python one; fall back where it is not built
    _ijson = ijson.get_backend("yajl2_c")
except ImportError:  # pragma: no cover - depends on the platform's wheel
    _ijson = ijson

_SUFFIXES = (".json", ".jsonl", ".ndjson", ".json.gz", ".jsonl.gz", ".ndjson.gz")
_JSONL_SUFFIXES = (".jsonl", ".ndjson", ".jsonl.gz", ".ndjson.gz")
# Keys that only a package has: seeing one before `releases` means the releases are the package's.
_PACKAGE_KEYS = frozenset(
    {
        "uri",
        "version",
        "publisher",
        "publishedDate",
        "license",
        "publicationPolicy",
        "extensions",
        "links",
        "packages",
        "$schema",
    }
)
USER_AGENT = "GreenBridge-E-watch/1.0 (OCDS reader; Python urllib)"


@dataclass
class OcdsItem:
    """One release or record read from an input. `kind` is "release" or "record"; for a rejected
    item it is the kind expected at that position ("release" when nothing better is known)."""

    position: str  # "file.json:releases[3]", "file.jsonl:line 7", "https://…:releases[0]"
    kind: str
    data: dict[str, Any] | RejectedItem


def _max_document_bytes() -> int:
    try:
        from django.conf import settings

        return int(getattr(settings, "INGEST_MAX_DOCUMENT_BYTES", 50 * 1024 * 1024))
    except Exception:  # settings not configured: a library use outside Django
        return 50 * 1024 * 1024


# --------------------------------------------------------------------------------------- JSON errors


class _NotJson(SaidError, ValueError):
    """NaN or Infinity, which Python's json reads and JSON has not."""


def _reject_constant(name: str) -> Any:
    raise _NotJson(gettext_noop("%(name)s is not valid JSON"), name=name)


def _loads(text: str | bytes) -> Any:
    """json.loads that keeps exact numbers as ijson does (Decimal for non-integers) and refuses NaN."""
    return json.loads(text, parse_float=Decimal, parse_constant=_reject_constant)


_DECODER = json.JSONDecoder(parse_float=Decimal, parse_constant=_reject_constant)


def _check_values(text: str) -> None:
    """Parse one or several JSON values written one after the other; raise json.JSONDecodeError (or
    ValueError for NaN) at the first place that is not JSON, with the standard library's line and column."""
    at, end = 0, len(text)
    while True:
        while at < end and text[at] in " \t\r\n":
            at += 1
        if at == end:
            return
        _value, at = _DECODER.raw_decode(text, at)


def _json_error(inp: _Input, exc: Exception) -> IngestError:
    """A plain message for a parse failure, with the place: line and column when the whole document
    is in memory (re-parsed with the standard library, which says where), else the byte offset."""
    message = str(exc)
    if "invalid bytes in UTF8" in message or "invalid UTF8" in message:
        return _not_utf8(inp.head, None, inp.stream.consumed)
    if inp.at_eof:
        try:
            _check_values(inp.head.decode("utf-8"))
        except json.JSONDecodeError as e:
            return IngestError(
                gettext_noop("this is not valid JSON: %(error)s at line %(line)s, column %(column)s"),
                error=e.msg,
                line=e.lineno,
                column=e.colno,
            )
        except ValueError as e:
            return IngestError(gettext_noop("this is not valid JSON: %(error)s"), error=e)
    first_line = message.strip().splitlines()[0] if message.strip() else ""
    if "premature EOF" in first_line:
        return IngestError(
            gettext_noop(
                "this is not valid JSON: the data ends too early, after %(bytes)s bytes "
                "(the file or download is truncated)"
            ),
            bytes=inp.stream.consumed,
        )
    return IngestError(
        gettext_noop("this is not valid JSON: %(error)s around byte %(byte)s"),
        error=first_line or Said(gettext_noop("parse error")),
        byte=inp.stream.consumed,
    )


# --------------------------------------------------------------------------------------- shapes


class _NotOcds(SaidError):
    pass


def _not_ocds(keys: list[str]) -> _NotOcds:
    if not keys:
        return _NotOcds(
            gettext_noop(
                "this is not OCDS data: expected a release package, a record package, a release or a record; "
                "found an empty JSON object"
            )
        )
    shown = ", ".join(keys[:12]) + (", …" if len(keys) > 12 else "")
    if "data" in keys:
        message = gettext_noop(
            "this is not OCDS data: expected a release package, a record package, a release or a record; "
            "found a JSON object with keys %(keys)s — it looks like an openprocurement API document"
        )
    elif "tender" in keys or "awards" in keys:
        message = gettext_noop(
            "this is not OCDS data: expected a release package, a record package, a release or a record; "
            "found a JSON object with keys %(keys)s — it looks like a release without an ocid"
        )
    else:
        message = gettext_noop(
            "this is not OCDS data: expected a release package, a record package, a release or a record; "
            "found a JSON object with keys %(keys)s"
        )
    return _NotOcds(message, keys=shown)


def _has_ocid(obj: dict[str, Any]) -> bool:
    ocid = obj.get("ocid")
    return isinstance(ocid, str) and ocid.strip() != ""


def _classify(obj: dict[str, Any]) -> str:
    """release_package | record_package | record | release, or _NotOcds."""
    if isinstance(obj.get("records"), list):
        return "record_package"
    # A compiled or versioned release makes a record, with or without its own ocid (Canada's and
    # Mexico's 2017 feeds leave it out and add a package's publisher).
    if isinstance(obj.get("compiledRelease"), dict) or isinstance(obj.get("versionedRelease"), dict):
        return "record"
    has_ocid = _has_ocid(obj)
    if isinstance(obj.get("releases"), list) and not has_ocid:
        return "release_package"
    if has_ocid:
        return "record" if "compiledRelease" in obj or "releases" in obj else "release"
    raise _not_ocds(list(obj))


def _record_ocid(record: dict[str, Any]) -> dict[str, Any]:
    """The record with an ocid: its own, else its compiled or versioned release's, else the one its
    embedded releases share. Unchanged when none is found (the item is then rejected for it)."""
    if _has_ocid(record):
        return record
    candidates = [record.get("compiledRelease"), record.get("versionedRelease")]
    for release in candidates:
        if isinstance(release, dict) and _has_ocid(release):
            return {"ocid": release["ocid"], **record}
    releases = record.get("releases")
    ocids = {r.get("ocid") for r in releases if isinstance(r, dict)} if isinstance(releases, list) else set()
    if len(ocids) == 1 and isinstance(ocid := next(iter(ocids)), str) and ocid.strip():
        return {"ocid": ocid, **record}
    return record


def _item(position: str, kind: str, value: Any) -> OcdsItem:
    """An item of a package: it must be an object with an ocid."""
    where = position.rsplit(":", 1)[-1]
    if not isinstance(value, dict):
        found = _json_type(value)
        return OcdsItem(
            position,
            kind,
            RejectedItem(gettext_noop("%(where)s is not a JSON object (found %(found)s)"), where=where, found=found),
        )
    if kind == "record":
        value = _record_ocid(value)
    if not _has_ocid(value):
        return OcdsItem(position, kind, RejectedItem(gettext_noop("%(where)s has no ocid"), where=where))
    return OcdsItem(position, kind, value)


_JSON_ARRAY, _JSON_OBJECT = Said(gettext_noop("a JSON array")), Said(gettext_noop("a JSON object"))
_STRING, _BOOLEAN, _NULL, _NUMBER = (
    Said(gettext_noop("a string")),
    Said(gettext_noop("true/false")),
    Said(gettext_noop("null")),
    Said(gettext_noop("a number")),
)


def _json_type(value: Any) -> Said:
    if isinstance(value, list):
        return _JSON_ARRAY
    if isinstance(value, str):
        return _STRING
    if isinstance(value, bool):
        return _BOOLEAN
    if value is None:
        return _NULL
    return _NUMBER if isinstance(value, int | float | Decimal) else _JSON_OBJECT


def _iter_object(position: str, obj: dict[str, Any]) -> Iterator[OcdsItem]:
    """Everything in one in-memory OCDS object (package, release or record). Raises _NotOcds."""
    shape = _classify(obj)
    if shape == "release_package":
        for i, release in enumerate(obj["releases"]):
            yield _item(f"{position}:releases[{i}]", "release", release)
    elif shape == "record_package":
        for i, record in enumerate(obj["records"]):
            yield _item(f"{position}:records[{i}]", "record", record)
    elif shape == "record":
        yield OcdsItem(position, shape, _record_ocid(obj))
    else:
        yield OcdsItem(position, shape, obj)


@dataclass
class _Sniffed:
    # release_package | record_package | single | ambiguous | array | None (undecided)
    shape: str | None
    keys: list[str]
    next_link: str | None
    more: bool = False  # another JSON value follows the first one within the head


_SCALAR_EVENTS = frozenset({"number", "string", "boolean", "null"})


def _sniff(head: bytes) -> _Sniffed:
    """Read the head: is it an array, or an object (and then which top-level keys decide its shape),
    and does another JSON value follow the first? Parse errors stop the sniff quietly: the real pass
    reports them with their place."""
    keys: list[str] = []
    next_link = None
    shape = None
    started = ended = False
    Nesting().feed(head, len(head))
    events = _ijson.parse(io.BytesIO(head), multiple_values=True)
    try:
        for prefix, event, value in events:
            if prefix == "links.next" and event == "string" and not ended:
                next_link = value
            if prefix != "":
                continue
            if ended:  # the first value is over and another one starts
                return _Sniffed(shape, keys, next_link, more=True)
            if not started:
                started = True
                if event == "start_array":
                    return _Sniffed("array", keys, next_link)
                if event in _SCALAR_EVENTS:
                    raise IngestError(
                        gettext_noop(
                            "found %(found)s at the top level; OCDS data is a JSON object or an array "
                            "of them (release packages, record packages, releases or records)"
                        ),
                        found=_EVENT_TYPES[event],
                    )
                continue
            if event == "end_map":
                ended = True
            elif event == "map_key" and shape is None:
                keys.append(value)
                shape = _decide(value, keys)
                if shape in ("release_package", "record_package", "ambiguous"):
                    _expect_array(events, value)
    except ijson.JSONError:
        pass
    return _Sniffed(shape, keys, next_link)


_EVENT_TYPES = {
    "start_array": _JSON_ARRAY,
    "number": _NUMBER,
    "string": _STRING,
    "boolean": _BOOLEAN,
    "null": _NULL,
}


def _decide(key: str, keys: list[str]) -> str | None:
    if key == "records":
        return "record_package"
    if key in ("ocid", "compiledRelease", "versionedRelease"):
        return "single"
    if key == "releases":
        if "ocid" in keys:
            return "single"
        # `releases` with no package key before it: a package, or a record whose ocid comes later.
        return "release_package" if _PACKAGE_KEYS.intersection(keys) else "ambiguous"
    return None


def _expect_array(events: Iterator[tuple[str, str, Any]], key: str) -> None:
    try:
        _prefix, event, _value = next(events)
    except (StopIteration, ijson.JSONError):
        return  # the real pass will say what is wrong
    if event != "start_array":
        raise IngestError(
            gettext_noop("the package's %(key)s is %(found)s, not a list"),
            key=key,
            found=_EVENT_TYPES.get(event, _JSON_OBJECT),
        )


# --------------------------------------------------------------------------------------- documents


def _iter_document(inp: _Input, *, jsonl_hint: bool) -> Iterator[OcdsItem]:
    """Every item of one opened input."""
    if jsonl_hint or _looks_like_jsonl(inp.head):
        yield from _iter_lines(inp)
        return
    sniffed = _sniff(inp.head)
    if sniffed.shape == "array":
        yield from _iter_values(inp, _ijson.items(inp.stream, "item"), label="array")
        return
    if sniffed.more:
        yield from _iter_values(inp, _ijson.items(inp.stream, "", multiple_values=True), label="values")
        return
    shape = sniffed.shape
    if shape == "ambiguous":
        small = inp.at_eof or (inp.size is not None and inp.size <= _max_document_bytes())
        shape = "single" if small else "release_package"  # a record that large would be refused anyway
    if shape in ("release_package", "record_package"):
        path, kind = ("releases", "release") if shape == "release_package" else ("records", "record")
        yield from _iter_package(inp, path, kind)
        return
    yield from _iter_values(inp, _ijson.items(inp.stream, "", multiple_values=True), label="single", sniffed=sniffed)


def _iter_package(inp: _Input, path: str, kind: str) -> Iterator[OcdsItem]:
    """Stream the items of a package; a parse failure after some items raises at that point
    (the items before it were yielded and stay valid). More JSON values after the package are read
    by reading the file again from the value after it (an input that cannot be read again, a URL,
    says so instead)."""
    items = _ijson.items(inp.stream, f"{path}.item")
    i = 0
    while True:
        try:
            value = next(items)
        except StopIteration:
            return
        except ijson.JSONError as e:
            if "trailing garbage" in str(e):
                break
            raise _json_error(inp, e) from None
        yield _item(f"{inp.name}:{path}[{i}]", kind, value)
        i += 1
    if inp.reopen is None:
        raise IngestError(
            gettext_noop(
                "more JSON follows the package after about %(bytes)s bytes; its %(count)s items were read. "
                "Several large packages one after the other can only be read from a file: save it first"
            ),
            bytes=inp.stream.consumed,
            count=i,
        )
    again = inp.reopen()
    events = _ijson.parse(again.stream, multiple_values=True)
    try:
        for prefix, event, _value in events:  # skip the package already read
            if prefix == "" and event == "end_map":
                break
    except ijson.JSONError as e:
        raise _json_error(again, e) from None
    yield from _iter_values(again, _ijson.items(events, "", multiple_values=True), label="values", start=2)


def _iter_values(
    inp: _Input, values: Iterator[Any], *, label: str, sniffed: _Sniffed | None = None, start: int = 1
) -> Iterator[OcdsItem]:
    """Each value of `values` (the elements of a top-level array, or JSON values one after the other,
    or a single value) read whole, within the size limit, then classified. In an array or a sequence,
    a value that is not OCDS is a rejected item and the others go on; a single value that is not OCDS
    fails the input as a whole, with the reason."""
    limit = _max_document_bytes()
    number = start
    while True:
        inp.stream.limit = inp.stream.consumed + limit
        try:
            value = next(values)
        except StopIteration:
            break
        except ijson.JSONError as e:
            raise _json_error(inp, e) from None
        except _TooLarge:
            if label == "single" and number == 1 and sniffed is not None and sniffed.shape is None:
                # no release, record or package key in the first bytes: say that
                raise IngestError(_not_ocds(sniffed.keys)) from None
            if label in ("array", "values"):
                raise IngestError(
                    gettext_noop("%(where)s is larger than the limit of %(limit)s bytes"),
                    where=_where(label, number),
                    limit=limit,
                ) from None
            raise IngestError(
                gettext_noop("this single document is larger than the limit of %(limit)s bytes"), limit=limit
            ) from None
        if label == "single" and number > 1:
            label = "values"  # more values after a large first one: number them from here
        yield from _value_items(inp.name, label, number, value)
        number += 1
    inp.stream.limit = None
    if label == "single" and number == start:
        raise IngestError(gettext_noop("the file is empty"))


def _where(label: str, number: int) -> Said:
    """Which value of an array or a sequence of values: "element [3] of the array", "JSON value 4"."""
    if label == "array":
        return Said(gettext_noop("element [%(index)s] of the array"), index=number - 1)
    return Said(gettext_noop("JSON value %(number)s"), number=number)


def _value_items(name: str, label: str, number: int, value: Any) -> Iterator[OcdsItem]:
    if label == "single":
        position, where = name, None
    else:
        position, where = (
            f"{name}:[{number - 1}]" if label == "array" else f"{name}:value {number}",
            _where(label, number),
        )
    if not isinstance(value, dict):
        found = _json_type(value)
        if where is None:
            raise IngestError(gettext_noop("found %(found)s at the top level; OCDS data is a JSON object"), found=found)
        yield OcdsItem(
            position,
            "release",
            RejectedItem(gettext_noop("%(where)s is %(found)s, not an OCDS object"), where=where, found=found),
        )
        return
    try:
        yield from _iter_object(position, value)
    except _NotOcds as e:
        if where is None:
            raise IngestError(e) from None
        yield OcdsItem(
            position, "release", RejectedItem(gettext_noop("%(where)s: %(problem)s"), where=where, problem=e)
        )


def _looks_like_jsonl(head: bytes) -> bool:
    """JSON Lines without the name: the first line is a whole JSON object and more lines follow."""
    first, sep, rest = head.lstrip().partition(b"\n")
    if not sep or not rest.strip() or not first.rstrip().endswith(b"}"):
        return False
    try:
        return isinstance(_loads(first), dict)
    except (ValueError, RecursionError):
        return False


def _iter_lines(inp: _Input) -> Iterator[OcdsItem]:
    """JSON Lines: each line a release, a record or a package. A bad line is rejected; others go on."""
    limit = _max_document_bytes()
    # Each line is its own document, read whole by the standard library (which stops past Python's recursion
    # limit): the nesting counted across lines would carry a bad line's open brackets to all that follow.
    inp.stream.nesting = None
    reader = io.BufferedReader(inp.stream, buffer_size=1024 * 1024)
    number = 0
    while True:
        line = reader.readline(limit + 1)
        if not line:
            return
        number += 1
        position = f"{inp.name}:line {number}"
        if len(line) > limit and not line.endswith(b"\n"):
            _skip_rest_of_line(reader)
            yield OcdsItem(
                position,
                "release",
                RejectedItem(
                    gettext_noop("line %(number)s is longer than %(limit)s bytes"), number=number, limit=limit
                ),
            )
            continue
        if not line.strip():
            continue
        yield from _line_items(position, number, line)


def _skip_rest_of_line(reader: io.BufferedReader) -> None:
    while True:
        chunk = reader.readline(1024 * 1024)
        if not chunk or chunk.endswith(b"\n"):
            return


def _line_items(position: str, number: int, line: bytes) -> Iterator[OcdsItem]:
    try:
        value = _loads(line.decode("utf-8").strip())
    except UnicodeDecodeError:
        rejected = RejectedItem(gettext_noop("line %(number)s: not UTF-8 text"), number=number)
    except json.JSONDecodeError as e:
        rejected = RejectedItem(
            gettext_noop("line %(number)s: not valid JSON: %(error)s (column %(column)s)"),
            number=number,
            error=e.msg,
            column=e.colno,
        )
    except ValueError as e:
        rejected = RejectedItem(gettext_noop("line %(number)s: not valid JSON: %(error)s"), number=number, error=e)
    except RecursionError:
        rejected = RejectedItem(gettext_noop("line %(number)s: nested too deeply to be OCDS"), number=number)
    else:
        if isinstance(value, dict):
            try:
                yield from _iter_object(position, value)
                return
            except _NotOcds as e:
                rejected = RejectedItem(gettext_noop("line %(number)s: %(problem)s"), number=number, problem=e)
        else:
            rejected = RejectedItem(
                gettext_noop("line %(number)s: %(found)s, not an OCDS object"), number=number, found=_json_type(value)
            )
    yield OcdsItem(position, "release", rejected)


# --------------------------------------------------------------------------------------- sources


def _iter_file(path: Path) -> Iterator[OcdsItem]:
    name = str(path)
    try:
        raw = open(path, "rb")  # noqa: SIM115 - closed in the finally below, after streaming
    except FileNotFoundError:
        raise IngestError(gettext_noop("file not found: %(name)s"), name=name) from None
    except IsADirectoryError:
        raise IngestError(gettext_noop("%(name)s is a directory"), name=name) from None
    except OSError as e:
        raise IngestError(
            gettext_noop("could not open %(name)s: %(error)s"), name=name, error=e.strerror or e
        ) from None
    opened = [raw]

    def reopen() -> _Input:  # to read the file again after a large package followed by more values
        again = open(path, "rb")  # noqa: SIM115 - closed with the first one, below
        opened.append(again)
        return _prepare(name, again, size)

    try:
        size = os.fstat(raw.fileno()).st_size
        inp = _prepare(name, raw, size)
        inp.reopen = reopen
        yield from _iter_document(inp, jsonl_hint=path.name.lower().endswith(_JSONL_SUFFIXES))
    finally:
        for handle in opened:
            handle.close()


def _iter_directory(root: Path) -> Iterator[OcdsItem]:
    """Every *.json, *.jsonl (optionally .gz) file below `root`, in sorted order. A file that cannot be
    read becomes one rejected item; the other files go on."""
    paths: list[Path] = []
    for dirpath, dirnames, filenames in os.walk(root):  # does not follow directory symlinks: no loops
        dirnames.sort()
        paths.extend(Path(dirpath) / f for f in filenames if f.lower().endswith(_SUFFIXES))
    for path in sorted(paths, key=str):
        try:
            yield from _iter_file(path)
        except IngestError as e:
            yield OcdsItem(str(path), "release", RejectedItem(e))


def _open_url(url: str, timeout: float) -> tuple[BinaryIO, int | None]:
    request = urllib.request.Request(  # noqa: S310 - the scheme is checked to be http(s) by the caller
        url, headers={"User-Agent": USER_AGENT, "Accept": "application/json", "Accept-Encoding": "gzip"}
    )
    try:
        response = urllib.request.urlopen(request, timeout=timeout)  # noqa: S310
    except urllib.error.HTTPError as e:
        e.close()
        raise IngestError(
            gettext_noop("%(url)s: HTTP %(code)s %(reason)s"), url=url, code=e.code, reason=e.reason
        ) from None
    except urllib.error.URLError as e:
        raise IngestError(gettext_noop("could not reach %(url)s: %(error)s"), url=url, error=e.reason) from None
    except TimeoutError:
        raise IngestError(
            gettext_noop("%(url)s did not answer within %(seconds)s seconds"), url=url, seconds=f"{timeout:g}"
        ) from None
    except OSError as e:
        raise IngestError(gettext_noop("could not reach %(url)s: %(error)s"), url=url, error=e) from None
    length = response.headers.get("Content-Length")
    encoded = response.headers.get("Content-Encoding")
    size = int(length) if length and length.isdigit() and not encoded else None
    return response, size


def _iter_url(url: str, timeout: float, max_pages: int) -> Iterator[OcdsItem]:
    """One URL, then the pages its `links.next` points to (OCDS API paging), at most `max_pages`."""
    seen: set[str] = set()
    next_url: str | None = url
    while next_url and next_url not in seen and len(seen) < max_pages:
        seen.add(next_url)
        current = next_url
        response, size = _open_url(current, timeout)
        try:
            inp = _prepare(current, response, size, keep_tail=True)
            yield from _iter_document(inp, jsonl_hint=current.split("?")[0].lower().endswith(_JSONL_SUFFIXES))
            next_url = _sniff(inp.head).next_link or _next_link_in_tail(inp.stream.tail or b"")
        finally:
            response.close()
        if next_url and not next_url.startswith(("http://", "https://")):
            next_url = None


def _next_link_in_tail(tail: bytes) -> str | None:
    """An API page usually ends with `"links": {"next": …}` after the releases. The streaming parser
    has passed it, so look for it in the last bytes read."""
    at = tail.rfind(b'"links"')
    if at < 0:
        return None
    text = tail[at + len(b'"links"') :].decode("utf-8", "replace").lstrip()
    if not text.startswith(":"):
        return None
    text = text[1:].lstrip()
    try:
        links, end = json.JSONDecoder().raw_decode(text)
    except ValueError:
        return None
    if "]" in text[end:]:  # an array closes after it: these links were inside a release, not the page's
        return None
    link = links.get("next") if isinstance(links, dict) else None
    return link if isinstance(link, str) else None


def iter_ocds(location: str | os.PathLike[str], *, timeout: float = 60, max_pages: int = 1000) -> Iterator[OcdsItem]:
    """Every release and record in a file, a directory (recursive) or an http(s) URL.

    Raises IngestError when the input as a whole cannot be read (possibly after some items were
    yielded: a truncated file). Items that cannot be used are yielded with a RejectedItem as `data`.
    Records are yielded whole (kind="record"); compiling or merging them is the caller's choice."""
    text = os.fspath(location)
    if text.startswith(("http://", "https://")):
        yield from _iter_url(text, timeout, max_pages)
        return
    path = Path(text)
    if path.is_dir():
        yield from _iter_directory(path)
    else:
        yield from _iter_file(path)
