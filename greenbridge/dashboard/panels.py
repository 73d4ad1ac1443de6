"""What each role's dashboard shows, read from the other apps through their selectors (each takes the person who
asks and returns only what they may see). One function per role; each returns the context of its template."""

from dataclasses import dataclass
from datetime import datetime, timedelta

import rules
from django.urls import reverse
from django.utils.translation import gettext as _

from greenbridge.assessments import selectors as assessments
from greenbridge.events import selectors as events
from greenbridge.helpdesk import selectors as helpdesk
from greenbridge.matching import selectors as matching
from greenbridge.orgs import selectors as orgs
from greenbridge.orgs.models import Organisation
from greenbridge.orgs.rules import has_verified_email, publishing_refused
from greenbridge.partnering import selectors as partnering
from greenbridge.portfolio import selectors as portfolio
from greenbridge.tenders import selectors as tenders

WEEK = timedelta(days=7)
LOOK_BACK_MAX = timedelta(days=30)  # after a long absence, what is new goes back this far at most
MEMBERS_SHOWN = 8


@dataclass
class Window:
    """The time the dashboard looks at: `now`, what is recent (`since`: the last 7 days, or since the previous
    visit when that was longer ago, up to 30 days) and the previous visit (what came after it is marked new)."""

    now: datetime
    previous: datetime | None

    @property
    def since(self) -> datetime:
        since = self.now - WEEK
        if self.previous is not None and self.previous < since:
            since = max(self.previous, self.now - LOOK_BACK_MAX)
        return since

    @property
    def days(self) -> int:
        return round((self.now - self.since).total_seconds() / 86400)

    def is_new(self, moment: datetime | None) -> bool:
        return self.previous is not None and moment is not None and moment > self.previous


@dataclass
class Gap:
    """Something a profile lacks, why it matters, and where to fix it."""

    text: str
    fix: str  # the link's words
    url: str


def profile_gaps(user, org: Organisation, watches: dict[str, int], *, can_edit: bool, email_ok: bool) -> list[Gap]:
    """What the organisation's profile (and watches) lack for GreenBridge to find tenders and partners for it."""
    edit = reverse("orgs:edit", args=[org.slug])
    gaps = []
    if not org.cpv_codes:
        gaps.append(
            Gap(
                _("No CPV codes: GreenBridge cannot tell which tenders you can supply."),
                _("Add the codes of what you supply"),
                f"{edit}#field-cpv_codes",
            )
        )
    if not org.description.strip():
        gaps.append(
            Gap(
                _("No description: buyers and partners do not see what you do."),
                _("Describe your company"),
                f"{edit}#field-description",
            )
        )
    if not org.green_sectors:
        gaps.append(
            Gap(
                _("No green sector: clusters and buyers cannot find you by sector."),
                _("Choose your sectors"),
                f"{edit}#field-green_sectors",
            )
        )
    if not org.languages:
        gaps.append(
            Gap(
                _("No languages: partners abroad do not know which language to write in."),
                _("Add the languages you speak"),
                f"{edit}#field-languages",
            )
        )
    if not can_edit:
        gaps = [
            Gap(
                g.text,
                _("Ask an administrator of %(name)s") % {"name": org.name},
                reverse("orgs:detail", args=[org.slug]),
            )
            for g in gaps
        ]
    if not watches["watches"]:
        gaps.append(
            Gap(
                _("No watch: nothing looks for new tenders for you."),
                _("Create a watch from your profile"),
                reverse("matching:watch_new", args=[org.slug]),
            )
        )
    elif not watches["active"]:
        gaps.append(
            Gap(
                _("Every watch is paused: no alert reaches you."),
                _("Switch a watch on"),
                reverse("matching:watch_list"),
            )
        )
    elif not watches["with_countries"]:
        gaps.append(
            Gap(
                _("No target country: your watches look everywhere. Name the markets you aim at."),
                _("Add countries to a watch"),
                reverse("matching:watch_list"),
            )
        )
    if not email_ok:
        gaps.append(
            Gap(
                _("Your e-mail address is not confirmed: alerts may not reach you, and you cannot publish."),
                _("Confirm your e-mail address"),
                reverse("account_email"),
            )
        )
    return gaps


def company_panel(user, org: Organisation, window: Window, *, email_ok: bool) -> dict:
    """An SME (or a research organisation, an investor): new matches, deadlines this week, its events and next
    meetings, what waits for its answer, what its profile lacks."""
    matches, match_total = matching.new_matches(user=user, organisation=org, since=window.since)
    for m in matches:
        m.is_new = window.is_new(m.created)
    deadlines, deadline_total = matching.deadlines_between(
        user=user, organisation=org, start=window.now, end=window.now + WEEK
    )
    watches = matching.watch_facts(user=user, organisation=org)
    can_edit = user.has_perm("orgs.change_organisation", org)
    requests = events.requests_awaiting(user=user, organisation=org, now=window.now)
    interests = partnering.interests_awaiting(user=user, organisation=org)
    plans = assessments.plans_to_agree(user=user, organisation=org)
    return {
        "org": org,
        "matches": matches,
        "match_total": match_total,
        "deadlines": deadlines,
        "deadline_total": deadline_total,
        "registrations": events.registrations_upcoming(user=user, organisation=org, now=window.now),
        "meetings": events.meetings_upcoming(user=user, organisation=org, now=window.now),
        "requests": requests,
        "interests": interests,
        "plans": plans,
        "waiting": len(requests) + len(interests) + len(plans),
        "gaps": profile_gaps(user, org, watches, can_edit=can_edit, email_ok=email_ok),
        "watches": watches,
        "assessments": assessments.latest_of(user=user, organisation=org),
        "engagements": portfolio.engagements_of(user=user, organisation=org),
        "questions": helpdesk.open_for_company(user=user, organisation=org),
    }


def cluster_panel(user, cluster: Organisation, window: Window, *, manager: bool) -> dict:
    """A cluster's or BSO's staff: its members and their recent activity, notices worth forwarding, events that need
    doing, what waits for an answer, and the cluster's tools."""
    links = list(orgs.cluster_member_links(user=user, cluster=cluster))
    members = [link.member for link in links]
    activity = matching.member_activity(user=user, members=members, since=window.since)
    meetings = events.meeting_counts(user=user, cluster=cluster, organisations=members, since=window.since)
    offers = partnering.open_opportunity_counts(organisations=members)
    rows = []
    for link in links:
        seen = activity.get(link.member_id)
        row = {
            "link": link,
            "member": link.member,
            "shared": seen is not None or link.shares_private_data,
            "matches": (seen or {}).get("matches", 0),
            "bids": (seen or {}).get("bids", 0),
            "meetings": meetings.get(link.member_id, 0),
            "opportunities": offers.get(link.member_id, 0),
        }
        row["activity"] = row["matches"] + row["bids"] + row["meetings"] + row["opportunities"]
        rows.append(row)
    rows.sort(key=lambda r: (-r["activity"], r["member"].name.casefold()))
    can_forward = rules.has_perm("orgs.forward_to_members", user, cluster)
    requests = events.requests_awaiting(user=user, organisation=cluster, now=window.now)
    interests = partnering.interests_awaiting(user=user, organisation=cluster)
    return {
        "org": cluster,
        "manager": manager,
        "member_rows": rows[:MEMBERS_SHOWN],
        "member_total": len(rows),
        "active_members": sum(1 for r in rows if r["activity"]),
        "to_forward": matching.notices_to_forward(user=user, cluster=cluster, since=window.since, now=window.now)
        if can_forward
        else [],
        "can_forward": can_forward,
        "forward_refused": "" if can_forward else publishing_refused(user, cluster),
        "events": events.events_needing_action(user=user, cluster=cluster, now=window.now),
        "requests": requests,
        "interests": interests,
        "waiting": len(requests) + len(interests),
        "service_requests": portfolio.incoming_count(user=user, provider=cluster),
        "tickets": helpdesk.to_answer_for_cluster(user=user, cluster=cluster),
        "helpdesk_reports": helpdesk.queues_reported_to(user).filter(organisation=cluster).exists(),
        "invitations_waiting": orgs.invitations_of(user=user, cluster=cluster).waiting(window.now).count()
        if manager
        else 0,
    }


def buyer_panel(user, org: Organisation, window: Window) -> dict:
    """A public procurer or authority: its procurement needs and the interests they drew, its events and B2P
    sessions, and the suppliers worth meeting. No bid tracking: buyers do not bid."""
    registrations = events.registrations_upcoming(user=user, organisation=org, now=window.now)
    registered = {r.event_id for r in registrations}
    return {
        "org": org,
        "needs": partnering.procurement_needs_of(user=user, organisation=org),
        "interests": partnering.interests_received_by(user=user, organisation=org),
        "registrations": registrations,
        "meetings": events.meetings_upcoming(user=user, organisation=org, now=window.now),
        "requests": events.requests_awaiting(user=user, organisation=org, now=window.now),
        "b2p_events": [e for e in events.b2p_events(user=user, now=window.now) if e.pk not in registered],
        "suppliers": partnering.suppliers_worth_meeting(user=user, organisation=org),
        "need_refused": publishing_refused(user, org, procurement_need=True),
    }


def operator_panel(user, window: Window) -> dict:
    """The platform operators: ingestion runs and what they rejected, alert runs and what they skipped,
    organisations awaiting verification, and the platform in numbers."""
    awaiting = orgs.organisations_awaiting_verification(user=user)
    return {
        "ingest_runs": tenders.ingest_runs(user=user),
        "alert_runs": matching.alert_runs(user=user),
        "awaiting": list(awaiting[:5]),
        "awaiting_total": awaiting.count(),
        "notices": tenders.notice_stats(user=user),
        "organisations": orgs.organisation_counts(user=user),
        "watching": matching.watch_counts(user=user, since=window.now - WEEK),
        "events": events.event_count(user=user),
        "opportunities": partnering.open_opportunity_count(),
    }


def panels(user, roles: orgs.Roles, window: Window) -> dict:
    """Every panel that applies to the person, in the order of the page."""
    email_ok = has_verified_email(user) if roles.watchers else True
    return {
        "companies": [company_panel(user, org, window, email_ok=email_ok) for org in roles.watchers],
        "clusters": [cluster_panel(user, c, window, manager=c in roles.managed) for c in roles.clusters],
        "buyers": [buyer_panel(user, org, window) for org in roles.buyers],
        "operator": operator_panel(user, window) if roles.operator else None,
    }
