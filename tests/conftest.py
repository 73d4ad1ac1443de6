"""Fixtures shared by every test: the demo roles, and real notices ingested from data/."""

from pathlib import Path

import pytest

DATA = Path(__file__).resolve().parent.parent / "data"
ROLES = ("anonymous", "sme", "other_sme", "manager", "advisor", "operator")


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """Real hashing is slow on purpose; tests sign in hundreds of times."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _private_files(settings, tmp_path):
    """Uploaded private documents go to a temporary directory, not the data dir."""
    settings.STORAGES = {
        **settings.STORAGES,
        "private": {**settings.STORAGES["private"], "OPTIONS": {"location": tmp_path / "private", "base_url": None}},
    }


@pytest.fixture
def data_dir() -> Path:
    return DATA


@pytest.fixture
def demo(db):
    from greenbridge.core.demo import create_demo

    return create_demo(password="test-password-1")


@pytest.fixture
def users(demo):
    return demo.users


@pytest.fixture
def orgs(demo):
    return demo.orgs


@pytest.fixture
def client_for(client, users):
    """client_for("sme") -> a test client signed in as that role ("anonymous": not signed in)."""
    from django.test import Client

    def make(role: str) -> Client:
        c = Client()
        if role != "anonymous":
            c.force_login(users[role])
        return c

    return make


@pytest.fixture
def real_notices(db):
    """Every real sample notice in data/, ingested the way an operator would."""
    from greenbridge.tenders.services import notices_ingest

    return [
        notices_ingest(connector="ocds", location=str(DATA / "ocds" / "ukraine"), source="prozorro"),
        notices_ingest(connector="ocds", location=str(DATA / "ocds" / "other"), source="ocds"),
        notices_ingest(connector="eforms", location=str(DATA / "eforms" / "sdk_examples"), source="ted"),
    ]


@pytest.fixture
def demo_notices(db):
    """The real notices the demo loads, with the demo's source names (the judged set refers to them)."""
    from greenbridge.core.management.commands.demo_setup import sample_files
    from greenbridge.tenders.services import notices_ingest

    return [
        notices_ingest(connector=c, location=str(path), source=source)
        for c, paths, source in sample_files(DATA)
        for path in paths
    ]


def make_notice(source_id: str, **fields):
    """A notice stored and indexed as the ingestion pipeline stores it (CPV and sector rows, text index)."""
    from greenbridge.tenders import search
    from greenbridge.tenders.ingest.pipeline import _document
    from greenbridge.tenders.models import Notice, NoticeCpv, NoticeSector

    fields.setdefault("notice_type", "competition")
    fields.setdefault("status", "active")
    fields.setdefault("title", f"Notice {source_id}")
    notice = Notice.objects.create(source="test", source_id=source_id, content_hash=source_id, **fields)
    NoticeCpv.objects.bulk_create(
        NoticeCpv(notice=notice, code=c, is_main=i == 0) for i, c in enumerate(notice.cpv_codes)
    )
    NoticeSector.objects.bulk_create(NoticeSector(notice=notice, sector=s) for s in notice.green_sectors)
    search.index_documents([(notice.pk, _document(notice))])
    return notice
