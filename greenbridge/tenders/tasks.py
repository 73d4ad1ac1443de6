from celery import shared_task

from greenbridge.tenders.services import notices_ingest


@shared_task
def ingest_task(connector: str, location: str, source: str | None = None, pages: int = 1) -> int:
    """Run an ingestion in a worker (or in-process without a broker); returns the IngestRun id."""
    return notices_ingest(connector=connector, location=location, source=source, pages=pages).pk
