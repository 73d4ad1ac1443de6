"""Full-text search over notices: SQLite FTS5 by default, PostgreSQL full-text search on PostgreSQL.

Both backends index the same *folded* text (lower case, accents stripped: see reference.text.fold),
so "apa potabila" finds "Apă potabilă" on either, and both treat each query word as a prefix
("водопостач" finds "водопостачання"), which is what inflected languages (RO, UK, RU) need when
there is no stemmer for every language. The index itself (tables, queries on both databases, the ranked
search) is core.fulltext's, shared with the knowledge base's articles; this module says what a notice puts in
it and how a query word is expanded. One index row per notice:
- SQLite: FTS5 table `tenders_notice_fts(rowid = notice id, body, codes)`, unicode61 tokenizer.
- PostgreSQL: table `tenders_notice_search(notice_id, document tsvector)` with a GIN index,
  'simple' configuration (no stemming: the notices come in every language); the codes carry weight B.

Across languages: beside its text, each notice is indexed under its CPV codes (notice and lots), as
tokens such as `cpv09331200`, each at every level of the vocabulary (`cpv09`, `cpv093`… see
code_tokens), and under its buyer country (filter_tokens). A query word is expanded (reference.lexicon) into the
codes whose labels, in any of the 25 languages of the CPV vocabulary, have that word — so "solar" finds
a notice classified "Solar photovoltaic modules" whatever its language, and "apă canalizare" a
Norwegian notice under the code whose Romanian label says so — and into the word's translations learned
from those labels ("éclairage" also looks for освітлен*, lighting, ilumina*…) for notices whose text
says it in their own language. The index grows by the code tokens only; the labels are not copied into
every notice.
"""

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from django.db.models import QuerySet

from greenbridge.core import fulltext
from greenbridge.core.fulltext import FIRST_IDS, Term, document_text, parse_query
from greenbridge.reference import lexicon
from greenbridge.reference.cpv import cpv_cover, cpv_prefix
from greenbridge.reference.normalise import country_a_reader_names
from greenbridge.reference.text import fold

__all__ = ["FIRST_IDS", "Term", "document_text", "parse_query"]  # the shared machinery, as notices use it

_WORD = re.compile(r"\w+", re.UNICODE)


CODE_TOKEN = "cpv"  # noqa: S105 (an index token, not a password)
# The weights of the text and of the codes in bm25 (SQLite) and ts_rank (PostgreSQL): a code whose label says the query
# word counts twice a word of the text. The code is the buyer's own classification; a word may be a name (a lease
# in the town of Agua Prieta for "water", a printer bought by "Águas de …"). On the judged search set
# (docs/benchmarks.md) nDCG@10 0.496 with the codes at 0.3 of the text, 0.513 at equal weights, 0.521 at twice.
TEXT_WEIGHT = 0.5
CODES_WEIGHT = 1.0
# A query word expanded into more code prefixes than this is searched in the text and by translation only.
MAX_CODE_TOKENS = 120
MAX_PHRASE_WORDS = 4  # a longer query is not one phrase of the CPV vocabulary
SHORT_NAME = 3  # a word this short is no country's name ("in", "per", "mai" are codes or words)

# The notices' index (core.fulltext): the folded text, then the code and country tokens (filter_tokens).
INDEX = fulltext.Index(
    "tenders_notice",
    key="notice_id",
    columns=("body", "codes"),
    weights=(TEXT_WEIGHT, CODES_WEIGHT),
    code_token=CODE_TOKEN,
)


def code_tokens(codes: Iterable[str]) -> str:
    """A notice's CPV codes as index tokens, each at every level of the vocabulary: 09331200 gives cpv09
    cpv093 cpv0933 cpv09331 cpv093312 cpv0933120 cpv09331200. A query for the codes under a prefix then
    reads one token's list, where a prefix query ("cpv0933*") merged the lists of every code under it: a
    word whose labels span a hundred branches took seconds over a million notices."""
    tokens: dict[str, None] = {}
    for code in codes:
        if code:
            for length in range(2, len(code) + 1):
                tokens[f"{CODE_TOKEN}{code[:length]}"] = None
    return " ".join(tokens)


COUNTRY_TOKEN = "country"  # noqa: S105 (an index token)


def filter_tokens(codes: Iterable[str], country: str) -> str:
    """The `codes` column of a notice's index row: its CPV codes at every level (code_tokens) and its buyer
    country ("countrymd"), so that the index itself answers the search page's CPV and country filters: a
    word found in a hundred thousand notices is intersected with them before any notice is read."""
    tokens = code_tokens(codes)
    if country:
        tokens = f"{tokens} {COUNTRY_TOKEN}{country.lower()}".strip()
    return tokens


def create_index(schema_editor) -> None:
    """Called from the migration: create the backend's index table."""
    INDEX.create(schema_editor)


def rebuild_index(schema_editor, notice_model) -> int:
    """Drop and create the index, then index every notice again (a migration passes its historical
    model). Returns how many notices were indexed."""
    from greenbridge.tenders.ingest.pipeline import index_row

    drop_index(schema_editor)
    create_index(schema_editor)
    count = 0
    batch: list[tuple[int, str, str]] = []
    fields = ("id", "title", "titles", "description", "descriptions", "lots", "buyer_name", "buyer_country")
    fields += ("cpv_codes",)
    for notice in notice_model._default_manager.only(*fields).order_by("pk").iterator(chunk_size=2000):
        batch.append(index_row(notice))
        if len(batch) == 2000:
            index_documents(batch, using=schema_editor.connection)
            count += len(batch)
            batch = []
    index_documents(batch, using=schema_editor.connection)
    return count + len(batch)


def drop_index(schema_editor) -> None:
    INDEX.drop(schema_editor)


def index_documents(rows: Iterable[tuple[int, str, str]], using=None) -> None:
    """(notice id, folded text, code tokens) -> the index, replacing what was there for those ids."""
    INDEX.put(rows, using=using)


def remove_documents(ids: Iterable[int]) -> None:
    INDEX.remove(ids)


def alternatives(required: list[list[str]]) -> list[fulltext.Alternative]:
    """For a query of two to four words (no quoted phrase): the phrase they make as the CPV labels say it in each
    language, and the codes whose labels say it (reference.lexicon): "street lighting" also finds "iluminação
    pública" and "вуличного освітлення", which no word-by-word translation reaches."""
    if not 2 <= len(required) <= MAX_PHRASE_WORDS or any(len(words) != 1 for words in required):
        return []
    lex = lexicon.cpv_lexicon()
    words = tuple(words[0] for words in required)
    translations = lex.phrase_translations(words)
    codes = cpv_cover(lex.phrase_codes(words), lex.codes)
    if not translations and not codes:
        return []
    return [fulltext.Alternative(words, tuple(codes), translations)]


def expand(required: list[list[str]]) -> list[Term]:
    """Each one-word term with its codes and translations (reference.lexicon), and its country when it names one;
    phrases stay as written."""
    terms = []
    lex = lexicon.cpv_lexicon()
    for words in required:
        if len(words) != 1:
            terms.append(Term(tuple(words)))
            continue
        word = words[0]
        codes = cpv_cover(lex.codes_of(word), lex.codes)
        if len(codes) > MAX_CODE_TOKENS:
            codes = []
        # A country's name ("Moldova", "Україна", "Moldavie"): also the notices of its buyers. In English or a
        # language of the interface only: in some language "pole", "grit", "malt" name countries.
        country = country_a_reader_names(word) if len(word) > SHORT_NAME else ""
        tokens = (COUNTRY_TOKEN + country.lower(),) if country else ()
        terms.append(Term((word,), tuple(codes), lex.translations(word, strict=True), tokens))
    return terms


# The sort orders of notice lists: column and direction. NULLs come last, and the id breaks ties in
# the same direction. Text searches turn them into SQL (core.fulltext), other searches into ORM order_by.
ORDERS = {
    "deadline": ("deadline", False),
    "-deadline": ("deadline", True),
    "published": ("published", False),
    "-published": ("published", True),
    "value": ("value_amount", False),
    "-value": ("value_amount", True),
}


class TextSearch(fulltext.TextSearch):
    """The notices that match a text query and the filters of `queryset`, in `order` ("relevance"
    or a key of ORDERS): a sequence for Django's Paginator and the API (`count()`, slicing)."""

    def __init__(
        self,
        queryset: QuerySet,
        text: str,
        order: str = "relevance",
        *,
        across_languages: bool = True,
        phrases: bool = True,
        cpv: Iterable[str] = (),
        countries: Iterable[str] = (),
        some_words: bool = False,
    ) -> None:
        """`across_languages`: also the words' codes and translations (`expand`) and, with `phrases`, the phrase they
        make (`alternatives`). `cpv` and `countries`: the filters `queryset` already has, also asked of the index
        (filter_tokens) so that it returns only the notices that pass them. `some_words`: the notices with one of the
        words at least, not all of them (see `or_some_words`)."""
        self.arguments = {
            "queryset": queryset,
            "text": text,
            "order": order,
            "across_languages": across_languages,
            "phrases": phrases,
            "cpv": tuple(cpv),
            "countries": tuple(countries),
        }
        # "water OR solar": the notices with either word, those with more of them first (as `or_some_words`).
        some_words = some_words or fulltext.joined_by_or(text)
        self.some_words = some_words
        required, excluded = parse_query(text)
        self.typed = {fold(w): w for w in _WORD.findall(text or "")}  # each folded word as typed, to show
        # "pompe de căldură", "waste for recycling": a word that only joins the others ("de", "for", "для": in any
        # language of the CPV labels), or a single letter ("з", "w"), would be a required prefix ("de…").
        lex = lexicon.cpv_lexicon()
        meaningful = [t for t in required if len(t) > 1 or (len(t[0]) > 1 and not lex.is_function_word(t[0]))]
        required = meaningful or required
        # The query's terms, each with the codes and translations it also looks for.
        terms = expand(required) if across_languages else [Term(tuple(words)) for words in required]
        tokens = [
            [CODE_TOKEN + cpv_prefix(code) for code in cpv],
            [COUNTRY_TOKEN + country.lower() for country in countries],
        ]
        super().__init__(
            queryset,
            INDEX,
            terms,
            excluded,
            order=order,
            orders=ORDERS,
            tokens=tokens,
            any_term=some_words,
            alternatives=alternatives(required) if across_languages and phrases and not some_words else (),
        )

    def or_some_words(self) -> "TextSearch":
        """This search; or, when no notice has all of its two or more words, the notices that have some of them, those
        with more of them (and rarer ones) first: someone who typed "waste collection" is better served by notices
        about waste, or about collection, than by nothing. (`some_words` says which it is.)"""
        if self.some_words or len(self.terms) < 2 or self.count():
            return self
        some = TextSearch(**self.arguments, some_words=True)
        return some if some.count() else self


def ids_matching_any(words: Iterable[str], limit: int) -> list[int]:
    """The newest `limit` notice ids whose text has any of these folded words as a word prefix (a
    superset for the matching engine, which then checks the whole phrases)."""
    return INDEX.ids_matching_any(words, limit)


@dataclass(frozen=True)
class CrossLanguageHit:
    """Why a notice matched a query word it does not have in its title: one of the word's codes (whose label has
    the word, or says its translations: lexicon.codes_of), or a translation of the word found in the title."""

    word: str
    code: str = ""  # the notice's code that is one of the word's
    translation: str = ""  # the title's word that translates it


def _has(words: list[str], text: str, prefix: bool) -> str:
    """The first of these words that is `text` (or starts with it), else ""."""
    return next((w for w in words if (w.startswith(text) if prefix else w == text)), "")


def _code_under(notice, prefixes: Iterable[str]) -> str:
    """The notice's first code under one of these prefixes, else ""."""
    prefixes = tuple(prefixes)
    return next((c for c in notice.cpv_codes or () if c.startswith(prefixes)), "") if prefixes else ""


def _phrase_hit(
    alternative: fulltext.Alternative, notice, written: dict[str, str], typed: Mapping[str, str]
) -> CrossLanguageHit | None:
    """Why a notice matched the query's words as a phrase said in another language (or under its codes); `written`:
    its titles' folded words, each as the title writes it; `typed`: the query's, as typed."""
    phrase = " ".join(typed.get(w, w) for w in alternative.words)
    title_words = list(written)
    for t in alternative.translations:
        found = [_has(title_words, text, prefix) for text, prefix in t.words]
        if all(found):
            return CrossLanguageHit(phrase, translation=" ".join(written[w] for w in found))
    code = _code_under(notice, alternative.codes)
    return CrossLanguageHit(phrase, code=code) if code else None


def cross_language_hits(
    terms: list[Term],
    notices: Iterable,
    alternatives: Iterable[fulltext.Alternative] = (),
    typed: Mapping[str, str] | None = None,
) -> dict[int, list[CrossLanguageHit]]:
    """For each notice (with `title`, `titles`, `cpv_codes`) the words of the query it matched only across
    languages, each with the first code or translation that explains it, or the phrase they make when the notice
    says it in another language ("street lighting" ≈ "iluminação pública"). Read from the titles and codes
    the result lists show; a word found in a description is not explained. `typed`: each folded query word as the
    query typed it ("apa" -> "apă"), to show."""
    typed = typed or {}
    out: dict[int, list[CrossLanguageHit]] = {}
    expanded = [t for t in terms if len(t.words) == 1 and (t.codes or t.translations)]
    alternatives = list(alternatives)
    if not expanded and not alternatives:
        return out
    for notice in notices:
        # The titles' words folded as the index has them, and each as the title writes it, to show.
        written: dict[str, str] = {}
        for w in _WORD.findall(" ".join([notice.title or "", *(notice.titles or {}).values()])):
            written.setdefault(fold(w), w)
        title_words = list(written)
        if alternatives and not all(_has(title_words, t.words[0], True) for t in terms if len(t.words) == 1):
            phrase = next((hit for a in alternatives if (hit := _phrase_hit(a, notice, written, typed))), None)
            if phrase:
                out[notice.pk] = [phrase]
                continue
        hits = []
        for term in expanded:
            word = term.words[0]
            if _has(title_words, word, True):
                continue
            shown = typed.get(word, word)
            if code := _code_under(notice, term.codes):
                hits.append(CrossLanguageHit(shown, code=code))
                continue
            if found := next((w for t in term.translations if (w := _has(title_words, t.text, t.prefix))), ""):
                hits.append(CrossLanguageHit(shown, translation=written[found]))
        if hits:
            out[notice.pk] = hits
    return out
