"""Fixtures shared by every test: the demo roles, and real notices ingested from data/."""

import shutil
from contextlib import contextmanager
from pathlib import Path

import pytest

DATA = Path(__file__).resolve().parent.parent / "data"
ROLES = ("anonymous", "sme", "other_sme", "manager", "advisor", "operator")


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """Real hashing is slow on purpose; tests sign in hundreds of times."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _site_language():
    """Each test starts in the site's language: a page requested in another language leaves it active in the
    thread (Django's LocaleMiddleware does not put it back), and the next test's messages would be in it."""
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.deactivate()


@pytest.fixture(autouse=True, scope="session")
def _requests_keep_the_tests_language():
    """A test client's request in another language leaves the test in the language it was in: the page's
    LocaleMiddleware activates the page's language in this thread, and a test that asked for a Ukrainian page had
    its later messages, made or compared, in Ukrainian."""
    from django.test.client import ClientHandler
    from django.utils import translation

    original = ClientHandler.__call__

    def in_its_own_language(self, environ):
        with translation.override(translation.get_language()):
            return original(self, environ)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(ClientHandler, "__call__", in_its_own_language)
        yield


@pytest.fixture(autouse=True, scope="session")
def _static_files_listed_once():
    """Each test client builds its own middleware, and WhiteNoise's lists the static files of every app as it starts:
    432 of them (django-countries' flags, the admin's, django-htmx's…), 0.15 s a client, and a run makes thousands of
    clients (the permission table alone made 1,404). They are listed once per test process: they do not change during
    a run."""
    from whitenoise.middleware import WhiteNoiseMiddleware

    listed: dict = {}
    list_them = WhiteNoiseMiddleware.add_files_from_finders

    def add_files_from_finders(self) -> None:
        if listed:
            self.files.update(listed)
            return
        before = set(self.files)
        list_them(self)
        listed.update((url, found) for url, found in self.files.items() if url not in before)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(WhiteNoiseMiddleware, "add_files_from_finders", add_files_from_finders)
        yield


def _private_storage(settings, location: Path) -> dict:
    return {
        **settings.STORAGES,
        "private": {**settings.STORAGES["private"], "OPTIONS": {"location": location, "base_url": None}},
    }


@pytest.fixture(autouse=True)
def _private_files(request, settings, tmp_path):
    """Uploaded private documents go to a temporary directory, not the data dir. When the test's data was written
    once for its module (module_db), the directory starts as a copy of the module's files: a test that deletes one
    (a quarantined message released) leaves it to the next, as the rolled-back rows are."""
    location = tmp_path / "private"
    if "module_db" in request.fixturenames:
        shutil.copytree(request.getfixturevalue("module_db"), location)
    settings.STORAGES = _private_storage(settings, location)


_FLUSHED = pytest.StashKey[bool]()


@pytest.fixture(autouse=True)
def _flushed_at_teardown(request):
    """Notes a transactional test whose database was set up (pytest-django's autouse fixtures come first):
    Django empties every table when it ends. Told apart as pytest-django orders them (its marker reading)."""
    from pytest_django.fixtures import validate_django_db

    marker = request.node.get_closest_marker("django_db")
    transaction, reset_sequences, *_ = validate_django_db(marker) if marker is not None else (False, False)
    fixtures = request.fixturenames
    if transaction or reset_sequences or "transactional_db" in fixtures or "live_server" in fixtures:
        request.node.stash[_FLUSHED] = True


# The rows the migrations write, as they are once the test database is made: the code lists (9,454 CPV codes in 25
# languages, the NACE codes) and Django's content types and permissions. A transactional test's flush empties them.
_MIGRATION_TABLES = ("reference_cpvcode", "reference_nacecode", "django_content_type", "auth_permission")
_MIGRATION_ROWS: dict[str, tuple] = {}  # read once per test process


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """pytest-django's test database, and the rows its migrations wrote kept to be written back after a flush."""
    from tests.snapshot import _read

    with django_db_blocker.unblock():
        _MIGRATION_ROWS.update({table: _read(table) for table in _MIGRATION_TABLES})


def _write_migration_rows() -> None:
    """The migrations' rows back as they were first stored, with their ids (0.1 s). The flush's post_migrate
    signal has made content types and permissions again, under other ids on PostgreSQL: they are replaced. The
    full-text indexes, tables outside the models that the flush leaves as they were, are emptied too."""
    from django.contrib.contenttypes.models import ContentType
    from django.db import connection, transaction

    from greenbridge.knowledge.search import INDEX as articles
    from greenbridge.tenders.search import INDEX as notices
    from tests.snapshot import _write

    indexes = [index.sqlite_table if connection.vendor == "sqlite" else index.pg_table for index in (notices, articles)]
    with transaction.atomic(), connection.cursor() as cursor:
        for table in (*indexes, *reversed(_MIGRATION_TABLES)):  # the permissions before the content types
            cursor.execute(f'DELETE FROM "{table}"')  # noqa: S608 (our table names)
        for table in _MIGRATION_TABLES:
            _write(table, *_MIGRATION_ROWS[table])
    ContentType.objects.clear_cache()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item, nextitem):
    """Write the migrations' rows back once a transactional test has emptied every table. (Django's serialized
    rollback would too, but it saves its 10,800 objects one by one as every such test starts: 1.4 s a test on
    SQLite, 3–4.5 s on PostgreSQL; and it does not bring them back once ordinary tests have run before,
    pytest-dev/pytest-django#1117.) pytest-django runs the transactional tests after the other database tests, so
    only another transactional test, which used to load them itself, came next; with any other order, the tests a
    process ran next had no CPV or NACE codes."""
    result = yield
    # After the process's last test its test database is gone (dropped as the session ended): nothing to write.
    if item.stash.get(_FLUSHED, False) and nextitem is not None:
        from django.db import connections
        from pytest_django.plugin import blocking_manager_key

        with item.config.stash[blocking_manager_key].unblock():
            _write_migration_rows()
            # A PostgreSQL session left open here can outlive the run: DROP DATABASE then fails, "being accessed by
            # other users". The next test opens its own (an in-memory SQLite database ignores this). Once the browser
            # tests' session-wide Playwright has started, an event loop runs in this thread and Django keeps its
            # connections per asyncio context (asgiref.local.Local): connections["default"] here is then another
            # object than the one pytest-django set up and closes, so it is closed here.
            connections.close_all()
    return result


def pytest_addoption(parser):
    parser.addoption(
        "--database-tests-only",
        action="store_true",
        help="run only the tests that use the database (the PostgreSQL pass of make test: the others ran on SQLite)",
    )


# What a test that uses the test database requests, directly or through its fixtures (db, transactional_db,
# live_server, the demo's snapshot… all need django_db_setup); pytest-django blocks the others' queries.
_DATABASE_FIXTURE = "django_db_setup"


def pytest_collection_modifyitems(config, items):
    """With --database-tests-only, leave out the tests that cannot touch the database: pytest-django blocks their
    queries, and the commands they start in other processes get no DATABASE_URL, so they run the same on every
    database. So do those marked `own_database`: they use the test database only to prepare what other processes
    check on a database of their own (or none). make test runs them on its SQLite pass."""
    if not config.getoption("--database-tests-only"):
        return
    kept, left = [], []
    for item in items:
        uses = item.get_closest_marker("django_db") or _DATABASE_FIXTURE in getattr(item, "fixturenames", ())
        (kept if uses and not item.get_closest_marker("own_database") else left).append(item)
    if left:
        config.hook.pytest_deselected(items=left)
        items[:] = kept


@pytest.fixture
def data_dir() -> Path:
    return DATA


def take_snapshot(build, django_db_blocker, tmp_path_factory):
    """What `build` writes, run once in a transaction rolled back and kept as its rows and private files
    (tests/snapshot.py), for tests to restore."""
    from django.conf import settings
    from django.test import override_settings

    from tests.snapshot import Snapshot

    private = tmp_path_factory.mktemp("snapshot-private")
    storages = _private_storage(settings, private)
    with (
        django_db_blocker.unblock(),
        override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"], STORAGES=storages),
    ):
        return Snapshot.take(build, private)


@pytest.fixture(scope="session")
def _demo_snapshot(django_db_setup, django_db_blocker, tmp_path_factory):
    """The demo, built once per test process and kept as the rows it wrote (and its private files): most tests
    start from it, and building it through the ORM each time cost half a second a test."""
    from greenbridge.dashboard.demo import create_demo

    return take_snapshot(lambda: create_demo(password="test-password-1"), django_db_blocker, tmp_path_factory)


@pytest.fixture
def demo(request, db, _demo_snapshot):
    """The demo organisations, accounts and their data, as `create_demo` makes them (restored from the snapshot).
    A test whose module restored it once (module_demo) gets that one, its model instances read again: a test that
    changed one in memory (a service that sets an event's status) leaves the next the database's, rolled back."""
    if "module_demo" in request.fixturenames:
        return request.getfixturevalue("module_demo").read()
    return _demo_snapshot.restore()


@pytest.fixture(scope="module")
def module_db(django_db_setup, django_db_blocker, tmp_path_factory):
    """A transaction open for all of a module's tests and rolled back after its last one, with a directory for the
    private files they share: module-scoped fixtures that ask for it write their data once for the module (the demo:
    module_demo; the permission table's rows), and each test's own writes are undone as it ends, its `db`
    transaction a savepoint within this one (Django's TestCase.setUpTestData). The permission table's 234 rows had
    spent 0.15–0.3 s each restoring the demo and making its rows. Not for transactional tests."""
    from django.conf import settings
    from django.db import transaction
    from django.test import override_settings

    private = tmp_path_factory.mktemp("module-private")
    with (
        django_db_blocker.unblock(),
        override_settings(STORAGES=_private_storage(settings, private)),
        transaction.atomic(),
    ):
        yield private
        transaction.set_rollback(True)


@pytest.fixture(scope="module")
def module_demo(module_db, _demo_snapshot):
    """The demo restored once for the module (module_db); its tests' `demo` is this one."""
    _demo_snapshot.restore()
    return _demo_snapshot


@pytest.fixture
def users(demo):
    return demo.users


@pytest.fixture
def orgs(demo):
    return demo.orgs


def client_as(users: dict, role: str):
    """A test client signed in as that role of `users` ("anonymous": not signed in)."""
    from django.test import Client

    client = Client()
    if role != "anonymous":
        client.force_login(users[role])
    return client


@pytest.fixture
def client_for(client, users):
    """client_for("sme") -> a test client signed in as that role ("anonymous": not signed in)."""
    return lambda role: client_as(users, role)


def ingest_real_notices() -> list:
    """Every real sample notice in data/, ingested the way an operator would: the ingestion runs."""
    from greenbridge.tenders.services import notices_ingest

    return [
        notices_ingest(connector="ocds", location=str(DATA / "ocds" / "ukraine"), source="prozorro"),
        notices_ingest(connector="ocds", location=str(DATA / "ocds" / "other"), source="ocds"),
        notices_ingest(connector="eforms", location=str(DATA / "eforms" / "sdk_examples"), source="ted"),
    ]


@pytest.fixture
def real_notices(db):
    """Every real sample notice in data/, ingested the way an operator would."""
    return ingest_real_notices()


@pytest.fixture
def demo_notices(db):
    """The real notices the demo loads, with the demo's source names (the judged set refers to them)."""
    from greenbridge.dashboard.management.commands.demo_setup import sample_files
    from greenbridge.tenders.services import notices_ingest

    return [
        notices_ingest(connector=c, location=str(path), source=source)
        for c, paths, source in sample_files(DATA)
        for path in paths
    ]


@contextmanager
def connection_kept_open():
    """Django closes the database connection when a request starts and finishes (`close_old_connections`); within a
    test's transaction that must wait, as Django's test client makes it wait around its own requests. For requests
    made another way, and for closing a response (which signals that its request finished)."""
    from django.core import signals
    from django.db import close_old_connections

    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)


def make_notice(source_id: str, **fields):
    """A notice stored and indexed as the ingestion pipeline stores it (CPV and sector rows, text index)."""
    from greenbridge.tenders import search
    from greenbridge.tenders.ingest.pipeline import index_row
    from greenbridge.tenders.models import Notice, NoticeCpv, NoticeSector

    fields.setdefault("notice_type", "competition")
    fields.setdefault("status", "active")
    fields.setdefault("title", f"Notice {source_id}")
    notice = Notice.objects.create(source="test", source_id=source_id, content_hash=source_id, **fields)
    NoticeCpv.objects.bulk_create(
        NoticeCpv(notice=notice, code=c, is_main=i == 0) for i, c in enumerate(notice.cpv_codes)
    )
    NoticeSector.objects.bulk_create(NoticeSector(notice=notice, sector=s) for s in notice.green_sectors)
    search.index_documents([index_row(notice)])
    return notice


def form_data(html: str, form_id: str | None = None) -> dict[str, list[str]]:
    """What a browser sends when the page's form is submitted as it is drawn: the form `form_id`, else the POST
    form with the most fields. Ticked boxes and radios, selected options (a single select with none selected
    sends its first option), textareas without the first newline the HTML parser drops, every other named
    input with its value; disabled controls, buttons and files are left out, as are controls that belong to
    another form (`form="…"`)."""
    import lxml.html

    page = lxml.html.fromstring(html)
    if form_id:
        form = page.get_element_by_id(form_id)
    else:
        posts = [f for f in page.forms if (f.method or "").lower() == "post"]
        form = max(posts, key=lambda f: len(f.inputs))
    data: dict[str, list[str]] = {}
    for el in form.inputs:
        name = el.get("name")
        if not name or el.get("disabled") is not None:
            continue
        if el.get("form") and el.get("form") != form.get("id"):
            continue
        kind = (el.get("type") or "text").lower() if el.tag == "input" else el.tag
        if kind in ("submit", "button", "image", "reset", "file"):
            continue
        if kind in ("checkbox", "radio"):
            if el.get("checked") is None:
                continue
            values = [el.get("value", "on")]
        elif kind == "select":
            options = el.xpath(".//option")
            chosen = [o for o in options if o.get("selected") is not None]
            if not chosen and el.get("multiple") is None and options:
                chosen = options[:1]
            values = [o.get("value", o.text_content()) for o in chosen]
        elif kind == "textarea":
            text = el.text or ""
            values = [text[1:] if text.startswith("\n") else text]
        else:
            values = [el.get("value", "")]
        data.setdefault(name, []).extend(values)
    return data
