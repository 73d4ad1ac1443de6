from django.core.management.base import BaseCommand

from greenbridge.reference.loaders import load_reference


class Command(BaseCommand):
    help = "Load the CPV and NACE code lists that ship with GreenBridge (idempotent)."

    def handle(self, *args, **options):
        counts = load_reference()
        self.stdout.write(self.style.SUCCESS(f"Loaded {counts['cpv']} CPV codes and {counts['nace']} NACE codes."))
