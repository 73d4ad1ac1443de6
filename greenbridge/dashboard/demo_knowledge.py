"""The demo cluster's knowledge base: categories and articles in English, Romanian and Ukrainian (translations of
one another), one internal article for its advisors (called by `demo.create_demo`; its own module for its texts)."""

# (slug, {language: name}, position)
DEMO_CATEGORIES = [
    (
        "procurement-abroad",
        {
            "en": "Public procurement abroad",
            "ro": "Achiziții publice în străinătate",
            "uk": "Публічні закупівлі за кордоном",
        },
        1,
    ),
    ("eu-funding", {"en": "EU funding", "ro": "Finanțare UE", "uk": "Фінансування ЄС"}, 2),
    ("for-advisors", {"en": "For advisors", "ro": "Pentru consilieri", "uk": "Для консультантів"}, 3),
]

TED_EN = """TED (Tenders Electronic Daily, ted.europa.eu) is the online Supplement to the Official Journal of the European Union. Every public buyer in the EU must publish there the contracts above the EU thresholds, and many publish smaller ones too. Reading and searching TED is free, without an account.

The thresholds for 2024 and 2025 are EUR 143,000 for supplies and services bought by central governments, EUR 221,000 for those bought by regional and local authorities, EUR 443,000 for utilities (water, energy, transport) and EUR 5,538,000 for works. Below them, notices are mostly on each country's own portal.

To find tenders, use the search with the CPV codes of what you sell (for example 42912300 for water-filtration machinery or 09331200 for solar photovoltaic modules), the buyer's country and the notice type "Contract notice". Searching by CPV code finds notices in every language. With a free EU Login account you can save a search and receive it by e-mail; on GreenBridge, a watch does the same and also reads Moldovan and Ukrainian notices.

Read a notice in this order: the buyer and the place of performance; the subject, the main CPV code and the estimated value; the lots (you may bid for one lot only); the selection criteria (turnover, references, certificates) and the award criteria (price alone, or price and quality); the time limit for receipt of tenders, with its time zone; and the languages in which tenders may be submitted. A notice published since November 2023 is an eForms notice, with these items in numbered sections.

TED has the notice, not the tender documents. The notice links to the buyer's e-procurement platform, where you register to download the specifications, ask clarification questions before their own deadline, and submit your tender. Check the platform for corrigenda until the last day: a changed deadline or specification is published there first.

If a notice looks right for you but you are unsure, ask us on the help desk with the notice's publication number (for example 123456-2025): we check the criteria with you and tell you what to prepare first."""

TED_RO = """TED (Tenders Electronic Daily, ted.europa.eu) este Suplimentul online al Jurnalului Oficial al Uniunii Europene. Toți cumpărătorii publici din UE trebuie să publice acolo contractele peste pragurile UE, iar mulți le publică și pe cele mai mici. Căutarea și citirea anunțurilor pe TED sunt gratuite, fără cont.

Pragurile pentru 2024 și 2025 sunt de 143.000 EUR pentru produsele și serviciile cumpărate de autoritățile centrale, 221.000 EUR pentru cele cumpărate de autoritățile regionale și locale, 443.000 EUR pentru utilități (apă, energie, transport) și 5.538.000 EUR pentru lucrări. Sub aceste praguri, anunțurile apar mai ales pe portalul fiecărei țări.

Pentru a găsi licitații, căutați după codurile CPV ale produselor dumneavoastră (de exemplu 42912300 pentru echipamente de filtrare a apei sau 09331200 pentru module fotovoltaice), după țara cumpărătorului și după tipul „Anunț de participare”. Căutarea după cod CPV găsește anunțuri în toate limbile. Cu un cont gratuit EU Login puteți salva o căutare și o primiți pe e-mail; pe GreenBridge, o alertă face același lucru și citește și anunțurile din Moldova și Ucraina.

Citiți un anunț în această ordine: cumpărătorul și locul de executare; obiectul, codul CPV principal și valoarea estimată; loturile (puteți oferta pentru un singur lot); criteriile de calificare (cifră de afaceri, experiență similară, certificate) și criteriile de atribuire (doar prețul sau preț și calitate); termenul-limită de depunere a ofertelor, cu fusul orar; limbile în care se pot depune ofertele. Anunțurile publicate din noiembrie 2023 sunt în format eForms, cu aceste informații în secțiuni numerotate.

TED conține anunțul, nu și documentația de atribuire. Anunțul trimite la platforma de achiziții a cumpărătorului, unde vă înregistrați pentru a descărca caietul de sarcini, a pune întrebări de clarificare înainte de termenul lor și a depune oferta. Urmăriți erata pe platformă până în ultima zi: un termen sau o cerință modificată apare mai întâi acolo.

Dacă un anunț pare potrivit, dar nu sunteți siguri, întrebați-ne la biroul de asistență, cu numărul de publicare al anunțului (de exemplu 123456-2025): verificăm împreună criteriile și vă spunem ce să pregătiți mai întâi."""

TED_UK = """TED (Tenders Electronic Daily, ted.europa.eu) — це онлайн-додаток до Офіційного вісника Європейського Союзу. Кожен публічний замовник у ЄС зобов'язаний публікувати там закупівлі, вартість яких перевищує пороги ЄС, і багато хто публікує також менші. Пошук і читання оголошень на TED безкоштовні та не потребують облікового запису.

Пороги на 2024 і 2025 роки: 143 000 євро для товарів і послуг, які купують центральні органи влади, 221 000 євро — для регіональних і місцевих органів, 443 000 євро — для комунальних підприємств (вода, енергетика, транспорт) і 5 538 000 євро — для робіт. Нижче цих порогів оголошення здебільшого публікують на національних порталах.

Щоб знайти тендери, шукайте за кодами CPV того, що ви продаєте (наприклад, 42912300 — обладнання для фільтрування води, 09331200 — сонячні фотоелектричні модулі), за країною замовника і за типом «Оголошення про закупівлю». Пошук за кодом CPV знаходить оголошення будь-якою мовою. З безкоштовним обліковим записом EU Login можна зберегти пошук і отримувати його електронною поштою; на GreenBridge те саме робить підписка, яка читає також молдовські та українські оголошення.

Читайте оголошення в такому порядку: замовник і місце виконання; предмет, основний код CPV і очікувана вартість; лоти (можна подати пропозицію лише на один лот); кваліфікаційні критерії (оборот, досвід, сертифікати) і критерії оцінки (лише ціна або ціна та якість); кінцевий строк подання пропозицій із часовим поясом; мови, якими можна подавати пропозиції. Оголошення, опубліковані з листопада 2023 року, мають формат eForms, де ці відомості розміщені в пронумерованих розділах.

На TED є оголошення, але не тендерна документація. Оголошення містить посилання на електронну платформу замовника, де ви реєструєтеся, щоб завантажити технічні вимоги, поставити запитання до встановленого для них строку й подати пропозицію. Стежте за змінами на платформі до останнього дня: новий строк або змінена вимога з'являються спочатку там.

Якщо оголошення здається вам підхожим, але є сумніви, запитайте нас у службі підтримки й укажіть номер публікації оголошення (наприклад, 123456-2025): ми разом перевіримо критерії та підкажемо, що готувати насамперед."""

ESPD_EN = """The European Single Procurement Document (ESPD) is the standard form in which a company declares, on its honour, that it is not excluded from public procurement and that it meets the selection criteria of a tender. It replaces the certificates at the time of bidding: usually only the winner is then asked for the evidence (criminal records, tax certificates, balance sheets, references). Its content is fixed by Commission Implementing Regulation (EU) 2016/7, so it is the same form in every EU country; in Romanian and in Moldova it is called DUAE.

The form has six parts. Part I describes the procedure and is filled in by the buyer. Part II is about your company: identification, who represents it, whether you rely on the capacities of other companies (for example a partner's references) and which parts you will subcontract. Part III covers the exclusion grounds: criminal convictions, unpaid taxes and social contributions, insolvency, conflicts of interest and grave professional misconduct. Part IV is about the selection criteria: economic and financial standing, technical and professional ability, quality and environmental management; some buyers only ask for the global statement in section α that you meet them all. Part V is used in restricted procedures to reduce the number of candidates. Part VI holds your final statements and signature.

How to fill it in: download the ESPD file (an XML file) from the tender documents, open it in your country's ESPD service or in the buyer's platform (in Romania, SEAP/SICAP fills in the DUAE online), answer every question the buyer left active, then export and sign it as the tender documents require, usually with a qualified electronic signature.

Each member of a consortium fills in its own ESPD, and so does every company whose capacities you rely on. Answer the criteria of this tender, with figures that match the evidence you will provide later: an ESPD that states more than the documents prove can exclude you.

Useful tools: eCertis (ec.europa.eu/tools/ecertis) tells which certificate proves each criterion in each country. Keep the ESPD of your last tender: parts II and III change little from one tender to the next.

Ukraine does not use the ESPD: on Prozorro, bidders confirm in their tender that none of the grounds for refusal of Article 17 of the Law on Public Procurement applies to them, in the form the tender documents set."""

ESPD_RO = """Documentul unic de achiziție european (DUAE, în engleză ESPD) este formularul standard prin care o firmă declară pe propria răspundere că nu se află în situații de excludere și că îndeplinește criteriile de calificare ale unei licitații. El înlocuiește certificatele la momentul depunerii ofertei: de regulă, doar câștigătorului i se cer apoi documentele justificative (cazier, certificate fiscale, bilanțuri, recomandări). Conținutul lui este stabilit prin Regulamentul de punere în aplicare (UE) 2016/7 al Comisiei, deci este același formular în toate țările UE; îl folosește și Republica Moldova.

Formularul are șase părți. Partea I descrie procedura și este completată de autoritatea contractantă. Partea a II-a privește firma dumneavoastră: identificare, reprezentanți, dacă vă bazați pe capacitățile altor entități (de exemplu experiența unui partener) și ce subcontractați. Partea a III-a cuprinde motivele de excludere: condamnări penale, taxe și contribuții neplătite, insolvență, conflicte de interese, abateri profesionale grave. Partea a IV-a privește criteriile de calificare: situația economică și financiară, capacitatea tehnică și profesională, standardele de calitate și de mediu; unele autorități cer doar declarația globală din secțiunea α. Partea a V-a se folosește în procedurile restrânse, pentru reducerea numărului de candidați. Partea a VI-a conține declarațiile finale și semnătura.

Cum îl completați: descărcați fișierul DUAE (XML) din documentația de atribuire, deschideți-l în serviciul DUAE al țării sau în platforma autorității (în România, DUAE se completează online în SEAP/SICAP), răspundeți la toate întrebările lăsate active, apoi exportați-l și semnați-l cum cere documentația, de obicei cu semnătură electronică calificată.

Fiecare membru al unei asocieri completează propriul DUAE, la fel orice firmă pe ale cărei capacități vă bazați. Răspundeți la criteriile acestei licitații, cu cifre care corespund documentelor pe care le veți prezenta: un DUAE care declară mai mult decât dovedesc documentele poate duce la excludere.

Instrumente utile: eCertis (ec.europa.eu/tools/ecertis) arată ce certificat dovedește fiecare criteriu în fiecare țară. Păstrați DUAE-ul ultimei licitații: părțile II și III se schimbă puțin de la o licitație la alta.

Ucraina nu folosește DUAE: pe Prozorro, ofertanții confirmă în ofertă că nu li se aplică niciunul dintre motivele de respingere din articolul 17 al Legii privind achizițiile publice, în forma stabilită de documentația de atribuire."""

ESPD_UK = """Єдиний європейський документ закупівлі (ESPD, румунською DUAE) — це стандартна форма, у якій компанія під власну відповідальність заявляє, що її не виключено з публічних закупівель і що вона відповідає кваліфікаційним критеріям тендера. Під час подання пропозиції він замінює довідки: зазвичай лише переможця потім просять надати підтвердні документи (довідку про несудимість, податкові довідки, баланси, рекомендації). Зміст документа встановлено Імплементаційним регламентом Комісії (ЄС) 2016/7, тож у всіх країнах ЄС форма однакова; її використовує і Республіка Молдова.

Форма має шість частин. Частину I заповнює замовник: вона описує процедуру. Частина II стосується вашої компанії: ідентифікація, представники, чи покладаєтеся ви на спроможності інших суб'єктів (наприклад, досвід партнера) і що передаєте на субпідряд. Частина III охоплює підстави для виключення: судимості, несплачені податки й соціальні внески, неплатоспроможність, конфлікт інтересів, серйозні професійні порушення. Частина IV стосується кваліфікаційних критеріїв: фінансовий стан, технічна та професійна спроможність, системи управління якістю та довкіллям; деякі замовники просять лише загальну заяву в розділі α. Частину V використовують в обмежених процедурах для скорочення кількості кандидатів. Частина VI містить заключні заяви та підпис.

Як заповнити: завантажте файл ESPD (XML) з тендерної документації, відкрийте його в національному сервісі ESPD або на платформі замовника (у Румунії DUAE заповнюють онлайн у SEAP/SICAP), дайте відповіді на всі активні запитання, експортуйте і підпишіть так, як вимагає документація, зазвичай кваліфікованим електронним підписом.

Кожен учасник консорціуму заповнює власний ESPD, так само як і кожна компанія, на спроможності якої ви покладаєтеся. Відповідайте на критерії саме цього тендера, з цифрами, які збігаються з документами, що ви надасте пізніше: якщо в ESPD заявлено більше, ніж підтверджують документи, вас можуть виключити.

Корисні інструменти: eCertis (ec.europa.eu/tools/ecertis) показує, яка довідка підтверджує кожен критерій у кожній країні. Зберігайте ESPD останнього тендера: частини II і III від тендера до тендера змінюються мало.

Україна ESPD не використовує: у Prozorro учасники підтверджують у пропозиції, що до них не застосовується жодна з підстав для відмови в участі, визначених статтею 17 Закону «Про публічні закупівлі», у формі, встановленій тендерною документацією."""

MTENDER_EN = """MTender (mtender.gov.md) is the Republic of Moldova's electronic public procurement system. Public buyers publish their tenders there and companies submit their offers there, under Law no. 131/2015 on public procurement. Its data follows the Open Contracting Data Standard (OCDS) and is open: GreenBridge reads it, so Moldovan tenders also reach your watches.

Reading tenders needs no account: search mtender.gov.md by keyword, CPV code or buyer. To ask questions and submit offers, your company registers on one of the electronic platforms accredited to MTender (listed on mtender.gov.md). Like Ukraine's Prozorro, MTender has one central database and several platforms to work in: a tender published through one platform can be answered from any other.

To register, you need: the company's legal name and registration number (a foreign company gives the number of its own country's register), its address and bank details, a contact person with an e-mail address and telephone, and the person who signs for the company. Then check early which electronic signature the platform accepts for signing offers: foreign bidders usually need a qualified electronic signature, and obtaining one can take several days.

Before bidding, read the tender documentation in full: offers are usually in Romanian unless the documents allow another language, some documents may need a certified translation, and many tenders ask for a tender guarantee (a bank guarantee or a transfer). Moldova asks for the ESPD (DUAE) too. Deadlines are in Chișinău time.

Clarification questions are asked on the platform, before the deadline the documents set for them. A company that thinks the rules were broken can complain to the National Agency for Solving Complaints (ANSC) within the legal time limits.

Ask us on the help desk if you are preparing a first offer on MTender: we have helped members register and can look at your documents before you submit."""

MTENDER_RO = """MTender (mtender.gov.md) este sistemul electronic de achiziții publice al Republicii Moldova. Autoritățile contractante își publică acolo licitațiile, iar firmele își depun ofertele, conform Legii nr. 131/2015 privind achizițiile publice. Datele urmează standardul Open Contracting Data Standard (OCDS) și sunt deschise: GreenBridge le citește, așa că licitațiile din Moldova ajung și în alertele dumneavoastră.

Pentru a citi licitațiile nu este nevoie de cont: căutați pe mtender.gov.md după cuvinte, cod CPV sau autoritate. Pentru a pune întrebări și a depune oferte, firma se înregistrează pe una dintre platformele electronice acreditate la MTender (lista este pe mtender.gov.md). Ca și Prozorro în Ucraina, MTender are o bază de date centrală și mai multe platforme de lucru: la o licitație publicată printr-o platformă se poate răspunde din oricare alta.

Pentru înregistrare aveți nevoie de: denumirea și numărul de înregistrare al firmei (o firmă străină dă numărul din registrul țării sale), adresa și datele bancare, o persoană de contact cu e-mail și telefon și persoana care semnează în numele firmei. Verificați din timp ce semnătură electronică acceptă platforma pentru semnarea ofertelor: ofertanții străini au nevoie de obicei de o semnătură electronică calificată, iar obținerea ei poate dura câteva zile.

Înainte de a oferta, citiți integral documentația: ofertele se depun de regulă în limba română, dacă documentația nu permite altă limbă, unele documente pot necesita traducere autorizată, iar multe licitații cer o garanție pentru ofertă (garanție bancară sau transfer). Moldova cere și DUAE. Termenele sunt în ora Chișinăului.

Întrebările de clarificare se pun pe platformă, înainte de termenul stabilit pentru ele în documentație. O firmă care consideră că regulile au fost încălcate poate depune contestație la Agenția Națională pentru Soluționarea Contestațiilor (ANSC), în termenele legale.

Întrebați-ne la biroul de asistență dacă pregătiți prima ofertă pe MTender: am ajutat membri să se înregistreze și putem verifica documentele înainte de depunere."""

MTENDER_UK = """MTender (mtender.gov.md) — електронна система публічних закупівель Республіки Молдова. Замовники публікують там тендери, а компанії подають пропозиції відповідно до Закону № 131/2015 про публічні закупівлі. Дані відповідають стандарту Open Contracting Data Standard (OCDS) і є відкритими: GreenBridge їх читає, тож молдовські тендери також потрапляють у ваші підписки.

Щоб переглядати тендери, обліковий запис не потрібен: шукайте на mtender.gov.md за словами, кодом CPV або замовником. Щоб ставити запитання й подавати пропозиції, компанія реєструється на одному з електронних майданчиків, акредитованих у MTender (перелік є на mtender.gov.md). Як і Prozorro в Україні, MTender має одну центральну базу даних і кілька майданчиків: на тендер, опублікований через один майданчик, можна відповісти з будь-якого іншого.

Для реєстрації потрібні: повна назва та реєстраційний номер компанії (іноземна компанія зазначає номер з реєстру своєї країни), адреса й банківські реквізити, контактна особа з електронною поштою й телефоном та особа, яка підписує документи від імені компанії. Заздалегідь з'ясуйте, який електронний підпис майданчик приймає для підписання пропозицій: іноземним учасникам зазвичай потрібен кваліфікований електронний підпис, а його отримання може тривати кілька днів.

Перед поданням пропозиції уважно прочитайте всю документацію: пропозиції зазвичай подають румунською мовою, якщо документація не дозволяє іншої, для деяких документів може знадобитися засвідчений переклад, а багато тендерів вимагають забезпечення пропозиції (банківська гарантія або переказ). Молдова також вимагає ESPD (DUAE). Строки зазначено за часом Кишинева.

Запитання щодо роз'яснень ставлять на майданчику до строку, встановленого для них у документації. Компанія, яка вважає, що правила порушено, може подати скаргу до Національного агентства з розгляду скарг (ANSC) у встановлені законом строки.

Напишіть нам у службу підтримки, якщо готуєте першу пропозицію в MTender: ми допомагали учасникам кластера зареєструватися й можемо переглянути ваші документи перед поданням."""

FUNDING_EN = """Horizon Europe and Interreg both fund projects with EU money, but they pay for different things, and an SME takes part in them differently.

Horizon Europe (2021–2027, about EUR 95.5 billion) is the EU's research and innovation programme. Most of its money goes to collaborative projects: a consortium of at least three independent organisations from three different EU Member States or associated countries, at least one of them in a Member State. Moldova and Ukraine are associated countries, so their companies take part on the same terms as EU ones. Research and innovation actions are funded at 100% of eligible costs; innovation actions, closer to the market, at 70% for companies. For green SMEs, the calls of Cluster 5 (climate, energy and mobility) and Cluster 6 (food, bioeconomy, natural resources, agriculture and environment) and the EU Missions (for example climate-neutral and smart cities, or restoring our ocean and waters) fit best. Calls are on the EU Funding & Tenders Portal; competition is strong, and often fewer than one proposal in five is funded.

A single SME with a breakthrough innovation can apply alone to the EIC Accelerator of the European Innovation Council: a grant of up to EUR 2.5 million, with an equity investment on top if the company wants it.

Interreg (European territorial cooperation) funds cooperation between regions across borders: cross-border programmes between neighbouring regions (Interreg NEXT Romania–Ukraine, or Romania–Republic of Moldova), transnational programmes over a larger area (the Interreg Danube Region Programme, which Moldova and Ukraine are part of) and interregional programmes such as Interreg Europe. Partners are mostly public authorities, agencies, universities and non-profit organisations; some programmes accept companies as partners, under state-aid rules, while in others SMEs benefit from pilot actions and services that the partners run. The programme usually pays 80% of eligible costs (the rate differs by programme: check its manual), and the partners advance the money and are reimbursed after each report, so plan your cash flow.

In short: choose Horizon Europe when you develop a new technology with partners from several countries; Interreg when you solve a shared problem of a border region with public partners; the EIC Accelerator to scale up your own innovation. The LIFE programme (environment and climate action) is worth a look too.

The cluster's EU funding queue on the help desk reviews project ideas and tells you which programme and call fit, and whether a partner in our network could join you."""

FUNDING_RO = """Horizon Europe și Interreg finanțează proiecte cu bani europeni, dar plătesc lucruri diferite, iar un IMM participă diferit la fiecare.

Horizon Europe (2021–2027, circa 95,5 miliarde EUR) este programul UE de cercetare și inovare. Cea mai mare parte a banilor merge la proiecte colaborative: un consorțiu de cel puțin trei organizații independente din trei state membre sau țări asociate diferite, dintre care cel puțin una dintr-un stat membru. Republica Moldova și Ucraina sunt țări asociate, deci firmele lor participă în aceleași condiții ca cele din UE. Acțiunile de cercetare și inovare sunt finanțate 100% din costurile eligibile; acțiunile de inovare, mai aproape de piață, 70% pentru firme. Pentru IMM-urile verzi se potrivesc cel mai bine apelurile din Clusterul 5 (climă, energie și mobilitate), Clusterul 6 (alimente, bioeconomie, resurse naturale, agricultură și mediu) și Misiunile UE (de exemplu orașe inteligente și neutre climatic sau refacerea oceanelor și apelor). Apelurile sunt pe portalul EU Funding & Tenders; concurența este mare și adesea este finanțată mai puțin de o propunere din cinci.

Un IMM cu o inovație de ruptură poate aplica singur la EIC Accelerator al Consiliului European pentru Inovare: un grant de până la 2,5 milioane EUR, plus, dacă firma dorește, o investiție în capital.

Interreg (cooperarea teritorială europeană) finanțează cooperarea între regiuni peste granițe: programe transfrontaliere între regiuni vecine (Interreg NEXT România–Ucraina sau România–Republica Moldova), programe transnaționale pe un teritoriu mai larg (Programul Interreg Regiunea Dunării, din care fac parte și Moldova și Ucraina) și programe interregionale, precum Interreg Europe. Partenerii sunt mai ales autorități publice, agenții, universități și organizații non-profit; unele programe acceptă firme ca parteneri, cu respectarea regulilor privind ajutorul de stat, iar în altele IMM-urile beneficiază de acțiunile-pilot și serviciile organizate de parteneri. Programul plătește de obicei 80% din costurile eligibile (rata diferă de la un program la altul: verificați ghidul), iar partenerii avansează banii și sunt rambursați după fiecare raport, deci planificați fluxul de numerar.

Pe scurt: alegeți Horizon Europe când dezvoltați o tehnologie nouă cu parteneri din mai multe țări; Interreg când rezolvați o problemă comună a unei regiuni de graniță cu parteneri publici; EIC Accelerator pentru a crește propria inovație. Merită văzut și programul LIFE (mediu și politici climatice).

Coada „Finanțare UE” a clusterului, la biroul de asistență, analizează ideile de proiect și vă spune ce program și ce apel se potrivesc și dacă un partener din rețeaua noastră vi s-ar putea alătura."""

FUNDING_UK = """Horizon Europe та Interreg фінансують проєкти коштом ЄС, але оплачують різне, і МСП бере в них участь по-різному.

Horizon Europe (2021–2027, близько 95,5 млрд євро) — програма ЄС з досліджень та інновацій. Більша частина коштів іде на спільні проєкти: консорціум щонайменше з трьох незалежних організацій із трьох різних держав-членів ЄС або асоційованих країн, з яких принаймні одна — з держави-члена. Молдова та Україна є асоційованими країнами, тож їхні компанії беруть участь на тих самих умовах, що й компанії з ЄС. Дослідницькі та інноваційні дії фінансуються на 100% прийнятних витрат; інноваційні дії, ближчі до ринку, — на 70% для компаній. Для «зелених» МСП найкраще підходять конкурси Кластера 5 (клімат, енергетика та мобільність), Кластера 6 (продовольство, біоекономіка, природні ресурси, сільське господарство та довкілля) і Місії ЄС (наприклад, кліматично нейтральні та розумні міста або відновлення океанів і вод). Конкурси оголошують на порталі EU Funding & Tenders; конкуренція висока, і часто фінансують менше ніж одну пропозицію з п'яти.

МСП із проривною інновацією може самостійно подати заявку до EIC Accelerator Європейської ради з інновацій: грант до 2,5 млн євро і, за бажанням компанії, інвестиція в капітал.

Interreg (європейська територіальна співпраця) фінансує співпрацю регіонів через кордони: транскордонні програми між сусідніми регіонами (Interreg NEXT Румунія–Україна або Румунія–Республіка Молдова), транснаціональні програми на ширшій території (Програма Interreg «Дунайський регіон», до якої входять Молдова та Україна) і міжрегіональні програми, як-от Interreg Europe. Партнерами переважно є органи влади, агенції, університети та неприбуткові організації; деякі програми приймають компанії як партнерів з дотриманням правил державної допомоги, а в інших МСП отримують користь від пілотних дій і послуг, які організовують партнери. Програма зазвичай оплачує 80% прийнятних витрат (ставка залежить від програми: перевірте її посібник), а партнери витрачають кошти наперед і отримують відшкодування після кожного звіту, тож плануйте грошовий потік.

Коротко: обирайте Horizon Europe, коли розробляєте нову технологію з партнерами з кількох країн; Interreg — коли разом із публічними партнерами розв'язуєте спільну проблему прикордонного регіону; EIC Accelerator — щоб масштабувати власну інновацію. Варто звернути увагу й на програму LIFE (довкілля та клімат).

Черга кластера «Фінансування ЄС» у службі підтримки розгляне вашу проєктну ідею, підкаже, яка програма й який конкурс підходять, і чи може до вас приєднатися партнер із нашої мережі."""

CHECKLIST_EN = """Internal: for the cluster's advisors only. How we answer a question about a tender, so that every company gets the same quality of answer within the service level (first answer within four working hours for a normal question).

1. Open the notice first (the company usually gives a TED number, an MTender or Prozorro link). Note the deadline for tenders and, above all, the deadline for clarification questions: if it is close, say so in the first line of your answer.

2. Check what the company shared with the cluster: its profile, CPV codes and references. If it does not share its private data, ask for what you need in the reply rather than guessing.

3. Answer with the procedure's own documents, not from memory: quote the section of the notice or the tender documents. For ESPD, registration and funding questions, link the public article of our knowledge base and add what is specific to this tender.

4. Never tell a company that it is or is not eligible as a final word: say what the documents ask, what evidence would prove it, and advise a clarification question to the buyer where the text is unclear. Legal questions (complaints, contract law abroad) go to our partner law firm: add an internal note and set the ticket to "Waiting for a third party".

5. Tag the ticket (espd, mtender, ted, funding, certification) so that the monthly report shows what members ask.

6. When your public reply would help other members, use "Make an article of this reply" under it: remove the company's name and details from the draft before publishing."""

CHECKLIST_RO = """Intern: doar pentru consilierii clusterului. Cum răspundem la o întrebare despre o licitație, astfel încât fiecare firmă să primească același nivel de răspuns în termenul de serviciu (primul răspuns în patru ore lucrătoare pentru o întrebare normală).

1. Deschideți mai întâi anunțul (firma dă de obicei un număr TED sau un link MTender ori Prozorro). Notați termenul de depunere a ofertelor și, mai ales, termenul pentru întrebările de clarificare: dacă este aproape, spuneți-o în primul rând al răspunsului.

2. Verificați ce a partajat firma cu clusterul: profilul, codurile CPV și referințele. Dacă nu își partajează datele private, cereți în răspuns ce vă trebuie, în loc să ghiciți.

3. Răspundeți pe baza documentelor procedurii, nu din memorie: citați secțiunea anunțului sau a documentației. La întrebările despre DUAE, înregistrare și finanțare, trimiteți la articolul public din baza noastră de cunoștințe și adăugați ce este specific acestei licitații.

4. Nu spuneți niciodată unei firme, ca verdict final, că este sau nu eligibilă: spuneți ce cer documentele, ce dovezi ar demonstra cerința și recomandați o întrebare de clarificare către autoritate acolo unde textul nu este clar. Întrebările juridice (contestații, dreptul contractelor în străinătate) merg la casa de avocatură parteneră: adăugați o notă internă și treceți tichetul în „Așteaptă o terță parte”.

5. Etichetați tichetul (espd, mtender, ted, funding, certification), ca raportul lunar să arate ce întreabă membrii.

6. Când răspunsul dumneavoastră public ar ajuta și alți membri, faceți din el un articol cu butonul de sub răspuns: scoateți din ciornă numele și datele firmei înainte de publicare."""

# (category slug, visibility, {language: (title, body)}): each entry one article and its translations.
DEMO_ARTICLES = [
    (
        "procurement-abroad",
        "public",
        {
            "en": ("How to find and read a tender on TED", TED_EN),
            "ro": ("Cum găsiți și citiți o licitație pe TED", TED_RO),
            "uk": ("Як знайти й прочитати тендер на TED", TED_UK),
        },
    ),
    (
        "procurement-abroad",
        "public",
        {
            "en": ("What is the ESPD and how to fill it in", ESPD_EN),
            "ro": ("Ce este DUAE (ESPD) și cum se completează", ESPD_RO),
            "uk": ("Що таке ESPD і як його заповнити", ESPD_UK),
        },
    ),
    (
        "procurement-abroad",
        "public",
        {
            "en": ("Registering on Moldova's MTender", MTENDER_EN),
            "ro": ("Înregistrarea pe MTender, Republica Moldova", MTENDER_RO),
            "uk": ("Реєстрація в молдовській системі MTender", MTENDER_UK),
        },
    ),
    (
        "eu-funding",
        "public",
        {
            "en": ("EU funding: Horizon Europe or Interreg for SMEs?", FUNDING_EN),
            "ro": ("Finanțare UE: Horizon Europe sau Interreg pentru IMM-uri?", FUNDING_RO),
            "uk": ("Фінансування ЄС: Horizon Europe чи Interreg для МСП?", FUNDING_UK),
        },
    ),
    (
        "for-advisors",
        "internal",
        {
            "en": ("Answering tender questions: the advisors' checklist", CHECKLIST_EN),
            "ro": ("Răspunsuri la întrebări despre licitații: lista consilierilor", CHECKLIST_RO),
        },
    ),
]  # fmt: skip


def create_demo_knowledge(orgs, users) -> list:
    """The cluster's knowledge base: three categories, four public articles in EN, RO and UK and an internal one in
    EN and RO, published, with a few readers' votes (idempotent). Returns the English articles."""
    from greenbridge.knowledge.models import Article, Category
    from greenbridge.knowledge.services import article_create, category_save, vote

    cluster = orgs["cluster"]
    categories = {}
    for slug, names, position in DEMO_CATEGORIES:
        found = Category.objects.filter(organisation=cluster, slug=slug).first()
        categories[slug] = found or category_save(organisation=cluster, names=names, position=position, slug=slug)
    originals = []
    for category, visibility, texts in DEMO_ARTICLES:
        original = None
        for language, (title, body) in texts.items():
            found = Article.objects.filter(organisation=cluster, title=title).first()
            if found is None:
                found = article_create(
                    organisation=cluster,
                    title=title,
                    body=body,
                    language=language,
                    category=categories[category],
                    visibility=visibility,
                    status=Article.Status.PUBLISHED,
                    author=users["advisor"],
                    translation_of=original,
                )
            original = original or found
        originals.append(original)
    # A few readers found the ESPD and MTender articles helpful.
    for article in originals[1:3]:
        for role in ("sme", "other_sme"):
            vote(article=article, helpful=True, user=users[role])
    return originals
