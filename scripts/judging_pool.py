"""Write the notices in the database as a judging pool: one JSON object per line with what a judge needs
(key, language, country, type, title and other titles, description, buyer, CPV codes with English labels,
lot titles, value). Used to build data/judgements/ (see its 'about'); judges never see the engine's output.

    GREENBRIDGE_DATA_DIR=... .venv/bin/python scripts/judging_pool.py > pool.jsonl
"""

import json
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "greenbridge.settings")

import django

django.setup()

from greenbridge.reference.lexicon import cpv_label  # noqa: E402
from greenbridge.tenders.models import Notice  # noqa: E402


def main() -> None:
    for n in Notice.objects.order_by("source", "source_id").defer("raw"):
        lots = n.lots or []
        codes = list(dict.fromkeys([*n.cpv_codes, *(c for lot in lots for c in lot.get("cpv_codes", []))]))
        row = {
            "key": f"{n.source}|{n.source_id}",
            "language": n.language,
            "buyer_country": n.buyer_country,
            "notice_type": n.notice_type,
            "title": n.title,
            "other_titles": {k: v for k, v in (n.titles or {}).items() if v != n.title},
            "description": (n.description or "")[:700],
            "buyer": n.buyer_name,
            "cpv": [f"{c} {cpv_label(c, 'en')}" for c in codes[:25]],
            "lots": [lot.get("title", "") for lot in lots[:12] if lot.get("title")],
            "value": f"{n.value_amount} {n.value_currency}" if n.value_amount is not None else "",
        }
        sys.stdout.write(json.dumps(row, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
