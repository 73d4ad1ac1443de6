"""Reads of matching: previews, watches and inboxes, always for a user and through orgs.rules."""

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet

from greenbridge.orgs.models import Organisation
from greenbridge.orgs.selectors import cluster_members, organisations_with_private_access
from greenbridge.reference.cpv import cpv_prefix, cpv_range
from greenbridge.reference.lexicon import cpv_lexicon
from greenbridge.reference.tables import cpv_for_nace
from greenbridge.tenders import search
from greenbridge.tenders.models import Notice, NoticeCpv, NoticeSector

from .engine import SIGNALS, Matcher, NoticeFacts, Result, WatchInvalid, WatchSpec
from .labels import acronyms, dictionary_forms, keyword_code_prefixes, label_terms, label_word_terms
from .models import Forward, Mark, Match, Star, Watch
from .semantic import Reranker

CANDIDATES = 5000  # the newest notices a preview scores, at most


def _ranges(prefixes: Iterable[str]) -> Q:
    """NoticeCpv rows under any of these code prefixes."""
    ranges = Q()
    for prefix in prefixes:
        low, high = cpv_range(prefix.ljust(8, "0"))
        ranges |= Q(code__gte=low, code__lt=high) if high else Q(code__gte=low)
    return ranges


def _candidate_ids(spec: WatchSpec, limit: int) -> list[int]:
    """Notices the engine may match (a superset, newest first): under the CPV group of a watch code or a code
    near it, under a code whose label says a keyword, with a word of a keyword (or of its translations) or of a
    code's label, or (for a sector-only watch) in its sectors."""
    qs = Notice.objects.all()
    if spec.countries:
        qs = qs.filter(buyer_country__in=spec.country_set)
    if spec.notice_types:
        qs = qs.filter(notice_type__in=spec.notice_types)
    lexicon = cpv_lexicon()
    prefixes = set()
    for code in spec.cpv_codes:
        prefix = cpv_prefix(code)
        prefixes.add(prefix[:3] if len(prefix) >= 3 else prefix[:2])
        prefixes.update(lexicon.near_codes(code))
    for text in spec.keywords:
        prefixes.update(keyword_code_prefixes(dictionary_forms(text), lexicon, acronyms(text)))
    cond = Q(Exists(NoticeCpv.objects.filter(_ranges(prefixes), notice=OuterRef("pk")))) if prefixes else Q()
    words = {words[0][0] for words in spec.keyword_words}
    for text in spec.keywords:  # every word of a keyword said in other languages
        for form in dictionary_forms(text):
            if len(form) >= 3 and not lexicon.is_function_word(form):
                words.update(t.text for t in lexicon.translations(form))
    for code in spec.cpv_codes:
        if len(cpv_prefix(code)) >= 3:
            for term in label_terms(code):
                words.add(max((w[0][0] for w in term.words), key=len))
            words.update(term.word for term in label_word_terms(code))
    if words:
        cond |= Q(pk__in=search.ids_matching_any(words, limit))
    if spec.green_sectors and not (spec.cpv_codes or spec.keywords):
        cond |= Q(Exists(NoticeSector.objects.filter(notice=OuterRef("pk"), sector__in=spec.green_sectors)))
    if not cond:
        return []
    return list(qs.filter(cond).order_by("-published", "-id").values_list("id", flat=True)[:limit])


def match_preview(
    spec: WatchSpec,
    *,
    limit: int | None = 20,
    signals: Iterable[str] = SIGNALS,
    now: datetime | None = None,
    candidates: int = CANDIDATES,
    reranker: Reranker | None = None,
) -> list[Result]:
    """The notices in the database the watch matches now, best first (re-ranked by meaning when a
    re-ranker is given)."""
    ids = _candidate_ids(spec, candidates)
    matcher = Matcher([spec], signals=signals, now=now)
    results = []
    for row in Notice.objects.filter(pk__in=ids).values(*NoticeFacts.FIELDS).iterator(chunk_size=1000):
        results.extend(matcher.match(NoticeFacts.from_row(row)))
    results.sort(key=lambda r: (-r.score, -r.notice.id))
    if reranker is not None:
        results = reranker.rerank(spec, results)
    return results[:limit] if limit else results


BROAD_SHARE, BROAD_MIN = 0.25, 200  # a watch matching this share of the notices (and at least this many) is broad


def match_breadth(results: list[Result]) -> tuple[int, int] | None:
    """(notices the watch matches now, notices in GreenBridge) when the watch matches almost everything: a
    quarter of the notices or more, and at least `BROAD_MIN` (results: match_preview's, without a limit)."""
    if len(results) < BROAD_MIN:
        return None
    total = Notice.objects.count()
    return (len(results), total) if len(results) >= BROAD_SHARE * total else None


def watches_for_user(*, user: Any) -> QuerySet[Watch]:
    return Watch.objects.filter(organisation__in=organisations_with_private_access(user=user)).select_related(
        "organisation"
    )


def inbox(*, user: Any, organisation: Organisation, mark: str = "", watch: Watch | None = None) -> QuerySet[Match]:
    """The organisation's matches, best first, each with the notice, the organisation's mark and the
    user's star."""
    qs = (
        Match.objects.filter(watch__organisation=organisation)
        .select_related("watch", "notice")
        .defer("notice__raw", "notice__description")
        .annotate(
            starred=Exists(Star.objects.filter(user=user, notice=OuterRef("notice"))),
        )
        .order_by("-created", "-score", "-id")
    )
    if watch is not None:
        qs = qs.filter(watch=watch)
    if mark == "unmarked":
        qs = qs.exclude(notice__marks__organisation=organisation)
    elif mark:
        qs = qs.filter(notice__marks__organisation=organisation, notice__marks__value=mark)
    return qs


def marks_of(*, organisation: Organisation, notice_ids: Iterable[int]) -> dict[int, str]:
    return dict(
        Mark.objects.filter(organisation=organisation, notice_id__in=list(notice_ids)).values_list("notice_id", "value")
    )


def notice_matches_for_user(*, user: Any, notice: Notice) -> QuerySet[Match]:
    """Why a notice matches the user's organisations' watches ("why this matches you")."""
    if not user.is_authenticated:
        return Match.objects.none()
    return (
        Match.objects.filter(notice=notice, watch__organisation__in=organisations_with_private_access(user=user))
        .select_related("watch", "watch__organisation")
        .order_by("-score")
    )


def profile_watch_data(organisation: Organisation) -> dict[str, list[str]]:
    """What an organisation's profile says it supplies, as watch fields: its CPV codes, the CPV codes of
    its NACE activities, its green sectors."""
    codes = list(organisation.cpv_codes)
    codes.extend(c for c in cpv_for_nace(organisation.nace_codes) if c not in codes)
    return {"cpv_codes": codes, "green_sectors": list(organisation.green_sectors)}


def forward_candidates(*, cluster: Organisation, notice: Notice) -> list[dict[str, Any]]:
    """The cluster's members to forward a notice to, each with how well the notice fits its profile
    (a Result, or None), whether it was already forwarded to it, best fit first, then by name."""
    members = list(cluster_members(cluster=cluster))
    specs, owners = [], []
    for member in members:
        try:
            specs.append(WatchSpec.from_data(profile_watch_data(member)))
            owners.append(member.pk)
        except WatchInvalid:  # a profile without codes or sectors says nothing to match on
            continue
    fits: dict[int, Result] = {}
    if specs:
        facts = NoticeFacts.from_row(Notice.objects.values(*NoticeFacts.FIELDS).get(pk=notice.pk))
        fits = {owners[r.watch]: r for r in Matcher(specs).match(facts)}
    sent = set(Forward.objects.filter(cluster=cluster, notice=notice).values_list("member_id", flat=True))
    rows = [{"member": m, "fit": fits.get(m.pk), "forwarded": m.pk in sent} for m in members]
    rows.sort(key=lambda row: (-(row["fit"].score if row["fit"] else 0.0), row["member"].name.casefold()))
    return rows


def forwards_received(*, user: Any, organisation: Organisation) -> QuerySet[Forward]:
    """The notices the organisation's clusters forwarded to it, newest first, with the user's star."""
    return (
        Forward.objects.filter(member=organisation)
        .select_related("cluster", "notice", "by")
        .defer("notice__raw", "notice__description")
        .annotate(starred=Exists(Star.objects.filter(user=user, notice=OuterRef("notice"))))
    )
