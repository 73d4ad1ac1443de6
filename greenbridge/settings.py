"""GreenBridge settings: one module, driven by a small table of environment variables.

| variable                  | default                         | meaning                                    |
|---------------------------|---------------------------------|--------------------------------------------|
| GREENBRIDGE_DATA_DIR      | ./var                           | SQLite file, uploads, outgoing e-mail      |
| DATABASE_URL              | sqlite in the data dir          | postgres://… for PostgreSQL                |
| GREENBRIDGE_SECRET_KEY    | generated once, kept in data dir|                                            |
| GREENBRIDGE_DEBUG         | false                           |                                            |
| GREENBRIDGE_ALLOWED_HOSTS | 127.0.0.1,localhost             | comma-separated                            |
| CELERY_BROKER_URL         | unset: tasks run in-process     | redis://… for Celery workers               |
| EMAIL_URL                 | unset: e-mail written to files  | smtp://user:pass@host:port (smtps:// TLS)  |
| GREENBRIDGE_BASE_URL      | http://127.0.0.1:8000           | the site's address, for links in e-mails   |
| GREENBRIDGE_WEBHOOK_ALLOW_PRIVATE | false                   | let webhooks reach private/local addresses |
| GREENBRIDGE_EMBEDDING_MODEL | (none)                        | re-rank previews with this sentence model  |
| GREENBRIDGE_SCHEDULE_SECONDS | 20                           | time the event scheduler may use per run   |
| GREENBRIDGE_MAX_UPLOAD_MB | 10                              | largest document a user may upload         |
"""

import os
import secrets
from pathlib import Path
from urllib.parse import unquote, urlparse

import dj_database_url
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent
DATA_DIR = Path(os.environ.get("GREENBRIDGE_DATA_DIR", "var")).resolve()
DATA_DIR.mkdir(parents=True, exist_ok=True)


def _env_bool(name: str, default: bool = False) -> bool:
    return os.environ.get(name, str(default)).strip().lower() in {"1", "true", "yes", "on"}


def _secret_key() -> str:
    if key := os.environ.get("GREENBRIDGE_SECRET_KEY"):
        return key
    path = DATA_DIR / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


SECRET_KEY = _secret_key()
DEBUG = _env_bool("GREENBRIDGE_DEBUG")
ALLOWED_HOSTS = [h.strip() for h in os.environ.get("GREENBRIDGE_ALLOWED_HOSTS", "127.0.0.1,localhost").split(",")]
CSRF_TRUSTED_ORIGINS = [
    o.strip() for o in os.environ.get("GREENBRIDGE_CSRF_TRUSTED_ORIGINS", "").split(",") if o.strip()
]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "template_partials",
    "rules.apps.AutodiscoverRulesConfig",
    # Before allauth, so our templates (layout, account pages) override allauth's.
    "greenbridge.core",
    "allauth",
    "allauth.account",
    "django_countries",
    "greenbridge.reference",
    "greenbridge.orgs",
    "greenbridge.tenders",
    "greenbridge.matching",
    "greenbridge.events",
    "greenbridge.partnering",
    "greenbridge.assessments",
    "greenbridge.portfolio",
    "greenbridge.knowledge",
    "greenbridge.helpdesk",
    "greenbridge.market",
    "greenbridge.strategy",
    "greenbridge.dashboard",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "greenbridge.core.timezones.TimeZoneMiddleware",  # times in the reader's zone (set at sign-in)
    "greenbridge.core.http.ReaderLanguageMiddleware",  # e-mails to a person in the language they read
    "greenbridge.core.http.NullCharacterMiddleware",  # a NUL in a parameter: 400, not a database error
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "allauth.account.middleware.AccountMiddleware",
]

ROOT_URLCONF = "greenbridge.urls"
WSGI_APPLICATION = "greenbridge.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "greenbridge.core.context_processors.site",
                "greenbridge.dashboard.context_processors.roles",  # the menus follow the person's roles
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{DATA_DIR / 'greenbridge.sqlite3'}",
        conn_max_age=0 if not os.environ.get("DATABASE_URL") else 60,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers and one writer work at once; IMMEDIATE avoids "database is locked" on upgrade.
    # SQLite's default page cache is 2 MB, which a million notices thrash: use 32 MB, and memory-map
    # reads (up to 1 GB; the mapping is the OS's file cache), which cut search latency over a million
    # notices by two thirds. Temporary b-trees (sorts) stay in memory. The WAL is checkpointed every
    # 40 MB rather than 4 MB: an ingestion batch writes several MB, and pages it rewrites are then
    # copied into the database once, not after every batch.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=5000; "
            "PRAGMA cache_size=-32768; PRAGMA temp_store=MEMORY; PRAGMA wal_autocheckpoint=10000; "
            "PRAGMA mmap_size=1073741824;"
        ),
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "core.User"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]

# allauth: e-mail is the login. Signing in does not wait for the address to be confirmed (a pilot's mail goes to
# files), but publishing anything does (orgs.rules.has_verified_email): allauth sends the link at sign-up.
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = "optional"
ACCOUNT_LOGOUT_ON_GET = False
LOGIN_REDIRECT_URL = "/"
LOGIN_URL = "account_login"

LANGUAGE_CODE = "en"
LANGUAGES = [
    ("en", _("English")),
    ("ro", _("Romanian")),
    ("uk", _("Ukrainian")),
    ("fr", _("French")),
]
LOCALE_PATHS = [BASE_DIR / "locale"]
# Country names as a sentence can use them: django-countries' French and Ukrainian say "Palestine, État de",
# "Палестина, Держава" (an index form), which read badly in "Palestine ranks no. 14".
# Romanian writes ș and ț with a comma below; django-countries' Romanian names use the cedilla letters of Turkish
# ("Franţa", "Croaţia"), and call both Congos "Republica Democrată Congo". Our catalogue says them right.
COUNTRIES_OVERRIDE = {
    "PS": _("Palestine"),
    "AG": _("Antigua and Barbuda"),
    "BA": _("Bosnia and Herzegovina"),
    "CG": _("Congo"),
    "CI": _("Côte d'Ivoire"),
    "HR": _("Croatia"),
    "FR": _("France"),
    "TF": _("French Southern Territories"),
    "HM": _("Heard Island and McDonald Islands"),
    "KN": _("Saint Kitts and Nevis"),
    "PM": _("Saint Pierre and Miquelon"),
    "VC": _("Saint Vincent and the Grenadines"),
    "ST": _("Sao Tome and Principe"),
    "GS": _("South Georgia and the South Sandwich Islands"),
    "CH": _("Switzerland"),
    "TT": _("Trinidad and Tobago"),
    "TC": _("Turks and Caicos Islands"),
    "WF": _("Wallis and Futuna"),
}
# Times are stored in UTC; shown in each person's zone (core.timezones), in this one to visitors not signed in.
TIME_ZONE = os.environ.get("GREENBRIDGE_TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)  # whitenoise warns about a missing root; collectstatic fills it
MEDIA_URL = "/media/"
MEDIA_ROOT = DATA_DIR / "media"
MAX_UPLOAD_MB = int(os.environ.get("GREENBRIDGE_MAX_UPLOAD_MB", "10"))
# Files in one request: the help desk takes ten with a question (helpdesk.attachments.MAX_FILES), nothing more. The
# web server in front limits a request's size (docs/operator-guide.md).
DATA_UPLOAD_MAX_NUMBER_FILES = 10
# A file over MAX_UPLOAD_MB stops being kept as it passes the limit, and the form says so (core/uploads.py).
FILE_UPLOAD_HANDLERS = [
    "greenbridge.core.uploads.LimitUploadSize",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    # Documents only their owners may read (partnership evidence): outside MEDIA_ROOT, never served by URL,
    # handed out by views that check permissions.
    "private": {
        "BACKEND": "greenbridge.core.storage.PrivateFileSystemStorage",
        "OPTIONS": {"location": DATA_DIR / "private", "base_url": None},
    },
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
# Serve straight from the app directories in development and tests; collectstatic for production.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG

# E-mail: files in the data dir by default, SMTP when EMAIL_URL is set.
DEFAULT_FROM_EMAIL = os.environ.get("GREENBRIDGE_FROM_EMAIL", "GreenBridge <noreply@greenbridge.invalid>")
if email_url := os.environ.get("EMAIL_URL"):
    _u = urlparse(email_url)
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_HOST = _u.hostname or "localhost"
    EMAIL_PORT = _u.port or (465 if _u.scheme == "smtps" else 587)
    EMAIL_HOST_USER = unquote(_u.username or "")
    EMAIL_HOST_PASSWORD = unquote(_u.password or "")
    EMAIL_USE_SSL = _u.scheme == "smtps"
    EMAIL_USE_TLS = _u.scheme == "smtp+tls"
else:
    EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    EMAIL_FILE_PATH = DATA_DIR / "mail"

# Links in e-mails, feeds and webhooks point here.
BASE_URL = os.environ.get("GREENBRIDGE_BASE_URL", "http://127.0.0.1:8000").rstrip("/")
# Optional semantic re-ranking of previews (matching/semantic.py): a sentence-transformers model name or folder.
MATCH_EMBEDDING_MODEL = os.environ.get("GREENBRIDGE_EMBEDDING_MODEL", "")
# The event page's "Run the scheduler" waits for the solver up to this long (it stops earlier when it proves
# the schedule best). Big events: raise it, or plan with `greenbridge schedule solve`.
EVENTS_SCHEDULE_SECONDS = float(os.environ.get("GREENBRIDGE_SCHEDULE_SECONDS", "20"))
# Webhooks never call private or local addresses (the server's own network) unless allowed.
WEBHOOK_ALLOW_PRIVATE = os.environ.get("GREENBRIDGE_WEBHOOK_ALLOW_PRIVATE", "").lower() in ("1", "true", "yes")

# Celery: with no broker, tasks run eagerly in-process, so the same code serves a pilot and a cluster.
CELERY_TASK_ALWAYS_EAGER = not os.environ.get("CELERY_BROKER_URL")
# Eager tasks still borrow a producer from the broker's connection pool; with no URL kombu would fall back
# to amqp:// and warn "No hostname was supplied" on every command. The in-process memory transport, named
# with a host, is never connected to and says nothing.
CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL") or "memory://localhost/"
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_RESULT_BACKEND = os.environ.get("CELERY_RESULT_BACKEND") or None
# `celery -A greenbridge beat`: the periodic jobs. Without a broker, run the same commands from cron
# (docs/operator-guide.md): `alerts run`, `events tick`, `helpdesk fetch`, `helpdesk escalate`, `market refresh`.
CELERY_BEAT_SCHEDULE = {
    "alerts": {"task": "greenbridge.matching.tasks.alerts_task", "schedule": 15 * 60},
    "events-tick": {"task": "greenbridge.events.tasks.events_tick_task", "schedule": 60 * 60},
    "helpdesk-fetch": {"task": "greenbridge.helpdesk.tasks.helpdesk_fetch_task", "schedule": 2 * 60},
    "helpdesk-escalate": {"task": "greenbridge.helpdesk.tasks.helpdesk_escalate_task", "schedule": 5 * 60},
    # After each ingestion run too; this catches notices changed otherwise (edits in the admin, the demo's dates).
    "market-refresh": {"task": "greenbridge.market.tasks.refresh_task", "schedule": 60 * 60},
}

# The OCDS schema ships with the package: ocdsmerge must never fetch it from the internet.
OCDS_SCHEMA_PATH = BASE_DIR / "reference" / "data" / "ocds-schema-1.1.5" / "release-schema.json"
# Largest single document (eForms XML, OCDS record) an ingestion accepts, in bytes.
# Processes that share a large batch run (core/processes.py): the ingestion of a large local OCDS file
# (tenders/ingest/shards.py) and, on SQLite, the market facts of many notices. One per core, two at most (SQLite
# writes one at a time; beyond two, each process reading the whole file costs more than the shares save).
BATCH_PROCESSES = int(os.environ.get("GREENBRIDGE_BATCH_PROCESSES", min(2, os.cpu_count() or 1)))
INGEST_MAX_DOCUMENT_BYTES = int(os.environ.get("GREENBRIDGE_INGEST_MAX_DOCUMENT_BYTES", 50 * 1024 * 1024))

SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("GREENBRIDGE_LOG_LEVEL", "WARNING")},
}
