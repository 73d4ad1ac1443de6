"""Where XML notices come from: a file, a directory, a .zip or tar archive, and archives of archives.

TED publishes its notices in daily packages (a .tar.gz of one day's XML files) and monthly packages
(an archive of the month's daily packages), so an archive member that is itself an archive is read
too, one level down. Everything is streamed: a member is read into memory only when it is one XML
document (at most INGEST_MAX_DOCUMENT_BYTES); an archive inside a tar archive is read as a stream
from its parent, an archive inside a zip archive likewise (a zip inside a tar goes through a temporary
file, as zip needs to seek). Nothing is ever extracted to disk under its own name.

    iter_documents(location, build) -> SourceItems    (build: root element, bytes -> NoticeData)
"""

import logging
import os
import re
import shutil
import tarfile
import tempfile
import zipfile
import zlib
from collections.abc import Callable, Generator, Iterator
from pathlib import Path
from typing import IO

from django.conf import settings
from django.utils.translation import gettext_noop
from lxml import etree

from .safexml import XmlError, parse_xml
from .types import IngestError, NoticeData, RejectedItem, SourceItem

__all__ = ["DEFAULT_MAX_DOCUMENT_BYTES", "iter_documents"]

log = logging.getLogger(__name__)

DEFAULT_MAX_DOCUMENT_BYTES = 50 * 1024 * 1024
# An archive inside an archive is read (TED's monthly packages hold daily ones); one inside that is not.
MAX_NESTING = 1

Build = Callable[[etree._Element, bytes], NoticeData]
# What reading a damaged archive raises (zlib and EOF for a truncated .gz stream).
_ARCHIVE_ERRORS = (tarfile.TarError, zipfile.BadZipFile, OSError, EOFError, zlib.error)
_TAR_SUFFIXES = (".tar", ".tar.gz", ".tgz", ".tar.bz2", ".tbz2", ".tar.xz", ".txz")


def _max_bytes() -> int:
    if settings.configured:
        return int(getattr(settings, "INGEST_MAX_DOCUMENT_BYTES", DEFAULT_MAX_DOCUMENT_BYTES))
    return DEFAULT_MAX_DOCUMENT_BYTES


def _too_large(limit: int) -> RejectedItem:
    return RejectedItem(
        gettext_noop("too large: more than %(limit)s bytes (setting INGEST_MAX_DOCUMENT_BYTES)"), limit=f"{limit:,}"
    )


def _build(position: str, root: etree._Element, data: bytes, build: Build) -> SourceItem:
    try:
        return SourceItem(position, build(root, data))
    except RejectedItem as e:
        return SourceItem(position, e)
    except Exception as e:  # a shape the reader did not foresee: this document alone is rejected
        log.warning("document %s rejected: %r", position, e, exc_info=True)
        return SourceItem(position, RejectedItem(gettext_noop("could not be read: %(error)s"), error=repr(e)))


def _item(position: str, data: bytes, limit: int, build: Build) -> SourceItem:
    """A document inside a directory or an archive: any problem rejects this one only.
    `data` was read with at most limit + 1 bytes, so memory stays bounded whatever sizes claim."""
    if len(data) > limit:
        return SourceItem(position, _too_large(limit))
    try:
        root = parse_xml(data)
    except XmlError as e:
        return SourceItem(position, RejectedItem(gettext_noop("this file is %(problem)s"), problem=e))
    return _build(position, root, data, build)


def _hidden(name: str) -> bool:
    """macOS metadata ("__MACOSX/", "._notice.xml")."""
    return name.rsplit("/", 1)[-1].startswith("._") or "__MACOSX/" in name


def _is_notice_name(name: str) -> bool:
    return name.lower().endswith(".xml") and not _hidden(name)


def _is_archive_name(name: str) -> bool:
    lower = name.lower()
    return (lower.endswith(".zip") or lower.endswith(_TAR_SUFFIXES)) and not _hidden(name)


def _unsafe_name(name: str) -> bool:
    """An absolute path, a drive letter or a ".." step: nothing is extracted to disk, but such a
    name in an archive is a sign of a hostile one."""
    parts = name.replace("\\", "/").split("/")
    return name.startswith(("/", "\\")) or ".." in parts or bool(re.match(r"^[A-Za-z]:", name))


def _member(archive: str, name: str, size: int, limit: int) -> SourceItem | None:
    """None when the member should be read; else what to yield instead."""
    position = f"{archive}:{name}"
    if _unsafe_name(name):
        return SourceItem(
            position,
            RejectedItem(gettext_noop("refused: its name in the archive is an absolute path or goes up with '..'")),
        )
    if size > limit:  # the declared size; reads are bounded too, as declarations can lie
        return SourceItem(position, _too_large(limit))
    return None


# Each reader below yields the items of one archive and returns how many documents and archives it
# held, so that an input with none of either says so.
Members = Generator[SourceItem, None, int]


def _nested(position: str, opener: Callable[[], IO[bytes]], name: str, depth: int, build: Build) -> Members:
    """An archive inside an archive. If it cannot be read, it is rejected and its parent goes on."""
    if depth >= MAX_NESTING:
        yield SourceItem(
            position, RejectedItem(gettext_noop("an archive inside an archive inside an archive: not read"))
        )
        return 1
    try:
        with opener() as stream:
            if name.lower().endswith(".zip"):
                # zip reads its directory at the end: spooled to a temporary file (memory stays bounded).
                with tempfile.TemporaryFile() as copy:
                    shutil.copyfileobj(stream, copy, 1024 * 1024)
                    copy.seek(0)
                    with zipfile.ZipFile(copy) as archive:
                        yield from _zip_members(archive, position, depth + 1, build)
            else:
                with tarfile.open(fileobj=stream, mode="r|*") as archive:
                    yield from _tar_members(archive, position, depth + 1, build)
    except IngestError as e:
        yield SourceItem(position, RejectedItem(e))
    except _ARCHIVE_ERRORS as e:
        yield SourceItem(position, RejectedItem(gettext_noop("cannot be read as an archive: %(error)s"), error=e))
    return 1


def _zip_members(archive: zipfile.ZipFile, location: str, depth: int, build: Build) -> Members:
    limit = _max_bytes()
    members = [
        i
        for i in archive.infolist()
        if not i.is_dir() and (_is_notice_name(i.filename) or _is_archive_name(i.filename))
    ]
    for info in members:
        position = f"{location}:{info.filename}"
        if _is_archive_name(info.filename) and not _unsafe_name(info.filename):
            yield from _nested(position, lambda info=info: archive.open(info), info.filename, depth, build)
            continue
        if skip := _member(location, info.filename, info.file_size, limit):
            yield skip
            continue
        if info.flag_bits & 0x1:
            yield SourceItem(position, RejectedItem(gettext_noop("encrypted in the archive: cannot be read")))
            continue
        try:
            with archive.open(info) as f:
                data = f.read(limit + 1)
        except (zipfile.BadZipFile, NotImplementedError, OSError, EOFError, ValueError, zlib.error) as e:
            yield SourceItem(
                position, RejectedItem(gettext_noop("cannot be read from the archive: %(error)s"), error=e)
            )
            continue
        yield _item(position, data, limit, build)
    return len(members)


def _tar_members(archive: tarfile.TarFile, location: str, depth: int, build: Build) -> Members:
    """Members in order, one at a time: `next()` rather than iteration, and the archive's list of
    members emptied as it goes (tarfile keeps every header otherwise: a monthly package has
    tens of thousands)."""
    limit = _max_bytes()
    found = 0
    while True:
        try:
            info = archive.next()
        except _ARCHIVE_ERRORS as e:
            raise IngestError(
                gettext_noop("cannot read %(location)s: the archive is damaged (%(error)s)"), location=location, error=e
            ) from None
        if info is None:
            break
        archive.members.clear()
        # Regular files only: links and devices are never followed.
        if not info.isfile():
            continue
        if _is_archive_name(info.name) and not _unsafe_name(info.name):
            found += 1
            yield from _nested(
                f"{location}:{info.name}", lambda info=info: archive.extractfile(info), info.name, depth, build
            )
            continue
        if not _is_notice_name(info.name):
            continue
        found += 1
        if skip := _member(location, info.name, info.size, limit):
            yield skip
            continue
        try:
            f = archive.extractfile(info)
            data = f.read(limit + 1) if f else b""
        except _ARCHIVE_ERRORS as e:
            raise IngestError(
                gettext_noop("cannot read %(location)s: the archive is damaged (%(error)s)"), location=location, error=e
            ) from None
        yield _item(f"{location}:{info.name}", data, limit, build)
    return found


def _iter_zip(path: Path, location: str, build: Build) -> Iterator[SourceItem]:
    try:
        archive = zipfile.ZipFile(path)
    except zipfile.BadZipFile:
        raise IngestError(gettext_noop("cannot read %(location)s: not a zip archive"), location=location) from None
    except OSError as e:
        raise IngestError(
            gettext_noop("cannot read %(location)s: %(error)s"), location=location, error=e.strerror or e
        ) from None
    with archive:
        if not (yield from _zip_members(archive, location, 0, build)):
            raise IngestError(gettext_noop("%(location)s contains no .xml files"), location=location)


def _iter_tar(path: Path, location: str, build: Build) -> Iterator[SourceItem]:
    try:
        archive = tarfile.open(path, "r:*")  # noqa: SIM115 (closed by the with below, once open)
    except _ARCHIVE_ERRORS as e:
        raise IngestError(
            gettext_noop("cannot read %(location)s: not a tar archive, or a damaged one (%(error)s)"),
            location=location,
            error=e,
        ) from None
    with archive:
        if not (yield from _tar_members(archive, location, 0, build)):
            raise IngestError(gettext_noop("%(location)s contains no .xml files"), location=location)


def _read(path: Path, limit: int) -> bytes:
    with path.open("rb") as f:
        return f.read(limit + 1)


def _iter_directory(path: Path, location: str, build: Build) -> Iterator[SourceItem]:
    """Every .xml file under the directory, and every archive (a folder of TED's daily packages)."""
    limit = _max_bytes()
    files = sorted(
        Path(top) / name
        for top, _dirs, names in os.walk(path)  # symlinked dirs not followed
        for name in names
        if _is_notice_name(name) or _is_archive_name(name)
    )
    if not files:
        raise IngestError(gettext_noop("%(location)s contains no .xml files"), location=location)
    for file in files:
        if _is_archive_name(file.name):
            try:
                yield from _iter_archive(file, str(file), build)
            except IngestError as e:  # one damaged archive in a folder: that one is rejected
                yield SourceItem(str(file), RejectedItem(e))
            continue
        try:
            data = _read(file, limit)
        except OSError as e:
            yield SourceItem(str(file), RejectedItem(gettext_noop("cannot be read: %(error)s"), error=e.strerror or e))
            continue
        yield _item(str(file), data, limit, build)


def _iter_file(path: Path, location: str, build: Build) -> Iterator[SourceItem]:
    """A single XML file: if it cannot be read as XML at all, the whole input fails."""
    limit = _max_bytes()
    try:
        data = _read(path, limit)
    except OSError as e:
        raise IngestError(
            gettext_noop("cannot read %(location)s: %(error)s"), location=location, error=e.strerror or e
        ) from None
    if len(data) > limit:
        yield SourceItem(location, _too_large(limit))
        return
    try:
        root = parse_xml(data)
    except XmlError as e:
        raise IngestError(gettext_noop("%(location)s is %(problem)s"), location=location, problem=e) from None
    yield _build(location, root, data, build)


def _iter_archive(path: Path, location: str, build: Build) -> Iterator[SourceItem]:
    """A file: a zip or a tar archive (by its name or its first bytes), else one XML document."""
    try:
        with path.open("rb") as f:
            head = f.read(4)
    except OSError as e:
        raise IngestError(
            gettext_noop("cannot read %(location)s: %(error)s"), location=location, error=e.strerror or e
        ) from None
    if not head:
        raise IngestError(gettext_noop("%(location)s is empty"), location=location)
    name = path.name.lower()
    if name.endswith(".zip") or head.startswith(b"PK\x03\x04"):
        yield from _iter_zip(path, location, build)
    elif name.endswith(_TAR_SUFFIXES) or head.startswith(b"\x1f\x8b"):
        yield from _iter_tar(path, location, build)
    else:
        yield from _iter_file(path, location, build)


def iter_documents(location: str | Path, build: Build) -> Iterator[SourceItem]:
    """Every XML document of a file, a directory (recursively: *.xml and archives), a .zip or a
    tar archive (.tar.gz, .tgz, …), an archive's archives included, each made a NoticeData by
    `build`. Raises IngestError when the input as a whole cannot be read; one bad document (or one
    damaged archive inside another) is a RejectedItem and the others go on."""
    location = str(location)
    path = Path(location)
    if not path.exists():
        raise IngestError(gettext_noop("no such file or directory: %(location)s"), location=location)
    if path.is_dir():
        yield from _iter_directory(path, location, build)
    else:
        yield from _iter_archive(path, location, build)
