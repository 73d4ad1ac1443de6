"""Reads of matching: previews, watches and inboxes, always for a user and through orgs.rules."""

from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Any

from django.db.models import Case, Count, Exists, OuterRef, Q, QuerySet, Subquery, Value, When
from django.db.models.functions import TruncDate
from django.utils import timezone

from greenbridge.orgs.models import Organisation
from greenbridge.orgs.rules import is_cluster_staff, is_operator
from greenbridge.orgs.selectors import cluster_members, organisations_with_private_access
from greenbridge.reference.cpv import cpv_prefix, cpv_range
from greenbridge.reference.lexicon import cpv_lexicon
from greenbridge.reference.tables import cpv_for_nace
from greenbridge.tenders import search
from greenbridge.tenders.models import Notice, NoticeCpv, NoticeSector, NoticeStatus
from greenbridge.tenders.selectors import LIST_FIELDS

from .engine import SIGNALS, Matcher, NoticeFacts, Result, WatchInvalid, WatchSpec
from .explain import described
from .labels import acronyms, dictionary_forms, keyword_code_prefixes, label_terms, label_word_terms
from .models import Forward, Mark, Match, MatchRun, Star, Watch
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


def inbox(
    *, user: Any, organisation: Organisation, mark: str = "", watch: Watch | None = None, open_only: bool = False
) -> QuerySet[Match]:
    """The organisation's matches, each with the notice, the organisation's mark and the user's star: the newest
    day's first (in the reader's time zone) and, among the matches found on one day, the best first (the time of
    day would put a watch's whole backlog, saved in one go, in the order it was matched). `open_only`: the notices
    whose deadline is still ahead."""
    qs = (
        Match.objects.filter(watch__organisation=organisation)
        .select_related("watch", "notice")
        .defer("notice__raw", "notice__description")
        .annotate(
            starred=Exists(Star.objects.filter(user=user, notice=OuterRef("notice"))),
            day=TruncDate("created", tzinfo=timezone.get_current_timezone()),
        )
        .order_by("-day", "-score", "-id")
    )
    if watch is not None:
        qs = qs.filter(watch=watch)
    if open_only:
        qs = qs.filter(notice__deadline__gte=timezone.now())
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


# ---- dashboards -------------------------------------------------------------------------------------


def top_reason(explanation: list[dict[str, Any]]) -> str:
    """The first reason that raised the score, in words in the reader's language ("" if none can be read)."""
    reasons = described(explanation)
    return next((r["text"] for r in reasons if r["effect"] == "+"), reasons[0]["text"] if reasons else "")


FINISHED = (NoticeStatus.CANCELLED, NoticeStatus.UNSUCCESSFUL, NoticeStatus.AWARDED, NoticeStatus.CLOSED)


def new_matches(*, user: Any, organisation: Organisation, since: datetime, limit: int = 5) -> tuple[list[Match], int]:
    """(the best of the organisation's matches found since `since`, one per notice, each with `reason`, its top
    reason in words; how many notices were found since). Only for those who may see its private data."""
    rows = Match.objects.filter(
        watch__organisation=organisation,
        watch__organisation__in=organisations_with_private_access(user=user),
        created__gte=since,
    )
    total = rows.values("notice").distinct().count()
    best: dict[int, Match] = {}
    for match in (
        rows.select_related("watch", "notice")
        .defer("notice__raw", "notice__description", "notice__descriptions", "notice__lots", "notice__awards")
        # Notices one can still bid for first: a tender closed years ago, ended without a contract or awarded, is
        # news of little use.
        .alias(
            closed=Case(
                When(notice__deadline__lt=timezone.now(), then=Value(1)),
                When(notice__status__in=FINISHED, then=Value(1)),
                default=Value(0),
            )
        )
        .order_by("closed", "-score", "-created", "-id")[: limit * 4]
    ):
        best.setdefault(match.notice_id, match)
        if len(best) == limit:
            break
    out = list(best.values())
    for match in out:
        match.reason = top_reason(match.explanation)
    return out, total


TRACKED_MARKS = (Mark.Value.RELEVANT, Mark.Value.WILL_BID, Mark.Value.BID_SUBMITTED)


def deadlines_between(
    *, user: Any, organisation: Organisation, start: datetime, end: datetime, limit: int = 8
) -> tuple[list[Notice], int]:
    """(the notices of the organisation with a deadline in [start, end), soonest first, each with `matched`,
    `starred` (by the user), `mark` and `forwarded`; how many there are). Its notices: those its watches matched,
    its cluster forwarded to it, it marked relevant or as a bid, or the user starred — but not those it marked
    not relevant. What the organisation did is read only for those who may see its private data; the stars are the
    user's own."""
    private = organisations_with_private_access(user=user).filter(pk=organisation.pk)
    in_window = Notice.objects.filter(deadline__gte=start, deadline__lt=end)
    rows = (
        in_window.annotate(
            matched=Exists(Match.objects.filter(notice=OuterRef("pk"), watch__organisation__in=private)),
            starred=Exists(Star.objects.filter(notice=OuterRef("pk"), user=user)),
            mark=Subquery(Mark.objects.filter(notice=OuterRef("pk"), organisation__in=private).values("value")[:1]),
            forwarded=Exists(Forward.objects.filter(notice=OuterRef("pk"), member__in=private)),
        )
        .filter(Q(matched=True) | Q(starred=True) | Q(forwarded=True) | Q(mark__in=TRACKED_MARKS))
        .filter(Q(mark__isnull=True) | Q(mark__in=[v for v in Mark.Value.values if v != Mark.Value.NOT_RELEVANT]))
        .only(*LIST_FIELDS)
        .order_by("deadline", "id")
    )
    return list(rows[:limit]), rows.count()


def watch_facts(*, user: Any, organisation: Organisation) -> dict[str, int]:
    """What the organisation's watches cover, for "what your profile lacks": how many, how many active, how many
    name the countries it aims at."""
    rows = list(
        Watch.objects.filter(
            organisation=organisation, organisation__in=organisations_with_private_access(user=user)
        ).values_list("active", "countries")
    )
    return {
        "watches": len(rows),
        "active": sum(1 for active, _ in rows if active),
        "with_countries": sum(1 for _, countries in rows if countries),
    }


def member_activity(*, user: Any, members: list[Organisation], since: datetime) -> dict[int, dict[str, int]]:
    """For a cluster's staff: each member's new matches (notices) and bids marked (will bid, bid submitted) since
    `since`, for the members whose private data the user may see; the others are left out (two queries)."""
    shared = organisations_with_private_access(user=user).filter(pk__in=[m.pk for m in members])
    found = (
        Match.objects.filter(watch__organisation__in=shared, created__gte=since)
        .values_list("watch__organisation")
        .annotate(n=Count("notice", distinct=True))
        .order_by()
    )
    bids = (
        Mark.objects.filter(
            organisation__in=shared, value__in=[Mark.Value.WILL_BID, Mark.Value.BID_SUBMITTED], updated__gte=since
        )
        .values_list("organisation")
        .annotate(n=Count("pk"))
        .order_by()
    )
    out: dict[int, dict[str, int]] = {}
    for org_id, n in found:
        out.setdefault(org_id, {"matches": 0, "bids": 0})["matches"] = n
    for org_id, n in bids:
        out.setdefault(org_id, {"matches": 0, "bids": 0})["bids"] = n
    return out


FORWARD_CANDIDATES = 2000  # the newest open notices scored against the members' profiles, at most
CLOSED_STATUSES = ("cancelled", "unsuccessful", "awarded", "closed")
# A notice without a deadline (a prior information notice, a procurement plan) is news for this long after its
# publication: a publisher's plan of years ago, loaded today, is not worth forwarding.
CURRENT_WITHOUT_DEADLINE = timedelta(days=365)


def notices_to_forward(
    *, user: Any, cluster: Organisation, since: datetime, limit: int = 5, now: datetime | None = None
) -> list[dict[str, Any]]:
    """For a cluster's staff: the notices that arrived since `since`, still open (a notice without a deadline:
    published within CURRENT_WITHOUT_DEADLINE), that fit members' profiles and were not forwarded to them yet, best
    fit first. Each: the notice, `members` (member, score, top reason; best first) and `score` (the best). The
    members' profiles are compiled into one Matcher (as `forward_candidates` does for one notice), and the newest
    `FORWARD_CANDIDATES` notices are read once."""
    if not is_cluster_staff(user, cluster):
        return []
    now = now or timezone.now()
    members = list(cluster_members(cluster=cluster))
    specs, owners = [], []
    for member in members:
        try:
            specs.append(WatchSpec.from_data(profile_watch_data(member)))
            owners.append(member)
        except WatchInvalid:  # a profile without codes or sectors says nothing to match on
            continue
    if not specs:
        return []
    matcher = Matcher(specs, now=now)
    candidates = (
        Notice.objects.filter(created__gte=since)
        .filter(
            Q(deadline__gte=now)
            | Q(deadline__isnull=True, published__gte=now - CURRENT_WITHOUT_DEADLINE)
            | Q(deadline__isnull=True, published__isnull=True)
        )
        .exclude(notice_type="award")
        .exclude(status__in=CLOSED_STATUSES)
        .order_by("-created", "-id")
        .values(*NoticeFacts.FIELDS)[:FORWARD_CANDIDATES]
    )
    fits: dict[int, list[tuple[Organisation, Result]]] = {}
    for row in candidates:
        for result in matcher.match(NoticeFacts.from_row(row)):
            fits.setdefault(result.notice.id, []).append((owners[result.watch], result))
    if not fits:
        return []
    sent = set(Forward.objects.filter(cluster=cluster, notice_id__in=list(fits)).values_list("notice_id", "member_id"))
    ranked = []
    for notice_id, pairs in fits.items():
        pairs = [(m, r) for m, r in pairs if (notice_id, m.pk) not in sent]
        if pairs:
            pairs.sort(key=lambda p: (-p[1].score, p[0].name.casefold()))
            ranked.append((pairs[0][1].score, notice_id, pairs))
    ranked.sort(key=lambda t: (-t[0], -t[1]))
    ranked = ranked[:limit]
    notices = Notice.objects.only(*LIST_FIELDS).in_bulk([notice_id for _, notice_id, _ in ranked])
    return [
        {
            "notice": notices[notice_id],
            "score": score,
            "members": [{"member": m, "score": r.score, "reason": top_reason(r.explanation)} for m, r in pairs],
        }
        for score, notice_id, pairs in ranked
        if notice_id in notices
    ]


def alert_runs(*, user: Any, limit: int = 5) -> list[MatchRun]:
    """For operators: the latest alert runs, with what they skipped and why."""
    if not is_operator(user):
        return []
    return list(MatchRun.objects.order_by("-started")[:limit])


def watch_counts(*, user: Any, since: datetime) -> dict[str, int]:
    """For operators: active watches, and the matches found since `since` (one query each)."""
    if not is_operator(user):
        return {}
    return {
        "watches": Watch.objects.filter(active=True).count(),
        "matches": Match.objects.filter(created__gte=since).count(),
    }
