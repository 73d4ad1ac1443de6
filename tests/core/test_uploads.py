"""A file over the upload limit stops being kept as it passes the limit (core/uploads.py), and the form says so."""

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.files.uploadhandler import TemporaryFileUploadHandler
from django.urls import reverse

from greenbridge.core.uploads import LimitUploadSize, OversizedUpload
from greenbridge.helpdesk.models import Queue, Ticket

MB = 1024 * 1024


@pytest.fixture
def kept_bytes(monkeypatch) -> dict[str, int]:
    """How many bytes of each file Django's handler for large requests was given to write to a temporary file (the
    handler in memory takes requests under 2.5 MB and passes the others' chunks on to it)."""
    given: dict[str, int] = {}
    original = TemporaryFileUploadHandler.receive_data_chunk

    def spy(self, raw_data, start):
        given[self.file_name] = given.get(self.file_name, 0) + len(raw_data)
        return original(self, raw_data, start)

    monkeypatch.setattr(TemporaryFileUploadHandler, "receive_data_chunk", spy)
    return given


def test_a_file_over_the_limit_is_not_kept_past_it_and_the_form_says_so(client_for, settings, kept_bytes):
    settings.MAX_UPLOAD_MB = 1
    queue = Queue.objects.get(slug="danube-procurement")
    before = Ticket.objects.count()
    page = client_for("sme").post(
        reverse("helpdesk:new"),
        {
            "queue": queue.pk,
            "subject": "Our drawings",
            "text": "The site plan is attached.",
            "attachments": [
                SimpleUploadedFile("plan.pdf", b"%PDF-1.4\n" + b"0" * (6 * MB), "application/pdf"),
                SimpleUploadedFile("note.pdf", b"%PDF-1.4\n%%EOF\n", "application/pdf"),
            ],
        },
    )
    assert page.status_code == 200
    text = page.content.decode()
    assert "plan.pdf: larger than 1 MB" in text  # refused in words, by its real size
    assert "The site plan is attached.</textarea>" in text  # what was typed comes back
    assert Ticket.objects.count() == before
    # Of the 6 MB file, no more than the limit reached Django's handler (the parser's chunks are 64 kB).
    assert MB - 64 * 1024 < kept_bytes["plan.pdf"] <= MB
    assert kept_bytes["note.pdf"] == len(b"%PDF-1.4\n%%EOF\n")  # the next file is kept whole


def test_a_file_within_the_limit_is_kept_whole(client_for, settings):
    settings.MAX_UPLOAD_MB = 1
    queue = Queue.objects.get(slug="danube-procurement")
    pdf = b"%PDF-1.4\n" + b"0" * (MB - 100) + b"\n%%EOF\n"
    client_for("sme").post(
        reverse("helpdesk:new"),
        {
            "queue": queue.pk,
            "subject": "Just under",
            "text": "Within the limit.",
            "attachments": [SimpleUploadedFile("under.pdf", pdf, "application/pdf")],
        },
    )
    (kept,) = Ticket.objects.get(subject="Just under").messages.get().attachments.all()
    assert kept.size == len(pdf)
    with kept.file.open("rb") as handle:
        assert handle.read() == pdf


def test_a_file_over_the_limit_cannot_be_stored_by_mistake(settings):
    settings.MAX_UPLOAD_MB = 1
    refused = OversizedUpload("big.pdf", "application/pdf", 20 * MB, None)
    assert refused.size == 20 * MB
    assert refused  # a file the form sees, by its name
    with pytest.raises(ValueError, match=r"big\.pdf: larger than 1 MB, not kept"):
        default_storage.save("big.pdf", refused)  # an error, never an empty file taken for the upload
    default_storage.delete("big.pdf")
    assert default_storage.save("small.txt", ContentFile(b"kept")) == "small.txt"
    default_storage.delete("small.txt")


@pytest.mark.parametrize(("namespaces", "passed"), [([], 2), (["admin"], 12)])
def test_the_admin_is_not_limited_by_it(rf, settings, namespaces, passed):
    """The operator's admin saves what it gets (the web server's limit applies to it)."""
    settings.MAX_UPLOAD_MB = 1
    request = rf.post("/")
    request.resolver_match = type("Match", (), {"namespaces": namespaces})()
    handler = LimitUploadSize(request)
    handler.handle_raw_input(None, {}, 6 * MB, "boundary")
    handler.new_file("file", "big.bin", "application/octet-stream", 6 * MB)
    half = MB // 2
    chunks = [handler.receive_data_chunk(b"0" * half, i * half) for i in range(12)]
    assert sum(chunk is not None for chunk in chunks) == passed
    completed = handler.file_complete(6 * MB)
    assert (completed.size if completed else None) == (None if namespaces else 6 * MB)
