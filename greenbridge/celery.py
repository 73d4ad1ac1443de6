"""Celery application. With no CELERY_BROKER_URL, tasks run eagerly in the calling process."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "greenbridge.settings")

app = Celery("greenbridge")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
