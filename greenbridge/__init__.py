"""GreenBridge: take green SMEs into foreign markets and public procurement abroad."""

__version__ = "0.1.0"

# The hot paths' compiled forms, when built from their current source (core/compiled.py).
from .core import compiled as _compiled

_compiled.install()

# Make the Celery app the default, so @shared_task binds to it (eager without a broker).
from .celery import app as celery_app  # noqa: E402 (after the finder, like every import)

__all__ = ["celery_app"]
