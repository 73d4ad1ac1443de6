"""The demo's strategy: the Danube cluster and its Moldovan partner cluster write a joint internationalisation
strategy — two target markets from the ranking, a SWOT citing market figures and the members' assessments,
partners on both sides, a roadmap whose B2B event is the demo's brokerage event, a budget, a communication
plan and KPI targets; version 1 published, then edited, so that the versions differ (idempotent)."""

from datetime import date, timedelta

from django.db import transaction
from django.utils import timezone

from greenbridge.market import ranking
from greenbridge.orgs.models import Organisation

from .models import Activity, BudgetLine, Comment, Communication, Kpi, Member, Partner, Strategy, SwotItem
from .services import market_choose, version_publish

TITLE = "Danube–Prut joint internationalisation strategy 2027–2029"


@transaction.atomic
def create_demo_strategy(*, cluster: Organisation, partner: Organisation | None, users: dict, event) -> Strategy:
    found = Strategy.objects.filter(title=TITLE).first()
    if found:
        return found
    manager = users["manager"]
    strategy = Strategy.objects.create(
        title=TITLE,
        created_by=manager,
        context=(
            "Water utilities and municipalities in Moldova and Ukraine are renewing networks and treatment plants "
            "with EU and EBRD funding; our members supply metering, pumping and small treatment units but have "
            "rarely bid abroad."
        ),
        objectives=(
            "Win 6 public contracts abroad by 2029.\nBring 20 member SMEs to a foreign buyer meeting.\n"
            "Build two consortia with partners in the target countries."
        ),
        governance="A steering group of the two cluster managers meets every quarter; decisions by consensus.",
        services="Market intelligence, tender alerts and B2B/B2P events for the members of both clusters.",
        ip="Each cluster keeps what it brings; joint material is shared under CC BY 4.0.",
        finances="Costs are shared 60/40 (Danube/Prut); members pay their own travel.",
        sustainability="Membership fees and paid B2B events cover the coordination after the project.",
    )
    Member.objects.create(strategy=strategy, organisation=cluster, role=Member.Role.OWNER)
    if partner is not None:
        Member.objects.create(strategy=strategy, organisation=partner, role=Member.Role.EDITOR)
    who = ranking.ranker_for(cluster)
    rows = ranking.rank_markets(who) if who.knows_its_market else []
    for row in [r for r in rows if r.country in ("MD", "UA")]:
        market_choose(strategy=strategy, user=manager, who=who, row=row)
    markets = {m.country.code: m for m in strategy.markets.all()}
    md = markets.get("MD")
    items = [
        ("strength", "Members' metering and pumping products already meet EU standards.", "", ""),
        ("weakness", "Few members have bid in a foreign tender; tender documents in Romanian and Ukrainian.", "", ""),
        ("threat", "Currency risk: contracts in MDL and UAH.", "", ""),
    ]
    if md and md.figures.get("foreign_winner_share") is not None:
        share = f"{md.figures['foreign_winner_share']:.0%}"
        items.append(
            (
                "opportunity",
                "Moldovan buyers award water works to foreign firms.",
                f"Moldova: {share} of awards won by foreign firms",
                md.today_url,
            )
        )
    for quadrant, text, label, url in items:
        SwotItem.objects.create(strategy=strategy, quadrant=quadrant, text=text, evidence_label=label, evidence_url=url)
    Partner.objects.create(strategy=strategy, organisation=partner, side="target", role="Co-organiser in Moldova")
    Partner.objects.create(
        strategy=strategy, name="Apă-Canal Chișinău", country="MD", side="target", role="Buyer for pilot projects"
    )
    today = timezone.localdate()
    start = date(today.year + 1, 3, 1)
    day = timedelta(days=1)
    activities = [  # (kind, title, starts, days, event)
        ("b2b", "Danube water & energy brokerage", event.starts.date(), (event.ends - event.starts).days, event),
        ("trade_mission", "Trade mission to Chișinău", start, 3, None),
        ("training", "Bidding in Moldovan and Ukrainian tenders", start + 45 * day, 1, None),
        ("b2p", "Meeting Moldovan water utilities", start + 120 * day, 0, None),
        ("fair", "Moldova Water Expo", start + 200 * day, 3, None),
    ]
    for kind, title, starts, days, linked in activities:
        ends = starts + days * day
        Activity.objects.create(
            strategy=strategy, kind=kind, title=title, starts=starts, ends=ends, owner=cluster,
            budget=12000 if kind != "b2b" else 8000, event=linked,
            status="under_way" if linked else "planned",
        )  # fmt: skip
    for label, amount, source in (
        ("Coordination", 40000, "Interreg NEXT Romania–Moldova"),
        ("Events and missions", 60000, "Interreg NEXT Romania–Moldova"),
        ("Members' contribution", 15000, "Membership fees"),
    ):
        BudgetLine.objects.create(strategy=strategy, label=label, amount=amount, source=source)
    Communication.objects.create(
        strategy=strategy, audience="Member SMEs", channels="Newsletter, webinars",
        message="Public buyers abroad are looking for your products", timing="Quarterly",
    )  # fmt: skip
    Kpi.objects.create(strategy=strategy, indicator="Contracts won abroad by members", target="6", by=today.year + 3)
    Kpi.objects.create(strategy=strategy, indicator="SMEs at a foreign B2B/B2P meeting", target="20", by=today.year + 2)
    version_publish(strategy=strategy, user=manager)
    # After version 1: a sharper objective and a comment, so that the versions differ and the page has a thread.
    strategy.objectives += "\nOpen a joint desk in Chișinău in 2028."
    strategy.save(update_fields=["objectives", "updated"])
    Comment.objects.create(
        strategy=strategy, section="markets", author=users.get("advisor") or manager,
        text="Ukraine's figures stop in mid-2022 for hryvnia values: check the euro totals before the mission.",
    )  # fmt: skip
    return strategy
