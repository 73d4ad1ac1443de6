"""The demo's cohort for the self-assessments' benchmark: made-up companies with submitted assessments, so that an
SME's results show where it stands among organisations like it (create_demo_cohort)."""

from datetime import timedelta

from django.utils import timezone

from greenbridge.orgs.models import Organisation
from greenbridge.orgs.services import cluster_member_add, organisation_create

from .demo import take_assessment

# A cohort for the self-assessments' benchmark: made-up companies (their descriptions say so) that took the DMA and
# the green assessment, so that an SME's results show where it stands among organisations like it.
# (NACE code, size, country) in turn; AquaPure's own cohort (E, small, RO) has more than the minimum of five.
COHORT_PROFILES = [
    ("36.00", "small", "RO"), ("37.00", "small", "RO"), ("38.11", "small", "RO"), ("36.00", "medium", "RO"),
    ("38.32", "micro", "MD"), ("36.00", "small", "MD"), ("43.21", "micro", "MD"), ("28.29", "small", "UA"),
    ("71.12", "micro", "RO"), ("37.00", "medium", "UA"), ("39.00", "small", "RO"), ("43.22", "small", "RO"),
]  # fmt: skip
COHORT_SIZE = 36
# What a cohort company of each trade (NACE code) does: its green sectors, CPV codes and description.
COHORT_TRADES = {
    "36.00": (["water"], ["45232150", "42912300", "65100000"],
              "Builds and maintains water-supply networks and small drinking-water plants."),
    "37.00": (["wastewater"], ["45232410", "45252100", "90400000"],
              "Lays sewers and builds compact wastewater treatment plants for small towns."),
    "38.11": (["waste_recycling"], ["90511000", "34144511", "90513000"],
              "Collects and transports municipal and industrial waste."),
    "38.32": (["waste_recycling", "circular_economy"], ["90514000", "42914000"],
              "Sorts and recycles plastics, metals and construction waste."),
    "43.21": (["renewable_energy"], ["45261215", "09331200", "45315100"],
              "Installs photovoltaic plants and electrical systems on public buildings."),
    "28.29": (["water"], ["42912300", "44163100"], "Makes filtration and dosing equipment for water utilities."),
    "71.12": (["water", "energy_efficiency"], ["71320000", "71313000"],
              "Engineering design for water, wastewater and energy-efficiency projects."),
    "39.00": (["environment_nature"], ["90722000", "90720000"],
              "Cleans up polluted land and restores riverbanks."),
    "43.22": (["energy_efficiency"], ["45331000", "45332000", "45321000"],
              "Installs heating, heat pumps and plumbing, and insulates public buildings."),
}  # fmt: skip
COHORT_CITIES = {
    "RO": ("Galați", "Brăila", "Tulcea", "Iași", "Constanța", "Bacău"),
    "MD": ("Chișinău", "Cahul", "Bălți", "Comrat"),
    "UA": ("Odesa", "Izmail", "Chernivtsi", "Vinnytsia"),
}


def cohort_names() -> list[str]:
    """The cohort's names, in order: made up as firms of their country are named (market.history.FIRMS), each
    once."""
    from greenbridge.market.history import FIRMS

    names: list[str] = []
    k = 10_000  # apart from the firms that win the history's contracts
    for n in range(COHORT_SIZE):
        country = COHORT_PROFILES[n % len(COHORT_PROFILES)][2]
        while (name := FIRMS[country].name(k)) in names:
            k += 1
        names.append(name)
    return names


def create_demo_cohort(cluster: Organisation | None = None) -> int:
    """Generated SMEs with submitted DMA and green assessments at T0 (idempotent). Half of them are members of
    `cluster` (most sharing their data with it), and a third of those took the DMA again after its support (T1),
    so that the cluster's page of its members' assessments shows a spread and who improved. Returns how many
    there are."""
    import random

    from greenbridge.assessments.generate import answers_at
    from greenbridge.assessments.services import latest_questionnaire

    rng = random.Random(2026)
    today = timezone.localdate()
    questionnaires = [q for slug in ("eu-edih-dma-sme", "green-maturity-sme") if (q := latest_questionnaire(slug))]
    for n, name in enumerate(cohort_names(), start=1):
        nace, size, country = COHORT_PROFILES[(n - 1) % len(COHORT_PROFILES)]
        sectors, codes, trade = COHORT_TRADES[nace]
        org = Organisation.objects.filter(name=name).first()
        if org is None:
            org = organisation_create(
                name=name,
                kind=Organisation.Kind.SME,
                country=country,
                city=COHORT_CITIES[country][n % len(COHORT_CITIES[country])],
                size_class=size,
                nace_codes=[nace],
                green_sectors=sectors,
                cpv_codes=codes,
                description=f"{trade} A fictional company of the demo, one of those the self-assessments compare with.",
            )
        member = cluster is not None and n <= COHORT_SIZE // 2
        if member:
            cluster_member_add(cluster=cluster, member=org, shares_private_data=n % 7 != 0)
        level = rng.uniform(0.15, 0.75)
        stages = [("T0", rng.randrange(150, 300), 0.0)]
        if member and n % 3 == 0:  # after the cluster's support
            stages.append(("T1", rng.randrange(10, 60), rng.uniform(0.05, 0.25)))
        for questionnaire in questionnaires:
            for stage, days_ago, gain in stages if questionnaire.slug == "eu-edih-dma-sme" else stages[:1]:
                if org.assessments.filter(questionnaire=questionnaire, stage=stage).exists():
                    continue
                levels = {d.id: level + gain + rng.uniform(-0.2, 0.2) for d in questionnaire.spec.dimensions}
                answers = answers_at(questionnaire.scorer, levels, rng)
                take_assessment(org, questionnaire, stage, today - timedelta(days=days_ago), None, answers)
    return COHORT_SIZE
