"""A generated procurement history, for the demo (so that the market charts have years to show) and for the market
benchmark (a million notices). Every generated notice is from the source "generated" (the E-watch's search and
counts leave it out unless asked for) and its title says it is generated: they are never mistaken for real notices.
Codes are real CPV codes with the green sectors the taxonomy gives them; titles are the codes' labels in the buyer
country's language; buyers and winners are made up.

`notice_rows` gives Notice fields as dicts (with their sector rows), written by `store` in bulk: no alert run, no
search index (the history is for the market figures; its dates are in the past, and `updated` is the publication
date, so no alert run ever reads them as news)."""

from __future__ import annotations

import math
import random
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

from greenbridge.tenders.models import GENERATED_SOURCE as SOURCE

TITLE = "[Generated] {label} – {city}"


@dataclass(frozen=True)
class Firms:
    """Made-up firm names of one country: a pattern with {0}, {1}… filled from `words`, one choice of each (or a
    pattern with {n}, the firm's number, for the benchmark's hundred thousand firms). Firm `k` always has the same
    name; two numbers may share one (the same firm)."""

    patterns: tuple[str, ...]
    words: tuple[tuple[str, ...], ...] = ()

    def name(self, k: int) -> str:
        if not self.words:
            return self.patterns[0].format(n=k)
        rng = random.Random(k)
        return rng.choice(self.patterns).format(*(rng.choice(options) for options in self.words))


@dataclass(frozen=True)
class Country:
    code: str
    weight: float
    currency: str
    language: str
    cities: tuple[str, ...]
    buyers: tuple[str, ...]  # name patterns with {city}
    firms: tuple[Firms, ...]  # the ways its firms are named
    eur_share: float = 0.0  # of its tenders in euros (works funded by the EU, the EBRD or the EIB)


# Firms as each country names them: plausible, and made up (no real company is meant).
FIRMS = {
    "MD": Firms(("{0}{1} SRL", "{0}{1} {2} SRL", "{0}-{2} SRL"), (
        ("Acva", "Eco", "Hidro", "Termo", "Energo", "Geo", "Edil", "Tehno"),
        ("tehnica", "construct", "serv", "montaj", "sistem", "proiect", "instal", "com"),
        ("Nistru", "Prut", "Codru", "Sud", "Nord", "Grup", "Expert", "Plus"))),
    "RO": Firms(("{0}{1} SRL", "{0}{1} SA", "{0}{1} {2} SRL"), (
        ("Hidro", "Aqua", "Eco", "Termo", "Electro", "Geo", "Edil", "Tehno", "Energo", "Ape"),
        ("tehnica", "serv", "instal", "proiect", "montaj", "nova", "sistem", "terra"),
        ("Nord", "Vest", "Est", "Prim", "Expert", "Invest", "Trans", "Dunărea"))),
    "UA": Firms(("ТОВ «{0}{1}»", "ТОВ «{0}{1} {2}»", "ПП «{0}{1}»"), (
        ("Еко", "Гідро", "Енерго", "Тепло", "Водо", "Техно", "Агро", "Інж"),
        ("буд", "сервіс", "монтаж", "проект", "інвест", "комплекс", "пром", "трейд"),
        ("Поділля", "Волинь", "Схід", "Захід", "Плюс", "Груп", "Південь", "Центр"))),
    "GE": Firms(("{0} {1} LLC",), (
        ("Kartli", "Imereti", "Kolkheti", "Mtkvari", "Rioni", "Aragvi", "Kakheti", "Samegrelo"),
        ("Build", "Water", "Energy", "Engineering", "Construction", "Systems", "Group", "Service"))),
    "AM": Firms(("{0} {1} LLC",), (
        ("Ararat", "Aragats", "Sevan", "Shirak", "Lori", "Syunik", "Hrazdan", "Debed"),
        ("Eco", "Water", "Energy", "Engineering", "Construction", "Systems", "Group", "Service"))),
    "EG": Firms(("{0} {1} SAE", "{0} Company for {1}"), (
        ("Nile", "Delta", "Sinai", "Pharos", "Memphis", "Giza", "Karnak", "Red Sea"),
        ("Works", "Water", "Engineering", "Contracting", "Infrastructure", "Pipes", "Energy", "Construction"))),
    "TN": Firms(("{1} {0} SARL", "Société {0} {1} SA"), (
        ("Carthage", "Sahel", "Cap Bon", "Kairouan", "Medjerda", "Djerba", "Bizerte", "Tabarka"),
        ("Eaux", "Énergie", "Travaux", "Hydraulique", "Environnement", "Bâtiment", "Réseaux", "Ingénierie"))),
    "MA": Firms(("{1} {0} SARL", "Société {0} {1} SA"), (
        ("Atlas", "Rif", "Souss", "Tafilalet", "Sebou", "Draa", "Bouregreg", "Tensift"),
        ("Eaux", "Énergie", "Travaux", "Hydraulique", "Environnement", "Bâtiment", "Réseaux", "Ingénierie"))),
    "JO": Firms(("{0} {1} Co.",), (
        ("Petra", "Jordan Valley", "Wadi Rum", "Dead Sea", "Ajloun", "Madaba", "Aqaba", "Mafraq"),
        ("Water", "Energy", "Engineering", "Contracting", "Solar", "Environment", "Systems", "Projects"))),
    "PL": Firms(("{0}{1} Sp. z o.o.", "{0}{1} S.A."), (
        ("Hydro", "Eko", "Energo", "Termo", "Wod", "Inż", "Instal", "Geo"),
        ("bud", "kan", "serwis", "projekt", "tech", "pol", "mont", "sys"))),
    "TR": Firms(("{0} {1} A.Ş.",), (
        ("Anadolu", "Ege", "Marmara", "Toros", "Fırat", "Karadeniz", "Akdeniz", "Kapadokya"),
        ("Yapı", "Enerji", "Su Teknolojileri", "İnşaat", "Mühendislik", "Çevre", "Altyapı", "Taahhüt"))),
    "IT": Firms(("{0}{1} S.p.A.", "{0}{1} {2} S.r.l."), (
        ("Idro", "Eco", "Termo", "Acqua", "Geo", "Elettro", "Energo", "Hydro"),
        ("tecnica", "impianti", "sistemi", "servizi", "progetti", "reti", "ambiente", "costruzioni"),
        ("Adriatica", "Padana", "Tirrena", "Lombarda", "Veneta", "Sud", "Nord", "Italia"))),
    "AT": Firms(("{0}{1} GmbH", "{2} {0}{1} GmbH"), (
        ("Wasser", "Umwelt", "Energie", "Klär", "Rohr", "Solar", "Wärme", "Kanal"),
        ("technik", "bau", "anlagen", "systeme", "service", "projekt", "werk", "tech"),
        ("Alpen", "Donau", "Tirol", "Steiermark", "Kärnten", "Wien", "Salzach", "Enns"))),
    "FR": Firms(("{0} {2} SAS", "{0} et {1} {2} SA"), (
        ("Eaux", "Énergie", "Réseaux", "Travaux", "Environnement", "Hydraulique", "Génie", "Services"),
        ("Énergie", "Environnement", "Réseaux", "Travaux", "Services", "Ingénierie", "Eaux", "Climat"),
        ("du Rhône", "de Loire", "de Provence", "d'Aquitaine", "du Nord", "de l'Est", "Méditerranée", "Atlantique"))),
}  # fmt: skip
# The demo's markets: the Eastern Partnership and Mediterranean partners first, and EU neighbours whose firms win
# there. Currencies are those the buyers publish in (EU-funded works in the partner countries are often in euros).
DEMO_COUNTRIES = (
    Country("MD", 25, "MDL", "ro", ("Chișinău", "Bălți", "Cahul", "Ungheni", "Soroca", "Orhei", "Comrat"),
            ("Primăria {city}", "Î.M. Apă-Canal {city}", "Consiliul raional {city}"), (FIRMS["MD"],), 0.4),
    Country("UA", 25, "UAH", "uk", ("Вінниця", "Житомир", "Полтава", "Львів", "Черкаси", "Суми"),
            ("Виконавчий комітет міської ради, {city}", "КП «Водоканал», {city}"), (FIRMS["UA"],), 0.3),
    Country("RO", 15, "RON", "ro", ("Iași", "Cluj-Napoca", "Timișoara", "Galați", "Suceava"),
            ("Primăria {city}", "Compania de Apă {city}"), (FIRMS["RO"],)),
    Country("GE", 8, "GEL", "en", ("Tbilisi", "Kutaisi", "Batumi", "Rustavi"),
            ("{city} City Hall", "United Water Supply Company, {city}"), (FIRMS["GE"],)),
    Country("AM", 5, "AMD", "en", ("Yerevan", "Gyumri", "Vanadzor"), ("{city} Municipality",), (FIRMS["AM"],)),
    Country("EG", 5, "EGP", "en", ("Cairo", "Alexandria", "Aswan"),
            ("Holding Company for Water and Wastewater, {city}",), (FIRMS["EG"],)),
    Country("TN", 5, "TND", "fr", ("Tunis", "Sfax", "Sousse"), ("Commune de {city}", "ONAS, {city}"), (FIRMS["TN"],)),
    Country("MA", 5, "MAD", "fr", ("Rabat", "Casablanca", "Fès"), ("Commune de {city}", "ONEE, {city}"),
            (FIRMS["MA"],)),
    Country("JO", 4, "EUR", "en", ("Amman", "Irbid", "Zarqa"), ("Greater {city} Municipality",), (FIRMS["JO"],)),
    Country("PL", 3, "PLN", "pl", ("Lublin", "Rzeszów"), ("Gmina {city}",), (FIRMS["PL"],)),
)  # fmt: skip
# Firms of these countries win abroad (a share of the contracts).
FOREIGN_WINNERS = tuple((code, FIRMS[code]) for code in ("RO", "PL", "TR", "IT", "AT", "FR"))
# Green work the history is made of: real CPV codes.
GREEN_CODES = (
    "45232150", "45232151", "45252100", "45232410", "45232420", "65100000", "90400000", "90410000", "90420000",
    "42996000", "44163100", "09331200", "45261215", "09332000", "31158100", "34144900", "34928500", "31527200",
    "45331000", "45321000", "90500000", "90510000", "90511000", "90513000", "42914000", "71313000", "90720000",
    "45262700", "71320000", "45233140",
)  # fmt: skip
KINDS = (("competition", 50), ("award", 35), ("planning", 10), ("other", 5))
PROCEDURES = (("open", 65), ("restricted", 10), ("neg-w-call", 8), ("neg-wo-call", 10), ("", 7))
# Units of each currency per euro, roughly, to make values of a believable size (they are converted at the
# real monthly rates for the figures).
PER_EUR = {"EUR": 1, "MDL": 20, "UAH": 35, "RON": 5, "GEL": 3, "AMD": 450, "EGP": 35, "TND": 3.3, "MAD": 11}
PER_EUR |= {"PLN": 4.4, "CZK": 25, "SEK": 11, "HUF": 380, "BGN": 1.96, "DKK": 7.46, "JOD": 0.77, "USD": 1.1}
PER_EUR |= {"RSD": 117, "ALL": 100, "AZN": 1.9}


def _pick(rng: random.Random, pairs: Sequence[tuple[Any, float]]) -> Any:
    values, weights = zip(*pairs, strict=True)
    return rng.choices(values, weights=weights)[0]


def notice_rows(
    n: int,
    *,
    seed: int,
    first_id: int | None = None,
    countries: Sequence[Country] = DEMO_COUNTRIES,
    codes: Sequence[str] = GREEN_CODES,
    years: range = range(2016, 2026),
    label: Callable[[str, str], str],
    sectors: Callable[[str], list[str]],
    firms: int = 150,
) -> Iterator[tuple[dict[str, Any], list[str]]]:
    """`n` notices (Notice fields) with their green sectors. `label(code, language)` names a code,
    `sectors(code)` classifies it; `first_id`: give the rows ids from it (for bulk writes of a million)."""
    rng = random.Random(seed)
    weights = [(c, c.weight) for c in countries]
    year_weights = [(y, 1 + i) for i, y in enumerate(years)]  # more notices each year
    for i in range(n):
        country = _pick(rng, weights)
        kind = _pick(rng, KINDS)
        year = _pick(rng, year_weights)
        published = datetime(year, rng.randint(1, 12), rng.randint(1, 28), rng.randint(7, 17), tzinfo=UTC)
        code = rng.choice(codes)
        city = rng.choice(country.cities)
        currency = "EUR" if rng.random() < country.eur_share else country.currency
        per_eur = PER_EUR.get(currency, 1)
        value = Decimal(int(math.exp(rng.gauss(12.2, 1.3)) * per_eur)) if rng.random() < 0.7 else None
        awards = []
        if kind == "award":
            lots = _pick(rng, ((1, 50), (rng.randint(2, 5), 30), (rng.randint(6, 40), 20)))
            for _ in range(lots):
                if rng.random() < 0.75:
                    winner_country, names = country.code, rng.choice(country.firms)
                else:
                    winner_country, names = rng.choice(FOREIGN_WINNERS)
                tenderers = _pick(rng, ((1, 30), (rng.randint(2, 12), 70))) if rng.random() < 0.75 else None
                amount = int(math.exp(rng.gauss(11.5, 1.4)) * per_eur) if rng.random() < 0.85 else None
                awards.append(
                    {
                        "supplier_name": names.name(rng.randrange(firms)),
                        "supplier_country": winner_country,
                        "value_amount": str(amount) if amount is not None else None,
                        "value_currency": currency,
                        "number_of_tenderers": tenderers,
                        "supplier_sme": rng.random() < 0.6 if rng.random() < 0.7 else None,
                        "lot_ids": [],
                    }
                )
        buyer = rng.choice(country.buyers).format(city=city)
        green = sectors(code)
        row = {
            "source": SOURCE,
            "notice_type": kind,
            "title": TITLE.format(label=label(code, country.language), city=city),
            "language": country.language,
            "buyer_name": buyer,
            "buyer_id": "",
            "buyer_country": country.code,
            "cpv_codes": [code],
            "green_sectors": green,
            "value_amount": value,
            "value_currency": currency if value is not None else "",
            "published": published,
            "deadline": published + timedelta(days=rng.randint(8, 60)) if kind == "competition" else None,
            "procedure_type": _pick(rng, PROCEDURES),
            "status": {"competition": "closed", "award": "awarded", "planning": "planned"}.get(kind, ""),
            "awards": awards,
            # As of its publication: an alert run never reads a notice of years ago as news.
            "created": published,
            "updated": published,
        }
        number = first_id + i if first_id is not None else None
        row["source_id"] = f"generated-{seed}-{i}"
        row["content_hash"] = row["source_id"]
        if number is not None:
            row["id"] = number
        yield row, green


# Notice fields the bulk writes leave to their defaults otherwise (NOT NULL columns).
EMPTY = dict(ocid="", procedure_id="", description="", titles={}, descriptions={}, nuts_codes=[], ojs_number="")
EMPTY |= dict(url="", lots=[], green_flags=[], raw="", raw_format="json")


def store(rows: Iterator[tuple[dict[str, Any], list[str]]], batch: int = 20_000) -> int:
    """Write generated rows (notice_rows) in bulk with their sector rows, their dates as given (a bulk insert:
    Django's `auto_now` would make them new); returns how many notices."""
    from django.db import transaction

    from greenbridge.core import bulk
    from greenbridge.tenders.models import Notice, NoticeSector

    written = 0
    pending: list[tuple[dict[str, Any], list[str]]] = []

    def flush() -> None:
        nonlocal written
        if not pending:
            return
        fields = [*pending[0][0], *EMPTY]
        with transaction.atomic():
            bulk.insert_values(Notice, fields, [[*row.values(), *EMPTY.values()] for row, _ in pending])
            if "id" in pending[0][0]:
                ids = {row["source_id"]: row["id"] for row, _ in pending}
            else:
                wanted = [row["source_id"] for row, _ in pending]
                ids = dict(Notice.objects.filter(source=SOURCE, source_id__in=wanted).values_list("source_id", "id"))
            sector_rows = [(ids[row["source_id"]], s) for row, green in pending for s in green]
            bulk.insert_values(NoticeSector, ["notice", "sector"], sector_rows)
        written += len(pending)
        pending.clear()

    for item in rows:
        pending.append(item)
        if len(pending) >= batch:
            flush()
    flush()
    return written


def create_demo_history(n: int = 4000) -> int:
    """The demo's generated history (idempotent): `n` notices of 2016-2025 in the partner countries, then the
    market figures made again from every notice. Returns how many were written (0 when they exist)."""
    from greenbridge.reference.green import classify
    from greenbridge.reference.lexicon import cpv_label
    from greenbridge.tenders.models import Notice

    from .services import refresh_facts

    if Notice.objects.filter(source=SOURCE).exists():
        return 0
    written = store(
        notice_rows(n, seed=2026, label=cpv_label, sectors=lambda code: classify(cpv_codes=[code], texts=[]))
    )
    refresh_facts(complete=True)
    return written
