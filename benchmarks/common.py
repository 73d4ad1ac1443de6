"""What the benchmarks that measure inside Django share: a GreenBridge database of their own, migrated."""

import contextlib
import os
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


@contextlib.contextmanager
def fresh_database(keep: str | None = None, *, any_host: bool = False) -> Iterator[Path]:
    """Django set up on the SQLite database of a temporary data directory (or of `keep`, left for the next run:
    what is in it stays), migrated; yields the data directory. `any_host`: Django's test client may request
    pages (it calls itself "testserver")."""
    with tempfile.TemporaryDirectory() as tmp:
        data_dir = keep or tmp
        os.environ["GREENBRIDGE_DATA_DIR"] = data_dir
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "greenbridge.settings")
        if str(ROOT) not in sys.path:
            sys.path.insert(0, str(ROOT))
        import django

        django.setup()
        from django.conf import settings
        from django.core.management import call_command

        if any_host:
            settings.ALLOWED_HOSTS = ["*"]
        call_command("migrate", verbosity=0)
        yield Path(data_dir)
