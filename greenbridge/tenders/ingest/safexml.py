"""Parse untrusted XML bytes safely.

Notices come from the internet and from files users upload, so the parser must never expand
entities, fetch anything over the network, read local files or build huge trees. On top of the
hardened lxml parser, any document type declaration is refused outright: the XML formats read here
(eForms, UBL) never have one, so a DOCTYPE or an ENTITY declaration can only mean hostile input
(billion laughs, external entities such as file:///etc/passwd, external DTDs over http).

Errors are ValueError subclasses whose message reads after "… is" ("empty", "not well-formed XML
(line 3, column 5: …)"), so callers can say "notice.xml is empty" or "the document is empty".
"""

import re
import threading

from django.utils.translation import gettext_noop
from lxml import etree

from .types import SaidError

__all__ = ["BinaryData", "EmptyXml", "MalformedXml", "UnsafeXml", "XmlError", "parse_xml"]


class XmlError(SaidError, ValueError):
    """The bytes cannot be used as XML. The message is plain words, to follow "… is" (said in the reader's
    language as a part of the sentence that says it: "this file is %(problem)s")."""


class EmptyXml(XmlError):
    pass


class BinaryData(XmlError):
    pass


class MalformedXml(XmlError):
    pass


class UnsafeXml(XmlError):
    pass


_UNSAFE = gettext_noop("refused for safety: it has a DOCTYPE or entity declarations (XML read here never does)")

# Byte-order marks of the UTF-16/32 encodings, which legitimately contain NUL bytes.
_WIDE_BOMS = (b"\xff\xfe", b"\xfe\xff", b"\x00\x00\xfe\xff")
_DECLARATION = re.compile(rb"<!\s*(?:DOCTYPE|ENTITY)", re.IGNORECASE)
# Control bytes never found in text XML in an 8-bit or UTF-8 encoding (tab, LF, CR are fine).
_CONTROL = re.compile(rb"[\x00-\x08\x0b\x0c\x0e-\x1f]")
_SCAN_BYTES = 64 * 1024

# lxml parsers are not thread-safe: each thread gets its own (ingestion may run in workers).
_local = threading.local()


def _parser() -> etree.XMLParser:
    parser = getattr(_local, "parser", None)
    if parser is None:
        parser = etree.XMLParser(
            resolve_entities=False,
            no_network=True,
            load_dtd=False,
            dtd_validation=False,
            huge_tree=False,
            remove_pis=True,
            # Comments sit inside data elements in real notices (<cbc:Name><!--BT-500-->…):
            # dropping them keeps element text whole.
            remove_comments=True,
        )
        _local.parser = parser
    return parser


def _is_wide(head: bytes) -> bool:
    """UTF-16/32 text, with a byte-order mark or starting with '<' next to a NUL."""
    return head.startswith(_WIDE_BOMS) or head[:2] in (b"<\x00", b"\x00<")


def _precheck(data: bytes) -> None:
    """Refuse the obvious before libxml2 sees it: nothing, binary data, a DOCTYPE."""
    if not data or data.isspace():
        raise EmptyXml(gettext_noop("empty"))
    head = data[:_SCAN_BYTES]
    if _is_wide(head):
        # ASCII markup in UTF-16/32 is the same bytes with NULs in between.
        head = head.replace(b"\x00", b"")
    elif _CONTROL.search(head[:1024]):
        raise BinaryData(gettext_noop("binary data, not XML"))
    if _DECLARATION.search(head):
        raise UnsafeXml(_UNSAFE)


def _malformed(error: etree.XMLSyntaxError) -> MalformedXml:
    entry = error.error_log.last_error if error.error_log else None
    if entry is not None:
        return MalformedXml(
            gettext_noop("not well-formed XML (line %(line)s, column %(column)s: %(error)s)"),
            line=entry.line,
            column=entry.column,
            error=entry.message.strip(),
        )
    return MalformedXml(gettext_noop("not well-formed XML (%(error)s)"), error=error.msg)


def parse_xml(data: bytes) -> etree._Element:
    """The root element of `data`. Raises EmptyXml, BinaryData, MalformedXml or UnsafeXml.

    The encoding comes from the byte-order mark or the XML declaration (lxml reads it)."""
    _precheck(data)
    try:
        root = etree.fromstring(data, _parser())
    except etree.XMLSyntaxError as e:
        raise _malformed(e) from None
    docinfo = root.getroottree().docinfo
    # The byte scan covers the usual prologue; this covers the rest (a DOCTYPE after 64 KB of
    # comments, exotic encodings). Nothing was expanded or fetched while parsing.
    if docinfo.doctype or docinfo.internalDTD is not None or docinfo.system_url:
        raise UnsafeXml(_UNSAFE)
    return root
