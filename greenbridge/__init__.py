"""GreenBridge: take green SMEs into foreign markets and public procurement abroad."""

__version__ = "0.1.0"

# Make the Celery app the default, so @shared_task binds to it (eager without a broker).
from .celery import app as celery_app

__all__ = ["celery_app"]
