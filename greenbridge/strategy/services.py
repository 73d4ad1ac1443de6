"""Writing a strategy: creating it for a partnership, logging each change, choosing a target market from the
ranking (its figures frozen), publishing a version."""

from __future__ import annotations

from django.conf import settings
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from greenbridge.market.ranking import Ranked, Ranker, in_every_language
from greenbridge.orgs.models import Organisation
from greenbridge.partnering.models import Partnership

from .models import Change, Member, Strategy, TargetMarket, Version
from .sections import text_of


def log_change(strategy: Strategy, user, section: str, summary: str) -> None:
    Change.objects.create(strategy=strategy, user=user, section=section, summary=summary[:300])
    Strategy.objects.filter(pk=strategy.pk).update(updated=timezone.now())


@transaction.atomic
def strategy_create(*, user, owner: Organisation, title: str, partnership: Partnership | None = None) -> Strategy:
    """A new draft owned by `owner`; the partnership's other organisations edit it."""
    strategy = Strategy.objects.create(title=title, partnership=partnership, created_by=user)
    Member.objects.create(strategy=strategy, organisation=owner, role=Member.Role.OWNER)
    if partnership is not None:
        for org in partnership.organisations.exclude(pk=owner.pk):
            Member.objects.create(strategy=strategy, organisation=org, role=Member.Role.EDITOR)
    Change.objects.create(strategy=strategy, user=user, section="", summary=_("Strategy created"))
    return strategy


def market_choose(
    *, strategy: Strategy, user, who: Ranker, row: Ranked, weights: dict[str, int] | None = None, note: str = ""
) -> TargetMarket:
    """Add (or refresh) a country from the ranking (made with `weights`), with its figures as they are today and
    their explanation in every language (read in the reader's: TargetMarket.explained)."""
    figures = {
        "explanation": row.explanation,
        "factors": [{"label": f.label, "text": f.text, "score": round(f.score, 3), "weight": f.weight}
                    for f in row.factors],
        "value_eur_total": row.figures.get("value_eur_total"),
        "notices": row.figures.get("notices"),
        "foreign_winner_share": row.figures.get("foreign_winner_share"),
        "single_bid_share": row.figures.get("single_bid_share"),
        "tenderers_mean": row.figures.get("tenderers_mean"),
        "languages": in_every_language(who, row, weights),
    }  # fmt: skip
    market, _created = TargetMarket.objects.update_or_create(
        strategy=strategy,
        country=row.country,
        defaults={
            "rank": row.rank,
            "score": row.score,
            "ranked_for": who.name,
            "market": {"cpv": list(who.cpv), "sectors": list(who.sectors)},
            "figures": figures,
            "note": note,
        },
    )
    log_change(strategy, user, "markets", _("Target market added: %(country)s") % {"country": row.name})
    return market


@transaction.atomic
def version_publish(*, strategy: Strategy, user) -> Version:
    """Publish the strategy as it reads now: the next version number, each section as text."""
    locked = Strategy.objects.select_for_update().get(pk=strategy.pk)
    number = (locked.versions.aggregate(n=Max("number"))["n"] or 0) + 1
    language = (get_language() or settings.LANGUAGE_CODE).split("-")[0]
    version = Version.objects.create(
        strategy=locked, number=number, published_by=user, sections=text_of(locked), language=language
    )
    log_change(locked, user, "", _("Version %(number)s published") % {"number": number})
    return version
