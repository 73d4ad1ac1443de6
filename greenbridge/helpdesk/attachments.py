"""What a help desk message may carry, by e-mail (intake) or from the web forms: at most MAX_FILES files of at most
MAX_UPLOAD_MB each, their type read from their content (filetype), never programs or scripts whatever they are
called. One check for both ways in; the files are kept in private storage and reached only through the ticket."""

from __future__ import annotations

import filetype
from django.conf import settings
from django.core.files.base import ContentFile
from django.utils.translation import gettext as _

from greenbridge.core.errors import Refused
from greenbridge.core.uploads import too_large

from .models import Attachment, Message

MAX_FILES = 10  # files of one message from the web (an e-mail's are each checked, whatever their number)
# Programs, scripts, pages that run scripts, macro documents and disk images: never stored, whatever they are called.
DANGEROUS_EXTENSIONS = {
    *("exe", "dll", "scr", "com", "bat", "cmd", "js", "jse", "vbs", "vbe", "ps1", "msi", "jar", "hta"),
    *("sh", "lnk", "pif", "cpl", "wsf", "wsh", "reg", "svg", "html", "htm", "xhtml", "mht", "docm", "xlsm", "pptm"),
    *("iso", "img", "vhd", "appx", "msix", "apk"),
}
_CONTROL = dict.fromkeys(range(32))  # control characters have no place in a file name
DANGEROUS_MIME = {"application/x-msdownload", "application/x-executable", "application/x-elf", "application/x-dosexec"}

File = tuple[str, bytes, str]  # (file name, content, type)


def checked(filename: str, data: bytes, declared: str = "") -> File:
    """The file as it is kept (a name without folders, its content, its type read from the content, else
    `declared`), or Refused saying why, with its name."""
    filename = (filename or "").translate(_CONTROL).replace("/", "_").replace("\\", "_").strip()[:200]
    if filename.strip(". ") == "":  # "", "." or "..": no name a file may be saved under
        filename = "attachment"
    check_size(filename, len(data))
    guessed = filetype.guess(data)
    kind = guessed.mime if guessed else (declared if data[:1].isascii() and declared else "application/octet-stream")
    # The extension a computer would open it with: Windows drops trailing dots and spaces ("evil.js." is evil.js).
    bare = filename.rstrip(". ")
    extension = bare.rsplit(".", 1)[-1].lower() if "." in bare else ""
    if extension in DANGEROUS_EXTENSIONS or kind in DANGEROUS_MIME or data[:2] == b"MZ" or data[:4] == b"\x7fELF":
        raise Refused(_("%(name)s: a program or script, not stored") % {"name": filename})
    return filename, data, kind[:120]


def check_size(filename: str, size: int) -> None:
    """Refused when a file is larger than MAX_UPLOAD_MB (a web upload is told before it is read)."""
    if too_large(size):
        raise Refused(_("%(name)s: larger than %(mb)s MB") % {"name": filename, "mb": settings.MAX_UPLOAD_MB})


def save(message: Message, files: list[File]) -> None:
    """Keep checked files with their message."""
    for filename, data, kind in files:
        attachment = Attachment(message=message, filename=filename, size=len(data), content_type=kind)
        attachment.file.save(filename, ContentFile(data), save=True)
