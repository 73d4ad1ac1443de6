"""What is most worth an organisation's time, each with readable reasons: participants of an event and partnering
opportunities to meet (events, partnering), and support services for its weakest assessment dimensions
(portfolio). The ideas are the matching engine's: related CPV codes by level of the hierarchy, shared green
sectors, words of one side's request found in the other's offer, and the countries a company targets (the
countries of its watches); plus the B2P case, a public buyer meeting a supplier, and the needs an assessment
showed, met by what a service improves.
"""

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cached_property

from greenbridge.orgs.models import Organisation
from greenbridge.reference.cpv import cpv_prefix
from greenbridge.reference.normalise import country_a_reader_names
from greenbridge.reference.text import fold

BUYERS = {Organisation.Kind.PROCURER, Organisation.Kind.AUTHORITY}
# Words too common in offers and requests to say anything about a fit (English, Romanian, French, Ukrainian).
_STOP_TEXT = (
    "about also and are for from have into our that the their these this with will your we you who which "
    "partner partners company companies looking offer offers services service solutions products project projects "
    "pentru care sunt din prin companie servicii produse parteneri cu de la si sau "
    "pour avec dans des les une sont nous vous entreprise partenaires produits "
    "для та що або які наші компанія послуги продукти партнери "
    # Who rather than what: a buyer's "Municipality of Ungheni" is not what an SME seeking municipalities as
    # customers looks for, nor a supplier's "plants" what a buyer building plants asks for.
    "municipality municipalities municipal public city cities town towns local authority authorities customers "
    "clients buyers suppliers contractors firms businesses smes plants "
    "primărie primării municipalitate publice autorități clienți furnizori firme orașe "
    "municipalités publics clients fournisseurs acheteurs villes "
    "муніципалітет громади публічні замовники клієнти постачальники місто "
    # How rather than what: every trade installs, supplies and works; what it installs is the fit.
    "install installs instalare instalează installer встановлення монтаж supply supplies furnizare furnizăm "
    "fourniture постачання works work lucrări travaux роботи provide provides provision oferim offrons надаємо "
    "experience experiență expérience досвід years"
)
# Each word stands for every word with its first six letters (the stems the offers are compared by).
STOP_STEMS = frozenset(fold(w)[:6] for w in _STOP_TEXT.split())
WORD_RE = re.compile(r"\w{4,}")


@dataclass
class Profile:
    """One side of a possible meeting. Codes, sectors and countries default to the organisation's; an
    opportunity brings its own."""

    key: object  # what is recommended: a Registration, an Opportunity, an Organisation…
    organisation: Organisation
    offer: str = ""
    seeking: str = ""
    targets: frozenset[str] = frozenset()  # ISO country codes the organisation aims at
    cpv_codes: list[str] | None = None
    sectors: list[str] | None = None
    countries: frozenset[str] | None = None  # where it is (an organisation) or where it applies (an opportunity)
    # An assessment's weak dimensions ("questionnaire:dimension" -> {"name", "score" 0-100, "percentile" or None}),
    # and what a service improves (the same keys).
    needs: dict[str, dict] = field(default_factory=dict)
    improves: frozenset[str] = frozenset()

    def __post_init__(self) -> None:
        org = self.organisation
        self.cpv_codes = list(org.cpv_codes or []) if self.cpv_codes is None else self.cpv_codes
        self.sectors = list(org.green_sectors or []) if self.sectors is None else self.sectors
        if self.countries is None:
            self.countries = frozenset({str(org.country)}) if org.country else frozenset()

    # The words are read only when the other side seeks something (a company with no plan asks nothing in words).
    @cached_property
    def offer_words(self) -> frozenset[str]:
        return _words(f"{self.offer} {self.organisation.description}")

    @cached_property
    def seeking_words(self) -> frozenset[str]:
        return _words(self.seeking)


@dataclass
class Recommendation:
    profile: Profile
    score: float
    reasons: list[dict]


def _words(text: str) -> frozenset[str]:
    # A crude stem (the first six letters) lets "meter" meet "meters" and "tratare" meet "tratarea". A country's name
    # ("Ukraine", "Moldova") says where, not what: places are weighed apart (the countries and targets).
    return frozenset(
        stem
        for w in WORD_RE.findall(fold(text))
        if (stem := w[:6]) not in STOP_STEMS and not w.isdigit() and not country_a_reader_names(w)
    )


def _cpv_fit(mine: Iterable[str], theirs: Iterable[str]) -> tuple[float, str, str] | None:
    """The closest relation between two lists of CPV codes: (strength, my code, their code)."""
    best = None
    theirs = list(theirs)
    for a in mine:
        for b in theirs:
            shared = len(_common(cpv_prefix(a), cpv_prefix(b)))
            strength = 1.0 if a == b else {5: 0.8, 4: 0.6}.get(min(shared, 5), 0.0)  # a shared group says little
            if strength and (best is None or strength > best[0]):
                best = (strength, a, b)
    return best


def _common(a: str, b: str) -> str:
    n = 0
    while n < min(len(a), len(b)) and a[n] == b[n]:
        n += 1
    return a[:n]


def _fit_words(seeking: Profile, offer: Profile, text: str) -> list[str]:
    """The words `seeking` asks for met in the offer of `offer`, as `text` (the offer) spells them."""
    if not seeking.seeking_words:
        return []
    hits = seeking.seeking_words & offer.offer_words
    if not hits:
        return []
    shown: dict[str, str] = {}  # stem -> the first word of the offer with it ("installation", not also "Installs")
    for w in WORD_RE.findall(text):
        stem = fold(w)[:6]
        if stem in hits and stem not in shown:
            shown[stem] = w
    return list(shown.values())[:4]


def prescore(me: Profile, cpv_codes: list[str], sectors: list[str], countries: list[str]) -> float:
    """The part of the score that needs no text: related codes, shared sectors, a target country. Cheap, to
    shortlist thousands of candidates before the full score reads their words."""
    fit = _cpv_fit(me.cpv_codes, cpv_codes or [])
    shared = len(set(me.sectors) & set(sectors or []))
    return (0.5 * fit[0] if fit else 0.0) + min(0.2 * shared, 0.4) + (0.3 if me.targets & set(countries or []) else 0)


def score(me: Profile, other: Profile) -> Recommendation:
    a, b = me.organisation, other.organisation
    reasons: list[dict] = []
    total = 0.0
    if needs := sorted((me.needs[k] for k in other.improves if k in me.needs), key=lambda n: n["score"]):
        # Meeting a need outweighs any other fit; the weaker the dimension, the stronger.
        total += 1.0 + (100 - needs[0]["score"]) / 100 + 0.1 * (len(needs) - 1)
        reasons.append({"kind": "need", "needs": needs[:3]})
    fit = _cpv_fit(me.cpv_codes, other.cpv_codes)
    if fit:
        total += 0.5 * fit[0]
        reasons.append({"kind": "cpv", "mine": fit[1], "theirs": fit[2], "strength": fit[0]})
    if words := _fit_words(me, other, f"{other.offer} {b.description}"):
        total += min(0.3 * len(words), 0.9)
        reasons.append({"kind": "they_offer", "words": words})
    if words := _fit_words(other, me, other.seeking):
        total += min(0.3 * len(words), 0.9)
        reasons.append({"kind": "they_seek", "words": words})
    if sectors := sorted(set(me.sectors) & set(other.sectors)):
        total += min(0.2 * len(sectors), 0.4)
        reasons.append({"kind": "sectors", "sectors": sectors})
    if (b.kind in BUYERS) != (a.kind in BUYERS) and (sectors or fit or reasons):
        total += 0.4
        reasons.append({"kind": "buyer" if b.kind in BUYERS else "supplier", "country": str(b.country)})
    if targets := sorted(other.countries & me.targets):
        total += 0.3
        reasons.append({"kind": "target", "country": targets[0]})
    return Recommendation(other, round(total, 3), reasons)


def recommend(me: Profile, others: Iterable[Profile], *, limit: int = 10) -> list[Recommendation]:
    """The others most worth meeting, best first; those with nothing in common are left out."""
    scored = [score(me, o) for o in others if o.organisation.pk != me.organisation.pk]  # never yourself
    scored = [r for r in scored if r.score > 0]
    scored.sort(key=lambda r: (-r.score, str(r.profile.organisation)))
    return scored[:limit]


def describe(reasons: list[dict]) -> list[str]:
    """Reasons in words, in the reader's language."""
    from django.utils.translation import get_language
    from django.utils.translation import gettext as _
    from django_countries import countries

    from greenbridge.reference.green import sector
    from greenbridge.reference.models import CpvCode

    codes = {c for r in reasons if r["kind"] == "cpv" for c in (r["mine"], r["theirs"])}
    labels = {c.code: c.label() for c in CpvCode.objects.filter(code__in=codes)} if codes else {}
    out = []
    for r in reasons:
        kind = r["kind"]
        if kind == "cpv":
            if r["mine"] == r["theirs"]:
                out.append(
                    _("Same line of work: %(code)s %(label)s")
                    % {"code": r["theirs"], "label": labels.get(r["theirs"], "")}
                )
            else:
                out.append(
                    _("Related work: their %(theirs)s %(their_label)s, your %(mine)s %(my_label)s")
                    % {
                        "theirs": r["theirs"],
                        "their_label": labels.get(r["theirs"], ""),
                        "mine": r["mine"],
                        "my_label": labels.get(r["mine"], ""),
                    }
                )
        elif kind == "they_offer":
            out.append(_("They offer what you look for: %(words)s") % {"words": ", ".join(r["words"])})
        elif kind == "they_seek":
            out.append(_("They look for what you offer: %(words)s") % {"words": ", ".join(r["words"])})
        elif kind == "sectors":
            names = [s.label(get_language()) if (s := sector(slug)) else slug for slug in r["sectors"]]
            out.append(_("Both in %(sectors)s") % {"sectors": ", ".join(names)})
        elif kind == "buyer":
            out.append(_("A public buyer in %(country)s") % {"country": countries.name(r["country"]) or r["country"]})
        elif kind == "supplier":
            out.append(_("A supplier for your needs"))
        elif kind == "target":
            out.append(_("In %(country)s, a country you watch") % {"country": countries.name(r["country"])})
        elif kind == "need":
            out.extend(_need(need) for need in r["needs"])
    return out


def _need(need: dict) -> str:
    from django.utils.translation import gettext as _

    values = {"dimension": need["name"], "score": round(need["score"])}
    percentile = need.get("percentile")
    if percentile is not None and percentile < 25:
        return _("%(dimension)s %(score)s/100, in the bottom quarter of organisations like yours") % values
    if percentile is not None and percentile < 50:
        return _("%(dimension)s %(score)s/100, below the median of organisations like yours") % values
    return _("%(dimension)s %(score)s/100, one of your weakest") % values


def described(recommendations: list[Recommendation]) -> list[Recommendation]:
    """Each recommendation with `described`, its reasons in words (for templates)."""
    for r in recommendations:
        r.described = describe(r.reasons)
    return recommendations
