from collections import Counter
from pathlib import Path

from django.core.management.base import BaseCommand

from greenbridge.dashboard.demo import create_demo, create_demo_schedule
from greenbridge.dashboard.demo_cohort import create_demo_cohort
from greenbridge.market.tasks import one_refresh
from greenbridge.tenders.services import notices_ingest

SAMPLES = [  # (connector, path or glob pattern under the data folder, source): the real open data in data/
    ("ocds", "ocds/ukraine/prozorro_release_package_2_releases.json", "prozorro"),
    ("ocds", "ocds/other/paraguay_dncp_record_package_1.1.json", "dncp-paraguay"),
    ("ocds", "ocds/other/paraguay_dncp_release_package_contract_1.1.json", "dncp-paraguay"),
    # The official eForms SDK examples (based on real TED notices), but not INVALID_cn_24_empty.xml: it is
    # invalid on purpose, for the tests, and a newcomer reading "1 rejected" would think the demo broke.
    ("eforms", "eforms/sdk_examples/[!I]*.xml", "ted"),
    # Real notices of twelve publishers in eight countries (Portugal, Armenia, Mexico, Paraguay, Canada,
    # Australia, Taiwan, Uganda) and real TED eForms notices in nine languages: the corpus of the judged set
    # (data/judgements/watches_v2.json), so the demo shows what matching was measured on.
    ("ocds", "ocds/real_more", "ocds-samples"),
    ("eforms", "eforms/real_more", "ted"),  # one run, as a day's package would be
    # TED's notices before eForms (2016-2022, 37 countries, 22 languages), among them a Moldovan tender for a
    # wastewater treatment plant.
    ("eforms", "ted_r209", "ted"),
]
# Samples as their publishers wrote them, odd shapes included: some items hold nothing to read (two Paraguayan
# records list links to their releases but no compiled release).
AS_PUBLISHED = {"ocds/real_more"}
# Not loaded: data/ocds/other/FICTIONAL_* (a made-up reference record, not a real notice) and the
# Moldovan files (one is not OCDS, the other is not valid JSON): they are test material.


def sample_files(root: Path) -> list[tuple[str, list[Path], str]]:
    """SAMPLES under the data folder `root`: (connector, the files found, source) for each."""
    return [(connector, sorted(root.glob(pattern)), source) for connector, pattern, source in SAMPLES]


class Command(BaseCommand):
    help = "Create the demo organisations and accounts and ingest the bundled real notices (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument("--password", default="greenbridge-demo", help="password of every demo account")
        parser.add_argument("--data", default="data", help="folder with the bundled sample data")

    def handle(self, *args, password, data, **options):
        demo = create_demo(password=password)
        cohort = create_demo_cohort(demo.orgs["cluster"])
        self.stdout.write(f"Self-assessments: {cohort} fictional SMEs' assessments to compare with")
        with one_refresh():  # the market figures are made once, after the last sample
            self._ingest_samples(Path(data))
        # Real notices of the past, shown as open tenders: the open competitions' dates move later (pages say so).
        # Not the cancelled, unsuccessful or completed ones: "48 days left" on a cancelled tender would be absurd.
        from greenbridge.market.history import SOURCE as GENERATED
        from greenbridge.tenders.models import Notice, NoticeStatus
        from greenbridge.tenders.services import notices_move_for_demo

        moved = notices_move_for_demo(
            # Real ones only: the generated history stays in its past.
            notices=list(
                Notice.objects.filter(
                    notice_type="competition", status=NoticeStatus.ACTIVE, deadline__isnull=False
                ).exclude(source=GENERATED)
            ),
            countries=("MD", "UA", "RO"),  # the demo SMEs' markets: their tenders close first
        )
        if moved:
            self.stdout.write(
                f"Moved the dates of {moved} real tenders later, so that they show as open (pages say so)"
            )
        # Each demo SME starts with the watch suggested from its profile, so the inbox is not empty.
        from greenbridge.matching.forms import suggested_watch
        from greenbridge.matching.services import watch_save

        for key in ("sme", "other_sme"):
            org = demo.orgs[key]
            if not org.watches.exists():
                suggestion = suggested_watch(org)
                watch = watch_save(organisation=org, user=demo.users[key], data=suggestion, name=suggestion["name"])
                self.stdout.write(f"Watch “{watch.name}”: {watch.matches.count()} matching notices in the inbox")
        # The cluster keeps a sector watch whose new matches go on to both members.
        cluster = demo.orgs["cluster"]
        if not cluster.watches.exists():
            watch = watch_save(
                organisation=cluster,
                user=demo.users["manager"],
                data={
                    # What the members make, and the sectors of the cluster.
                    "cpv_codes": sorted({c for key in ("sme", "other_sme") for c in demo.orgs[key].cpv_codes}),
                    "green_sectors": ["water", "wastewater", "renewable_energy"],
                    "forward_to": [demo.orgs["sme"].pk, demo.orgs["other_sme"].pk],
                },
                name="Water and energy tenders for our members",
            )
            self.stdout.write(f"Cluster watch “{watch.name}”: {watch.matches.count()} matching notices")
        # An alert run with the watches, as the next cron run would make: the operator's list of runs showed only
        # the ones made while the notices came in, before any watch existed ("0 watches").
        from greenbridge.matching.services import alerts_run

        run = alerts_run()
        self.stdout.write(f"Alert run: {run['notices']} notices matched against {run['watches']} watches")
        # Years of procurement for the market figures: generated (every title says so), after the watches, so
        # that no inbox shows them.
        from greenbridge.market.history import create_demo_history

        history = create_demo_history()
        if history:
            self.stdout.write(f"Market history: {history} generated notices of 2016-2025 (labelled as generated)")
        from greenbridge.orgs.models import Organisation
        from greenbridge.strategy.demo import create_demo_strategy

        from ...demo import PARTNER_CLUSTER

        strategy = create_demo_strategy(
            cluster=cluster,
            partner=Organisation.objects.filter(name=PARTNER_CLUSTER["name"]).first(),
            users=demo.users,
            event=demo.event,
        )
        self.stdout.write(f"Strategy “{strategy.title}”: {strategy.markets.count()} target markets, version 1")
        meetings = create_demo_schedule(demo)
        self.stdout.write(f"Demo brokerage event: {meetings} meetings scheduled and published")
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
        self.stdout.write(f"\nDemo brokerage event: http://127.0.0.1:8000{demo.event.get_absolute_url()}")
        self.stdout.write("Partnering opportunities: http://127.0.0.1:8000/opportunities/")
        self.stdout.write("Support services (two clusters' catalogues): http://127.0.0.1:8000/services/")
        self.stdout.write("Help desk (two queues, questions by web and e-mail): http://127.0.0.1:8000/help/")
        self.stdout.write(
            f"Joint internationalisation strategy (Maria): http://127.0.0.1:8000{strategy.get_absolute_url()}"
        )

    def _ingest_samples(self, root: Path) -> None:
        """The bundled real notices, each sample as one ingestion run (or one a file), its outcome said."""
        for (connector, locations, source), (_, pattern, _) in zip(sample_files(root), SAMPLES, strict=True):
            if not locations:
                self.stdout.write(self.style.WARNING(f"Not found, skipped: {root / pattern}"))
                continue
            runs = [notices_ingest(connector=connector, location=str(path), source=source) for path in locations]
            counts = {key: sum(getattr(r, key) for r in runs) for key in ("created", "updated", "unchanged")}
            where = locations[0] if len(locations) == 1 else f"{locations[0].parent} ({len(locations)} files)"
            self.stdout.write(
                f"Ingested {where}: {counts['created']} new, {counts['updated']} updated, "
                f"{counts['unchanged']} unchanged"
            )
            for r in runs:
                if r.error:
                    self.stdout.write(self.style.ERROR(f"  {r.location} could not be read: {r.error}"))
            rejections = [rejection for r in runs for rejection in r.rejections]
            if pattern in AS_PUBLISHED:
                # Real files as their publishers wrote them: what cannot be read is the data's, said once.
                reasons = Counter(rejection["reason"] for rejection in rejections)
                for reason, n in reasons.items():
                    self.stdout.write(f"  {n} item{'s' if n > 1 else ''} left out, as published: {reason}")
            else:
                # The other samples are all valid: anything refused now is news the person running the demo needs.
                for rejection in rejections:
                    self.stdout.write(self.style.ERROR(f"  rejected {rejection['position']}: {rejection['reason']}"))
