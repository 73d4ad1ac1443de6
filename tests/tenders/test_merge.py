"""The fast merge (merge.py) gives exactly ocdsmerge's compiled release: on every real file, on the
benchmark's generated feed, on the merge rules' corner cases and on random releases."""

import copy
import json
import random
from collections import defaultdict
from decimal import Decimal
from pathlib import Path

import pytest

from benchmarks.generate import generate
from greenbridge.tenders.ingest import merge
from greenbridge.tenders.ingest.ocds import iter_ocds, to_json

DATA = Path(__file__).resolve().parents[2] / "data" / "ocds"


def reference(releases: list[dict]) -> dict:
    """ocdsmerge's own result, on the releases in the order merge_releases puts them."""
    ordered = sorted(releases, key=merge._date_key)
    return merge._ocdsmerge(ordered, ordered[0]["ocid"])


def fast(releases: list[dict]) -> dict:
    """The fast path alone (it raises _Unusual where it hands over to ocdsmerge)."""
    compiler = merge._Compiler(merge._rules())
    for release in sorted(releases, key=merge._date_key):
        compiler.add(release)
    return compiler.result()


def same(a: dict, b: dict) -> bool:
    """Equal, key order included (the stored document is the serialised compiled release)."""
    return to_json(a) == to_json(b)


def releases_by_ocid(location: Path) -> dict[str, list[dict]]:
    """Every release of the real files, grouped by ocid (embedded releases of records included, and
    each record's compiled release as one more release of its ocid)."""
    groups: dict[str, list[dict]] = defaultdict(list)
    for item in iter_ocds(str(location)):
        data = item.data
        if not isinstance(data, dict):
            continue
        if item.kind == "record":
            full = [r for r in data.get("releases") or [] if isinstance(r, dict) and r.get("id")]
            groups[data["ocid"]].extend(r for r in full if isinstance(r.get("date"), str))
            compiled = data.get("compiledRelease")
            if isinstance(compiled, dict) and isinstance(compiled.get("date"), str):
                groups[f"{data['ocid']} (compiled)"].append({**compiled, "ocid": data["ocid"]})
        elif isinstance(data.get("date"), str):
            groups[data["ocid"]].append(data)
    return {ocid: releases for ocid, releases in groups.items() if releases}


def test_fast_merge_equals_ocdsmerge_on_every_real_file():
    groups = releases_by_ocid(DATA)
    assert len(groups) > 300
    handed_over = 0
    for ocid, releases in groups.items():
        expected = reference(releases)
        try:
            got = fast(releases)
        except merge._Unusual:
            handed_over += 1
            got = merge.merge_releases(releases)
        assert same(got, expected), ocid
        # Merging the compiled release again with each release (what an update of a stored notice does).
        assert same(merge.merge_releases([expected, *releases]), reference([expected, *releases])), ocid
    assert handed_over == 0


def test_fast_merge_equals_ocdsmerge_on_the_generated_feed(tmp_path):
    path = generate(tmp_path / "feed.json", 3000, every_updated=True)
    groups = defaultdict(list)
    for item in iter_ocds(str(path)):
        groups[item.data["ocid"]].append(item.data)
    assert {len(r) for r in groups.values()} == {2}
    for releases in groups.values():
        first, update = sorted(releases, key=merge._date_key)
        assert same(fast(releases), reference(releases))
        # The pipeline merges an update onto the stored compiled state: the same result.
        assert same(merge.merge_releases([reference([first]), update]), reference([reference([first]), update]))


def r(date: str, **fields) -> dict:
    return {"ocid": "ocds-x-1", "id": f"r-{date}", "date": f"2024-01-{date}T00:00:00Z", "tag": ["tender"], **fields}


CASES = {
    "null, then a value again keeps its place": [
        r("01", a=1, b=2, c=3),
        r("02", b=None),
        r("03", b=5, d=4),
    ],
    "a value, then null": [r("01", a=1, b=2), r("02", b=None)],
    "an object whose fields are all null stays, empty": [
        r("01", t={"v": {"amount": 1}}),
        r("02", t={"v": {"amount": None}}),
    ],
    "null does not remove an object": [r("01", t={"v": {"amount": 1}}), r("02", t={"v": None})],
    "empty objects and arrays change nothing": [
        r("01", t={"items": [{"id": "1", "x": 1}], "o": {"p": 1}}),
        r("02", t={"items": [], "o": {}}, u={}, w=[]),
    ],
    "objects without id are added, empty ones are not": [
        r("01", t={"items": [{"x": 1}, {}, {"y": {}}]}),
        r("02", t={"items": [{"x": 1}, {"z": None}]}),
    ],
    "merge by id, id first, new objects last": [
        r("01", t={"items": [{"description": "a", "id": "1"}, {"id": "2", "q": 1}]}),
        r("02", t={"items": [{"id": "3"}, {"q": 7, "id": "2"}, {"id": "1", "new": True}]}),
    ],
    "duplicate ids in one release are merged": [r("01", t={"items": [{"id": "1", "a": 1}, {"id": "1", "b": 2}]})],
    "integer ids": [r("01", awards=[{"id": 1, "v": 1}]), r("02", awards=[{"id": 1, "w": 2}, {"id": 2}])],
    "null ids": [r("01", awards=[{"id": None, "v": 1}]), r("02", awards=[{"id": None, "w": 2}])],
    "whole-list fields and lists of values are replaced": [
        r(
            "01",
            tender={"submissionMethod": ["a", "b"], "items": [{"id": "1", "additionalClassifications": [{"id": "x"}]}]},
            tags=["a", None],
        ),
        r(
            "02",
            tender={"submissionMethod": ["c"], "items": [{"id": "1", "additionalClassifications": [{"scheme": "y"}]}]},
            tags=[1, {"a": None}],
        ),
    ],
    "the releases' id, date and tag are left out": [r("01", x=1), r("02", x=2, tag="award")],
    "dates with offsets are ordered as times": [
        {"ocid": "o", "id": "a", "date": "2024-01-01T10:00:00+02:00", "x": "second"},
        {"ocid": "o", "id": "b", "date": "2024-01-01T09:00:00Z", "x": "third"},
        {"ocid": "o", "id": "c", "date": "2024-01-01T07:30:00Z", "x": "first"},
    ],
    "decimals pass through": [r("01", v={"amount": Decimal("1.10")}), r("02", v={"currency": "EUR"})],
}

HANDED_OVER = {
    "null, then an object": [r("01", t={"v": None, "w": 1}), r("02", t={"v": {"amount": 1}})],
    "a value, then an object": [r("01", t={"v": "text"}), r("02", t={"v": {"amount": 1}})],
    "an object, then a value": [r("01", t={"v": {"amount": 1}}), r("02", t={"v": "text"})],
    "an id as a number, then as a string": [r("01", awards=[{"id": 1, "a": 1}]), r("02", awards=[{"id": "1", "b": 2}])],
    "a list of values, then of objects": [r("01", x=["a"]), r("02", x=[{"id": "1"}])],
}


@pytest.mark.parametrize("name", CASES)
def test_merge_rules(name):
    releases = CASES[name]
    assert same(fast(releases), reference(releases))


@pytest.mark.parametrize("name", HANDED_OVER)
def test_inputs_only_ocdsmerge_decides_are_handed_to_it(name):
    releases = HANDED_OVER[name]
    with pytest.raises(merge._Unusual):
        fast(releases)
    assert outcome(merge.merge_releases, releases) == outcome(reference, releases)


def outcome(compile_, releases: list[dict]) -> tuple[str, str]:
    try:  # on a copy: ocdsmerge appends to a release's own list in one of these cases
        return "compiled", to_json(compile_(copy.deepcopy(releases)))
    except merge.RejectedItem as e:
        return "rejected", str(e)


def test_merge_rules_exact_values():
    merged = merge.merge_releases(CASES["null, then a value again keeps its place"])
    assert merged == {
        "tag": ["compiled"],
        "id": "ocds-x-1-2024-01-03T00:00:00Z",
        "date": "2024-01-03T00:00:00Z",
        "ocid": "ocds-x-1",
        "a": 1,
        "b": 5,
        "c": 3,
        "d": 4,
    }
    assert list(merged) == ["tag", "id", "date", "ocid", "a", "b", "c", "d"]
    items = merge.merge_releases(CASES["merge by id, id first, new objects last"])["t"]["items"]
    assert items == [{"id": "1", "description": "a", "new": True}, {"id": "2", "q": 7}, {"id": "3"}]
    assert merge.merge_releases(CASES["an object whose fields are all null stays, empty"])["t"] == {"v": {}}


_KEYS = ["id", "title", "value", "items", "status", "tender", "awards", "submissionMethod", "x"]


def _random_object(rng: random.Random, depth: int) -> dict:
    return {rng.choice(_KEYS[1:]): _random_value(rng, depth + 1) for _ in range(rng.randint(0, 4))}


def _random_value(rng: random.Random, depth: int):
    kind = rng.random()
    if depth > 3 or kind < 0.35:
        return rng.choice([None, 0, 1, "1", "a", "", True, Decimal("2.5"), [], {}, ["a", None]])
    if kind < 0.7:
        return _random_object(rng, depth)
    items = []
    for _ in range(rng.randint(0, 3)):
        item = {"id": rng.choice(["1", "2", "3", None, 1])} if rng.random() < 0.8 else {}
        items.append({**item, **_random_object(rng, depth + 1)})
    return items


COMPARED, HANDED = 1343, 657


def test_fast_merge_equals_ocdsmerge_on_random_releases():
    rng = random.Random(11)
    handed_over = compared = 0
    for _ in range(3000):
        releases = []
        for k in range(rng.randint(1, 4)):
            body = {rng.choice(_KEYS[1:]): _random_value(rng, 0) for _ in range(rng.randint(1, 5))}
            body = {
                k2: v for k2, v in body.items() if not isinstance(v, dict) or not isinstance(v.get("id"), (list, dict))
            }
            releases.append({"ocid": "o", "id": str(k), "date": f"2024-01-0{k + 1}", **body})
        try:
            expected = reference(releases)
        except merge.RejectedItem:
            continue  # ocdsmerge itself cannot merge these
        try:
            got = fast(releases)
        except merge._Unusual:
            handed_over += 1
            continue
        assert same(got, expected), json.dumps(releases, default=str)
        compared += 1
    # Random inputs mix types far more than real feeds (none of the real ones is handed over).
    assert (compared, handed_over) == (COMPARED, HANDED)
