"""How deeply streamed JSON is nested, counted before a parser sees it (ocds_readers feeds every chunk it reads)."""

from django.utils.translation import gettext_noop

from .types import IngestError

MAX_DEPTH = 200  # OCDS nests about 10 levels; orjson, which writes the documents, refuses 255
_PIECE = 128  # brackets counted at once while they cannot reach the limit
_STRUCTURE = bytes(b for b in range(256) if b not in b'[]{}"')  # deleted: all but brackets and quotes


class Nesting:
    """How deeply the JSON read so far is nested, outside its strings, fed chunk after chunk.

    ijson keeps a path for each open level ("item.item.item…"), so memory grows with the square of the depth:
    400 kB of "[" took 22 GB. Each chunk is checked before the parser sees it, in a few C-speed passes over the
    bytes: escapes dropped, then everything but brackets and quotes, then each string without brackets (two
    quotes side by side); what is left, the brackets outside strings, is counted 128 at a time (one by one only
    near the limit). About 2 ms a megabyte."""

    def __init__(self) -> None:
        self.depth = 0
        self.in_string = False
        self._carry = b""  # backslashes at the end of a chunk: the escape they start is in the next one

    def feed(self, data: bytes, consumed: int) -> None:
        data = self._carry + data
        # An odd run of backslashes at the end: the last one escapes the next chunk's first byte.
        odd = (len(data) - len(data.rstrip(b"\\"))) % 2
        self._carry = b"\\" if odd else b""
        if odd:
            data = data[:-1]
        if b"\\" in data:
            data = data.replace(b"\\\\", b"").replace(b'\\"', b"")
        marks = data.translate(None, _STRUCTURE)
        if self.in_string:
            marks = b'"' + marks  # so that the first quote opens a string
        # Quotes side by side enclose no bracket: dropping them keeps every other quote's parity.
        parts = marks.replace(b'""', b"").split(b'"')
        self.in_string = len(parts) % 2 == 0
        depth = self.depth
        for outside in parts[::2]:
            for start in range(0, len(outside), _PIECE):
                piece = outside[start : start + _PIECE]
                opens = piece.count(b"[") + piece.count(b"{")
                if depth + opens <= MAX_DEPTH:  # cannot go past the limit within this piece
                    depth = max(depth + 2 * opens - len(piece), 0)
                    continue
                for c in piece:
                    if c == 91 or c == 123:  # [ {
                        depth += 1
                        if depth > MAX_DEPTH:
                            raise IngestError(
                                gettext_noop(
                                    "the JSON is nested more than %(depth)s levels deep (before byte %(byte)s); OCDS "
                                    "data nests about 10 levels: this is not OCDS, or it is built to exhaust the reader"
                                ),
                                depth=MAX_DEPTH,
                                byte=consumed,
                            )
                    elif depth:  # a stray closing bracket: the parser refuses it
                        depth -= 1
        self.depth = depth
