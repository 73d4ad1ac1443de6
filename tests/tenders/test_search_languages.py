"""Search across languages on real notices: the words of a notice's CPV labels in the 25 languages of the
vocabulary find it, and a word's translations learned from those labels find notices that say it in
their own language. Runs on SQLite and PostgreSQL."""

import pytest

from greenbridge.reference.lexicon import cpv_lexicon
from greenbridge.tenders import search
from greenbridge.tenders.models import Notice
from greenbridge.tenders.selectors import NoticeFilters, notices_search

pytestmark = pytest.mark.django_db


def titles(q: str, **kw) -> list[str]:
    return sorted(n.title for n in notices_search(user=None, filters=NoticeFilters(q=q, **kw)))


PV = "PV Servicing and Maintenance"  # cn_25, Scottish Water: 09331200 Solar photovoltaic modules
GAS = "Послуги з технічного обслуговування газового обладнання"  # Prozorro: gas equipment, coded 50530000
GLOVES = "ADQUSICION DE GUANTES Y OTROS INSUMOS MEDICOS"  # DNCP Paraguay: no CPV code at all
CYCLE = "Planned cycle lane improvements"  # cn_24_maximal: 45233162 Cycle path construction work


def test_a_word_of_a_code_label_finds_the_notice_in_any_language(real_notices):
    assert titles("solar") == [PV]  # the title says "PV": the code's label says "Solar"
    assert titles("сонячні") == [PV]  # the Ukrainian label: "Сонячні фотоелектричні модулі"
    assert titles("fotovoltaice") == [PV]  # the Romanian one
    assert titles("biciclete") == [CYCLE]  # "piste pentru biciclete"
    assert titles("solar", exact=True) == []  # only the words as written


def test_translations_find_text_in_the_notices_own_language(real_notices):
    assert titles("gas") == [GAS]  # gas -> газов* (Ukrainian), found in "газового"
    assert titles("газ") == [GAS]
    assert titles("gas", exact=True) == []
    assert titles("mănuși") == [GLOVES]  # Romanian gloves -> Spanish guantes
    assert titles("gloves") == [GLOVES]


def test_every_word_must_be_found_one_way_or_another(real_notices):
    assert titles("solar maintenance") == [PV]  # one by code, one in the title
    assert titles("solar gas") == []


def test_the_page_says_what_was_also_searched_and_why_a_notice_matched(real_notices, client):
    page = client.get("/notices/", {"q": "solar"}).content.decode()
    assert "Also found across languages" in page
    assert "“solar”: classified 09331200 Solar photovoltaic modules" in page
    page = client.get("/notices/", {"q": "gas"}).content.decode()
    assert "“gas” ≈ газового" in page
    page = client.get("/notices/", {"q": "solar", "exact": "on"}).content.decode()
    assert "Also found across languages" not in page


def test_explanations_name_the_code_or_the_translation(real_notices):
    terms = search.expand([["solar"], ["gas"]])
    notices = Notice.objects.filter(title__in=[PV, GAS])
    hits = {n.title: search.cross_language_hits(terms, [n]).get(n.pk) for n in notices}
    assert hits[PV] == [search.CrossLanguageHit("solar", code="09331200")]
    assert hits[GAS] == [search.CrossLanguageHit("gas", translation="газового")]


def test_the_lexicon_learns_word_translations_from_the_cpv_labels(db):
    lex = cpv_lexicon()
    by_language = {}
    for t in lex.translations("éclairage"):
        by_language.setdefault(t.language, t)  # the best first
    assert (by_language["en"].text, by_language["en"].prefix) == ("lighting", False)
    assert by_language["uk"].word == "освітлення"
    assert (by_language["ro"].text, by_language["ro"].prefix) == ("ilumina", True)
    assert [t.text for t in lex.translations("deșeuri") if t.language == "en"] == ["waste", "refuse"]
    assert lex.translations("services") == ()  # too common to stand for anything
    assert lex.codes_of("apă")[:3] == ["09320000", "09321000", "15981000"]  # water, not "aparate"
    assert "09331200" in lex.codes_of("solar")
    # A word beside the translation in the same labels is not a second translation: "освітлення" (lighting) was
    # "éclairage" or "public" in French ("éclairage public"), and its search found public transport and nurseries.
    assert [t.text for t in lex.translations("освітлення") if t.language == "fr"] == ["eclairage"]
    assert [t.text for t in lex.translations("освітлення") if t.language == "en"] == ["lighting", "illumination"]


def test_the_lexicon_learns_phrases_from_the_labels_of_their_codes(db):
    lex = cpv_lexicon()
    street_lighting = {t.language: t for t in lex.phrase_translations(("street", "lighting"))}
    assert street_lighting["pt"].word == "iluminacao publica"
    assert street_lighting["pt"].words == (("iluminac", True), ("publi", True))  # long words: their stems
    assert street_lighting["fr"].word == "eclairage public"
    assert street_lighting["da"].word == "gadebelysning"  # one word in Danish
    assert "en" not in street_lighting  # the phrase's own words
    # The Ukrainian as people type it (nominative) finds the labels' genitive ("вуличного освітлення").
    assert lex.phrase_translations(("вуличне", "освітлення"))
    # Only what the phrase's labels share: "Parts of heat pumps" does not make "parts" part of "heat pumps".
    assert {t.word for t in lex.phrase_translations(("heat", "pumps")) if t.language == "de"} == {"warmepumpen"}
    # "lighting" alone says less than "éclairage public" (Dice against the phrase's labels): not a translation.
    assert "en" not in {t.language for t in lex.phrase_translations(("eclairage", "public"))}
    assert lex.phrase_translations(("energy", "efficiency")) == ()  # one code's label: no telling the phrase apart


def test_a_generic_word_is_not_expanded(db):
    [term] = search.expand([["services"]])
    assert (term.codes, term.translations) == ((), ())


def test_a_word_also_means_the_codes_whose_labels_say_its_translations(db):
    """The German label of 45252130 says "Ausrüstung für Kläranlage", but 17 of its other labels say what "Abwasser"
    is translated into ("sewage", "eaux usées", "ścieków"…): it is one of the word's codes. A code that only a few
    languages' translations reach is not ("solar": Sunglasses, whose labels say "sun" in 5 of 15 languages)."""
    lex = cpv_lexicon()
    assert lex.label("45252130", "de") == "Ausrüstung für Kläranlage"
    assert {"45252130", "45252100"} <= set(lex.codes_of("abwasser"))
    assert {"45252130", "45252100"} <= set(lex.codes_of("usées"))
    assert "33733000" not in lex.codes_of("solar")


def test_a_german_search_finds_a_romanian_sewage_plant(db):
    """A real TED notice (Moldova, in Romanian): "Stație de epurare", coded 45252130 Sewage plant equipment."""
    from greenbridge.tenders.services import notices_ingest
    from tests.conftest import DATA

    notices_ingest(connector="eforms", location=str(DATA / "ted_r209" / "F02_MD_RO_260082-2021.xml"), source="ted")
    [plant] = Notice.objects.all()
    assert plant.cpv_codes == ["45252130"]
    assert titles("Abwasser") == titles("eaux usées") == [plant.title]
    hits = search.cross_language_hits(search.expand([["abwasser"]]), [plant])
    assert hits[plant.pk] == [search.CrossLanguageHit("abwasser", code="45252130")]  # shown with its label


@pytest.fixture
def portugal_and_armenia(db):
    from greenbridge.tenders.services import notices_ingest
    from tests.conftest import DATA

    real = DATA / "ocds" / "real_more"
    notices_ingest(connector="ocds", location=str(real / "portugal_impic_base_gov_2019"), source="ocds-samples")
    notices_ingest(
        connector="ocds", location=str(real / "ocp_sample_data_2017" / "armenia_sample"), source="ocds-samples"
    )


def test_portuguese_and_armenian_notices_found_in_other_languages(portugal_and_armenia):
    lighting = (
        "Remodelação da iluminação pública e decorativa na Rua Dr. António Luís Gomes e Jardim à Rua da Ramadinha"
    )
    assert [t for t in titles("éclairage public") if t.startswith(lighting)]  # French, by translation
    # Armenian titles say nothing a European reader types; their code 65111000 Drinking-water distribution does.
    for q in ("drinking water", "apă potabilă", "eau potable", "agua potable"):
        found = notices_search(user=None, filters=NoticeFilters(q=q))
        assert {n.language for n in found} == {"hy"}, q
        assert all("65111000" in n.cpv_codes for n in found), q


def test_a_phrase_finds_the_notice_that_says_it_as_its_language_does(portugal_and_armenia, client):
    """Word by word, "street lighting" looks for "ruas" and "iluminação" in Portuguese: the notice says "iluminação
    pública", which the labels of the codes that say "street lighting" also say (lexicon.phrase_translations)."""
    lighting = (
        "Remodelação da iluminação pública e decorativa na Rua Dr. António Luís Gomes e Jardim à Rua da Ramadinha"
    )
    for q in ("street lighting", "вуличне освітлення"):
        assert [t for t in titles(q) if t.startswith(lighting)], q
    assert not titles("street lighting", exact=True)
    page = client.get("/notices/", {"q": "street lighting"}).content.decode()
    assert "“street lighting” ≈ iluminação pública" in page  # why it was found, in the title's words
    assert 'lang="pt" title="Portuguese">iluminacao publica</span>' in page  # what was also looked for
    page = client.get("/notices/", {"q": "apă potabilă"}).content.decode()
    assert "“apă potabilă” ≈ Drinking water" in page  # the query's words as typed, not folded
    assert "<strong>apă potabilă</strong>:" in page


def test_the_index_answers_the_cpv_and_country_filters_as_the_database_does(db):
    """The CPV and country filters are also asked of the index (search.filter_tokens), so that a common word
    is intersected with them before notices are read: the results are those of the word alone that pass the
    filters, on real notices of many countries."""
    from greenbridge.tenders.services import notices_ingest
    from tests.conftest import DATA

    notices_ingest(connector="ocds", location=str(DATA / "ocds" / "real_more"), source="ocds-samples")
    notices_ingest(connector="eforms", location=str(DATA / "eforms" / "real_more"), source="ted")
    assert search.filter_tokens(["09331200"], "MD") == (
        "cpv09 cpv093 cpv0933 cpv09331 cpv093312 cpv0933120 cpv09331200 countrymd"
    )
    cases = [
        ("water", {"countries": ["PT", "AM"]}),
        ("water", {"cpv": ["65000000"]}),
        ("servicos", {"countries": ["PT"], "cpv": ["90000000", "45000000"]}),
        ("construction", {"cpv": ["45200000"]}),
        ("energy", {"countries": ["FR", "GB", "NO"], "cpv": ["09000000"]}),
        ("agua", {"countries": ["MX", "PT", "PY"]}),
        ("reparacao", {"countries": ["PT"], "cpv": ["50000000"]}),
    ]
    checked = 0
    for q, filters in cases:
        words = {n.pk for n in notices_search(user=None, filters=NoticeFilters(q=q))}
        passing = set(notices_search(user=None, filters=NoticeFilters(**filters)).values_list("pk", flat=True))
        found = [n.pk for n in notices_search(user=None, filters=NoticeFilters(q=q, **filters))]
        assert sorted(found) == sorted(words & passing), (q, filters)
        checked += len(found)
    assert checked == 14  # the cases find notices


UA_MEDICAL = "33140000-3 Медичні матеріали (Діагностичні набори, приладдя для забору крові)"


def test_a_country_named_in_any_language_finds_its_buyers_notices(real_notices, client):
    """A search for "Moldova", "Ukraine" or "Україна" found nothing unless a notice's text said it."""
    ukrainian = sorted([GAS, UA_MEDICAL])
    assert titles("Ukraine") == titles("Україна") == titles("Ucraina") == ukrainian
    assert titles("Paraguay") == sorted([GLOVES, "Adquisición de Scanner"])
    assert titles("Україна газового") == [GAS]  # with the other words, as any word
    assert titles("in") == titles("in", exact=True)  # a short word is no country (India's code)
    page = client.get("/notices/", {"q": "Україна"}).content.decode()
    assert "and the notices of buyers in this country" in page


def test_and_or_not_in_capitals_are_operators(real_notices, client):
    """As TED's search writes them: OR asks for any of the words, NOT leaves one out, AND joins; in small letters
    they are words."""
    assert titles("solar OR газового") == sorted([PV, GAS])
    assert titles("solar газового") == []
    assert titles("Ukraine NOT газового") == [UA_MEDICAL]
    # A phrase is left out as a phrase ("технічного обслуговування", one after the other), not required.
    assert titles('Ukraine NOT "технічного обслуговування"') == [UA_MEDICAL]
    assert titles('Ukraine -"технічного обслуговування"') == [UA_MEDICAL]
    assert titles('Ukraine -"обслуговування технічного"') == sorted([GAS, UA_MEDICAL])  # not in that order
    assert titles("solar AND maintenance") == titles("solar maintenance") == [PV]
    assert titles("OR") == titles("")
    assert titles("NOT") == titles("")
    page = client.get("/notices/", {"q": "solar OR газового"}).content.decode()
    assert "No notice has all of the words" not in page  # it was asked for


def test_a_search_takes_no_translation_from_a_single_label(db):
    """The word "Київ" (Kyiv) folds as the plural of кий (a billiard cue), in one label only: each of its words
    would be a perfect translation, so a search looks for none of them. Rare words need a stronger translation."""
    lex = cpv_lexicon()
    assert lex.translations("київ", strict=True) == ()
    assert "cue" in {t.text for t in lex.translations("київ")}  # what a watch still weighs with its codes
    strict = {t.text for t in lex.translations("водопостачання", strict=True)}
    assert {"vandforsyning", "watervoorziening"} <= strict
    assert not strict & {"consulting", "provvista", "glede"}


def test_a_label_does_not_mean_what_it_excludes(db):
    """The label "Transport services (excl. Waste transport)" is a whole division: "waste" stood for every
    transport notice (a Spanish supplier register came first for "waste collection"). Cut where each language says
    "except"."""
    lex = cpv_lexicon()
    for word in ("waste", "deseurilor", "dechets", "відходів"):
        assert "60000000" not in lex.codes_of(word), word
    assert "60000000" in lex.codes_of("transport")
    # In the middle, within brackets: "domestic appliances (excl. lighting) and cleaning products".
    assert "39000000" not in lex.codes_of("lighting")
    assert "39000000" in lex.codes_of("cleaning")


def test_an_ordinary_word_is_no_country(db):
    """Country names in every language pycountry knows hold ordinary words: "pole" (PL), "pain" (ES), "grit" (GR),
    "malt" (MT), "mari" (ML). A search reads names in English and the interface's languages only."""
    for word in ("pole", "pain", "grit", "malt", "mari"):
        (term,) = search.expand([[word]])
        assert term.tokens == (), word
    (term,) = search.expand([["moldavie"]])
    assert term.tokens == ("countrymd",)


def test_a_label_that_says_except_after_what_it_excludes_is_left_out():
    from greenbridge.reference.lexicon import without_exclusion

    labels = {
        "en": "Waterways except canals",
        "it": "Vie d'acqua, canali esclusi",
        "ro": "Căi navigabile, cu excepția canalelor",
    }
    assert without_exclusion(labels) == {"en": "Waterways", "ro": "Căi navigabile"}
