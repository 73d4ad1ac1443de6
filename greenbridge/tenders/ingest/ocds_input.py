"""The bytes of an OCDS input, before any JSON is read: gzip undone, the head checked (empty, UTF-16, a binary
file, not UTF-8, XML), every chunk counted (for error positions), held to a size limit, its nesting measured
(nesting.py), and the tail kept for a URL's next page. ocds_readers.py reads the JSON from `_Input.stream`."""

from __future__ import annotations

import gzip
import io
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, BinaryIO

from django.utils.translation import gettext_noop

from .nesting import Nesting
from .types import IngestError, Said

HEAD_BYTES = 256 * 1024
_TAIL_BYTES = 64 * 1024  # kept for URLs, to find an API page's `links.next` written after the releases
_GZIP_MAGIC = b"\x1f\x8b"
_UTF8_BOM = b"\xef\xbb\xbf"
_SIGNATURES = (  # what a binary file is, so the message can say so
    (b"\x89PNG", gettext_noop("a PNG image")),
    (b"%PDF", gettext_noop("a PDF document")),
    (b"PK\x03\x04", gettext_noop("a ZIP archive: unzip it first")),
    (b"\xff\xd8\xff", gettext_noop("a JPEG image")),
    (b"GIF8", gettext_noop("a GIF image")),
    (b"BZh", gettext_noop("a bzip2 archive")),
    (b"\xfd7zXZ", gettext_noop("an xz archive")),
    (b"7z\xbc\xaf", gettext_noop("a 7-Zip archive")),
    (b"\xd0\xcf\x11\xe0", gettext_noop("an Office file")),
)


class _TooLarge(IngestError):
    pass


class _Chained(io.RawIOBase):
    """The head we already read, then the rest of the stream. Counts bytes (for error positions),
    enforces an optional size limit, keeps an optional tail, and turns read failures (broken gzip,
    dropped connection) into IngestError."""

    def __init__(self, head: bytes, rest: BinaryIO, *, keep_tail: bool = False, json: bool = True) -> None:
        super().__init__()
        self._head = head
        self._rest = rest
        self.consumed = 0
        self.limit: int | None = None
        self.tail = b"" if keep_tail else None
        self.nesting = Nesting() if json else None  # not for the compressed bytes under a gzip stream

    def readable(self) -> bool:
        return True

    def read(self, size: int = -1) -> bytes:
        if self._head:
            data = self._head if size < 0 else self._head[:size]
            self._head = self._head[len(data) :]
        else:
            try:
                data = self._rest.read(size)
            except EOFError as e:
                raise IngestError(
                    gettext_noop("the gzip data ends too early: the file or download is truncated")
                ) from e
            except (OSError, zlib.error) as e:
                raise IngestError(
                    gettext_noop("reading the data failed after %(bytes)s bytes: %(error)s"),
                    bytes=self.consumed,
                    error=e,
                ) from e
        self.consumed += len(data)
        if self.nesting is not None:
            self.nesting.feed(data, self.consumed)
        if self.limit is not None and self.consumed > self.limit:
            raise _TooLarge(
                gettext_noop("this single document is larger than the limit of %(limit)s bytes"),
                limit=self.limit,
            )
        if self.tail is not None and data:
            self.tail = (self.tail + data)[-_TAIL_BYTES:]
        return data

    def readinto(self, buffer: Any) -> int:
        data = self.read(len(buffer))
        buffer[: len(data)] = data
        return len(data)


def _read_upto(stream: BinaryIO, size: int) -> bytes:
    """Exactly `size` bytes unless the stream ends first (read() may return less)."""
    parts, got = [], 0
    while got < size:
        data = stream.read(size - got)
        if not data:
            break
        parts.append(data)
        got += len(data)
    return b"".join(parts)


@dataclass
class _Input:
    name: str  # the position prefix: a path or a URL
    stream: _Chained
    head: bytes  # decompressed, without BOM
    at_eof: bool  # the head is the whole document
    size: int | None  # bytes on disk / Content-Length, when known and not compressed
    reopen: Callable[[], _Input] | None = None  # the same input again from its start (files only)


def _prepare(name: str, raw: BinaryIO, size: int | None, *, keep_tail: bool = False) -> _Input:
    """Decompress if gzip, read and check the head; the returned stream starts at the document's start."""
    try:
        first = _read_upto(raw, HEAD_BYTES)
    except OSError as e:
        raise IngestError(gettext_noop("could not read %(name)s: %(error)s"), name=name, error=e) from e
    source: BinaryIO = raw
    if first[:2] == _GZIP_MAGIC:
        source = gzip.GzipFile(fileobj=_Chained(first, raw, json=False), mode="rb")  # type: ignore[arg-type]
        size = None
        try:
            first = _read_upto(source, HEAD_BYTES)
        except (OSError, EOFError, zlib.error) as e:
            raise IngestError(gettext_noop("this gzip file is damaged or truncated: %(error)s"), error=e) from e
    at_eof = len(first) < HEAD_BYTES
    head = first[3:] if first.startswith(_UTF8_BOM) else first
    _check_head(head, at_eof)
    return _Input(name, _Chained(head, source, keep_tail=keep_tail), head, at_eof, size)


def _check_head(head: bytes, at_eof: bool) -> None:
    """Refuse, with a plain reason, what is obviously not UTF-8 JSON text."""
    if not head.strip():
        raise IngestError(
            gettext_noop("the file is empty") if not head else gettext_noop("the file contains only whitespace")
        )
    if head[:2] in (b"\xff\xfe", b"\xfe\xff") or _looks_utf16(head[:64]):
        raise IngestError(gettext_noop("this text is UTF-16 (or UTF-32) encoded; OCDS JSON must be UTF-8: convert it"))
    for magic, what in _SIGNATURES:
        if head.startswith(magic):
            raise IngestError(gettext_noop("this is a binary file (%(kind)s), not JSON text"), kind=Said(what))
    sample = head[:4096]
    controls = sum(1 for b in sample if b < 9 or 13 < b < 32)
    if b"\x00" in sample or controls > len(sample) // 20:
        raise IngestError(gettext_noop("this is a binary file, not JSON text"))
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as e:
        # A multi-byte character cut at the end of the head is fine when more follows.
        if at_eof or e.start < len(head) - 3:
            raise _not_utf8(head, e.start) from e
    if head.lstrip()[:1] == b"<":
        raise IngestError(gettext_noop("this looks like XML or HTML, not JSON"))


def _looks_utf16(sample: bytes) -> bool:
    """UTF-16 without a BOM: many zero bytes, all at even or all at odd offsets (JSON syntax is ASCII)."""
    if len(sample) < 4:
        return False
    even, odd = sample[0::2].count(0), sample[1::2].count(0)
    return (even == 0 and odd > len(sample) // 4) or (odd == 0 and even > len(sample) // 4)


# Text that is not UTF-8: the first byte that is not (at an offset in the head), or about where (further on, after
# `bytes` were read); and whether the whole head reads as Windows-1252.
_NOT_UTF8 = {
    ("at", False): gettext_noop(
        "this file is not UTF-8 text (byte 0x%(byte)s at offset %(offset)s): OCDS JSON must be UTF-8. "
        "Convert it to UTF-8 first"
    ),
    ("at", True): gettext_noop(
        "this file is not UTF-8 text (byte 0x%(byte)s at offset %(offset)s): OCDS JSON must be UTF-8; "
        "it looks like Latin-1 or Windows-1252 text. Convert it to UTF-8 first"
    ),
    ("around", False): gettext_noop(
        "this file is not UTF-8 text: OCDS JSON must be UTF-8. Convert it to UTF-8 first (around byte %(bytes)s)"
    ),
    ("around", True): gettext_noop(
        "this file is not UTF-8 text: OCDS JSON must be UTF-8; it looks like Latin-1 or Windows-1252 text. "
        "Convert it to UTF-8 first (around byte %(bytes)s)"
    ),
}


def _not_utf8(data: bytes, offset: int | None, consumed: int = 0) -> IngestError:
    """`offset`: of the first byte that is not UTF-8 in `data`; None: somewhere after it, about `consumed` bytes in."""
    try:
        data.decode("cp1252")
        latin = True
    except UnicodeDecodeError:
        latin = False
    if offset is None:
        return IngestError(_NOT_UTF8["around", latin], bytes=consumed)
    return IngestError(_NOT_UTF8["at", latin], byte=f"{data[offset]:02X}", offset=offset)
