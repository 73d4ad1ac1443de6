"""Generate large, realistic OCDS input from the real samples in data/ (for the benchmarks).

Each generated release is a real release (Prozorro tender, Paraguay compiled release, the OCP
reference release) with new ids, titles, CPV codes, buyers, countries, values and dates. About one
release in eight is a later update of an earlier ocid (a new tender period, a status change), so
the merge path is exercised the way a live feed exercises it.
"""

import argparse
import csv
import gzip
import json
import random
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data"
CPV_FILE = ROOT / "greenbridge" / "reference" / "data" / "cpv_2008_main_all_24_languages.csv.gz"

BUYERS = [
    ("Криворізька міська лікарня №5", "UA", "Україна"),
    ("Primăria municipiului Bălți", "MD", "Republica Moldova"),
    ("Apă-Canal Chișinău S.A.", "MD", "Moldova"),
    ("Київводоканал", "UA", "Україна"),
    ("Municipalidad de Asunción", "PY", "Paraguay"),
    ("Oslo kommune Vann- og avløpsetaten", "NO", "NOR"),
    ("Regia Autonomă Judeţeană de Apă Iaşi", "RO", "ROU"),
    ("Ville de Sfax", "TN", "Tunisie"),
    ("Greater Amman Municipality", "JO", "Jordan"),
    ("Львівська міська рада", "UA", "UKR"),
]
TITLE_WORDS = {
    "uk": [
        "Реконструкція",
        "мереж",
        "водопостачання",
        "закупівля",
        "сонячних панелей",
        "сміттєвозів",
        "утеплення",
        "школи",
        "вуличного освітлення",
        "очисних споруд",
    ],
    "ro": [
        "Lucrări",
        "de reabilitare",
        "a rețelelor",
        "de apă potabilă",
        "canalizare",
        "iluminat public",
        "eficiență energetică",
        "colectarea deșeurilor",
        "panouri fotovoltaice",
        "grădiniță",
    ],
    "es": [
        "Adquisición",
        "de",
        "equipos",
        "tratamiento",
        "de aguas residuales",
        "recolección",
        "residuos",
        "paneles solares",
        "alumbrado",
        "escuela",
    ],
    "en": [
        "Supply",
        "of",
        "water meters",
        "wastewater treatment",
        "plant",
        "upgrade",
        "solar",
        "street lighting",
        "waste collection vehicles",
        "energy audit",
    ],
}


def load_cpv() -> list[tuple[str, str]]:
    with gzip.open(CPV_FILE, "rt", encoding="utf-8") as fh:
        return [(r["CODE"], r["EN"]) for r in csv.DictReader(fh)]


def templates() -> list[dict]:
    prozorro = json.loads((DATA / "ocds/ukraine/prozorro_release_package_2_releases.json").read_text())
    paraguay = json.loads((DATA / "ocds/other/paraguay_dncp_record_package_1.1.json").read_text())
    fictional = json.loads((DATA / "ocds/other/FICTIONAL_ocp_sample_record_package_1.1.json").read_text())
    return [
        prozorro["releases"][0],
        paraguay["records"][0]["compiledRelease"],
        fictional["records"][0]["compiledRelease"],
    ]


def make_release(rng: random.Random, template: dict, n: int, cpv: list[tuple[str, str]], base: datetime) -> dict:
    r = json.loads(json.dumps(template))
    lang = rng.choice(list(TITLE_WORDS))
    words = TITLE_WORDS[lang]
    code, label = rng.choice(cpv)
    buyer, _country, country_name = rng.choice(BUYERS)
    date = base + timedelta(minutes=n)
    r["ocid"] = f"ocds-bench-{n:08d}"
    r["id"] = f"ocds-bench-{n:08d}-{date:%Y%m%d%H%M}"
    r["date"] = date.isoformat()
    r["tag"] = ["tender"]
    r["language"] = lang
    r["buyer"] = {"id": f"B-{n % 5000}", "name": buyer}
    r["parties"] = [
        {"id": f"B-{n % 5000}", "name": buyer, "roles": ["buyer"], "address": {"countryName": country_name}}
    ]
    tender = r.setdefault("tender", {})
    tender["id"] = f"T-{n}"
    tender["title"] = " ".join(rng.sample(words, 4)) + f" {label[:60]} №{n}"
    tender["description"] = " ".join(rng.choices(words, k=25))
    tender["status"] = "active"
    tender["value"] = {"amount": rng.randint(5, 5000) * 1000, "currency": rng.choice(["UAH", "MDL", "EUR", "PYG"])}
    tender["tenderPeriod"] = {
        "startDate": date.isoformat(),
        "endDate": (date + timedelta(days=rng.randint(7, 60))).isoformat(),
    }
    tender["items"] = [{"id": "1", "description": label, "classification": {"scheme": "CPV", "id": code}}]
    tender.pop("lots", None)
    r.pop("awards", None)
    r.pop("contracts", None)
    return r


def update_of(rng: random.Random, release: dict, n: int) -> dict:
    r = {"ocid": release["ocid"], "id": f"{release['id']}-u{n}", "tag": ["tenderUpdate"]}
    date = datetime.fromisoformat(release["date"]) + timedelta(days=3)
    r["date"] = date.isoformat()
    r["tender"] = {
        "id": release["tender"]["id"],
        "tenderPeriod": {"endDate": (date + timedelta(days=rng.randint(7, 30))).isoformat()},
        "status": rng.choice(["active", "active", "cancelled"]),
    }
    return r


def generate(path: Path, count: int, seed: int = 42, *, every_updated: bool = False) -> Path:
    """Write `count` releases. By default about one release in eight updates a recent ocid; with
    `every_updated`, there are count / 2 processes and each is updated exactly once, its update
    coming 1 to about 2,000 releases after it (uniformly), as a live feed publishes them: with
    batches of 1,000, most updates reach a process written in an earlier batch."""
    rng = random.Random(seed)
    cpv = load_cpv()
    tpls = templates()
    base = datetime(2026, 1, 1, tzinfo=UTC)
    if every_updated:
        # Process i is created at time i and updated at time i + lag; written in time order.
        processes = count // 2
        lags = [rng.randint(1, 1000) for _ in range(processes)]
        order = sorted([(i, 0, i) for i in range(processes)] + [(i + lags[i], 1, i) for i in range(processes)])
    recent: list[dict] = []
    created: dict[int, dict] = {}
    with path.open("w", encoding="utf-8") as out:
        out.write(
            '{"uri": "https://example.org/bench", "version": "1.1", "publishedDate": "2026-01-01T00:00:00Z",'
            ' "releases": [\n'
        )
        for n in range(count):
            if every_updated:
                _time, is_update, i = order[n]
                if is_update:
                    release = update_of(rng, created.pop(i), n)
                else:
                    release = created[i] = make_release(rng, tpls[i % len(tpls)], i, cpv, base)
            elif recent and rng.random() < 0.125:
                release = update_of(rng, rng.choice(recent), n)
            else:
                release = make_release(rng, tpls[n % len(tpls)], n, cpv, base)
                recent.append(release)
                recent = recent[-2000:]
            out.write(("," if n else "") + json.dumps(release, ensure_ascii=False) + "\n")
        out.write("]}\n")
    return path


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("output", type=Path)
    parser.add_argument("--count", type=int, default=100_000)
    parser.add_argument("--every-updated", action="store_true", help="count / 2 processes, each updated once")
    args = parser.parse_args()
    generate(args.output, args.count, every_updated=args.every_updated)
    print(f"wrote {args.count} releases to {args.output} ({args.output.stat().st_size / 1e6:.0f} MB)")
