"""The engine's reasons in plain words, in the reader's language."""

import logging
from typing import Any

from django.utils.formats import number_format
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _
from django_countries import countries

from greenbridge.core.templatetags.greenbridge import days_left
from greenbridge.reference import green, regions
from greenbridge.reference.lexicon import cpv_label
from greenbridge.reference.normalise import language_name

log = logging.getLogger(__name__)


def _code(code: str, language: str) -> str:
    return f"{code} {cpv_label(code, language)}".strip()


def effect(item: dict[str, Any]) -> str:
    """ "+" a signal that raised the score, "=" a fit, "-" what lowered it."""
    if item["kind"] in ("value", "status", "deadline"):
        return "-" if item.get("factor", 1.0) < 1.0 else "="
    return "=" if item["kind"] == "country" else "+"


def describe(item: dict[str, Any], language: str | None = None) -> str:
    lang = (language or get_language() or "en").split("-")[0]
    kind = item["kind"]
    if kind == "cpv":
        notice, watch = _code(item["notice_code"], lang), _code(item["watch_code"], lang)
        text = {
            "exact": _("CPV %(notice)s: the same code as yours"),
            "under": _("CPV %(notice)s: under your %(watch)s"),
            "class": _("CPV %(notice)s: in the same class as your %(watch)s"),
            "group": _("CPV %(notice)s: in the same group as your %(watch)s"),
            "division": _("CPV %(notice)s: only the same division as your %(watch)s"),
            "near": _("CPV %(notice)s: close to your %(watch)s in another branch"),
        }[item["relation"]] % {"notice": notice, "watch": watch}
        if item.get("focus"):
            text = _("%(reason)s (one of the notice's other codes; it covers several kinds of work)") % {"reason": text}
        return text
    if kind == "keyword_words":
        return _("The words of “%(keyword)s” in the title") % {"keyword": item["keyword"]}
    if kind == "keyword":
        if item["where"] == "title":
            return _("“%(keyword)s” in the title") % {"keyword": item["keyword"]}
        return _("“%(keyword)s” in the description or lots") % {"keyword": item["keyword"]}
    if kind == "translation":
        params = {
            "keyword": item["keyword"],
            "language": language_name(item["language"], lang),
            "words": " ".join(item["words"]),
        }
        if item["where"] == "title":
            return _("“%(keyword)s” in %(language)s (%(words)s) in the title") % params
        return _("“%(keyword)s” in %(language)s (%(words)s) in the text") % params
    if kind == "keyword_code":
        return _("“%(keyword)s” is what CPV %(code)s says") % {
            "keyword": item["keyword"],
            "code": _code(item["notice_code"], lang),
        }
    if kind == "label" and item.get("word"):
        params = {"word": item["word"], "language": item["language"].upper(), "code": item["watch_code"]}
        return _("“%(word)s” (a rare word of the %(language)s name of your CPV %(code)s) in the title") % params
    if kind == "label":
        params = {"label": item["label"], "language": item["language"].upper(), "code": item["watch_code"]}
        if item.get("words"):  # the label's words that matter, not the label itself
            params["words"] = ", ".join(item["words"])
            if item["where"] == "title":
                text = _("“%(words)s” (words of the %(language)s name of your CPV %(code)s, “%(label)s”) in the title")
            else:
                text = _("“%(words)s” (words of the %(language)s name of your CPV %(code)s, “%(label)s”) in the text")
            return text % params
        if item["where"] == "title":
            return _("“%(label)s” (%(language)s name of your CPV %(code)s) in the title") % params
        return _("“%(label)s” (%(language)s name of your CPV %(code)s) in the text") % params
    if kind == "sector":
        names = ", ".join(green.sector(s).label(lang) for s in item["sectors"] if green.sector(s))
        return _("Green sector: %(sectors)s") % {"sectors": names}
    if kind == "country":
        name = countries.name(item["country"]) or item["country"]
        if item.get("region"):
            return _("In %(country)s (%(region)s)") % {"country": name, "region": regions.region_label(item["region"])}
        return _("In %(country)s, one of your countries") % {"country": name}
    if kind == "value":
        value = number_format(item["value_eur"], 0, force_grouping=True) if item.get("value_eur") is not None else ""
        return {
            "in_range": _("Value about €%(value)s, within your range"),
            "below": _("Value about €%(value)s, below your minimum"),
            "above": _("Value about €%(value)s, above your maximum"),
            "unknown": _("No value published"),
            "not_comparable": _("Value in a currency that cannot be compared with your range"),
        }[item["status"]] % {"value": value}
    if kind == "status":
        return _("The procedure was cancelled")
    if kind == "semantic":
        return _("Close in meaning to your watch (similarity %(similarity)s)") % {
            "similarity": number_format(item["similarity"], 2)
        }
    days = item["days"]
    if item.get("deadline"):  # counted today, as the notice's page counts them (the reason was stored days ago)
        days = days_left(item["deadline"])
        days = -1 if days is None else days
    if item["status"] == "passed" or days < 0:
        return _("The deadline has passed")
    if days == 0:
        return _("The deadline is today")
    return ngettext(
        "Only %(days)s day left before the deadline", "Only %(days)s days left before the deadline", days
    ) % {"days": days}


def described(explanation: list[dict[str, Any]], language: str | None = None) -> list[dict[str, Any]]:
    """Each reason with its text and effect, for templates, the API and the command line. A reason this code
    cannot read (stored by another version, or damaged) is left out, with a warning in the log: the page,
    e-mail or webhook goes on with the others."""
    out = []
    for item in explanation if isinstance(explanation, list) else []:
        try:
            out.append({**item, "text": describe(item, language), "effect": effect(item)})
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            log.warning("reason %r left out: %r", item, exc)
    return out
