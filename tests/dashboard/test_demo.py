import os
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.utils import timezone

from greenbridge.tenders.models import Notice

pytestmark = pytest.mark.django_db


MOVED = 38  # the open real competitions of data/ (not the cancelled, unsuccessful or completed ones), but two
# "published" after their deadline at the source (an OCDS release's date): moved, they would be published in the future


def test_demo_setup_is_idempotent_and_loads_real_notices_and_a_labelled_history(data_dir):
    out = StringIO()
    call_command("demo_setup", "--data", str(data_dir), "--password", "pw-123456", stdout=out)
    first = Notice.objects.count()
    call_command("demo_setup", "--data", str(data_dir), "--password", "pw-123456", stdout=StringIO())
    text = out.getvalue()
    # Prozorro, Paraguay record + contract, 10 eForms examples, the 283 + 13 of the judged set's corpus, TED's 73;
    # and the market history, generated, every one of it saying so, none in an inbox.
    real = Notice.objects.exclude(source="generated")
    assert real.count() == 2 + 2 + 10 + 283 + 13 + 73 == 383
    generated = Notice.objects.filter(source="generated")
    assert first == Notice.objects.count() == 383 + generated.count() == 383 + 4000
    assert not generated.exclude(title__startswith="[Generated] ").exists()
    assert not generated.filter(matches__isnull=False).exists()
    assert "Market history: 4000 generated notices of 2016-2025 (labelled as generated)" in text
    assert not Notice.objects.filter(source_id__startswith="ocds-213czf").exists()  # the fictional record
    assert "rejected" not in text  # the eForms example that is invalid on purpose is not loaded
    assert "INVALID_cn_24_empty.xml" not in text
    assert f"Ingested {data_dir}/eforms/sdk_examples (10 files): 10 new, 0 updated, 0 unchanged" in text
    assert (
        "  2 items left out, as published: a record with only linked releases and no compiled release: nothing to read"
        in text
    )
    assert "ana@demo.greenbridge.example" in text
    # Real tenders of the past show as open, and say so; the second run moves nothing again.
    moved = Notice.objects.filter(demo_shift_days__isnull=False)
    assert moved.count() == MOVED
    assert all(n.deadline > timezone.now() and n.status == "active" for n in moved)  # not a cancelled one
    assert f"Moved the dates of {MOVED} real tenders later" in text
    assert "Demo brokerage event: 12 meetings scheduled and published" in text
    # The last alert run had the watches, as the next cron run would (the ones made during ingestion had none).
    from greenbridge.matching.models import MatchRun

    assert f"Alert run: {MOVED} notices matched against 3 watches" in text
    assert MatchRun.objects.order_by("-started", "-pk")[0].watches == 3
    # The demo SME's market closes first: its dashboard's "Deadlines in the next 7 days" is not empty.
    soon = moved.filter(deadline__lt=timezone.now() + timezone.timedelta(days=7)).order_by("deadline")
    assert soon[0].buyer_country == "MD"
    aquapure = Notice.objects.filter(matches__watch__organisation__name="AquaPure Systems SRL")
    assert aquapure.filter(pk__in=soon).values_list("title", flat=True)[0].startswith("Stație de epurare tip MMBR")


def _greenbridge(*args: str, data: Path) -> subprocess.CompletedProcess:
    repo = Path(__file__).resolve().parents[2]
    env = {**os.environ, "GREENBRIDGE_DATA_DIR": str(data), "PYTHONPATH": str(repo)}
    for name in ("DATABASE_URL", "CELERY_BROKER_URL", "DJANGO_SETTINGS_MODULE"):
        env.pop(name, None)
    return subprocess.run(
        [sys.executable, "-m", "greenbridge", *args], cwd=repo, env=env, capture_output=True, text=True, timeout=300
    )


@pytest.mark.own_database
def test_a_newcomers_commands_print_only_what_concerns_them(tmp_path):
    """`make demo` as a newcomer runs it, in a fresh process and data folder: nothing on stderr (the eager
    Celery set-up used to log "No hostname was supplied" on every command that starts a task), nothing
    rejected, and the ingest command of an operator is as quiet."""
    migrate = _greenbridge("migrate", "--no-input", data=tmp_path)
    assert (migrate.returncode, migrate.stderr) == (0, "")
    demo = _greenbridge("demo_setup", data=tmp_path)
    assert (demo.returncode, demo.stderr) == (0, "")
    assert "hostname" not in demo.stdout
    assert "rejected" not in demo.stdout
    assert "GreenBridge demo is ready on http://127.0.0.1:8000" in demo.stdout
    ingest = _greenbridge(
        "ingest", "eforms", "data/eforms/sdk_examples/cn_24_open.xml", "--source", "ted-again", data=tmp_path
    )
    assert (ingest.returncode, ingest.stderr) == (0, "")
    assert "hostname" not in ingest.stdout
