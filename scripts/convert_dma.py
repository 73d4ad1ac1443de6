#!/usr/bin/env python3
"""Convert the EDIH / JRC Digital Maturity Assessment (DMA) questionnaire for SMEs (module 2) from
shared/data/assessment/dma_sme_questionnaire.json into GreenBridge's questionnaire format
(docs/questionnaires.md), with the texts in en, ro, uk and fr, then check the result.

    python3 scripts/convert_dma.py [--json PATH] [--out PATH]

The English is taken from the JSON as it is (one exception, listed in ENGLISH_OVERRIDES). Every English
text must have an entry in TRANSLATIONS (keyed by the English, so a change in the JSON's wording stops the
conversion instead of leaving a stale translation). After writing, the file is read back and checked:
every text in all four languages, ids unique and equal to the JSON's (in order), option and row counts,
points and the `exclusive` flag as in the JSON, and each question's maximum (under the format's rules)
equal to the JSON's `scoring.max_raw_points`.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_JSON = ROOT / "data" / "assessment" / "dma_sme_questionnaire.json"
DEFAULT_OUT = ROOT / "greenbridge" / "assessments" / "questionnaires" / "eu-edih-dma-sme.yaml"
LANGUAGES = ["en", "ro", "uk", "fr"]
TEXT_FIELDS = {"title", "description", "name", "text", "help", "label", "unit", "rule"}

# The one English text not taken verbatim from the JSON: the dimension description of Green
# Digitalisation ends with a pointer to a file of this repository ("- see green_maturity_dimensions.md"),
# which means nothing to an SME; the sentence is kept without it.
ENGLISH_OVERRIDES = {
    ("dimension", "green_digitalisation", "description"): (
        "Whether the enterprise uses digital technologies to become more environmentally sustainable "
        "('ICT for green') and whether it takes environmental impacts into account in its own digital "
        "choices ('green ICT'), taking a long-term, resource-conscious view (possibly as a competitive "
        "advantage). It does not measure the enterprise's overall environmental performance."
    ),
}

# ---------------------------------------------------------------------------------------------------
# Texts written here (not in the JSON): title, description, scoring rule, band labels and descriptions.
# ---------------------------------------------------------------------------------------------------

TITLE = "Digital Maturity Assessment for SMEs (EDIH DMA, module 2)"
DESCRIPTION = (
    "Module 2 ('Digital Maturity') of the Digital Maturity Assessment (DMA) for SMEs used by the European "
    "Digital Innovation Hubs (EDIH) network: 11 questions in six dimensions. The questions are the EU's; "
    "the scoring is GreenBridge's reconstruction, because the official scoring criteria could not be read "
    "(DMA-compatible, unofficial scoring): results are not comparable with official EDIH DMA results."
)
RULE = (
    "Each question scores 0–10: 10 × the points obtained ÷ the question's maximum (1 point per ticked "
    "option or cell, the 0–5 value of each scale row, yes 1, partly 0.5, no 0). Each dimension scores "
    "0–100: the mean of its questions × 10, i.e. (Qa + Qb) × 5 for two questions and Q9 × 10 for "
    "Automation and Artificial Intelligence. The overall score is the mean of the six dimensions."
)
SOURCE = (
    "EU Digital Maturity Assessment (DMA) questionnaire for SMEs, module 2, developed by the European "
    "Commission's Joint Research Centre (JRC) for the EDIH network (DMAT); EU material, reused with "
    "acknowledgement (Commission Decision 2011/833/EU). Question texts: the official English wording read "
    "through third-party copies (MarkusFrBoden/masterproject @ 280ebf5, copy errors corrected; Q1 row 5 "
    "and Q6 option 4 rebuilt from the official German and Norwegian versions, the latter via "
    "hassanzouhar/dmsa @ 16efc81). The ro, uk and fr texts are GreenBridge's translations, not the "
    "official ones. Scoring reconstructed, not official (the questionnaire's scoring page was not read): "
    "1 point per option or ticked cell ('Data is not collected digitally' 0 points, exclusive), scale "
    "values 0–5, yes/partly/no 1/0.5/0; proportional normalisation by default, capped_raw variant after "
    "Orošnjak, Kedziora & Desloges, Technologies 2025, 13(12), 541 (Eq. 4, read via its review report). "
    "Bands: only 'Basic 0–25' is official; the other three come from hassanzouhar/dmsa. Details: "
    "shared/data/assessment/SOURCES.md (DMA-compatible, unofficial scoring: §6)."
)
BAND_DESCRIPTIONS = {
    "basic": "The enterprise is at the start of its digital transformation: few of the practices and "
    "technologies the questionnaire asks about are in place.",
    "average": "Digitalisation is under way but partial: some of the practices and technologies the "
    "questionnaire asks about are in place, unevenly across the dimensions.",
    "moderately_advanced": "Digitalisation is well advanced: many of the practices and technologies the "
    "questionnaire asks about are in place, with room to extend and integrate them further.",
    "advanced": "Digitalisation is broad and mature: most of the practices and technologies the "
    "questionnaire asks about are in place across the enterprise.",
}

# ---------------------------------------------------------------------------------------------------
# Translations: English -> (ro, uk, fr). Apostrophes are written ' here and set as ’ in uk and fr, and
# French gets a no-break space before ? ; : and inside « » (see _typography).
# ---------------------------------------------------------------------------------------------------

TRANSLATIONS: dict[str, tuple[str, str, str]] = {
    # -- title, description, scoring rule ------------------------------------------------------------
    TITLE: (
        "Evaluarea maturității digitale pentru IMM-uri (DMA EDIH, modulul 2)",
        "Оцінювання цифрової зрілості для МСП (DMA EDIH, модуль 2)",
        "Évaluation de la maturité numérique des PME (DMA des EDIH, module 2)",
    ),
    DESCRIPTION: (
        "Modulul 2 („Maturitate digitală”) al instrumentului de evaluare a maturității digitale (DMA) pentru "
        "IMM-uri, utilizat de rețeaua centrelor europene de inovare digitală (EDIH): 11 întrebări grupate în șase dimensiuni. "
        "Întrebările sunt cele ale UE; punctajul este o reconstituire realizată de GreenBridge, deoarece "
        "criteriile oficiale de punctare nu au putut fi consultate (punctaj compatibil cu DMA, neoficial): "
        "rezultatele nu sunt comparabile cu rezultatele oficiale ale DMA din rețeaua EDIH.",
        "Модуль 2 («Цифрова зрілість») оцінювання цифрової зрілості (DMA) для МСП, яке використовує мережа "
        "європейських центрів цифрових інновацій (EDIH): 11 запитань у шести вимірах. Запитання взято з "
        "анкети ЄС; бали нараховуються за методикою, відтвореною GreenBridge, оскільки з офіційними "
        "критеріями оцінювання не вдалося ознайомитися (сумісне з DMA, неофіційне оцінювання): результати "
        "не можна порівнювати з офіційними результатами DMA мережі EDIH.",
        "Module 2 (« Maturité numérique ») de l'évaluation de la maturité numérique (DMA) des PME utilisée "
        "par le réseau des pôles européens d'innovation numérique (EDIH) : 11 questions réparties en six "
        "dimensions. Les questions sont celles de l'UE ; la notation est une reconstitution de GreenBridge, "
        "les critères de notation officiels n'ayant pas pu être consultés (notation compatible DMA, non "
        "officielle) : les résultats ne sont pas comparables aux résultats officiels de la DMA des EDIH.",
    ),
    RULE: (
        "Fiecare întrebare primește un punctaj de la 0 la 10: 10 × punctele obținute ÷ punctajul maxim al "
        "întrebării (1 punct pentru fiecare opțiune sau căsuță bifată, valoarea 0–5 a fiecărui rând al "
        "scalei, da 1, parțial 0,5, nu 0). Fiecare dimensiune primește un punctaj de la 0 la 100: media "
        "întrebărilor sale × 10, adică (Qa + Qb) × 5 pentru două întrebări și Q9 × 10 pentru automatizare "
        "și inteligență artificială. Punctajul general este media celor șase dimensiuni.",
        "Кожне запитання оцінюється від 0 до 10: 10 × отримані бали ÷ максимальна кількість балів за "
        "запитання (1 бал за кожен позначений варіант або клітинку, значення 0–5 кожного рядка шкали, "
        "так — 1, частково — 0,5, ні — 0). Кожен вимір оцінюється від 0 до 100: середнє значення його "
        "запитань × 10, тобто (Qa + Qb) × 5 для двох запитань і Q9 × 10 для виміру «Автоматизація та "
        "штучний інтелект». Загальний бал — середнє значення шести вимірів.",
        "Chaque question est notée de 0 à 10 : 10 × les points obtenus ÷ le maximum de la question (1 point "
        "par option ou case cochée, la valeur de 0 à 5 de chaque ligne de l'échelle, oui 1, en partie 0,5, "
        "non 0). Chaque dimension est notée de 0 à 100 : la moyenne de ses questions × 10, soit "
        "(Qa + Qb) × 5 pour deux questions et Q9 × 10 pour Automatisation et intelligence artificielle. Le "
        "score global est la moyenne des six dimensions.",
    ),
    # -- bands -----------------------------------------------------------------------------------------
    "Basic": ("De bază", "Базовий", "Basique"),
    "Average": ("Mediu", "Середній", "Moyen"),
    "Moderately advanced": ("Moderat avansat", "Помірно просунутий", "Modérément avancé"),
    "Advanced": ("Avansat", "Просунутий", "Avancé"),
    BAND_DESCRIPTIONS["basic"]: (
        "Întreprinderea se află la începutul transformării sale digitale: puține dintre practicile și "
        "tehnologiile vizate de chestionar sunt prezente.",
        "Підприємство перебуває на початку цифрової трансформації: запроваджено небагато з практик і "
        "технологій, про які йдеться в анкеті.",
        "L'entreprise est au début de sa transformation numérique : peu de pratiques et de technologies "
        "couvertes par le questionnaire sont en place.",
    ),
    BAND_DESCRIPTIONS["average"]: (
        "Digitalizarea este în curs, dar parțială: o parte dintre practicile și tehnologiile vizate de "
        "chestionar sunt prezente, în mod inegal de la o dimensiune la alta.",
        "Цифровізація триває, але має частковий характер: запроваджено деякі з практик і технологій, про "
        "які йдеться в анкеті, причому нерівномірно за вимірами.",
        "La numérisation est engagée mais partielle : certaines des pratiques et technologies couvertes "
        "par le questionnaire sont en place, de manière inégale selon les dimensions.",
    ),
    BAND_DESCRIPTIONS["moderately_advanced"]: (
        "Digitalizarea este bine avansată: multe dintre practicile și tehnologiile vizate de chestionar "
        "sunt prezente, existând încă posibilitatea de a le extinde și integra în continuare.",
        "Цифровізація добре просунулася: запроваджено багато з практик і технологій, про які йдеться в "
        "анкеті, і є можливості для їх подальшого розширення та інтеграції.",
        "La numérisation est bien avancée : de nombreuses pratiques et technologies couvertes par le "
        "questionnaire sont en place, avec une marge pour les étendre et les intégrer davantage.",
    ),
    BAND_DESCRIPTIONS["advanced"]: (
        "Digitalizarea este extinsă și matură: majoritatea practicilor și tehnologiilor vizate de "
        "chestionar sunt prezente la nivelul întregii întreprinderi.",
        "Цифровізація широка й зріла: більшість практик і технологій, про які йдеться в анкеті, "
        "запроваджено в усьому підприємстві.",
        "La numérisation est étendue et mature : la plupart des pratiques et technologies couvertes par le "
        "questionnaire sont en place dans l'ensemble de l'entreprise.",
    ),
    # -- dimensions ------------------------------------------------------------------------------------
    "Digital Business Strategy": (
        "Strategia digitală a întreprinderii",
        "Цифрова бізнес-стратегія",
        "Stratégie numérique de l'entreprise",
    ),
    "Where the enterprise stands with a strategy for digitalisation: in which business areas it has already "
    "invested in digital solutions or plans to, and whether it is organisationally and financially ready for "
    "a digital transformation that may demand efforts it has not yet foreseen.": (
        "Stadiul în care se află întreprinderea în privința unei strategii de digitalizare: în ce domenii de "
        "activitate a investit deja în soluții digitale sau intenționează să o facă și dacă este pregătită, "
        "din punct de vedere organizatoric și financiar, pentru o transformare digitală care poate necesita "
        "eforturi pe care nu le-a prevăzut încă.",
        "На якому етапі перебуває підприємство щодо стратегії цифровізації: у яких сферах діяльності воно вже "
        "інвестувало в цифрові рішення або планує це зробити, і чи готове воно організаційно "
        "та фінансово до цифрової трансформації, яка може вимагати зусиль, ще не передбачених ним.",
        "Où en est l'entreprise en matière de stratégie de numérisation : dans quels domaines d'activité elle "
        "a déjà investi dans des solutions numériques ou prévoit de le faire, et si elle est prête, sur les "
        "plans organisationnel et financier, à une transformation numérique susceptible d'exiger des efforts "
        "qu'elle n'a pas encore prévus.",
    ),
    "Digital Readiness": ("Pregătirea digitală", "Цифрова готовність", "Préparation au numérique"),
    "Which digital technologies the enterprise already uses today, from mainstream tools (connectivity, web "
    "presence, e-commerce, management systems) to advanced technologies; applies to manufacturing and "
    "service firms alike.": (
        "Tehnologiile digitale pe care întreprinderea le utilizează deja în prezent, de la instrumente uzuale "
        "(conectivitate, prezență online, comerț electronic, sisteme de gestiune) până la tehnologii "
        "avansate; se aplică deopotrivă întreprinderilor de producție și celor de servicii.",
        "Які цифрові технології підприємство вже використовує сьогодні — від поширених інструментів "
        "(підключення до мережі, вебприсутність, електронна комерція, системи управління) до передових "
        "технологій; стосується як виробничих, так і сервісних підприємств.",
        "Les technologies numériques que l'entreprise utilise déjà aujourd'hui, des outils courants "
        "(connectivité, présence sur le web, commerce électronique, systèmes de gestion) aux technologies "
        "avancées ; s'applique aussi bien aux entreprises manufacturières qu'aux entreprises de services.",
    ),
    "Human-Centric Digitalisation": (
        "Digitalizarea centrată pe om",
        "Людиноцентрична цифровізація",
        "Numérisation centrée sur l'humain",
    ),
    "How staff are skilled for, engaged in and empowered by digitalisation, and whether their working "
    "conditions improve, with productivity and well-being as the aim.": (
        "Modul în care personalul dobândește competențele necesare digitalizării, este implicat în aceasta și "
        "capătă mai multă autonomie prin ea, precum și dacă i se îmbunătățesc condițiile de muncă, având ca "
        "obiectiv productivitatea și bunăstarea.",
        "Як персонал набуває навичок для цифровізації, залучається до неї та отримує завдяки їй ширші "
        "можливості, а також чи поліпшуються умови його праці, з метою підвищення продуктивності та "
        "благополуччя.",
        "Comment le personnel est formé à la numérisation, y est associé et gagne en autonomie grâce à elle, "
        "et si ses conditions de travail s'améliorent, dans un objectif de productivité et de bien-être.",
    ),
    "Data Management": ("Gestionarea datelor", "Управління даними", "Gestion des données"),
    "How business data is stored digitally, organised, integrated, made accessible across devices and "
    "exploited for decisions, and how it is protected through cybersecurity measures.": (
        "Modul în care datele întreprinderii sunt stocate digital, organizate, integrate, puse la dispoziție "
        "pe diferite dispozitive și valorificate pentru luarea deciziilor, precum și modul în care sunt "
        "protejate prin măsuri de securitate cibernetică.",
        "Як дані підприємства зберігаються в цифровому вигляді, упорядковуються, інтегруються, стають "
        "доступними з різних пристроїв і використовуються для ухвалення рішень, а також як їх захищають "
        "заходами кібербезпеки.",
        "Comment les données de l'entreprise sont stockées sous forme numérique, organisées, intégrées, "
        "rendues accessibles depuis différents appareils et exploitées pour la prise de décision, et comment "
        "elles sont protégées par des mesures de cybersécurité.",
    ),
    "Automation and Artificial Intelligence": (
        "Automatizare și inteligență artificială",
        "Автоматизація та штучний інтелект",
        "Automatisation et intelligence artificielle",
    ),
    "How far automation and intelligent (AI-based) technologies are embedded in the enterprise's business processes.": (
        "Măsura în care automatizarea și tehnologiile inteligente (bazate pe IA) sunt integrate în procesele "
        "de afaceri ale întreprinderii.",
        "Наскільки автоматизація та інтелектуальні технології (на основі ШІ) інтегровані в бізнес-процеси "
        "підприємства.",
        "Dans quelle mesure l'automatisation et les technologies intelligentes (fondées sur l'IA) sont "
        "intégrées dans les processus métier de l'entreprise.",
    ),
    "Green Digitalisation": ("Digitalizarea verde", "Зелена цифровізація", "Numérisation verte"),
    ENGLISH_OVERRIDES[("dimension", "green_digitalisation", "description")]: (
        "Dacă întreprinderea utilizează tehnologiile digitale pentru a deveni mai durabilă din punctul de "
        "vedere al mediului („TIC în serviciul mediului”) și dacă ține seama de impactul asupra mediului în "
        "propriile alegeri digitale („TIC ecologice”), adoptând o perspectivă pe termen lung, atentă la "
        "resurse (eventual ca avantaj competitiv). Această dimensiune nu măsoară performanța de mediu generală "
        "a întreprinderii.",
        "Чи використовує підприємство цифрові технології, щоб стати екологічно сталішим («ІКТ для "
        "довкілля»), і чи враховує воно вплив на довкілля у власних цифрових рішеннях («зелені ІКТ»), "
        "дотримуючись довгострокового підходу з ощадливим ставленням до ресурсів (можливо, як конкурентної "
        "переваги). Цей вимір не оцінює загальну екологічну результативність підприємства.",
        "Si l'entreprise utilise les technologies numériques pour devenir plus durable sur le plan "
        "environnemental (« le numérique au service de l'environnement ») et si elle tient compte des "
        "incidences environnementales dans ses propres choix numériques (« numérique vert »), dans une "
        "perspective à long terme, économe en ressources (éventuellement comme avantage concurrentiel). "
        "Cette dimension ne mesure pas la performance environnementale globale de l'entreprise.",
    ),
    # -- instructions (help) ---------------------------------------------------------------------------
    "Please select all options that apply (both columns may be ticked for the same row)": (
        "Vă rugăm să selectați toate opțiunile aplicabile (ambele coloane pot fi bifate pe același rând)",
        "Будь ласка, виберіть усі відповідні варіанти (в одному рядку можна позначити обидва стовпці)",
        "Veuillez sélectionner toutes les options applicables (les deux colonnes peuvent être cochées pour "
        "une même ligne)",
    ),
    "Please select all options that apply": (
        "Vă rugăm să selectați toate opțiunile aplicabile",
        "Будь ласка, виберіть усі відповідні варіанти",
        "Veuillez sélectionner toutes les options applicables",
    ),
    "Rate every row on the 0-5 scale (0 = Not used)": (
        "Evaluați fiecare rând pe scala de la 0 la 5 (0 = Nu se utilizează)",
        "Оцініть кожен рядок за шкалою від 0 до 5 (0 = Не використовується)",
        "Évaluez chaque ligne sur l'échelle de 0 à 5 (0 = Non utilisé)",
    ),
    # -- scale labels (Q4, Q9) -------------------------------------------------------------------------
    "Not used": ("Nu se utilizează", "Не використовується", "Non utilisé"),
    "Consider to use": ("Se are în vedere utilizarea", "Розглядається використання", "Utilisation envisagée"),
    "Prototyping": ("Prototipare", "Прототипування", "Prototypage"),
    "Testing": ("Testare", "Тестування", "Test"),
    "Implementing": ("Implementare", "Впровадження", "Mise en œuvre"),
    "Operational": ("Operațional", "В експлуатації", "Opérationnel"),
    # -- Q1 --------------------------------------------------------------------------------------------
    "In which of the following business areas has your enterprise already invested in digitalisation and in "
    "which ones does it plan to (further) invest in the future?": (
        "În care dintre următoarele domenii de activitate a investit deja întreprinderea dumneavoastră în "
        "digitalizare și în care intenționează să investească (în continuare) în viitor?",
        "У яких із наведених нижче сфер діяльності ваше підприємство вже інвестувало в цифровізацію, а в "
        "яких планує (додатково) інвестувати в майбутньому?",
        "Dans lesquels des domaines d'activité suivants votre entreprise a-t-elle déjà investi dans la "
        "numérisation, et dans lesquels prévoit-elle d'investir (davantage) à l'avenir ?",
    ),
    "Already invested": ("A investit deja", "Уже інвестовано", "Déjà investi"),
    "(Further) plan to invest": (
        "Intenționează să investească (în continuare)",
        "Планує (додатково) інвестувати",
        "Prévoit d'investir (davantage)",
    ),
    "Product/Service design (incl. research, development and innovation)": (
        "Proiectarea produselor/serviciilor (inclusiv cercetare, dezvoltare și inovare)",
        "Проєктування продуктів/послуг (зокрема дослідження, розробки та інновації)",
        "Conception de produits/services (y compris recherche, développement et innovation)",
    ),
    "Project planning and management": (
        "Planificarea și managementul proiectelor",
        "Планування проєктів та управління ними",
        "Planification et gestion de projets",
    ),
    "Operations (production of physical goods/manufacturing, packaging, maintenance, services, etc.)": (
        "Operațiuni (producția de bunuri fizice/fabricație, ambalare, întreținere, servicii etc.)",
        "Операційна діяльність (виробництво матеріальних товарів/виготовлення, пакування, технічне "
        "обслуговування, послуги тощо)",
        "Opérations (production de biens physiques/fabrication, conditionnement, maintenance, services, etc.)",
    ),
    "Collaboration with other internal site locations or other companies in the value chain": (
        "Colaborarea cu alte locații ale întreprinderii sau cu alte întreprinderi din lanțul valoric",
        "Співпраця з іншими виробничими майданчиками чи філіями підприємства або з іншими компаніями в "
        "ланцюгу створення вартості",
        "Collaboration avec d'autres sites de l'entreprise ou avec d'autres entreprises de la chaîne de valeur",
    ),
    "Inbound logistics and warehousing": (
        "Logistica de intrare și depozitarea",
        "Вхідна логістика та складування",
        "Logistique amont et entreposage",
    ),
    "Marketing, sales & customer services (customer management, order processing, helpdesk, etc.)": (
        "Marketing, vânzări și servicii pentru clienți (gestionarea clienților, procesarea comenzilor, "
        "serviciu de asistență etc.)",
        "Маркетинг, продажі та обслуговування клієнтів (управління клієнтами, оброблення замовлень, служба "
        "підтримки тощо)",
        "Marketing, ventes et service client (gestion de la clientèle, traitement des commandes, service "
        "d'assistance, etc.)",
    ),
    "Delivery (outbound logistics, eInvoices, etc.)": (
        "Livrare (logistica de ieșire, facturi electronice etc.)",
        "Доставка (вихідна логістика, електронні рахунки-фактури тощо)",
        "Livraison (logistique aval, factures électroniques, etc.)",
    ),
    "Administration and human resources": (
        "Administrare și resurse umane",
        "Адміністрування та управління персоналом",
        "Administration et ressources humaines",
    ),
    "Purchasing and procurement": (
        "Achiziții și aprovizionare",
        "Закупівлі та постачання",
        "Achats et approvisionnement",
    ),
    "(Cyber)security and compliance with Personal Data regulations/GDPR": (
        "Securitate (cibernetică) și conformitate cu reglementările privind datele cu caracter personal/RGPD",
        "(Кібер)безпека та дотримання вимог щодо захисту персональних даних/GDPR",
        "(Cyber)sécurité et conformité à la réglementation sur les données à caractère personnel/RGPD",
    ),
    # -- Q2 --------------------------------------------------------------------------------------------
    "In which of the following ways is your enterprise prepared for (more) digitalisation?": (
        "În care dintre următoarele moduri este pregătită întreprinderea dumneavoastră pentru (mai multă) "
        "digitalizare?",
        "Якими з наведених нижче способів ваше підприємство підготовлене до (подальшої) цифровізації?",
        "Parmi les éléments suivants, de quelles manières votre entreprise est-elle préparée à (davantage "
        "de) numérisation ?",
    ),
    "Digitalisation needs are identified and are aligned with business objectives": (
        "Nevoile de digitalizare sunt identificate și aliniate la obiectivele de afaceri",
        "Потреби в цифровізації визначено, і вони узгоджені з бізнес-цілями",
        "Les besoins de numérisation sont recensés et alignés sur les objectifs de l'entreprise",
    ),
    "Financial resources (own, loans, subsidies) are identified to secure digitalisation during at least one year": (
        "Sunt identificate resurse financiare (proprii, împrumuturi, subvenții) pentru a asigura "
        "digitalizarea timp de cel puțin un an",
        "Визначено фінансові ресурси (власні кошти, кредити, субсидії) для забезпечення цифровізації "
        "щонайменше на один рік",
        "Des ressources financières (fonds propres, prêts, subventions) sont identifiées pour assurer la "
        "numérisation pendant au moins un an",
    ),
    "IT infrastructures are ready to support digitalisation plans": (
        "Infrastructurile IT sunt pregătite să susțină planurile de digitalizare",
        "ІТ-інфраструктура готова підтримати плани цифровізації",
        "Les infrastructures informatiques sont prêtes à soutenir les plans de numérisation",
    ),
    "ICT specialists are employed/sub-contracted (or hiring/subcontracting needs have been identified)": (
        "Sunt angajați/subcontractați specialiști TIC (sau au fost identificate nevoi de angajare/subcontractare)",
        "Фахівці з ІКТ працюють у штаті або залучені на умовах субпідряду (або визначено потреби в "
        "найманні/субпідряді)",
        "Des spécialistes des TIC sont employés ou sous-traitants (ou les besoins de recrutement/de "
        "sous-traitance ont été recensés)",
    ),
    "Enterprise's management is ready to lead the necessary organisational changes": (
        "Conducerea întreprinderii este pregătită să coordoneze schimbările organizaționale necesare",
        "Керівництво підприємства готове очолити необхідні організаційні зміни",
        "La direction de l'entreprise est prête à conduire les changements organisationnels nécessaires",
    ),
    "Concerned business departments and their staff are ready to support digitalisation plans": (
        "Departamentele vizate și personalul acestora sunt pregătite să susțină planurile de digitalizare",
        "Відповідні підрозділи та їхній персонал готові підтримати плани цифровізації",
        "Les services concernés et leur personnel sont prêts à soutenir les plans de numérisation",
    ),
    "Business architecture and operational processes can be adapted if required by digitalisation": (
        "Arhitectura de afaceri și procesele operaționale pot fi adaptate dacă digitalizarea o impune",
        "Бізнес-архітектуру та операційні процеси можна адаптувати, якщо цього вимагає цифровізація",
        "L'architecture d'entreprise et les processus opérationnels peuvent être adaptés si la numérisation l'exige",
    ),
    "Manufactured products are already commercialised as a service (so-called Servitisation) or "
    "supplemented by services enabled by digital technologies": (
        "Produsele fabricate sunt deja comercializate ca serviciu (așa-numita „servitizare”) sau sunt "
        "completate de servicii facilitate de tehnologiile digitale",
        "Вироблена продукція вже продається як послуга (так звана сервітизація) або доповнюється послугами, "
        "які стали можливими завдяки цифровим технологіям",
        "Les produits fabriqués sont déjà commercialisés sous forme de service (« servicisation ») ou "
        "complétés par des services rendus possibles par les technologies numériques",
    ),
    "Clients' and partners' satisfaction with online services/interactions is monitored regularly (on social "
    "media channels, e-commerce operations, emails exchanges, etc.)": (
        "Satisfacția clienților și a partenerilor față de serviciile/interacțiunile online este monitorizată "
        "periodic (pe canalele de social media, în operațiunile de comerț electronic, în schimburile de "
        "e-mailuri etc.)",
        "Задоволеність клієнтів і партнерів онлайн-послугами/взаємодією регулярно відстежується (у "
        "соціальних мережах, операціях електронної комерції, листуванні електронною поштою тощо)",
        "La satisfaction des clients et des partenaires à l'égard des services/interactions en ligne fait "
        "l'objet d'un suivi régulier (sur les réseaux sociaux, dans les opérations de commerce électronique, "
        "les échanges de courriels, etc.)",
    ),
    "Risks of digitalisation (e.g. non-planned effects over other business areas) are considered": (
        "Sunt luate în considerare riscurile digitalizării (de exemplu, efecte neplanificate asupra altor "
        "domenii de activitate)",
        "Ризики цифровізації (наприклад, незаплановані наслідки для інших сфер діяльності) беруться до уваги",
        "Les risques liés à la numérisation (par exemple, des effets imprévus sur d'autres domaines "
        "d'activité) sont pris en compte",
    ),
    # -- Q3 --------------------------------------------------------------------------------------------
    "Which of the following digital technologies and solutions are already used by your enterprise?": (
        "Care dintre următoarele tehnologii și soluții digitale sunt deja utilizate de întreprinderea dumneavoastră?",
        "Які з наведених нижче цифрових технологій і рішень уже використовує ваше підприємство?",
        "Parmi les technologies et solutions numériques suivantes, lesquelles votre entreprise utilise-t-elle déjà ?",
    ),
    "Connectivity infrastructure (high speed (fibre) internet, cloud computing services, remote access to "
    "office systems)": (
        "Infrastructură de conectivitate (internet de mare viteză (prin fibră optică), servicii de cloud "
        "computing, acces de la distanță la sistemele de birou)",
        "Інфраструктура зв'язку (високошвидкісний (оптоволоконний) інтернет, послуги хмарних обчислень, "
        "віддалений доступ до офісних систем)",
        "Infrastructure de connectivité (internet à haut débit (fibre), services d'informatique en nuage, "
        "accès à distance aux systèmes de bureau)",
    ),
    "Enterprise's website": ("Site-ul web al întreprinderii", "Вебсайт підприємства", "Site web de l'entreprise"),
    "Web-based forms and blogs/forums to communicate with clients": (
        "Formulare web și bloguri/forumuri pentru comunicarea cu clienții",
        "Вебформи та блоги/форуми для комунікації з клієнтами",
        "Formulaires en ligne et blogs/forums pour communiquer avec les clients",
    ),
    "Live chats, social networks and chatbots to communicate with clients": (
        "Chat în timp real, rețele sociale și chatboți pentru comunicarea cu clienții",
        "Онлайн-чати, соціальні мережі та чат-боти для комунікації з клієнтами",
        "Messagerie instantanée, réseaux sociaux et chatbots pour communiquer avec les clients",
    ),
    "E-Commerce sales (Business-to-Consumer, Business-to-Business)": (
        "Vânzări prin comerț electronic (între întreprinderi și consumatori, între întreprinderi)",
        "Продажі через електронну комерцію (бізнес — споживачеві, бізнес — бізнесу)",
        "Ventes par commerce électronique (entreprise à consommateur, entreprise à entreprise)",
    ),
    "E-Marketing promotion (online ads, social media for business, etc.)": (
        "Promovare prin marketing electronic (reclame online, rețele sociale utilizate în scop comercial etc.)",
        "Просування через електронний маркетинг (онлайн-реклама, соціальні мережі для бізнесу тощо)",
        "Promotion par le marketing électronique (publicités en ligne, réseaux sociaux à usage professionnel, etc.)",
    ),
    "E-Government (online interaction with public authorities, including public procurement)": (
        "Guvernare electronică (interacțiune online cu autoritățile publice, inclusiv achiziții publice)",
        "Електронне врядування (онлайн-взаємодія з органами публічної влади, зокрема публічні закупівлі)",
        "Administration en ligne (interactions en ligne avec les pouvoirs publics, y compris les marchés publics)",
    ),
    "Remote business collaboration tools (e.g. teleworking platform, videoconferencing, virtual learning, "
    "business-specific)": (
        "Instrumente de colaborare profesională la distanță (de exemplu, platformă de telemuncă, "
        "videoconferințe, învățare virtuală, instrumente specifice domeniului de activitate)",
        "Інструменти дистанційної ділової співпраці (наприклад, платформа для дистанційної роботи, "
        "відеоконференції, віртуальне навчання, галузеві інструменти)",
        "Outils de collaboration professionnelle à distance (par exemple, plateforme de télétravail, "
        "visioconférence, apprentissage virtuel, outils propres au secteur d'activité)",
    ),
    "Internal web portal (Intranet)": (
        "Portal web intern (intranet)",
        "Внутрішній вебпортал (інтранет)",
        "Portail web interne (intranet)",
    ),
    "Information Management Systems (Enterprise Resources Planning, Product Lifecycle Management, Customer "
    "Relationship Management, Supply Chain Management, e-invoicing)": (
        "Sisteme de gestionare a informațiilor (planificarea resurselor întreprinderii – ERP, gestionarea "
        "ciclului de viață al produselor – PLM, gestionarea relațiilor cu clienții – CRM, gestionarea "
        "lanțului de aprovizionare – SCM, facturare electronică)",
        "Інформаційні системи управління (планування ресурсів підприємства — ERP, управління життєвим "
        "циклом продукції — PLM, управління взаємовідносинами з клієнтами — CRM, управління ланцюгом "
        "постачання — SCM, електронне виставлення рахунків)",
        "Systèmes de gestion de l'information (progiciel de gestion intégré – ERP, gestion du cycle de vie "
        "des produits – PLM, gestion de la relation client – CRM, gestion de la chaîne d'approvisionnement "
        "– SCM, facturation électronique)",
    ),
    # -- Q4 --------------------------------------------------------------------------------------------
    "Which of the following advanced digital technologies are already used by your enterprise? Please "
    "choose all options that apply using the provided scale": (
        "Care dintre următoarele tehnologii digitale avansate sunt deja utilizate de întreprinderea "
        "dumneavoastră? Vă rugăm să evaluați toate opțiunile aplicabile folosind scala indicată",
        "Які з наведених нижче передових цифрових технологій уже використовує ваше підприємство? Будь "
        "ласка, оцініть усі відповідні варіанти за наведеною шкалою",
        "Parmi les technologies numériques avancées suivantes, lesquelles votre entreprise utilise-t-elle "
        "déjà ? Veuillez évaluer toutes les options applicables à l'aide de l'échelle fournie",
    ),
    "Simulation & digital twins (i.e. real-time digital representations of physical objects/processes)": (
        "Simulare și gemeni digitali (adică reprezentări digitale în timp real ale obiectelor/proceselor fizice)",
        "Моделювання та цифрові двійники (тобто цифрові відображення фізичних об'єктів/процесів у реальному часі)",
        "Simulation et jumeaux numériques (c'est-à-dire représentations numériques en temps réel d'objets ou "
        "de processus physiques)",
    ),
    "Virtual reality, augmented reality": (
        "Realitate virtuală, realitate augmentată",
        "Віртуальна реальність, доповнена реальність",
        "Réalité virtuelle, réalité augmentée",
    ),
    "Computer-aided design (CAD) & manufacturing (CAM)": (
        "Proiectare asistată de calculator (CAD) și fabricație asistată de calculator (CAM)",
        "Автоматизоване проєктування (CAD) і автоматизоване виробництво (CAM)",
        "Conception assistée par ordinateur (CAO) et fabrication assistée par ordinateur (FAO)",
    ),
    "Manufacturing execution systems": (
        "Sisteme de execuție a producției (MES)",
        "Системи управління виробничими процесами (MES)",
        "Systèmes d'exécution de la fabrication (MES)",
    ),
    "Internet of Things (IoT) and Industrial Internet of Things (I-IoT)": (
        "Internetul obiectelor (IoT) și internetul industrial al obiectelor (I-IoT)",
        "Інтернет речей (IoT) і промисловий інтернет речей (I-IoT)",
        "Internet des objets (IoT) et internet industriel des objets (I-IoT)",
    ),
    "Blockchain technology": (
        "Tehnologia blockchain",
        "Технологія блокчейн",
        "Technologie de la chaîne de blocs (blockchain)",
    ),
    "Additive manufacturing (e.g. 3D printers)": (
        "Fabricație aditivă (de exemplu, imprimante 3D)",
        "Адитивне виробництво (наприклад, 3D-принтери)",
        "Fabrication additive (par exemple, imprimantes 3D)",
    ),
    # -- Q5 --------------------------------------------------------------------------------------------
    "What does your enterprise do to re-skill and up-skill its staff for digitalisation?": (
        "Ce face întreprinderea dumneavoastră pentru recalificarea și perfecționarea personalului în vederea "
        "digitalizării?",
        "Що робить ваше підприємство для перекваліфікації та підвищення кваліфікації персоналу з огляду на "
        "цифровізацію?",
        "Que fait votre entreprise pour la reconversion et le perfectionnement professionnels de son "
        "personnel en vue de la numérisation ?",
    ),
    "Performs staff skill assessment to identify the skills gaps": (
        "Evaluează competențele personalului pentru a identifica lacunele de competențe",
        "Оцінює навички персоналу, щоб виявити брак необхідних навичок",
        "Évalue les compétences du personnel afin de repérer les lacunes en matière de compétences",
    ),
    "Designs a training plan to train and up-skill staff": (
        "Elaborează un plan de formare pentru instruirea și perfecționarea personalului",
        "Розробляє план навчання для підготовки та підвищення кваліфікації персоналу",
        "Élabore un plan de formation pour former le personnel et perfectionner ses compétences",
    ),
    "Organises short trainings, provides tutorials/guidelines and other e-learning resources": (
        "Organizează sesiuni scurte de formare, pune la dispoziție tutoriale/ghiduri și alte resurse de e-learning",
        "Організовує короткі навчальні заходи, надає навчальні посібники/настанови та інші ресурси для "
        "електронного навчання",
        "Organise des formations courtes, fournit des tutoriels/guides et d'autres ressources d'apprentissage en ligne",
    ),
    "Facilitates learning-by-doing/peer learning/experimentation opportunities": (
        "Facilitează oportunități de învățare prin practică/învățare de la colegi/experimentare",
        "Сприяє можливостям навчання на практиці/взаємного навчання/експериментування",
        "Favorise les possibilités d'apprentissage par la pratique/d'apprentissage entre pairs/d'expérimentation",
    ),
    "Offers traineeships & job placements in key capacity areas": (
        "Oferă stagii și plasamente profesionale în domeniile de competență esențiale",
        "Пропонує стажування та виробничу практику в ключових сферах компетенцій",
        "Propose des stages et des placements professionnels dans des domaines de compétences clés",
    ),
    "Sponsors staff participation in trainings organised by external organisations (training providers, "
    "academia, vendors)": (
        "Finanțează participarea personalului la cursuri de formare organizate de organizații externe "
        "(furnizori de formare, mediul academic, furnizori de tehnologie)",
        "Оплачує участь персоналу в навчанні, яке організовують зовнішні організації (провайдери навчальних "
        "послуг, академічні установи, постачальники)",
        "Finance la participation du personnel à des formations organisées par des organismes externes "
        "(organismes de formation, milieu universitaire, fournisseurs)",
    ),
    "Makes use of subsidised training and upskilling programmes": (
        "Utilizează programe subvenționate de formare și perfecționare",
        "Користується субсидованими програмами навчання та підвищення кваліфікації",
        "Recourt à des programmes subventionnés de formation et de perfectionnement",
    ),
    # -- Q6 --------------------------------------------------------------------------------------------
    "When adopting new digital solutions, how does your enterprise engage and empower its staff?": (
        "Atunci când adoptă noi soluții digitale, cum își implică întreprinderea dumneavoastră personalul și "
        "cum îi sporește autonomia?",
        "Як ваше підприємство залучає персонал і розширює його можливості під час впровадження нових цифрових рішень?",
        "Lors de l'adoption de nouvelles solutions numériques, comment votre entreprise implique-t-elle et "
        "responsabilise-t-elle son personnel ?",
    ),
    "Facilitates staff awareness about new digital technologies": (
        "Facilitează sensibilizarea personalului cu privire la noile tehnologii digitale",
        "Сприяє обізнаності персоналу щодо нових цифрових технологій",
        "Favorise la sensibilisation du personnel aux nouvelles technologies numériques",
    ),
    "Communicates digitalisation plans to staff in a transparent and inclusive way": (
        "Comunică personalului planurile de digitalizare într-un mod transparent și incluziv",
        "Повідомляє персонал про плани цифровізації прозоро та інклюзивно",
        "Communique les plans de numérisation au personnel de manière transparente et inclusive",
    ),
    "Monitors staff acceptance and takes measures to mitigate the potential collateral effects (e.g. fear to "
    "change; 'always on' culture vs. work-life balance; safeguards to risks of privacy breaches etc.)": (
        "Monitorizează gradul de acceptare în rândul personalului și ia măsuri pentru atenuarea eventualelor "
        "efecte colaterale (de exemplu, teama de schimbare; cultura disponibilității permanente în raport cu "
        "echilibrul dintre viața profesională și cea privată; garanții împotriva riscurilor de încălcare a "
        "vieții private etc.)",
        "Відстежує сприйняття змін персоналом і вживає заходів для пом'якшення можливих побічних наслідків "
        "(наприклад, страх змін; культура постійної доступності на противагу балансу між роботою та "
        "особистим життям; запобіжники від ризиків порушення конфіденційності тощо)",
        "Suit l'acceptation par le personnel et prend des mesures pour atténuer les éventuels effets "
        "collatéraux (par exemple, peur du changement ; culture de la connexion permanente par opposition à "
        "l'équilibre entre vie professionnelle et vie privée ; garanties contre les risques d'atteinte à la "
        "vie privée, etc.)",
    ),
    "Involves staff (including non-ICT staff) in the design and development of the digitalisation of "
    "products/services/processes": (
        "Implică personalul (inclusiv personalul din afara domeniului TIC) în proiectarea și dezvoltarea "
        "digitalizării produselor/serviciilor/proceselor",
        "Залучає персонал (зокрема працівників, які не є фахівцями з ІКТ) до проєктування та розроблення "
        "цифровізації продуктів/послуг/процесів",
        "Associe le personnel (y compris le personnel non spécialisé en TIC) à la conception et au "
        "développement de la numérisation des produits/services/processus",
    ),
    "Gives staff more autonomy and appropriate digital tools to take and execute decisions": (
        "Oferă personalului mai multă autonomie și instrumente digitale adecvate pentru a lua și a pune în "
        "aplicare decizii",
        "Надає персоналу більше автономії та відповідні цифрові інструменти для ухвалення й виконання рішень",
        "Donne au personnel davantage d'autonomie et des outils numériques appropriés pour prendre et "
        "exécuter des décisions",
    ),
    "Redesigns/Adapts jobs and workflows based on staff's feedback": (
        "Reproiectează/adaptează posturile și fluxurile de lucru pe baza feedbackului primit de la personal",
        "Перепроєктовує/адаптує робочі місця та робочі процеси з урахуванням відгуків персоналу",
        "Redéfinit/adapte les postes et les flux de travail en fonction des retours du personnel",
    ),
    "Sets up more flexible working arrangements enabled by digitalisation (e.g. telework, hybrid working)": (
        "Instituie modalități de lucru mai flexibile, facilitate de digitalizare (de exemplu, telemuncă, "
        "muncă hibridă)",
        "Запроваджує гнучкіші форми організації праці, які стали можливими завдяки цифровізації "
        "(наприклад, дистанційна робота, гібридна робота)",
        "Met en place des modalités de travail plus souples rendues possibles par la numérisation (par "
        "exemple, télétravail, travail hybride)",
    ),
    "Puts at staff's disposal a digital support team/service (internal/external)": (
        "Pune la dispoziția personalului o echipă/un serviciu de asistență digitală (internă/externă)",
        "Надає в розпорядження персоналу команду/службу цифрової підтримки (внутрішню/зовнішню)",
        "Met à la disposition du personnel une équipe/un service d'assistance numérique (interne/externe)",
    ),
    # -- Q7 --------------------------------------------------------------------------------------------
    "How is your enterprise data managed (i.e. stored, organised, accessed and exploited)?": (
        "Cum sunt gestionate datele întreprinderii dumneavoastră (adică stocate, organizate, accesate și "
        "valorificate)?",
        "Як здійснюється управління даними вашого підприємства (тобто їх зберігання, упорядкування, доступ "
        "до них і використання)?",
        "Comment les données de votre entreprise sont-elles gérées (c'est-à-dire stockées, organisées, "
        "consultées et exploitées) ?",
    ),
    "The organisation has in place a data management policy/plan/set of measures": (
        "Organizația dispune de o politică/un plan/un set de măsuri de gestionare a datelor",
        "В організації діє політика/план/комплекс заходів з управління даними",
        "L'organisation dispose d'une politique/d'un plan/d'un ensemble de mesures de gestion des données",
    ),
    "Data is not collected digitally": (
        "Datele nu sunt colectate în format digital",
        "Дані не збираються в цифровому вигляді",
        "Les données ne sont pas collectées sous forme numérique",
    ),
    "Relevant data is stored digitally (e.g., office applications, email folders, stand-alone applications, "
    "CRM or ERP system, etc.)": (
        "Datele relevante sunt stocate în format digital (de exemplu, în aplicații de birou, dosare de "
        "e-mail, aplicații independente, sisteme CRM sau ERP etc.)",
        "Відповідні дані зберігаються в цифровому вигляді (наприклад, в офісних застосунках, папках "
        "електронної пошти, окремих застосунках, системах CRM або ERP тощо)",
        "Les données pertinentes sont stockées sous forme numérique (par exemple, applications "
        "bureautiques, dossiers de messagerie, applications autonomes, système CRM ou ERP, etc.)",
    ),
    "Data is properly integrated (e.g. through interoperable systems, application programming interfaces) "
    "even when it is distributed amongst different systems": (
        "Datele sunt integrate corespunzător (de exemplu, prin sisteme interoperabile, interfețe de "
        "programare a aplicațiilor), chiar și atunci când sunt distribuite între sisteme diferite",
        "Дані належним чином інтегровані (наприклад, за допомогою інтероперабельних систем, програмних "
        "інтерфейсів застосунків), навіть якщо вони розподілені між різними системами",
        "Les données sont correctement intégrées (par exemple, grâce à des systèmes interopérables, des "
        "interfaces de programmation d'applications), même lorsqu'elles sont réparties entre différents "
        "systèmes",
    ),
    "Data is accessible in real-time from different devices and locations": (
        "Datele sunt accesibile în timp real de pe diferite dispozitive și din diferite locații",
        "Дані доступні в реальному часі з різних пристроїв і місць",
        "Les données sont accessibles en temps réel depuis différents appareils et lieux",
    ),
    "Collected data is systematically analysed and reported for decision-making": (
        "Datele colectate sunt analizate sistematic și raportate în vederea luării deciziilor",
        "Зібрані дані систематично аналізуються, а результати подаються у звітах для ухвалення рішень",
        "Les données collectées sont systématiquement analysées et font l'objet de rapports pour la prise de décision",
    ),
    "Data analytics are enriched by combining external sources with own data": (
        "Analizele de date sunt îmbogățite prin combinarea surselor externe cu datele proprii",
        "Аналітику даних збагачують, поєднуючи зовнішні джерела з власними даними",
        "Les analyses de données sont enrichies en combinant des sources externes avec les données propres",
    ),
    "Data analytics are accessible without need of expert assistance (e.g. through dashboards)": (
        "Analizele de date sunt accesibile fără a fi nevoie de asistența unui expert (de exemplu, prin "
        "tablouri de bord)",
        "Результати аналітики даних доступні без допомоги експертів (наприклад, через інформаційні панелі)",
        "Les analyses de données sont accessibles sans l'aide d'un expert (par exemple, au moyen de tableaux de bord)",
    ),
    # -- Q8 --------------------------------------------------------------------------------------------
    "Is your enterprise's data sufficiently secured?": (
        "Datele întreprinderii dumneavoastră sunt suficient de securizate?",
        "Чи достатньо захищені дані вашого підприємства?",
        "Les données de votre entreprise sont-elles suffisamment sécurisées ?",
    ),
    "An enterprise data security policy/set of measures is in place": (
        "Există o politică/un set de măsuri de securitate a datelor la nivelul întreprinderii",
        "На підприємстві діє політика/комплекс заходів із безпеки даних",
        "Une politique/un ensemble de mesures de sécurité des données de l'entreprise est en place",
    ),
    "All client-related data is protected from cyberattacks": (
        "Toate datele referitoare la clienți sunt protejate împotriva atacurilor cibernetice",
        "Усі дані, пов'язані з клієнтами, захищені від кібератак",
        "Toutes les données relatives aux clients sont protégées contre les cyberattaques",
    ),
    "Staff is regularly informed and trained on cybersecurity and data protection issues/risks": (
        "Personalul este informat și instruit periodic cu privire la aspectele/riscurile legate de "
        "securitatea cibernetică și de protecția datelor",
        "Персонал регулярно інформують і навчають з питань/ризиків кібербезпеки та захисту даних",
        "Le personnel est régulièrement informé et formé sur les questions/risques liés à la cybersécurité "
        "et à la protection des données",
    ),
    "Cyber-threats are regularly monitored and assessed": (
        "Amenințările cibernetice sunt monitorizate și evaluate periodic",
        "Кіберзагрози регулярно відстежуються та оцінюються",
        "Les cybermenaces font l'objet d'un suivi et d'une évaluation réguliers",
    ),
    "A full backup copy of critical data is maintained (off-site/in the cloud)": (
        "Se păstrează o copie de rezervă completă a datelor critice (în afara sediului/în cloud)",
        "Зберігається повна резервна копія критично важливих даних (за межами підприємства/у хмарі)",
        "Une copie de sauvegarde complète des données critiques est conservée (hors site/dans le nuage)",
    ),
    "A business continuity plan is in place in case of catastrophic failures (e.g. all data locked by a "
    "ransomware attack or physical damage to the IT infrastructure)": (
        "Există un plan de continuitate a activității în caz de defecțiuni catastrofale (de exemplu, toate "
        "datele blocate în urma unui atac cu ransomware sau deteriorarea fizică a infrastructurii IT)",
        "Існує план забезпечення безперервності діяльності на випадок катастрофічних збоїв (наприклад, "
        "блокування всіх даних унаслідок атаки програми-вимагача або фізичне пошкодження ІТ-інфраструктури)",
        "Un plan de continuité des activités est en place en cas de défaillance catastrophique (par exemple, "
        "toutes les données bloquées par une attaque par rançongiciel ou des dommages physiques à "
        "l'infrastructure informatique)",
    ),
    # -- Q9 --------------------------------------------------------------------------------------------
    "Which of the following technologies and business applications are your enterprise already using? "
    "Please grade all options that apply using a 0-5 scale": (
        "Care dintre următoarele tehnologii și aplicații de afaceri sunt deja utilizate de întreprinderea "
        "dumneavoastră? Vă rugăm să evaluați toate opțiunile aplicabile pe o scală de la 0 la 5",
        "Які з наведених нижче технологій і бізнес-застосунків уже використовує ваше підприємство? Будь "
        "ласка, оцініть усі відповідні варіанти за шкалою від 0 до 5",
        "Parmi les technologies et applications métier suivantes, lesquelles votre entreprise utilise-t-elle "
        "déjà ? Veuillez évaluer toutes les options applicables sur une échelle de 0 à 5",
    ),
    "Natural Language Processing incl. chatbots, text mining, machine translation, sentiment analysis": (
        "Prelucrarea limbajului natural, inclusiv chatboți, extragerea de informații din texte (text mining), "
        "traducere automată, analiza sentimentelor",
        "Оброблення природної мови, зокрема чат-боти, інтелектуальний аналіз текстів, машинний переклад, "
        "аналіз тональності",
        "Traitement automatique du langage naturel, y compris chatbots, fouille de textes, traduction "
        "automatique, analyse des sentiments",
    ),
    "Computer vision / image recognition": (
        "Viziune artificială/recunoașterea imaginilor",
        "Комп'ютерний зір/розпізнавання зображень",
        "Vision par ordinateur/reconnaissance d'images",
    ),
    "Audio processing / speech recognition, processing and synthesis": (
        "Prelucrare audio/recunoașterea, prelucrarea și sinteza vorbirii",
        "Оброблення аудіо/розпізнавання, оброблення та синтез мовлення",
        "Traitement audio/reconnaissance, traitement et synthèse de la parole",
    ),
    "Robotics and autonomous devices": (
        "Robotică și dispozitive autonome",
        "Робототехніка та автономні пристрої",
        "Robotique et dispositifs autonomes",
    ),
    "Business intelligence, data analytics, decision support systems, recommendation systems, intelligent "
    "control systems": (
        "Business intelligence, analiza datelor, sisteme de sprijin decizional, sisteme de recomandare, "
        "sisteme inteligente de control",
        "Бізнес-аналітика, аналітика даних, системи підтримки ухвалення рішень, рекомендаційні системи, "
        "інтелектуальні системи керування",
        "Informatique décisionnelle, analyse de données, systèmes d'aide à la décision, systèmes de "
        "recommandation, systèmes de commande intelligents",
    ),
    # -- Q10 -------------------------------------------------------------------------------------------
    "How does your enterprise make use of digital technologies to contribute to environmental sustainability?": (
        "Cum utilizează întreprinderea dumneavoastră tehnologiile digitale pentru a contribui la durabilitatea "
        "mediului?",
        "Як ваше підприємство використовує цифрові технології, щоб сприяти екологічній сталості?",
        "Comment votre entreprise utilise-t-elle les technologies numériques pour contribuer à la durabilité "
        "environnementale ?",
    ),
    "Sustainable business model (e.g. circular economy model, product-as-a-service)": (
        "Model de afaceri durabil (de exemplu, model de economie circulară, produsul ca serviciu)",
        "Стала бізнес-модель (наприклад, модель циркулярної економіки, продукт як послуга)",
        "Modèle économique durable (par exemple, modèle d'économie circulaire, produit en tant que service)",
    ),
    "Sustainable service provision (e.g. usage tracking for further reuse by other users)": (
        "Furnizarea durabilă de servicii (de exemplu, urmărirea utilizării în vederea reutilizării ulterioare "
        "de către alți utilizatori)",
        "Стале надання послуг (наприклад, відстеження використання для подальшого повторного використання "
        "іншими користувачами)",
        "Prestation de services durable (par exemple, suivi de l'utilisation en vue d'une réutilisation "
        "ultérieure par d'autres utilisateurs)",
    ),
    "Sustainable products (e.g. eco-design, end-to-end product lifecycle planning, end-of-life & extension "
    "of useful life)": (
        "Produse durabile (de exemplu, proiectare ecologică, planificarea integrală a ciclului de viață al "
        "produselor, sfârșitul ciclului de viață și prelungirea duratei de viață utilă)",
        "Сталі продукти (наприклад, екодизайн, наскрізне планування життєвого циклу продукції, завершення "
        "життєвого циклу та продовження строку корисного використання)",
        "Produits durables (par exemple, écoconception, planification de bout en bout du cycle de vie des "
        "produits, fin de vie et prolongation de la durée de vie utile)",
    ),
    "Sustainable production and manufacturing methods, materials and components (incl. end-of-life management)": (
        "Metode, materiale și componente de producție și fabricație durabile (inclusiv gestionarea la "
        "sfârșitul ciclului de viață)",
        "Сталі методи, матеріали та компоненти виробництва й виготовлення (зокрема поводження з продукцією "
        "після завершення її життєвого циклу)",
        "Méthodes, matériaux et composants de production et de fabrication durables (y compris la gestion "
        "de la fin de vie)",
    ),
    "Emissions, pollution and/or waste management": (
        "Gestionarea emisiilor, a poluării și/sau a deșeurilor",
        "Управління викидами, забрудненням і/або відходами",
        "Gestion des émissions, de la pollution et/ou des déchets",
    ),
    "Sustainable energy generation in own facility": (
        "Producerea de energie durabilă în propriile instalații",
        "Виробництво енергії зі сталих джерел на власному об'єкті",
        "Production d'énergie durable dans ses propres installations",
    ),
    "Optimisation of raw material consumption/cost": (
        "Optimizarea consumului/costului de materii prime",
        "Оптимізація споживання/вартості сировини",
        "Optimisation de la consommation/du coût des matières premières",
    ),
    "Reduction of transport and packaging costs": (
        "Reducerea costurilor de transport și ambalare",
        "Зниження витрат на транспортування та пакування",
        "Réduction des coûts de transport et d'emballage",
    ),
    "Digital applications to encourage responsible consumer behaviour": (
        "Aplicații digitale care încurajează un comportament responsabil al consumatorilor",
        "Цифрові застосунки для заохочення відповідальної поведінки споживачів",
        "Applications numériques visant à encourager un comportement responsable des consommateurs",
    ),
    "Paperless administrative processes": (
        "Procese administrative fără hârtie",
        "Безпаперові адміністративні процеси",
        "Processus administratifs sans papier",
    ),
    # -- Q11 -------------------------------------------------------------------------------------------
    "Is your enterprise taking into account environmental impacts in its digital choices and practices? "
    "Please grade all options that apply using this scale": (
        "Ține seama întreprinderea dumneavoastră de impactul asupra mediului în alegerile și practicile sale "
        "digitale? Vă rugăm să evaluați toate opțiunile aplicabile folosind această scală",
        "Чи враховує ваше підприємство вплив на довкілля у своїх цифрових рішеннях і практиках? Будь ласка, "
        "оцініть усі відповідні варіанти за цією шкалою",
        "Votre entreprise tient-elle compte des incidences environnementales dans ses choix et pratiques "
        "numériques ? Veuillez évaluer toutes les options applicables à l'aide de cette échelle",
    ),
    "Environmental concerns and standards are embedded in the organisation's digital strategy": (
        "Preocupările și standardele de mediu sunt integrate în strategia digitală a organizației",
        "Екологічні міркування та стандарти враховано в цифровій стратегії організації",
        "Les préoccupations et les normes environnementales sont intégrées dans la stratégie numérique de "
        "l'organisation",
    ),
    "An Environmental Management System/certification is implemented": (
        "S-a implementat un sistem de management de mediu/o certificare de mediu",
        "Впроваджено систему екологічного менеджменту/сертифікацію",
        "Un système de management environnemental/une certification environnementale est en place",
    ),
    "Environmental aspects are part of digital technologies/suppliers' procurement criteria": (
        "Aspectele de mediu fac parte din criteriile de achiziție a tehnologiilor digitale/de selecție a furnizorilor",
        "Екологічні аспекти входять до критеріїв закупівлі цифрових технологій/вибору постачальників",
        "Les aspects environnementaux font partie des critères d'achat des technologies numériques/de choix "
        "des fournisseurs",
    ),
    "Energy consumption of digital technologies and data storage are monitored and optimised": (
        "Consumul de energie al tehnologiilor digitale și al stocării datelor este monitorizat și optimizat",
        "Енергоспоживання цифрових технологій і зберігання даних відстежується та оптимізується",
        "La consommation d'énergie des technologies numériques et du stockage des données est suivie et optimisée",
    ),
    "Recycling/re-use of old technological equipment is actively practised by the enterprise": (
        "Întreprinderea practică în mod activ reciclarea/reutilizarea echipamentelor tehnologice vechi",
        "Підприємство активно практикує перероблення/повторне використання старого технологічного обладнання",
        "L'entreprise pratique activement le recyclage/la réutilisation des anciens équipements technologiques",
    ),
}

# ---------------------------------------------------------------------------------------------------


def _typography(lang: str, text: str) -> str:
    if lang in ("uk", "fr"):
        text = text.replace("'", "’")
    if lang == "fr":
        nbsp = "\u00a0"
        for mark in ("?", ";", ":", "!", "»"):
            text = text.replace(" " + mark, nbsp + mark)
        text = text.replace("« ", "«" + nbsp)
    return text


MISSING: list[str] = []


def tr(en: str) -> dict[str, str]:
    """A text in the four languages."""
    if en not in TRANSLATIONS:
        MISSING.append(en)
        return {"en": en}
    ro, uk, fr = TRANSLATIONS[en]
    return {"en": en, "ro": ro, "uk": _typography("uk", uk), "fr": _typography("fr", fr)}


TYPE_MAP = {
    "grid": "grid",
    "multiple_choice": "multiple_choice",
    "scale_0_5": "scale",
    "yes_partly_no": "yes_partly_no",
}


def convert_question(q: dict) -> dict:
    kind = TYPE_MAP[q["type"]]
    out: dict = {"id": q["id"], "type": kind, "text": tr(q["text"])}
    if q.get("instruction"):
        out["help"] = tr(q["instruction"])
    if kind == "grid":
        assert q.get("cell_type") == "checkbox", q["id"]
        out["columns"] = [{"id": c["id"], "label": tr(c["label"]), "points": c["points"]} for c in q["columns"]]
        out["rows"] = [{"id": r["id"], "label": tr(r["label"])} for r in q["rows"]]
    elif kind == "multiple_choice":
        options = []
        for o in q["options"]:
            option = {"id": o["id"], "label": tr(o["label"]), "points": o["points"]}
            if o.get("exclusive"):
                option["exclusive"] = True
            options.append(option)
        out["options"] = options
    elif kind == "scale":
        values = [s["value"] for s in q["scale"]]
        assert values == list(range(6)), q["id"]
        out["scale"] = {"min": 0, "max": 5, "labels": {s["value"]: tr(s["label"]) for s in q["scale"]}}
        out["rows"] = [{"id": r["id"], "label": tr(r["label"])} for r in q["rows"]]
    elif kind == "yes_partly_no":
        # The answers are fixed in the format (yes 1, partly 0.5, no 0); the JSON's `answers` must agree.
        points = {a["id"]: a["points"] for a in q["answers"]}
        assert points == {"no": 0, "partially": 0.5, "yes": 1}, (q["id"], points)
        out["rows"] = [{"id": r["id"], "label": tr(r["label"])} for r in q["rows"]]
    return out


def convert(src: dict) -> dict:
    questions = {q["id"]: q for q in src["questions"]}
    dimensions = []
    for d in sorted(src["dimensions"], key=lambda d: d["order"]):
        own = sorted((q for q in src["questions"] if q["dimension"] == d["id"]), key=lambda q: q["order"])
        assert [q["id"] for q in own] == d["questions"], (d["id"], d["questions"])
        description = ENGLISH_OVERRIDES.get(("dimension", d["id"], "description"), d["description"])
        dimensions.append(
            {
                "id": d["id"],
                "name": tr(d["name"]),
                "description": tr(description),
                "questions": [convert_question(questions[qid]) for qid in d["questions"]],
            }
        )
    bands = [
        {
            "id": b["id"],
            "min": b["min"],
            "max": b["max"],
            "label": tr(b["label"]),
            "description": tr(BAND_DESCRIPTIONS[b["id"]]),
        }
        for b in src["maturity_bands"]["bands"]
    ]
    assert src["scoring"]["default_mode"] == "proportional"
    return {
        "format": "greenbridge-questionnaire/1",
        "id": src["id"],
        "title": tr(TITLE),
        "description": tr(DESCRIPTION),
        "languages": LANGUAGES,
        "source": SOURCE,
        "scoring": {"mode": "proportional", "rule": tr(RULE)},
        "bands": bands,
        "dimensions": dimensions,
    }


class _Dumper(yaml.SafeDumper):
    """No anchors/aliases (the loader refuses them), and block lists indented under their key."""

    def ignore_aliases(self, data):
        return True

    def increase_indent(self, flow=False, indentless=False):
        return super().increase_indent(flow, False)


HEADER = """\
# EU EDIH Digital Maturity Assessment (DMA) for SMEs, module 2, in GreenBridge's questionnaire format
# (docs/questionnaires.md). Generated by convert_dma.py from shared/data/assessment/dma_sme_questionnaire.json;
# edit the script and regenerate rather than editing this file by hand.
# Scoring: DMA-compatible, unofficial (reconstructed, see shared/data/assessment/SOURCES.md §3 and §6).
"""


def dump(data: dict) -> str:
    body = yaml.dump(data, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=120, default_flow_style=False)
    return HEADER + body


# ---------------------------------------------------------------------------------------------------
# Checks
# ---------------------------------------------------------------------------------------------------


def _walk(node, loc=()):
    yield loc, node
    if isinstance(node, dict):
        for k, v in node.items():
            yield from _walk(v, (*loc, k))
    elif isinstance(node, list):
        for i, v in enumerate(node):
            yield from _walk(v, (*loc, i))


def maximum(q: dict) -> float:
    """A question's maximum raw points under docs/questionnaires.md."""
    kind = q["type"]
    if kind == "multiple_choice":
        return sum(o["points"] for o in q["options"] if not o.get("exclusive"))
    if kind == "grid":
        return len(q["rows"]) * sum(c["points"] for c in q["columns"])
    if kind == "scale":
        return len(q["rows"]) * q["scale"]["max"]
    if kind == "yes_partly_no":
        return len(q["rows"])
    raise AssertionError(kind)


def check(path: Path, src: dict) -> list[str]:
    problems: list[str] = []
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    if data["languages"] != LANGUAGES:
        problems.append(f"languages: {data['languages']}")

    # 1. every text in all four languages (and Romanian with comma-below ș ț, no cedilla ş ţ)
    texts = 0
    for loc, node in _walk(data):
        is_text = bool(loc) and (loc[-1] in TEXT_FIELDS or (len(loc) >= 2 and loc[-2] == "labels"))
        if is_text and isinstance(node, dict):
            texts += 1
            for lang in LANGUAGES:
                if not (isinstance(node.get(lang), str) and node[lang].strip()):
                    problems.append(f"{loc}: missing {lang}")
            if set(node) - set(LANGUAGES):
                problems.append(f"{loc}: unexpected languages {set(node) - set(LANGUAGES)}")
            ro = node.get("ro", "")
            if any(c in ro for c in "şţŞŢ"):
                problems.append(f"{loc}: Romanian with cedilla ş/ţ instead of ș/ț")
            uk = node.get("uk", "")
            if any(c in uk for c in "ыэъё"):
                problems.append(f"{loc}: Russian letters in the Ukrainian text")
            if uk and not any("\u0400" <= c <= "\u04ff" for c in uk):
                problems.append(f"{loc}: Ukrainian text without Cyrillic")
            for lang in ("ro", "uk", "fr"):
                if node.get(lang) == node.get("en") and not node["en"].isupper():
                    problems.append(f"{loc}: {lang} equals the English ({node['en']!r})")

    # 2. ids unique and equal to the JSON's, in order
    ids: list[str] = []
    for d in data["dimensions"]:
        ids.append(d["id"])
        for q in d["questions"]:
            ids.append(q["id"])
            ids += [x["id"] for x in q.get("options", []) + q.get("rows", [])]
    dupes = sorted({i for i in ids if ids.count(i) > 1})
    if dupes:
        problems.append(f"duplicate ids: {dupes}")
    src_ids: list[str] = []
    src_questions = {q["id"]: q for q in src["questions"]}
    for d in sorted(src["dimensions"], key=lambda d: d["order"]):
        src_ids.append(d["id"])
        for qid in d["questions"]:
            q = src_questions[qid]
            src_ids.append(qid)
            src_ids += [x["id"] for x in q.get("options", []) + q.get("rows", [])]
    if ids != src_ids:
        problems.append(f"ids differ from the JSON: {set(ids) ^ set(src_ids) or 'same set, other order'}")
    if [b["id"] for b in data["bands"]] != [b["id"] for b in src["maturity_bands"]["bands"]]:
        problems.append("band ids differ from the JSON")
    for b, sb in zip(data["bands"], src["maturity_bands"]["bands"], strict=False):
        if (b["min"], b["max"], b["label"]["en"]) != (sb["min"], sb["max"], sb["label"]):
            problems.append(f"band {b['id']}: differs from the JSON")

    # 3. per question: type, counts, points, exclusive, English text, maximum
    out_questions = {q["id"]: (d["id"], q) for d in data["dimensions"] for q in d["questions"]}
    for qid, sq in src_questions.items():
        dim, q = out_questions[qid]
        if dim != sq["dimension"]:
            problems.append(f"{qid}: in {dim}, the JSON says {sq['dimension']}")
        if q["type"] != TYPE_MAP[sq["type"]]:
            problems.append(f"{qid}: type {q['type']} for {sq['type']}")
        if q["text"]["en"] != sq["text"]:
            problems.append(f"{qid}: English text differs")
        if sq.get("instruction") and q.get("help", {}).get("en") != sq["instruction"]:
            problems.append(f"{qid}: help differs from the instruction")
        for part in ("options", "rows", "columns"):
            if len(q.get(part, [])) != len(sq.get(part, [])):
                problems.append(f"{qid}: {len(q.get(part, []))} {part}, the JSON has {len(sq.get(part, []))}")
            for mine, theirs in zip(q.get(part, []), sq.get(part, []), strict=False):
                if mine["label"]["en"] != theirs["label"]:
                    problems.append(f"{qid}/{mine['id']}: English label differs")
                if mine.get("points") != theirs.get("points"):
                    problems.append(f"{qid}/{mine['id']}: points {mine.get('points')} vs {theirs.get('points')}")
                if bool(mine.get("exclusive")) != bool(theirs.get("exclusive")):
                    problems.append(f"{qid}/{mine['id']}: exclusive differs")
        if q["type"] == "scale":
            labels = q["scale"]["labels"]
            if sorted(labels) != [0, 1, 2, 3, 4, 5]:
                problems.append(f"{qid}: scale labels {sorted(labels)}")
            for s in sq["scale"]:
                if labels.get(s["value"], {}).get("en") != s["label"]:
                    problems.append(f"{qid}: scale label {s['value']} differs")
        expected = sq["scoring"]["max_raw_points"]
        if maximum(q) != expected:
            problems.append(f"{qid}: maximum {maximum(q)}, the JSON says {expected}")
    print(f"checked {texts} texts, {len(ids)} ids, {len(src_questions)} questions")
    return problems


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", type=Path, default=DEFAULT_JSON)
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    args = parser.parse_args()
    src = json.loads(args.json.read_text(encoding="utf-8"))
    data = convert(src)
    if MISSING:
        print("no translation for:", *MISSING, sep="\n  ", file=sys.stderr)
        return 1
    unused = set(TRANSLATIONS) - {n["en"] for _, n in _walk(data) if isinstance(n, dict) and "en" in n}
    if unused:
        print("unused translations (stale?):", *sorted(unused), sep="\n  ", file=sys.stderr)
        return 1
    args.out.write_text(dump(data), encoding="utf-8")
    print(f"wrote {args.out}")
    problems = check(args.out, src)
    for p in problems:
        print("PROBLEM:", p, file=sys.stderr)
    print("all checks passed" if not problems else f"{len(problems)} problem(s)")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
