"""A file over GREENBRIDGE_MAX_UPLOAD_MB stops being kept as soon as it passes the limit, not once it has been received.

Django's own handlers write an upload to a temporary file whatever its size, and the form refuses it after: a 5 GB
upload would have been written to disk first. `LimitUploadSize` comes first among the upload handlers
(settings.FILE_UPLOAD_HANDLERS): past the limit it passes no more of the file to the handlers after it, and the
request gets an `OversizedUpload` in its place. That one has the size the file had and no content, so the form
refuses it in words, by the size it checks before reading (partnering's evidence, the help desk's attachments), and
the rest of what was typed is shown again. What is left of the request is still read (the browser waits for its
answer) but not kept.

The operator's admin is not limited here (its forms save what they get; the web server's limit applies,
docs/operator-guide.md). An `OversizedUpload` cannot be stored: its content raises instead of being empty."""

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.core.files.uploadhandler import FileUploadHandler


def too_large(size: int) -> bool:
    """Whether `size` bytes are over GREENBRIDGE_MAX_UPLOAD_MB (the one definition: this handler and the forms)."""
    return size > settings.MAX_UPLOAD_MB * 1024 * 1024


class OversizedUpload(UploadedFile):
    """A file that was larger than the limit: its name, type and size, none of its content."""

    def __init__(self, name: str, content_type: str, size: int, charset: str | None):
        super().__init__(None, name, content_type, size, charset)

    def open(self, mode=None):
        raise ValueError(f"{self.name}: larger than {settings.MAX_UPLOAD_MB} MB, not kept")

    read = chunks = open

    def close(self) -> None:
        pass


class LimitUploadSize(FileUploadHandler):
    """Passes a file on to the next handlers while it is within the limit; past it, nothing more of it (settings)."""

    limited = True  # unless the request is the admin's (handle_raw_input)
    over = False  # the file being received has passed the limit

    def handle_raw_input(self, input_data, META, content_length, boundary, encoding=None):
        match = getattr(self.request, "resolver_match", None)
        self.limited = not (match and "admin" in match.namespaces)

    def new_file(self, *args, **kwargs) -> None:
        super().new_file(*args, **kwargs)
        self.over = False

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes | None:
        if self.over or (self.limited and too_large(start + len(raw_data))):
            self.over = True
            return None  # the handlers after this one get no more of the file
        return raw_data

    def file_complete(self, file_size: int) -> UploadedFile | None:
        if self.over:
            return OversizedUpload(self.file_name, self.content_type, file_size, self.charset)
        return None  # the next handler's file (in memory or a temporary file)
