"""Groups of countries a watch (or a filter) may name instead of listing countries one by one.

The groups are the ones GreenBridge's clusters plan with: the EU and the EEA (the single market),
the Eastern Partnership and the Western Balkans (neighbourhood and candidate countries), and the
Southern Neighbourhood (the EU's Mediterranean partners). Codes are ISO 3166-1 alpha-2 ("XK": Kosovo).
"""

from django.utils.translation import gettext_lazy as _

# fmt: off
EU = [
    "AT", "BE", "BG", "CY", "CZ", "DE", "DK", "EE", "ES", "FI", "FR", "GR", "HR", "HU",
    "IE", "IT", "LT", "LU", "LV", "MT", "NL", "PL", "PT", "RO", "SE", "SI", "SK",
]
# fmt: on
REGIONS: dict[str, tuple[str, tuple[str, ...]]] = {
    "EU": (_("European Union"), tuple(EU)),
    "EEA": (_("European Economic Area"), (*EU, "IS", "LI", "NO")),
    # Belarus suspended its participation in 2021; the other five take part.
    "EAP": (_("Eastern Partnership"), ("AM", "AZ", "GE", "MD", "UA")),
    "BALKANS": (_("Western Balkans"), ("AL", "BA", "ME", "MK", "RS", "XK")),
    "MED": (_("Southern Neighbourhood (Mediterranean)"), ("DZ", "EG", "IL", "JO", "LB", "LY", "MA", "PS", "SY", "TN")),
}


def region_label(code: str) -> str:
    return str(REGIONS[code][0])


def expand(codes: list[str]) -> frozenset[str]:
    """Country codes and region codes -> the set of country codes."""
    out: set[str] = set()
    for code in codes:
        out.update(REGIONS[code][1] if code in REGIONS else (code,))
    return frozenset(out)


def choices() -> list[tuple[str, str]]:
    return [(code, str(label)) for code, (label, _) in REGIONS.items()]
