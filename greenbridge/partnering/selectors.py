"""Reads of the marketplace and of partnerships, scoped to who asks."""

from dataclasses import dataclass

from django.db.models import Count, Prefetch, Q, QuerySet

from greenbridge.events.models import Registration
from greenbridge.events.selectors import country_targets, registration_profile
from greenbridge.orgs import recommend
from greenbridge.orgs.models import Organisation
from greenbridge.orgs.selectors import organisations_of_user, organisations_with_private_access
from greenbridge.reference.cpv import cpv_prefix

from .models import Interest, Opportunity, Partnership


@dataclass
class OpportunityFilters:
    q: str = ""
    kind: str = ""
    sector: str = ""
    country: str = ""
    cpv: str = ""  # a code or its first digits: the opportunity has a code under it


def opportunities_search(filters: OpportunityFilters) -> QuerySet[Opportunity]:
    """Open opportunities matching the filters, newest first. The code, sector and country filters look in the
    JSON lists as text (`"MD"`, `"9051…`), which both SQLite and PostgreSQL answer without extra tables; the
    marketplace holds thousands of rows, not millions."""
    rows = Opportunity.objects.open().select_related("organisation", "event")
    for word in filters.q.split()[:8]:
        rows = rows.filter(Q(title__icontains=word) | Q(summary__icontains=word) | Q(description__icontains=word))
    if filters.kind in Opportunity.Kind.values:
        rows = rows.filter(kind=filters.kind)
    if filters.sector:
        rows = rows.filter(green_sectors__icontains=f'"{filters.sector}"')
    if filters.country:
        rows = rows.filter(countries__icontains=f'"{filters.country}"')
    if prefix := _cpv_prefix(filters.cpv):
        rows = rows.filter(cpv_codes__icontains=f'"{prefix}')
    return rows


def _cpv_prefix(text: str) -> str:
    """What the user typed: a full code (check digit or not) stands for everything under it, else its digits."""
    digits = "".join(c for c in text if c.isdigit())[:8]
    return cpv_prefix(digits) if len(digits) == 8 else digits


def opportunity_countries(*, selected: str = "") -> list[tuple[str, str]]:
    """(code, name in the reader's language) of the countries open opportunities are for, plus the selected one,
    sorted as a reader expects: the choices of the marketplace's country filter."""
    from greenbridge.core.templatetags.greenbridge import country_name, sort_key

    codes = {c for countries in Opportunity.objects.open().values_list("countries", flat=True) for c in countries or []}
    codes |= {selected} if selected else set()
    return sorted(((c, country_name(c) or c) for c in codes), key=lambda item: sort_key(item[1]))


def opportunities_of(*, user) -> QuerySet[Opportunity]:
    """The opportunities of the user's organisations, open or not, with their interests counted."""
    return (
        Opportunity.objects.filter(organisation__in=organisations_of_user(user=user))
        .select_related("organisation", "event")
        .annotate(
            interest_count=Count("interests", filter=~Q(interests__status=Interest.Status.WITHDRAWN)),
            pending_count=Count("interests", filter=Q(interests__status=Interest.Status.PENDING)),
        )
    )


def interests_received(*, opportunity: Opportunity) -> QuerySet[Interest]:
    return opportunity.interests.exclude(status=Interest.Status.WITHDRAWN).select_related("organisation", "user")


def interests_sent(*, user) -> QuerySet[Interest]:
    return Interest.objects.filter(organisation__in=organisations_of_user(user=user)).select_related(
        "opportunity__organisation", "organisation", "answered_by"
    )


def interest_of(*, user, opportunity: Opportunity) -> Interest | None:
    if not user.is_authenticated:
        return None
    return opportunity.interests.filter(organisation__in=organisations_of_user(user=user)).first()


def _opportunity_profile(o: Opportunity) -> recommend.Profile:
    text = f"{o.title}. {o.summary} {o.description}"
    return recommend.Profile(
        o,
        o.organisation,
        offer=text if o.is_offer else "",
        seeking="" if o.is_offer else text,
        cpv_codes=o.cpv_codes or None,
        sectors=o.green_sectors or None,
        countries=frozenset(o.countries) or None,
    )


def organisation_profile(organisation: Organisation, *, targets: frozenset[str] = frozenset()) -> recommend.Profile:
    """An organisation as one side of a match: its description and its own open opportunities."""
    own = list(Opportunity.objects.open().filter(organisation=organisation))
    offer = " ".join(f"{o.title}. {o.summary}" for o in own if o.is_offer)
    seeking = " ".join(f"{o.title}. {o.summary} {o.description}" for o in own if not o.is_offer)
    return recommend.Profile(organisation, organisation, offer=offer, seeking=seeking, targets=targets)


RECENT_CANDIDATES = 300  # the newest open opportunities are always scored in full (a fit may be in words alone)
SHORTLIST = 300  # and the best related ones by codes, sectors and countries


def _related(me: recommend.Profile) -> Q:
    """Opportunities that can share a reason with `me` on codes, sectors or countries: a CPV code with the
    same first four digits (a weaker relation scores nothing), a green sector, a target country. As JSON
    text, like the search."""
    related = Q(pk__in=[])
    for code in {c[:4] for c in me.cpv_codes or []}:
        related |= Q(cpv_codes__icontains=f'"{code}')
    for slug in me.sectors or []:
        related |= Q(green_sectors__icontains=f'"{slug}"')
    for country in me.targets:
        related |= Q(countries__icontains=f'"{country}"')
    return related


def recommended_opportunities(
    *, me: recommend.Profile, candidates: QuerySet[Opportunity] | None = None, limit: int = 5
) -> list[recommend.Recommendation]:
    """The open opportunities most worth a look for one side (an organisation or an event participant), with
    reasons. Those of its own organisation and those it already expressed interest in (on its "sent" list)
    are left out. In two steps, so thousands of opportunities cost little: the related ones (codes, sectors,
    countries, read from the database as lists only) are ranked by `recommend.prescore`; the best of them
    and the newest opportunities are then scored in full, words included."""
    rows = candidates if candidates is not None else Opportunity.objects.open()
    rows = rows.exclude(organisation=me.organisation).exclude(interests__organisation=me.organisation)
    ids = set(rows.order_by("-created", "-id").values_list("pk", flat=True)[:RECENT_CANDIDATES])
    related = rows.filter(_related(me)).values_list("pk", "cpv_codes", "green_sectors", "countries")
    ranked = sorted(((recommend.prescore(me, *lists), pk) for pk, *lists in related), reverse=True)
    ids.update(pk for points, pk in ranked[:SHORTLIST] if points > 0)
    shortlist = Opportunity.objects.filter(pk__in=ids).select_related("organisation")
    return recommend.recommend(me, [_opportunity_profile(o) for o in shortlist], limit=limit)


def recommended_at_event(*, registration: Registration, limit: int = 6) -> list[recommend.Recommendation]:
    """For a participant: open opportunities published for the event or by its participants, best first."""
    event = registration.event
    present = event.registrations.filter(status__in=Registration.ACTIVE).values("organisation")
    candidates = Opportunity.objects.open().filter(Q(event=event) | Q(organisation__in=present))
    targets = country_targets([registration.organisation_id])
    return recommended_opportunities(me=registration_profile(registration, targets), candidates=candidates, limit=limit)


def participant_page_opportunities(sender, *, registration: Registration | None, **kwargs) -> dict:
    """events.signals.participant_page: the opportunities worth a look for this participant, with reasons."""
    if registration is None:
        return {"opportunities": []}
    return {"opportunities": recommend.described(recommended_at_event(registration=registration))}


def recommended_for_user(*, user, limit: int = 5) -> tuple[Organisation | None, list[recommend.Recommendation]]:
    """For the marketplace page: the opportunities worth a look for the user's first organisation."""
    organisation = organisations_of_user(user=user).first() if user.is_authenticated else None
    if organisation is None:
        return None, []
    targets = country_targets([organisation.pk]).get(organisation.pk, frozenset())
    return organisation, recommended_opportunities(me=organisation_profile(organisation, targets=targets), limit=limit)


def partnerships_visible(*, user) -> QuerySet[Partnership]:
    """Partnerships of the user's organisations and of those that share private data with the user's cluster."""
    return (
        Partnership.objects.of_organisations(organisations_with_private_access(user=user).values("pk"))
        .select_related("event", "opportunity")
        .prefetch_related("organisations")
    )


def partner_choices(*, organisation: Organisation) -> QuerySet[Organisation]:
    """Organisations an organisation may name as partners: those it met at events, those it exchanged interest
    with, the members of its clusters and, for a cluster, its own members — not every organisation on the
    platform."""
    from greenbridge.events.models import Meeting

    met = Meeting.objects.filter(cancelled__isnull=True).filter(
        Q(first__organisation=organisation) | Q(second__organisation=organisation)
    )
    ids = set(met.values_list("first__organisation", flat=True)) | set(
        met.values_list("second__organisation", flat=True)
    )
    ids |= set(Interest.objects.filter(opportunity__organisation=organisation).values_list("organisation", flat=True))
    ids |= set(Interest.objects.filter(organisation=organisation).values_list("opportunity__organisation", flat=True))
    clusters = organisation.cluster_links.values("cluster")
    ids |= set(Organisation.objects.filter(cluster_links__cluster__in=clusters).values_list("pk", flat=True))
    ids |= set(clusters.values_list("cluster", flat=True))
    ids |= set(Organisation.objects.filter(cluster_links__cluster=organisation).values_list("pk", flat=True))
    ids.discard(organisation.pk)
    return Organisation.objects.filter(pk__in=ids).order_by("name")


# ---- dashboards -------------------------------------------------------------------------------------


def interests_awaiting(*, user, organisation: Organisation) -> list[Interest]:
    """Expressions of interest in the organisation's opportunities that wait for its answer, oldest first. Only for
    its own people."""
    return list(
        Interest.objects.filter(
            opportunity__organisation=organisation,
            opportunity__organisation__in=organisations_of_user(user=user),
            status=Interest.Status.PENDING,
        )
        .select_related("opportunity", "organisation")
        .order_by("created", "id")
    )


def interests_received_by(*, user, organisation: Organisation, limit: int = 5) -> list[Interest]:
    """The latest interests in the organisation's opportunities (not withdrawn), newest first. Its own people only."""
    return list(
        Interest.objects.filter(
            opportunity__organisation=organisation, opportunity__organisation__in=organisations_of_user(user=user)
        )
        .exclude(status=Interest.Status.WITHDRAWN)
        .select_related("opportunity", "organisation")
        .order_by("-created", "-id")[:limit]
    )


def procurement_needs_of(*, user, organisation: Organisation) -> list[Opportunity]:
    """A public buyer's procurement needs, open ones first then the newest, with their interests counted
    (`interest_count`, `pending_count`)."""
    rows = opportunities_of(user=user).filter(organisation=organisation, kind=Opportunity.Kind.PROCUREMENT_NEED)
    return sorted(rows, key=lambda o: (not o.is_open, -o.created.timestamp()))


def open_opportunity_counts(*, organisations: list[Organisation]) -> dict[int, int]:
    """How many open opportunities each organisation lists in the marketplace (public). One query."""
    return dict(
        Opportunity.objects.open()
        .filter(organisation__in=organisations)
        .values_list("organisation")
        .annotate(n=Count("pk"))
        .order_by()
    )


def open_opportunity_count() -> int:
    return Opportunity.objects.open().count()


SUPPLIER_SHORTLIST = 200


def suppliers_worth_meeting(*, user, organisation: Organisation, limit: int = 5) -> list[recommend.Recommendation]:
    """For a public buyer: the companies (SMEs) most worth meeting for its needs, best first, with reasons in words
    (`described`). The buyer's side is its profile plus its open procurement needs (their codes, sectors and words,
    as what it seeks); each company's side is its profile plus its open offers. As for opportunities, in two steps:
    the companies related by a code's first four digits or a green sector (JSON lists as text, like the search) are
    ranked by `recommend.prescore`, and the best `SUPPLIER_SHORTLIST` scored in full, words included."""
    if not organisations_of_user(user=user).filter(pk=organisation.pk).exists():
        return []
    needs = list(Opportunity.objects.open().filter(organisation=organisation))
    codes = list(dict.fromkeys([*organisation.cpv_codes, *(c for o in needs for c in o.cpv_codes)]))
    sectors = list(dict.fromkeys([*organisation.green_sectors, *(s for o in needs for s in o.green_sectors)]))
    if not (codes or sectors):
        return []
    seeking = " ".join(f"{o.title}. {o.summary} {o.description}" for o in needs if not o.is_offer)
    me = recommend.Profile(organisation, organisation, seeking=seeking, cpv_codes=codes, sectors=sectors)
    related = Q(pk__in=[])
    for code in {c[:4] for c in codes}:
        related |= Q(cpv_codes__icontains=f'"{code}')
    for slug in sectors:
        related |= Q(green_sectors__icontains=f'"{slug}"')
    candidates = Organisation.objects.filter(related, kind=Organisation.Kind.SME).exclude(pk=organisation.pk)
    ranked = sorted(
        (
            (recommend.prescore(me, cpv, sectors_, []), pk)
            for pk, cpv, sectors_ in candidates.values_list("pk", "cpv_codes", "green_sectors")
        ),
        reverse=True,
    )
    shortlist = [pk for points, pk in ranked[:SUPPLIER_SHORTLIST] if points > 0]
    companies = Organisation.objects.filter(pk__in=shortlist).prefetch_related(
        Prefetch(
            "opportunities",
            queryset=Opportunity.objects.open().filter(kind__in=Opportunity.OFFERS),
            to_attr="open_offers",
        )
    )
    others = [
        recommend.Profile(c, c, offer=" ".join(f"{o.title}. {o.summary}" for o in c.open_offers)) for c in companies
    ]
    return recommend.described(recommend.recommend(me, others, limit=limit))
