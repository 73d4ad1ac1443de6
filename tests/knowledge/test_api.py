"""The knowledge-base API: visitors read the published public articles, an organisation's staff also its internal
ones, nobody a draft or another cluster's internal article; search in a language first; bounds."""

import pytest

from greenbridge.knowledge.api import MAX_PAGE_SIZE


def titles(response) -> list[str]:
    assert response.status_code == 200, response.content
    return [a["title"] for a in response.json()["results"]]


def test_visitors_read_public_published_articles(client_for, kb):
    found = client_for("anonymous").get("/api/v1/articles", {"q": "quokka"})
    assert sorted(titles(found)) == sorted(
        [
            "Quokka guide to the ESPD",
            "Ghidul quokka pentru DUAE (ESPD)",
            "Посібник quokka з ESPD",
            "Quokka ESPD tips from the Prut cluster",
        ]
    )
    assert found.json()["count"] == 4


def test_staff_also_read_their_internal_articles_never_another_clusters(client_for, client, kb):
    mine = titles(client_for("advisor").get("/api/v1/articles", {"q": "quokka", "organisation": "prut-energy"}))
    assert mine == ["Quokka ESPD tips from the Prut cluster"]
    ours = titles(client_for("advisor").get("/api/v1/articles", {"q": "quokka checklist"}))
    assert ours == ["Quokka checklist for advisors: ESPD questions"]
    client.force_login(kb.other_advisor)
    assert titles(client.get("/api/v1/articles", {"q": "quokka checklist"})) == []
    assert titles(client.get("/api/v1/articles", {"q": "secrets"})) == ["Quokka ESPD secrets of the Prut cluster"]
    assert titles(client_for("sme").get("/api/v1/articles", {"q": "secrets"})) == []


def test_one_article_with_its_translations(client_for, kb):
    body = client_for("anonymous").get(f"/api/v1/articles/{kb.ro.pk}").json()
    assert (body["title"], body["language"], body["organisation"], body["category"]) == (
        "Ghidul quokka pentru DUAE (ESPD)",
        "ro",
        kb.en.organisation.slug,
        "Licitații în străinătate",
    )
    assert body["body"] == "DUAE este o declarație pe proprie răspundere privind achizițiile."
    assert body["translations"] == [{"id": kb.en.pk, "language": "en"}, {"id": kb.uk.pk, "language": "uk"}]
    assert body["url"] == f"/help/articles/{kb.en.organisation.slug}/ghidul-quokka-pentru-duae-espd/"
    for hidden in (kb.internal, kb.draft, kb.other_internal):
        assert client_for("anonymous").get(f"/api/v1/articles/{hidden.pk}").status_code == 404
        assert client_for("sme").get(f"/api/v1/articles/{hidden.pk}").status_code == 404
    assert client_for("advisor").get(f"/api/v1/articles/{kb.internal.pk}").status_code == 200
    assert client_for("advisor").get(f"/api/v1/articles/{kb.draft.pk}").status_code == 404


def test_a_language_filters_or_comes_first(client_for, kb):
    only = titles(client_for("anonymous").get("/api/v1/articles", {"q": "quokka", "language": "uk"}))
    assert only == ["Посібник quokka з ESPD"]
    first = titles(client_for("anonymous").get("/api/v1/articles", {"q": "quokka espd", "language": "ro"}))
    assert first == ["Ghidul quokka pentru DUAE (ESPD)"]
    paged = client_for("anonymous").get("/api/v1/articles", {"q": "quokka", "page_size": 1, "page": 2}).json()
    assert (paged["count"], paged["page"], len(paged["results"])) == (4, 2, 1)


@pytest.mark.parametrize(
    ("params", "status"),
    [
        ({"language": "xx"}, 400),
        ({"page_size": MAX_PAGE_SIZE + 1}, 422),
        ({"page": 0}, 422),
        ({"q": "x" * 301}, 422),
        ({"organisation": "x" * 81}, 422),
        ({"q": '"""'}, 200),
        ({"q": "' OR 1=1 --"}, 200),
        ({"q": "quokka\x00", "organisation": "prut\x00energy"}, 200),
    ],
)
def test_bad_input_is_refused_by_the_schema(client_for, kb, params, status):
    assert client_for("anonymous").get("/api/v1/articles", params).status_code == status


def test_an_unknown_organisation_has_no_article(client_for, kb):
    body = client_for("anonymous").get("/api/v1/articles", {"organisation": "no-such-cluster"}).json()
    assert (body["count"], body["results"]) == (0, [])
