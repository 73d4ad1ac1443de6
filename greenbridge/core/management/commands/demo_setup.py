from pathlib import Path

from django.core.management.base import BaseCommand

from greenbridge.core.demo import create_demo
from greenbridge.tenders.services import notices_ingest

SAMPLES = [  # (connector, path, source): the real open data bundled in data/
    ("ocds", "data/ocds/ukraine", "prozorro"),
    ("ocds", "data/ocds/other", "ocds"),
    ("eforms", "data/eforms/sdk_examples", "ted"),
]


class Command(BaseCommand):
    help = "Create the demo organisations and accounts and ingest the bundled real notices (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument("--password", default="greenbridge-demo", help="password of every demo account")
        parser.add_argument("--data", default="data", help="folder with the bundled sample data")

    def handle(self, *args, password, data, **options):
        demo = create_demo(password=password)
        root = Path(data)
        for connector, path, source in SAMPLES:
            location = root / Path(path).relative_to("data")
            if location.exists():
                r = notices_ingest(connector=connector, location=str(location), source=source)
                self.stdout.write(
                    f"Ingested {location}: {r.created} new, {r.updated} updated, {r.unchanged} unchanged, "
                    f"{r.rejected} rejected{' — ' + r.error if r.error else ''}"
                )
        self.stdout.write(self.style.SUCCESS("\nGreenBridge demo is ready on http://127.0.0.1:8000"))
        self.stdout.write(f"Every demo account has the password: {password}\n")
        labels = {
            "operator": "platform operator (admin)",
            "manager": "cluster manager",
            "advisor": "cluster advisor",
            "sme": "SME user (AquaPure, shares with the cluster)",
            "other_sme": "SME user (Helios Solar)",
            "procurer": "public procurer (Ungheni)",
        }
        for role, label in labels.items():
            self.stdout.write(f"  {demo.users[role].email:<34} {label}")
