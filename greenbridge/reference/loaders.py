"""Load the reference data that ships with the package into the database."""

import csv
import gzip
import io
import json
from pathlib import Path

from django.db import transaction

from .models import CpvCode, NaceCode
from .text import fold

DATA = Path(__file__).resolve().parent / "data"

# The official Romanian labels write ş and ţ with a cedilla, the letters of Turkish; Romanian's are ș and ț, with a
# comma below, as the rest of the interface writes them. (Folded for search, both are s and t.)
CEDILLA, COMMA_BELOW = "ŞşŢţ", "ȘșȚț"
_ROMANIAN_LETTERS = str.maketrans(CEDILLA, COMMA_BELOW)


def _labels(labels: dict[str, str]) -> dict[str, str]:
    """The labels as shown: Romanian with its own letters."""
    if "ro" in labels:
        labels["ro"] = labels["ro"].translate(_ROMANIAN_LETTERS)
    return labels


def _search_text(code: str, labels: dict[str, str]) -> str:
    return fold(" ".join([code, *labels.values()]))


@transaction.atomic
def load_cpv(model=CpvCode) -> int:
    uk = json.loads((DATA / "cpv_2008_uk_labels_prozorro_dk021.json").read_text(encoding="utf-8"))
    rows = []
    with gzip.open(DATA / "cpv_2008_main_all_24_languages.csv.gz", "rt", encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            code8, full = row["CODE_8"], row["CODE"]
            labels = _labels(
                {k.lower(): v.strip() for k, v in row.items() if k not in {"CODE", "CODE_8", "LEVEL"} and v}
            )
            if full in uk:
                labels["uk"] = uk[full].strip()
            stripped = code8.rstrip("0")
            parent = ""
            if len(stripped) > 2:
                parent = stripped[:-1].ljust(8, "0")
                if parent[:2] != code8[:2] or parent == code8:
                    parent = ""
            rows.append(
                model(
                    code=code8,
                    check_digit=full[-1],
                    level=row["LEVEL"],
                    parent=parent,
                    labels=labels,
                    search_text=_search_text(full, labels),
                )
            )
    known = {r.code for r in rows}
    for r in rows:  # a few categories skip a level: point them at the nearest existing ancestor
        while r.parent and r.parent not in known:
            s = r.parent.rstrip("0")
            r.parent = s[:-1].ljust(8, "0") if len(s) > 2 else ""
    model.objects.all().delete()
    model.objects.bulk_create(rows, batch_size=2000)
    return len(rows)


@transaction.atomic
def load_nace(model=NaceCode) -> int:
    text = (DATA / "nace_rev2_labels_en_ro_fr_es_it_de.csv").read_text(encoding="utf-8")
    # Ukraine's KVED-2010 (ДК 009:2010) is NACE Rev. 2 to the class: the same codes, its labels in Ukrainian.
    kved = (DATA / "nace_rev2_labels_uk_kved2010.csv").read_text(encoding="utf-8")
    uk = {row["code"]: row["uk"].strip() for row in csv.DictReader(io.StringIO(kved))}
    rows = []
    for row in csv.DictReader(io.StringIO(text)):
        labels = _labels({k: row[k].strip() for k in ("en", "ro", "fr", "es", "it", "de") if row.get(k)})
        if uk.get(row["code"]):
            labels["uk"] = uk[row["code"]]
        rows.append(
            model(
                code=row["code"],
                level=int(row["level"]),
                parent=row["parent"] or "",
                labels=labels,
                search_text=_search_text(row["code"], labels),
            )
        )
    model.objects.all().delete()
    model.objects.bulk_create(rows, batch_size=2000)
    return len(rows)


def load_reference(apps=None) -> dict[str, int]:
    """Load both lists; a migration passes its historical `apps` registry."""
    from . import lexicon

    if apps is not None:
        counts = {
            "cpv": load_cpv(apps.get_model("reference", "CpvCode")),
            "nace": load_nace(apps.get_model("reference", "NaceCode")),
        }
    else:
        counts = {"cpv": load_cpv(), "nace": load_nace()}
    lexicon.reset()
    return counts
