"""Articles written, translated, published and deleted through the services, the full-text index in step with them
(on SQLite here, on PostgreSQL in the lead's pass: the same calls), and the search in the reader's language first."""

from types import SimpleNamespace

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction

from greenbridge.core import fulltext
from greenbridge.knowledge import search, selectors, services
from greenbridge.knowledge.models import TITLE_MAX, Article


def titles(articles) -> list[str]:
    return [a.title for a in articles]


def index_rows(article_id: int) -> int:
    with connection.cursor() as cur:
        if connection.vendor == "sqlite":
            cur.execute("SELECT COUNT(*) FROM knowledge_article_fts WHERE rowid = %s", [article_id])
        else:
            cur.execute("SELECT COUNT(*) FROM knowledge_article_search WHERE article_id = %s", [article_id])
        return cur.fetchone()[0]


def test_translations_share_a_group_one_per_language(kb):
    assert kb.en.group == kb.ro.group == kb.uk.group
    assert kb.internal.group != kb.en.group
    assert kb.ro.category == kb.category  # a translation takes the original's category
    with pytest.raises(IntegrityError), transaction.atomic():
        services.article_create(
            organisation=kb.en.organisation, title="Again", body="x", language="ro", translation_of=kb.en
        )


def test_addresses_are_made_from_titles_and_never_clash(kb, orgs):
    assert (kb.en.slug, kb.ro.slug, kb.uk.slug) == (
        "quokka-guide-to-the-espd",
        "ghidul-quokka-pentru-duae-espd",
        "посібник-quokka-з-espd",
    )
    again = services.article_create(
        organisation=orgs["cluster"], title="Quokka guide to the ESPD", body="x", language="en"
    )
    manage = services.article_create(organisation=orgs["cluster"], title="Manage", body="x", language="en")
    empty = services.article_create(organisation=orgs["cluster"], title="!!!", body="x", language="en")
    assert (again.slug, manage.slug, empty.slug) == ("quokka-guide-to-the-espd-2", "manage-2", "article")
    # Another organisation may use the same address.
    assert services.free_slug(kb.other_cluster, "Quokka guide to the ESPD") == "quokka-guide-to-the-espd"


def test_a_title_longer_than_the_bound_is_refused_by_the_model(kb):
    kb.draft.title = "x" * (TITLE_MAX + 1)
    with pytest.raises(ValidationError) as caught:
        kb.draft.full_clean()
    assert list(caught.value.message_dict) == ["title"]


def test_the_index_follows_create_update_and_delete(kb, orgs, users):
    anyone = users["sme"]
    found = selectors.articles_search(user=anyone, text="autoclave", language="en")
    assert found == []
    article = services.article_create(
        organisation=orgs["cluster"],
        title="Autoclave certificates",
        body="Achiziții publice: certificatul CE.",
        language="en",
        status=Article.Status.PUBLISHED,
    )
    assert index_rows(article.pk) == 1
    # Folded and by prefix: "achizitii" finds "Achiziții", "autoclav" finds "autoclave".
    assert titles(selectors.articles_search(user=anyone, text="achizitii autoclav", language="en")) == [
        "Autoclave certificates"
    ]
    services.article_update(article=article, title="Pressure vessel certificates")
    assert selectors.articles_search(user=anyone, text="autoclave", language="en") == []
    assert titles(selectors.articles_search(user=anyone, text="pressure vessel", language="en")) == [
        "Pressure vessel certificates"
    ]
    services.article_delete(article=article)
    assert index_rows(article.pk) == 0


def test_search_puts_the_readers_language_first_and_shows_one_translation_each(kb, users):
    sme = users["sme"]
    # "espd" is in the three translations' titles; the reader's language leads.
    every = selectors.articles_search(user=sme, text="quokka espd", language="uk", group_translations=False)
    assert titles(every)[0] == "Посібник quokka з ESPD"
    assert set(titles(every)) == {
        "Посібник quokka з ESPD",
        "Quokka guide to the ESPD",
        "Ghidul quokka pentru DUAE (ESPD)",
        "Quokka ESPD tips from the Prut cluster",
    }
    grouped = selectors.articles_search(user=sme, text="quokka espd", language="ro", organisation=kb.en.organisation)
    assert titles(grouped) == ["Ghidul quokka pentru DUAE (ESPD)"]
    # A word only the Romanian one has finds the article: shown in the reader's language where it has one.
    assert titles(selectors.articles_search(user=sme, text="quokka declaratie", language="en")) == [
        "Quokka guide to the ESPD"
    ]
    assert titles(selectors.articles_search(user=sme, text="quokka declaratie", language="fr")) == [
        "Ghidul quokka pentru DUAE (ESPD)"
    ]


def test_search_shows_internal_articles_to_their_staff_only_and_drafts_to_nobody(kb, users):
    def found(role_user):
        return set(titles(selectors.articles_search(user=role_user, text="quokka", language="en")))

    public = {"Quokka guide to the ESPD", "Quokka ESPD tips from the Prut cluster"}
    assert found(users["sme"]) == public
    assert found(users["advisor"]) == public | {"Quokka checklist for advisors: ESPD questions"}
    assert found(kb.other_advisor) == public | {"Quokka ESPD secrets of the Prut cluster"}
    assert found(users["operator"]) == public


@pytest.mark.parametrize(
    "query",
    [
        '"""',
        "-",
        "*",
        "NEAR(quokka espd)",
        "quokka AND OR NOT",
        "' OR 1=1 --",
        "___",
        "ă" * 300,
        "\x00quokka",
        "quokka:*",
        "espd & !quokka | (",
        '"unclosed phrase',
        "-quokka",
        " ".join(["quokka"] * 150),
    ],
)
def test_absurd_queries_find_something_or_nothing_without_failing(kb, users, query):
    result = selectors.articles_search(user=users["sme"], text=query, language="en")
    suggested = selectors.suggestions(user=users["sme"], organisation=kb.en.organisation, text=query, language="en")
    assert isinstance(result, list)
    assert isinstance(suggested, list)


def test_the_index_speaks_each_backends_language():
    """The SQL each database is given: the same Index on SQLite (FTS5) and PostgreSQL (tsvector), as notices'."""
    terms = [fulltext.Term(("quokka",)), fulltext.Term(("self", "declaration"))]
    assert search.INDEX.match("sqlite", terms, ["draft"]) == '"quokka"* AND "self declaration" NOT "draft"*'
    assert search.INDEX.match("postgresql", terms, ["draft"]) == "'quokka':* & ('self' <-> 'declaration') & !'draft':*"
    assert search.INDEX.match("sqlite", terms, [], any_term=True) == '("quokka"* OR "self declaration")'
    assert search.INDEX.match("postgresql", terms, [], any_term=True) == "('quokka':* | ('self' <-> 'declaration'))"
    assert search.INDEX.source("sqlite") == (
        "knowledge_article_fts CROSS JOIN knowledge_article ON knowledge_article.id = knowledge_article_fts.rowid",
        "knowledge_article_fts MATCH %s AND knowledge_article_fts.rank MATCH 'bm25(1.0, 0.4)'",  # the weights given
        "knowledge_article_fts.rank, knowledge_article.id DESC",
    )
    assert search.INDEX.source("postgresql") == (
        "knowledge_article_search JOIN knowledge_article ON knowledge_article.id = knowledge_article_search.article_id",
        "knowledge_article_search.document @@ to_tsquery('simple', %s)",
        "ts_rank('{0.1, 0.2, 0.4, 1.0}', knowledge_article_search.document, to_tsquery('simple', %s)) DESC, "
        "knowledge_article.id DESC",
    )


def test_notices_keep_their_index_sql():
    """The notices' index on the shared machinery: the SQL of notices' own weights (text 0.5, codes 1.0)."""
    from greenbridge.tenders import search as notices

    assert notices.INDEX.source("postgresql")[2] == (
        "ts_rank('{0.1, 0.2, 1.0, 0.5}', tenders_notice_search.document, to_tsquery('simple', %s)) DESC, "
        "tenders_notice.id DESC"
    )
    term = fulltext.Term(("solar",), codes=("0933",))
    assert notices.INDEX.match("sqlite", [term], [], [["countrymd"]]) == (
        '(("solar"* OR codes : ("cpv0933"))) AND codes : ("countrymd")'
    )
    assert notices.INDEX.match("postgresql", [term], [], [["countrymd"]]) == (
        "(('solar':* | 'cpv0933':B)) & ('countrymd':B)"
    )
    # A phrase said another way (core.fulltext.Alternative): the terms, or one of its translations, or its codes.
    words = [fulltext.Term(("street",)), fulltext.Term(("lighting",))]
    said = SimpleNamespace(words=(("iluminac", True), ("publi", True)), language="pt")
    phrase = fulltext.Alternative(("street", "lighting"), codes=("349285",), translations=(said,))
    assert notices.INDEX.match("sqlite", words, [], alternatives=[phrase]) == (
        '(("street"* AND "lighting"*) OR ("iluminac"* AND "publi"*) OR codes : ("cpv349285"))'
    )
    assert notices.INDEX.match("postgresql", words, [], alternatives=[phrase]) == (
        "(('street':* & 'lighting':*) | ('iluminac':* & 'publi':*) | 'cpv349285':B)"
    )


def test_suggestions_look_for_any_significant_word_of_a_subject(kb, users):
    # Function words ("how", "do", "I", "the", "for", and "fill" for stopwords-iso) are left out.
    assert search.significant_words("How do I fill in the ESPD for the Quokka tender?") == ["espd", "quokka", "tender"]
    assert search.significant_words("Cum completez DUAE pentru licitația din Ungheni? Як заповнити ESPD?") == [
        "completez",
        "duae",
        "licitatia",
        "ungheni",
        "заповнити",
        "espd",
    ]
    found = selectors.suggestions(
        user=users["sme"], organisation=kb.en.organisation, text="How do I fill in the quokka ESPD?", language="ro"
    )
    # The article with both words first, then the demo's with one (MTender's found by its Ukrainian text), each
    # shown in Romanian.
    assert titles(found) == [
        "Ghidul quokka pentru DUAE (ESPD)",
        "Ce este DUAE (ESPD) și cum se completează",
        "Înregistrarea pe MTender, Republica Moldova",
    ]
    assert (
        selectors.suggestions(user=users["sme"], organisation=kb.en.organisation, text="how do I", language="en") == []
    )


def test_related_articles_share_words_or_the_category(kb, users, orgs):
    services.article_create(
        organisation=orgs["cluster"],
        title="Quokka guide to bid bonds",
        body="Guarantees.",
        language="en",
        status=Article.Status.PUBLISHED,
    )
    services.article_create(
        organisation=orgs["cluster"],
        title="Exchange rates in tenders",
        body="Currencies.",
        language="en",
        category=kb.category,
        status=Article.Status.PUBLISHED,
    )
    found = selectors.related(user=users["sme"], article=kb.en, language="en")
    # Never itself nor its translations; never another cluster's; the internal one not for the SME.
    # Those sharing words with its title first (two words, then one: the demo's, MTender's by its Ukrainian text),
    # then those of its category.
    assert titles(found) == [
        "Quokka guide to bid bonds",
        "What is the ESPD and how to fill it in",
        "Registering on Moldova's MTender",
        "Exchange rates in tenders",
    ]
    assert "Quokka checklist for advisors: ESPD questions" in titles(
        selectors.related(user=users["advisor"], article=kb.en, language="en")
    )


def test_shelves_show_one_translation_per_article_in_the_readers_language(kb, users):
    # The demo's shelves beside this one (by position, then by short name), with the demo's articles.
    shelves = selectors.shelves(user=users["sme"], organisation=kb.en.organisation, language="ro")
    assert [(s.name, titles(s.articles)) for s in shelves][:2] == [
        (
            "Achiziții publice în străinătate",
            [
                "Ce este DUAE (ESPD) și cum se completează",
                "Cum găsiți și citiți o licitație pe TED",
                "Înregistrarea pe MTender, Republica Moldova",
            ],
        ),
        ("Licitații în străinătate", ["Ghidul quokka pentru DUAE (ESPD)"]),
    ]
    assert "Pentru consilieri" not in [s.name for s in shelves]  # internal only
    staff = selectors.shelves(user=users["advisor"], organisation=kb.en.organisation, language="fr")
    assert [(s.name, titles(s.articles)) for s in staff if s.name in ("Tenders abroad", "")] == [
        ("Tenders abroad", ["Quokka guide to the ESPD"]),
        ("", ["Quokka checklist for advisors: ESPD questions"]),
    ]
