"""The green-sector taxonomy (greenbridge/reference/data/green_sectors.yaml) and its classifier.

Real notices: the strings below are copied from the files in data/ and each test first checks that the
copy is exact, so a changed sample file cannot silently make a test meaningless.
"""

import csv
import gzip
import json
import unicodedata
from pathlib import Path

import pytest
from lxml import etree

from greenbridge.reference import green, phrases
from greenbridge.reference.green import Taxonomy, TaxonomyError
from greenbridge.reference.text import fold

DATA = Path(__file__).resolve().parents[2] / "data"
PACKAGE_DATA = Path(green.__file__).resolve().parent / "data"

NINE = [
    "water",
    "wastewater",
    "waste_recycling",
    "renewable_energy",
    "energy_efficiency",
    "clean_mobility",
    "circular_economy",
    "environment_nature",
    "smart_city",
]


def classify(text: str | list[str], cpv=(), flags=()) -> list[str]:
    return green.classify(cpv_codes=cpv, texts=[text] if isinstance(text, str) else text, flags=flags)


def official_cpv_codes() -> set[str]:
    with (DATA / "codes" / "cpv_2008_main_en_ro_fr_es_it_de.csv").open(encoding="utf-8", newline="") as fh:
        return {row["CODE_8"] for row in csv.DictReader(fh)}


# -- the file -----------------------------------------------------------------------------------------


def test_the_taxonomy_loads_with_the_nine_sectors_in_order():
    sectors = green.sectors()
    assert [s.slug for s in sectors] == NINE
    assert green.sectors() is not green.sectors()  # a copy: callers cannot reorder the cached taxonomy
    assert green.taxonomy() is green.taxonomy()  # loaded once
    assert green.sector("water").label("ro") == "Apă"
    assert green.sector("nope") is None


def test_every_sector_has_ui_labels_and_falls_back_to_english():
    for s in green.sectors():
        for lang in ("en", "ro", "uk", "ru", "fr", "es", "it", "de", "no", "pl"):
            assert s.labels[lang].strip(), (s.slug, lang)
        assert s.description
    water = green.sector("wastewater")
    assert water.label() == "Wastewater"
    assert water.label("uk") == "Стічні води"
    assert water.label("ro-MD") == "Ape uzate"
    assert water.label("de_CH") == "Abwasser"
    assert water.label("nb") == "Avløp"  # Django's Norwegian
    assert water.label("xx") == "Wastewater"
    assert str(water) == "Wastewater"
    assert green.choices("fr")[0] == ("water", "Eau")
    assert len({green.sector(slug) for slug in NINE}) == 9  # hashable by slug


def test_every_cpv_prefix_is_a_prefix_of_a_real_cpv_code():
    codes = official_cpv_codes()
    assert len(codes) == 9454
    taxonomy = green.taxonomy()
    for slug in NINE:
        included, excluded = taxonomy.cpv_prefixes(slug)
        assert included, slug
        for prefix in included + excluded:
            assert any(code.startswith(prefix) for code in codes), (slug, prefix)


def test_every_sector_has_keywords_in_the_platform_languages():
    taxonomy = green.taxonomy()
    for slug in NINE:
        keywords = taxonomy.keywords(slug)
        for lang in ("en", "ro", "uk", "ru", "fr", "es", "it", "de", "no", "pl"):
            assert keywords.get(lang), (slug, lang)


def test_eforms_flag_codes_are_the_official_codelists():
    def codes(name):
        tree = etree.parse(str(DATA / "eforms" / "mapping" / f"eforms_sdk_codelist_{name}.gc"))
        return {v.findtext("{*}SimpleValue") for v in tree.iter("{*}Value") if v.get("ColumnRef") == "code"}

    assert codes("environmental-impact") == set(green.FLAG_CODES["environmental-impact"])
    assert codes("gpp-criteria") == set(green.FLAG_CODES["gpp-criteria"])

    def mapping(name):
        path = DATA / "eforms" / "mapping" / f"ocds_eforms_codelist_map_{name}.csv"
        with path.open(encoding="utf-8", newline="") as fh:
            return {row["OCDS code"]: f"{name}:{row['eForms code']}" for row in csv.DictReader(fh)}

    aliases = green.OCDS_FLAG_ALIASES
    for ocds, eforms in mapping("environmental-impact").items():
        if ocds != "environmental":  # shared with BT-06 env-imp; neither picks a sector
            assert aliases[ocds] == eforms
    for ocds, eforms in mapping("gpp-criteria").items():
        assert aliases[ocds] == eforms
    strategic = mapping("strategic-procurement")
    assert set(strategic) - {"none"} <= set(aliases)
    assert set(green.FLAG_CODES["strategic-procurement"]) == {v.split(":")[1] for v in strategic.values()}


# -- CPV rules ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        ("65111000", ["water"]),  # drinking-water distribution
        ("41110000", []),  # "Drinking water" as a product: bottled water deliveries
        ("90400000", ["wastewater"]),
        ("90460000-9", ["wastewater"]),  # cesspool emptying, with its check digit
        ("45232150", ["water"]),  # works related to water-distribution pipelines
        ("45232140", ["energy_efficiency"]),  # district-heating mains, under "ancillary works for water pipelines"
        ("45231300", ["water", "wastewater"]),  # water and sewage pipelines
        ("45252127", ["wastewater"]),  # WWTP: under 4525212 water-treatment plants, excluded from water
        ("45252126", ["water"]),  # drinking-water treatment plant, excluded from wastewater
        ("45252150", []),  # coal-handling plant, under "sewage-treatment plant construction work"
        ("45232460", []),  # sanitary works, excluded from sewer construction
        ("90513600", ["wastewater", "waste_recycling"]),  # sludge removal
        ("90524400", ["waste_recycling"]),  # hospital waste
        ("90521100", []),  # radioactive waste: excluded
        ("90523200", []),  # bomb disposal, under "toxic waste disposal": excluded
        ("90514000", ["waste_recycling", "circular_economy"]),
        ("34144511", ["waste_recycling"]),  # refuse-collection vehicles: not clean mobility
        ("09310000", []),  # electricity is not green by itself
        ("09331200", ["renewable_energy"]),  # solar photovoltaic modules
        ("31712331", ["renewable_energy"]),  # photovoltaic cells
        ("09111100", []),  # coal
        ("09111400", ["renewable_energy"]),  # wood fuels
        ("42511110", ["renewable_energy", "energy_efficiency"]),  # heat pumps
        ("45321000", ["energy_efficiency"]),  # thermal insulation work
        ("45320000", []),  # insulation work incl. waterproofing and sound insulation
        ("34144910", ["clean_mobility"]),  # electric buses
        ("34121100", []),  # public-service buses: diesel unless the text says otherwise
        ("14910000", ["circular_economy"]),  # recovered secondary metal raw materials
        ("19640000", []),  # polythene refuse sacks and bags
        ("90711400", ["environment_nature"]),  # EIA
        ("90733400", ["water", "environment_nature"]),  # surface water treatment
        ("77310000", []),  # planting and maintenance of green areas
        ("77231600", ["environment_nature"]),  # afforestation
        ("34928530", ["smart_city"]),  # street lamps
        ("50232200", ["smart_city"]),  # traffic-signal maintenance
        ("34962220", []),  # air-traffic control systems
        ("33140000-3", []),
        ("42201810-001", []),  # Paraguay's catalogue, not CPV
        ("not a code", []),
    ],
)
def test_cpv_rules(code, expected):
    assert classify([], cpv=[code]) == expected


def test_cpv_codes_in_any_spelling_and_any_iterable():
    assert classify([], cpv=" 90400000 - 1 ") == ["wastewater"]  # a lone string is one code
    assert classify([], cpv=(c for c in ["09331200", None, "90400000-1"])) == ["wastewater", "renewable_energy"]


# -- real notices -------------------------------------------------------------------------------------

CN_25_TITLE = "PV Servicing and Maintenance"
CN_25_DESCRIPTION = (
    "Scottish Water has a requirement to procure services for the operation, servicing, reactive maintenance "
    "and capital maintenance of Scottish Water Energy Team’s suite of PV power assets. • The scope of the "
    "proposed PV contract is: — the contractor shall be capable of providing cleaning services of the PV "
    "panels and provide evidence; — the contractor must be able to operate the assets and provide evidence; "
    "— the contractor shall be capable of providing servicing of the assets and provide evidence; — the "
    "contractor shall be capable of delivering planned (ie capital) and reactive MEICA maintenance of the "
    "assets and component parts; — the contractor shall be able to produce inspection and servicing reports "
    "and asset condition reports; — the contractor shall be able to do root cause analysis and investigation "
    "of any failures; — the contractor shall be capable of maximising generation and asset availability."
)


def test_cn_25_scottish_water_pv_servicing_is_renewable_energy_not_water(data_dir):
    xml = (data_dir / "eforms" / "sdk_examples" / "cn_25.xml").read_text(encoding="utf-8")
    assert f">{CN_25_TITLE}<" in xml
    assert f">{CN_25_DESCRIPTION}<" in xml
    for code in ("50000000", "09331200", "31712331"):
        assert f'listName="cpv">{code}<' in xml

    # The procedure: CPV and text agree. The buyer is a water utility, but what it buys is PV servicing.
    cpv = ["50000000", "09331200", "31712331"]
    texts = [CN_25_TITLE, CN_25_DESCRIPTION]
    assert green.classify(cpv_codes=cpv, texts=texts) == ["renewable_energy"]
    reasons = green.explain(cpv_codes=cpv, texts=texts)
    assert list(reasons) == ["renewable_energy"]
    assert "CPV 09331200 (prefix 0933)" in reasons["renewable_energy"]
    assert "CPV 31712331" in reasons["renewable_energy"]
    assert "keyword 'pv power' (en)" in reasons["renewable_energy"]
    assert "keyword 'pv panel*' (en)" in reasons["renewable_energy"]

    # The lot only has the generic 50000000 (repair and maintenance): the text alone finds the sector.
    assert green.classify(cpv_codes=["50000000"], texts=[CN_25_TITLE, CN_25_DESCRIPTION]) == ["renewable_energy"]
    assert green.classify(cpv_codes=["50000000"], texts=[]) == []


def test_cn_24_maximal_flags_alone_pick_no_sector(data_dir):
    xml = (data_dir / "eforms" / "sdk_examples" / "cn_24_maximal.xml").read_text(encoding="utf-8")
    assert '<cbc:ProcurementTypeCode listName="environmental-impact">clim-mitig<' in xml
    assert '<cbc:ProcurementTypeCode listName="strategic-procurement">env-imp<' in xml
    assert ">Procurement Title ---<" in xml
    assert ">Title ---<" in xml
    for code in ("79710000", "79720000", "75121000"):
        assert f'listName="cpv">{code}<' in xml

    # Climate-change mitigation could be renewables, efficiency or transport: the flags mark the notice as
    # green procurement, but the sector comes from CPV and text (here: administration services -> none).
    flags = ["environmental-impact:clim-mitig", "strategic-procurement:env-imp"]
    cpv = ["79710000", "79720000", "75121000"]
    texts = ["Procurement Title ---", "Description ---", "Title ---", "Description ---"]
    assert green.classify(cpv_codes=cpv, texts=texts, flags=flags) == []
    assert green.explain(cpv_codes=cpv, texts=texts, flags=flags) == {}
    # The same flags in their OCDS spelling.
    ocds = ["environmental.climateChangeMitigation", "environmental"]
    assert green.classify(cpv_codes=cpv, texts=texts, flags=ocds) == []


@pytest.mark.parametrize(
    ("flag", "expected"),
    [
        ("environmental-impact:circ-econ", ["circular_economy"]),
        ("environmental-impact:water-mar", ["water"]),
        ("environmental-impact:biodiv-eco", ["environment_nature"]),
        ("environmental-impact:pollu-prev", ["environment_nature"]),
        ("environmental-impact:clim-adapt", []),
        ("environmental-impact:clim-mitig", []),
        ("environmental-impact:other", []),
        ("strategic-procurement:env-imp", []),
        ("gpp-criteria:eu", []),
        ("gpp-criteria:national", []),
        (" Environmental-Impact:CIRC-ECON ", ["circular_economy"]),
        ("environmental.circularEconomy", ["circular_economy"]),
        ("environmental.waterResources", ["water"]),
        ("unknown:thing", []),
    ],
)
def test_eforms_flags(flag, expected):
    assert classify([], flags=[flag]) == expected


def test_prozorro_medical_supplies_get_no_sector(data_dir):
    package = json.loads((data_dir / "ocds" / "ukraine" / "prozorro_release_package_2_releases.json").read_text())
    tender = package["releases"][0]["tender"]
    title = "33140000-3 Медичні матеріали (Діагностичні набори, приладдя для забору крові)"
    item = "Діагностичні набори, приладдя для забору крові"
    assert tender["title"] == title
    assert tender["items"][0]["description"] == item
    assert tender["items"][0]["classification"]["id"] == "33140000-3"
    assert green.classify(cpv_codes=["33140000-3"], texts=[title, item]) == []


def test_paraguay_scanner_and_medical_gloves_get_no_sector(data_dir):
    record = json.loads((data_dir / "ocds" / "other" / "paraguay_dncp_record_package_1.1.json").read_text())
    assert record["records"][0]["compiledRelease"]["tender"]["title"] == "Adquisición de Scanner"
    assert green.classify(cpv_codes=[], texts=["Adquisición de Scanner"]) == []

    package = json.loads((data_dir / "ocds" / "other" / "paraguay_dncp_release_package_contract_1.1.json").read_text())
    contract = package["releases"][0]["contracts"][0]
    assert contract["title"] == "ADQUSICION DE GUANTES Y OTROS INSUMOS MEDICOS "
    items = [i["description"] for i in contract["items"]]
    assert "Placa Radiografica Medica" in items
    assert "Liquido fijador para placas radiograficas" in items
    codes = [i["classification"]["id"] for i in contract["items"]]
    assert "42201810-001" in codes  # the DNCP catalogue, not CPV: must be ignored, not misread
    assert green.classify(cpv_codes=codes, texts=[contract["title"], *items]) == []


def test_moldova_mepps_office_paper_gets_no_sector(data_dir):
    tender = json.loads((data_dir / "ocds" / "moldova" / "mepps_tender_native_api_2017.json").read_text())["data"]
    texts = {
        "title": "Hârtie pentru birou. Pentru fax și imprimare.\r\n",
        "title_en": "Office paper. For fax and print.",
        "title_ru": "Бумага",
        "description": "Hârtie albă A4 pentru imprimare, 75-83g/m2",
        "description_en": "A4 white paper for printing, 75-83g/m2",
        "description_ru": "Белая",
    }
    for key, value in texts.items():
        assert tender[key] == value
    assert tender["items"][0]["description"] == "Hârtie fax ( 210 mm x 25 mm )"
    assert tender["items"][0]["classification"]["id"] == "30192340-6"
    assert tender["contracts"][0]["title"] == "Procurarea hirtiei pentru oficiu A4 si fax"
    all_texts = [*texts.values(), tender["items"][0]["description"], tender["contracts"][0]["title"]]
    assert green.classify(cpv_codes=["30192340-6"], texts=all_texts) == []


@pytest.mark.parametrize(
    ("sample", "title", "description", "cpv"),
    [
        (
            # Green-area maintenance is grounds maintenance, deliberately not environment_nature.
            "can_24_minimal.xml",
            "Service d'entretien de remise en état et de nettoyage des espaces verts",
            "Service d'entretien de remise en état et de nettoyage des espaces verts.",
            ["77310000"],
        ),
        (
            # "Electrical services" (71314100) sit under "Energy and related services": not efficiency.
            "cn_24_open.xml",
            "Term Contract for a Planned Programme of In-service Inspection and Testing of Electrical Equipment",
            "The purpose of this contract is to formalise the Councils requirement to employ a contractor to "
            "carry out a planned programme of in-service inspection and testing of electrical equipment within "
            "the Councils public buildings.",
            ["71630000", "71314100", "50300000", "31600000"],
        ),
        (
            "cn_24_open_accel.xml",
            "Procedura aperta accelerata per la fornitura di n. 212 posti letto, ognuno composto da arredi e "
            "complementi di arredo, per le esigenze della Scuola marescialli e brigadieri di Firenze",
            "",
            ["39143100"],
        ),
    ],
)
def test_other_real_eforms_notices_get_no_sector(data_dir, sample, title, description, cpv):
    xml = (data_dir / "eforms" / "sdk_examples" / sample).read_text(encoding="utf-8")
    assert f">{title}<" in xml
    if description:
        assert f">{description}<" in xml
    for code in cpv:
        assert f'listName="cpv">{code}<' in xml
    assert green.classify(cpv_codes=cpv, texts=[title, description]) == []


# -- keywords in the platform's languages -------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # Romanian (Moldova, Romania)
        (
            "Lucrări de reabilitare a sistemului de alimentare cu apă și canalizare în orașul Ungheni",
            ["water", "wastewater"],
        ),
        ("Construcția stației de epurare a apelor uzate în satul Costești, raionul Ialoveni", ["wastewater"]),
        ("Servicii de colectare și transportare a deșeurilor menajere solide", ["waste_recycling"]),
        (
            "Eficientizarea energetică a grădiniței nr. 5 din or. Cahul (termoizolarea pereților și acoperișului)",
            ["energy_efficiency"],
        ),
        ("Achiziționarea și instalarea panourilor fotovoltaice pe acoperișul liceului", ["renewable_energy"]),
        (
            "Modernizarea iluminatului public stradal cu corpuri de iluminat LED",
            ["energy_efficiency", "smart_city"],
        ),
        ("Procurarea autobuzelor electrice pentru transportul public din municipiul Chișinău", ["clean_mobility"]),
        ("Reconstrucția rețelei de apă potabilă din satul Pârjota", ["water"]),
        # Ukrainian
        ("Будівництво сонячної електростанції потужністю 1 МВт", ["renewable_energy"]),
        # Refuse trucks are waste equipment; only an explicit "electric" would add clean_mobility.
        ("Закупівля сміттєвозів для вивезення твердих побутових відходів", ["waste_recycling"]),
        (
            "Капітальний ремонт (термомодернізація) будівлі закладу дошкільної освіти № 5",
            ["energy_efficiency"],
        ),
        ("Реконструкція каналізаційних очисних споруд м. Біла Церква", ["wastewater"]),
        ("Капітальний ремонт мереж водопостачання та водовідведення с. Петрівка", ["water", "wastewater"]),
        ("Будівництво водопроводу по вул. Шевченка", ["water"]),
        (
            "Поточний ремонт мереж вуличного освітлення із заміною світильників на світлодіодні",
            ["energy_efficiency", "smart_city"],
        ),
        ("Закупівля електробусів для комунального підприємства «Міськелектротранс»", ["clean_mobility"]),
        # Russian (Moldova, Ukraine)
        ("Строительство канализационных очистных сооружений в г. Бельцы", ["wastewater"]),
        ("Установка солнечных панелей на крыше школы", ["renewable_energy"]),
        ("Утепление фасада здания детского сада № 12", ["energy_efficiency"]),
        ("Услуги по вывозу твердых бытовых отходов (ТБО)", ["waste_recycling"]),
        # French
        (
            "Travaux de réhabilitation du réseau d'eau potable et d'assainissement de la commune",
            ["water", "wastewater"],
        ),
        ("Collecte et traitement des déchets ménagers et assimilés", ["waste_recycling"]),
        ("Installation de bornes de recharge pour véhicules électriques", ["clean_mobility"]),
        ("Restauration écologique des zones humides du marais", ["environment_nature"]),
        # Spanish
        ("Suministro e instalación de paneles solares fotovoltaicos en edificios municipales", ["renewable_energy"]),
        ("Servicio de recogida de residuos sólidos urbanos y limpieza viaria", ["waste_recycling"]),
        ("Obras de renovación del alumbrado público con tecnología LED", ["energy_efficiency", "smart_city"]),
        # Italian
        ("Servizio di raccolta e trasporto dei rifiuti solidi urbani", ["waste_recycling"]),
        ("Lavori di efficientamento energetico della scuola primaria", ["energy_efficiency"]),
        ("Realizzazione di una pista ciclabile lungo il fiume", ["clean_mobility"]),
        ("Fornitura di carta riciclata per uffici", ["circular_economy"]),
        # German
        ("Neubau einer Kläranlage mit Klärschlammbehandlung", ["wastewater"]),
        ("Lieferung von Elektrobussen für den ÖPNV", ["clean_mobility"]),
        ("Energetische Sanierung der Grundschule inklusive Wärmedämmung der Fassade", ["energy_efficiency"]),
        # Norwegian
        ("Ladestasjoner for elbiler ved rådhuset", ["clean_mobility"]),
        ("Utskifting av gatelys til LED", ["energy_efficiency", "smart_city"]),
        ("Rehabilitering av vann- og avløpsledninger i Storgata", ["water", "wastewater"]),
        # Polish
        ("Budowa kanalizacji sanitarnej i sieci wodociągowej w gminie", ["water", "wastewater"]),
        ("Dostawa autobusów elektrycznych wraz ze stacjami ładowania", ["clean_mobility"]),
        ("Modernizacja systemu sterowania ruchem drogowym w mieście", ["smart_city"]),
        ("Technik sterowania ruchem kolejowym: kryteria oceniania egzaminu zawodowego", []),
        # English
        ("LED street lighting modernisation", ["energy_efficiency", "smart_city"]),
        ("Supply and installation of EV charging points at council car parks", ["clean_mobility"]),
        ("Provision of household waste and recycling collection services", ["waste_recycling"]),
        ("Supply of recycled office paper", ["circular_economy"]),
        ("Biodiversity survey and habitat restoration of the estuary", ["environment_nature"]),
        ("Design of an urban traffic management system with adaptive traffic signals", ["smart_city"]),
    ],
)
def test_multilingual_titles(text, expected):
    assert classify(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "Waterproof boots for field staff",
        "Waterproof clothing",
        "Office paper A4, 80 g/m2",
        "Medical gloves, nitrile, powder-free",
        "Diesel fuel for vehicles",
        "Supply of electricity to municipal buildings",
        "Green tea and coffee for the canteen",
        "Trampoline for the school gym",
        "Supply of electric busbars for the switchgear",
        "Temporary traffic management for carriageway resurfacing",
        "Air traffic control system upgrade",
        "Stationary bicycles for the fitness room",
        "Fahrradergometer für die Reha-Klinik",
        "Noleggio di camion e bus con autista",  # "e bus" is "and buses", not e-bus
        "Кабельна каналізація для мереж зв'язку",  # cable ducts, not sewers
        "Пакети для сміття 120 л",  # bin bags
        "Зарядна станція EcoFlow для укриття",  # a portable power station, not an EV charger
        "Фотоелектричний датчик руху",  # a photoelectric sensor, not PV
        "Водопровідні роботи в приміщенні школи",  # building plumbing
        "Поставка питьевой воды в бутылях 19 л",  # bottled water
        "Achiziționarea apei potabile îmbuteliate",
        "Produits d'assainissement de l'air",  # air fresheners
        "Égouttoirs à vaisselle",  # dish racks
        "Supply of bottled drinking water",
        "water. Supply of stationery",  # punctuation never joins a phrase
        "Servicii de înhumare și de incinerare",  # cremation
        "Hot water supply to the leisure centre",
    ],
)
def test_false_positive_guards(text):
    assert classify(text) == []


def test_word_boundaries_latin_and_cyrillic():
    # Whole words: "tram" is not in "trampoline", "кнс" not in "кнсх", a stem matches only word starts.
    assert classify("Tram depot") == ["clean_mobility"]
    assert classify("Trampoline park") == []
    assert classify("Ремонт КНС №3") == ["wastewater"]
    assert classify("Ремонт КНСХ") == []
    assert classify("безводопостачання") == []
    assert classify("Послуги з централізованого водопостачання") == ["water"]
    assert classify("«Водопостачання»") == ["water"]
    assert classify("водопостачання,водовідведення") == ["water", "wastewater"]
    # Case and accents fold away for Latin scripts; Cyrillic letters are kept (й, ї, є).
    assert classify("APA POTABILA") == ["water"]
    assert classify("ЗАКУПІВЛЯ СМІТТЄВОЗІВ") == ["waste_recycling"]
    assert classify("Müllabfuhr") == classify("MULLABFUHR") == ["waste_recycling"]


def test_phrase_gaps():
    # A space in a keyword accepts spaces and hyphens; a hyphen accepts only a hyphen.
    assert classify("drinking-water network") == ["water"]
    assert classify("drinking  water") == ["water"]
    assert classify("drinking, water") == []
    assert classify("E-bus fleet") == ["clean_mobility"]
    assert classify("e bus") == []
    assert classify("adduction d’eau potable") == ["water"]  # typographic apostrophe
    # Separate texts of one notice are never joined into a phrase.
    assert classify(["Supply of drinking", "water coolers"]) == []


def test_exclusions_veto_only_overlapping_matches():
    assert classify("Waste water treatment plant") == ["wastewater"]  # not "water treatment"
    assert classify("Water and waste water treatment") == ["water", "wastewater"]
    assert classify("Trattamento acque reflue") == ["wastewater"]
    assert classify("Hot water supply and drinking water network") == ["water"]
    assert classify("Radioactive waste treatment") == []
    assert classify("Radioactive waste treatment; municipal waste collection") == ["waste_recycling"]


def test_explain_gives_readable_reasons():
    reasons = green.explain(
        cpv_codes=["90410000-4", "09331200"],
        texts=["Lucrări de reabilitare a sistemului de alimentare cu apă și canalizare"],
        flags=["environmental-impact:circ-econ"],
    )
    assert reasons == {
        "water": ["keyword 'alimentar* cu apă' (ro)"],
        "wastewater": ["CPV 90410000 (prefix 904)", "keyword 'canalizar*' (ro)"],
        "renewable_energy": ["CPV 09331200 (prefix 0933)"],
        "circular_economy": ["eForms environmental-impact:circ-econ"],
    }
    assert list(reasons) == green.classify(
        cpv_codes=["90410000-4", "09331200"],
        texts=["Lucrări de reabilitare a sistemului de alimentare cu apă și canalizare"],
        flags=["environmental-impact:circ-econ"],
    )
    assert green.explain(cpv_codes=[], texts=["Office paper"]) == {}
    # A repeated keyword is one reason.
    assert green.explain(cpv_codes=[], texts=["biogas and biogas"]) == {"renewable_energy": ["keyword 'biogas*' (en)"]}


def test_texts_may_be_a_string_or_hold_none():
    assert green.classify(cpv_codes=[], texts="Apă potabilă") == ["water"]
    assert green.classify(cpv_codes=[], texts=[None, "", "Apă potabilă"]) == ["water"]
    assert green.classify(cpv_codes=[], texts=[]) == []


def _reference_fold(text: str) -> str:
    """The plain definition of folding: NFKC + casefold, then each character that is neither ASCII nor
    Cyrillic replaced by its first NFD code point (its base letter without diacritics)."""
    out = []
    for ch in unicodedata.normalize("NFKC", text).casefold():
        if ch.isascii() or "\u0400" <= ch <= "\u04ff":
            out.append(ch)
        else:
            out.append(unicodedata.normalize("NFD", ch)[0])
    return "".join(out)


def test_fast_folding_equals_reference_fold():
    # reference.text.fold takes shortcuts (ASCII, a per-character cache): check it against the plain
    # definition on real multilingual text (CPV labels in 24 EU languages and Ukrainian) and odd characters.
    samples = ["Straße ﬁle İstanbul ǅ Ǆ № ½ ﬃ Ω K Å ς", "й ё ї Й Ё Ї ґ", "ę ą ł ø æ ð þ", "d’eau ‐ – —", "ASCII Only"]
    with gzip.open(PACKAGE_DATA / "cpv_2008_main_all_24_languages.csv.gz", "rt", encoding="utf-8") as fh:
        for i, row in enumerate(csv.DictReader(fh)):
            if i % 4 == 0:
                samples.extend(v for k, v in row.items() if k not in ("CODE", "CODE_8", "LEVEL"))
    uk = json.loads((PACKAGE_DATA / "cpv_2008_uk_labels_prozorro_dk021.json").read_text(encoding="utf-8"))
    samples.extend(list(uk.values())[::4])
    assert len(samples) > 50_000
    for text in samples:
        assert fold(text) == _reference_fold(text), text
    assert phrases.fold is fold


# -- validation of the file ---------------------------------------------------------------------------


def minimal_sector(**overrides):
    sector = {
        "slug": "water",
        "labels": dict.fromkeys(green.REQUIRED_LABEL_LANGUAGES, "Water"),
        "cpv": ["651"],
        "keywords": {"en": ["drinking water"]},
    }
    sector.update(overrides)
    return sector


def load(*sectors, **top):
    return Taxonomy({"version": 1, "sectors": list(sectors), **top}, source="test.yaml")


def test_a_minimal_taxonomy_works():
    taxonomy = load(minimal_sector())
    assert taxonomy.classify(cpv_codes=["65111000"], texts=[]) == ["water"]
    assert taxonomy.classify(cpv_codes=[], texts=["Drinking water"]) == ["water"]


@pytest.mark.parametrize(
    ("sector", "message"),
    [
        (minimal_sector(colour="blue"), "unknown keys ['colour']"),
        (minimal_sector(labels=None), "has no labels"),
        (minimal_sector(labels={"en": "Water"}), "labels missing for ro, uk, ru, fr, es, it, de"),
        (minimal_sector(labels={False: "Vann", "en": "Water"}), 'write "no" (Norwegian) in quotes'),
        (minimal_sector(slug="Water Sector"), "slug 'Water Sector' must be lower-case"),
        (minimal_sector(cpv=["9O4"]), "CPV prefix '9O4' is not digits"),
        (minimal_sector(cpv=[904]), "must be a quoted string"),
        (minimal_sector(cpv=["9040"]), "ends with 0"),
        (minimal_sector(cpv=["123456789"]), "2 to 8 digits"),
        (minimal_sector(cpv=["651", "6511"]), "'6511' is already covered by '651'"),
        (minimal_sector(cpv=["651", "651"]), "duplicate CPV prefix '651'"),
        (minimal_sector(exclude_cpv=["904"]), "exclude_cpv '904' is not under any of the sector's cpv"),
        (minimal_sector(keywords={"en": ["water", "WATER"]}), "duplicate keyword 'WATER'"),
        (minimal_sector(keywords={"en": ["wa*ter"]}), "'*' only at the end of a word"),
        (minimal_sector(keywords={"en": ["wat*"]}), "a one-word stem needs 4+ letters"),
        (minimal_sector(keywords={"en": ["w* supply"]}), "shorter than 3 letters"),
        (minimal_sector(keywords={"en": ["water (drinking)"]}), "may only hold letters"),
        (minimal_sector(keywords={"english": ["water"]}), "two-letter lower-case code"),
        (minimal_sector(eforms_flags=["environmental-impact:water"]), "unknown code 'water'"),
        (minimal_sector(eforms_flags=["bt-774:water-mar"]), "unknown list 'bt-774'"),
        (minimal_sector(cpv=None, keywords=None), "nothing could ever match it"),
    ],
)
def test_invalid_taxonomies_are_refused_with_a_clear_error(sector, message):
    with pytest.raises(TaxonomyError) as excinfo:
        load(sector)
    assert message in str(excinfo.value)
    assert "test.yaml" in str(excinfo.value)


def test_invalid_top_level_and_duplicate_slugs():
    with pytest.raises(TaxonomyError, match="unknown keys"):
        load(minimal_sector(), colour="blue")
    with pytest.raises(TaxonomyError, match="version must be 1"):
        Taxonomy({"version": 2, "sectors": [minimal_sector()]})
    with pytest.raises(TaxonomyError, match="non-empty list"):
        Taxonomy({"version": 1, "sectors": []})
    with pytest.raises(TaxonomyError, match="duplicate slug"):
        load(minimal_sector(), minimal_sector())


def test_yaml_files_with_duplicate_keys_or_bad_syntax_are_refused(tmp_path):
    path = tmp_path / "sectors.yaml"
    path.write_text("version: 1\nsectors:\n  - slug: water\n    cpv: ['651']\n    cpv: ['904']\n", encoding="utf-8")
    with pytest.raises(TaxonomyError, match="duplicate key 'cpv'"):
        Taxonomy.from_file(path)
    path.write_text("version: 1\nsectors: [\n", encoding="utf-8")
    with pytest.raises(TaxonomyError, match="not valid YAML"):
        Taxonomy.from_file(path)


def test_the_packaged_file_is_the_one_loaded():
    assert green.TAXONOMY_PATH == PACKAGE_DATA / "green_sectors.yaml"
    fresh = Taxonomy.from_file(green.TAXONOMY_PATH)
    assert [s.slug for s in fresh.sectors] == NINE


def test_folded_text_classifies_like_raw_text():
    texts = [
        "Lucrări de reabilitare a sistemului de alimentare cu APĂ și canalizare",
        "Будівництво СОНЯЧНОЇ електростанції",
    ]
    for text in texts:
        assert green.classify(cpv_codes=[], texts=[fold(text)], folded=True) == green.classify(
            cpv_codes=[], texts=[text]
        )
    assert green.classify(cpv_codes=[], texts=[fold(texts[0])], folded=True) == ["water", "wastewater"]
