from django.apps import AppConfig


def _after_ingest(sender, run, **kwargs) -> None:
    from .tasks import alerts_task

    if run.created or run.updated:
        alerts_task.delay()


class MatchingConfig(AppConfig):
    name = "greenbridge.matching"
    verbose_name = "Matching and alerts"

    def ready(self) -> None:
        from greenbridge.tenders.signals import ingest_finished

        ingest_finished.connect(_after_ingest, dispatch_uid="matching-after-ingest")
