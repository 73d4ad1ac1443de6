"""Full-text search over notices: SQLite FTS5 by default, PostgreSQL full-text search on PostgreSQL.

Both backends index the same *folded* text (lower case, accents stripped: see reference.text.fold),
so "apa potabila" finds "Apă potabilă" on either, and both treat each query word as a prefix
("водопостач" finds "водопостачання"), which is what inflected languages (RO, UK, RU) need when
there is no stemmer for every language. One index row per notice:
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
from collections.abc import Iterable
from dataclasses import dataclass

from django.core.exceptions import EmptyResultSet, FullResultSet
from django.db import connection, connections
from django.db.models import QuerySet

from greenbridge.reference import lexicon
from greenbridge.reference.cpv import cpv_cover, cpv_prefix
from greenbridge.reference.text import fold

_WORD = re.compile(r"\w+", re.UNICODE)
_PHRASE_OR_WORD = re.compile(r'"([^"]*)"|(-?)(\w+)', re.UNICODE)


CODE_TOKEN = "cpv"  # noqa: S105 (an index token, not a password)
CODES_WEIGHT = 0.3  # of a code match against a word of the text, in bm25 (SQLite) and ts_rank (PostgreSQL)
# A query word expanded into more code prefixes than this is searched in the text and by translation only.
MAX_CODE_TOKENS = 120


def document_text(*parts: str) -> str:
    return fold(" ".join(p for p in parts if p))


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


def _is_sqlite() -> bool:
    return connection.vendor == "sqlite"


def create_index(schema_editor) -> None:
    """Called from the migration: create the backend's index table."""
    if schema_editor.connection.vendor == "sqlite":
        schema_editor.execute(
            "CREATE VIRTUAL TABLE IF NOT EXISTS tenders_notice_fts USING fts5("
            # Column sizes are kept (FTS5's default): without them bm25 re-tokenises every
            # document it ranks.
            "body, codes, tokenize = 'unicode61 remove_diacritics 2')"
        )
        # Ranking: a word in the text counts more than a code it stands for.
        schema_editor.execute(
            "INSERT INTO tenders_notice_fts(tenders_notice_fts, rank) VALUES ('rank', %s)",
            [f"bm25(1.0, {CODES_WEIGHT})"],
        )
    else:
        schema_editor.execute(
            # No foreign key: Django's flush truncates its own tables without CASCADE. Searches
            # filter notices by these ids, so a row left by a deleted notice matches nothing.
            "CREATE TABLE IF NOT EXISTS tenders_notice_search ("
            "notice_id bigint PRIMARY KEY, document tsvector NOT NULL)"
        )
        schema_editor.execute(
            "CREATE INDEX IF NOT EXISTS tenders_notice_search_gin ON tenders_notice_search USING gin(document)"
        )


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
    if schema_editor.connection.vendor == "sqlite":
        schema_editor.execute("DROP TABLE IF EXISTS tenders_notice_fts")
    else:
        schema_editor.execute("DROP TABLE IF EXISTS tenders_notice_search")


def index_documents(rows: Iterable[tuple[int, str, str]], using=None) -> None:
    """(notice id, folded text, code tokens) -> the index, replacing what was there for those ids."""
    rows = list(rows)
    if not rows:
        return
    conn = using or connection
    with conn.cursor() as cur:
        if conn.vendor == "sqlite":
            cur.executemany("DELETE FROM tenders_notice_fts WHERE rowid = %s", [(i,) for i, _, _ in rows])
            cur.executemany("INSERT INTO tenders_notice_fts(rowid, body, codes) VALUES (%s, %s, %s)", rows)
        else:
            cur.executemany(
                "INSERT INTO tenders_notice_search(notice_id, document) "
                "VALUES (%s, setweight(to_tsvector('simple', %s), 'A') || setweight(to_tsvector('simple', %s), 'B')) "
                "ON CONFLICT (notice_id) DO UPDATE SET document = EXCLUDED.document",
                rows,
            )


def remove_documents(ids: Iterable[int]) -> None:
    ids = [(i,) for i in ids]
    with connection.cursor() as cur:
        if _is_sqlite():
            cur.executemany("DELETE FROM tenders_notice_fts WHERE rowid = %s", ids)
        else:
            cur.executemany("DELETE FROM tenders_notice_search WHERE notice_id = %s", ids)


def parse_query(text: str) -> tuple[list[list[str]], list[str]]:
    """A user's query -> (required terms, excluded words). A term is a list of words: one word
    (matched as a prefix) or a quoted phrase. `-word` excludes a word."""
    required: list[list[str]] = []
    excluded: list[str] = []
    for phrase, minus, word in _PHRASE_OR_WORD.findall(text or ""):
        if phrase:
            words = _WORD.findall(fold(phrase))
            if words:
                required.append(words)
        elif word:
            (excluded.append(fold(word)) if minus else required.append([fold(word)]))
    return required, excluded


@dataclass(frozen=True)
class Term:
    """One required term of a query and what it also looks for across languages."""

    words: tuple[str, ...]  # one word (a prefix) or a phrase
    codes: tuple[str, ...] = ()  # CPV prefixes (as in cpv_cover) whose labels have the word
    translations: tuple[lexicon.Translation, ...] = ()


def expand(required: list[list[str]]) -> list[Term]:
    """Each one-word term with its codes and translations (reference.lexicon); phrases stay as written."""
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
        terms.append(Term((word,), tuple(codes), lex.translations(word)))
    return terms


def _fts_string(text: str) -> str:
    return '"' + text.replace('"', "") + '"'


def _sqlite_term(term: Term) -> str:
    if len(term.words) > 1:
        return _fts_string(" ".join(term.words))
    alternatives = [_fts_string(term.words[0]) + "*"]
    alternatives += [_fts_string(t.text) + ("*" if t.prefix else "") for t in term.translations]
    if term.codes:
        codes = " OR ".join(_fts_string(CODE_TOKEN + p) for p in term.codes)  # see code_tokens
        alternatives.append(f"codes : ({codes})")
    return alternatives[0] if len(alternatives) == 1 else "(" + " OR ".join(alternatives) + ")"


def _pg_lexeme(text: str) -> str:
    return "'" + text.replace("'", "''").replace("\\", "") + "'"


def _pg_term(term: Term) -> str:
    if len(term.words) > 1:
        return "(" + " <-> ".join(_pg_lexeme(w) for w in term.words) + ")"
    alternatives = [f"{_pg_lexeme(term.words[0])}:*"]
    alternatives += [_pg_lexeme(t.text) + (":*" if t.prefix else "") for t in term.translations]
    alternatives += [_pg_lexeme(CODE_TOKEN + p) + ":B" for p in term.codes]  # see code_tokens
    return alternatives[0] if len(alternatives) == 1 else "(" + " | ".join(alternatives) + ")"


def _sqlite_match(terms: list[Term], excluded: list[str], tokens: list[list[str]]) -> str:
    """`tokens`: index tokens of the filters (filter_tokens), each list one filter whose alternatives are ORed."""
    expr = " AND ".join(_sqlite_term(t) for t in terms)
    for w in excluded:
        expr += f" NOT {_fts_string(w)}*"
    for alternatives in tokens:
        expr = f"({expr}) AND codes : ({' OR '.join(map(_fts_string, alternatives))})"
    return expr


def _pg_tsquery(terms: list[Term], excluded: list[str], tokens: list[list[str]]) -> str:
    expr = " & ".join(_pg_term(t) for t in terms)
    for w in excluded:
        expr += f" & !{_pg_lexeme(w)}:*"
    for alternatives in tokens:
        expr = f"({expr}) & ({' | '.join(_pg_lexeme(t) + ':B' for t in alternatives)})"
    return expr


# The sort orders of notice lists: column and direction. NULLs come last, and the id breaks ties in
# the same direction. Text searches turn them into SQL (below), other searches into ORM order_by.
ORDERS = {
    "deadline": ("deadline", False),
    "-deadline": ("deadline", True),
    "published": ("published", False),
    "-published": ("published", True),
    "value": ("value_amount", False),
    "-value": ("value_amount", True),
}


def _sql_order(key: str) -> str:
    column, descending = ORDERS[key]
    direction = " DESC" if descending else ""
    return f"tenders_notice.{column} IS NULL, tenders_notice.{column}{direction}, tenders_notice.id{direction}"


# How many ids the first statement keeps: the first page of the site (20) and of the API (up to 100).
FIRST_IDS = 100


class TextSearch:
    """The notices that match a text query and the filters of `queryset`, in `order` ("relevance"
    or a key of ORDERS): a sequence for Django's Paginator and the API (`count()`, slicing).

    One statement, driven by the full-text index: its matches are the outer loop (SQLite is told so
    with CROSS JOIN), each is joined to its notice by primary key, the ORM's own compiled WHERE clause
    filters it, and only survivors are ranked. A correlated rank subquery per notice was quadratic
    for common words (151 s for one query over a million notices)."""

    def __init__(
        self,
        queryset: QuerySet,
        text: str,
        order: str = "relevance",
        *,
        across_languages: bool = True,
        cpv: Iterable[str] = (),
        countries: Iterable[str] = (),
    ) -> None:
        """`cpv` and `countries`: the filters `queryset` already has, also asked of the index (filter_tokens)
        so that it returns only the notices that pass them."""
        self.queryset = queryset
        self.order = order if order in ORDERS else "relevance"
        required, excluded = parse_query(text)
        self.empty = not required
        # The query's terms, each with the codes and translations it also looks for.
        self.terms = expand(required) if across_languages else [Term(tuple(words)) for words in required]
        tokens = [
            [CODE_TOKEN + cpv_prefix(code) for code in cpv],
            [COUNTRY_TOKEN + country.lower() for country in countries],
        ]
        tokens = [alternatives for alternatives in tokens if alternatives]
        if connections[queryset.db].vendor == "sqlite":
            self.match = _sqlite_match(self.terms, excluded, tokens) if required else ""
            self.source = (
                "tenders_notice_fts CROSS JOIN tenders_notice ON tenders_notice.id = tenders_notice_fts.rowid",
                "tenders_notice_fts MATCH %s",
            )
            self.rank = "tenders_notice_fts.rank, tenders_notice.id DESC"
        else:
            self.match = _pg_tsquery(self.terms, excluded, tokens) if required else ""
            self.source = (
                "tenders_notice_search JOIN tenders_notice ON tenders_notice.id = tenders_notice_search.notice_id",
                "tenders_notice_search.document @@ to_tsquery('simple', %s)",
            )
            self.rank = (
                f"ts_rank('{{0.1, 0.2, {CODES_WEIGHT}, 1.0}}', tenders_notice_search.document, "
                "to_tsquery('simple', %s)) DESC, tenders_notice.id DESC"
            )
        self._count: int | None = None
        self._head: list[int] = []

    def _body(self) -> tuple[str, list] | None:
        """FROM … WHERE … and its parameters; None when the filters can match nothing."""
        query = self.queryset.query
        try:
            where, params = query.get_compiler(using=self.queryset.db).compile(query.where)
        except FullResultSet:
            where, params = "", []
        except EmptyResultSet:
            return None
        joined, condition = self.source
        sql = f"FROM {joined} WHERE {condition}" + (f" AND ({where})" if where else "")
        return sql, [self.match, *params]

    def count(self) -> int:
        if self._count is None:
            # The count and the first ids in one pass over the matches (pages after the first,
            # rarer, take a second statement).
            self._count, self._head = self._query(0, FIRST_IDS, with_count=True)
        return self._count

    def __len__(self) -> int:
        return self.count()

    def __iter__(self):
        return iter(self[0 : self.count()])

    def ids(self, offset: int, limit: int) -> list[int]:
        if self._count is not None and offset + limit <= FIRST_IDS:
            return self._head[offset : offset + limit]
        return self._query(offset, limit)[1]

    def _query(self, offset: int, limit: int, *, with_count: bool = False) -> tuple[int, list[int]]:
        """(total when asked, else 0; the ids of the rows offset … offset + limit, in order)."""
        body = None if self.empty else self._body()
        if body is None or limit <= 0:
            return 0, []
        sql, params = body
        if self.order == "relevance":
            order = self.rank
            params = params + ([self.match] if "%s" in order else [])
        else:
            order = _sql_order(self.order)
        total = ", COUNT(*) OVER ()" if with_count else ""
        with connections[self.queryset.db].cursor() as cur:
            cur.execute(
                f"SELECT tenders_notice.id{total} {sql} ORDER BY {order} LIMIT %s OFFSET %s", [*params, limit, offset]
            )
            rows = cur.fetchall()
        if not with_count:
            return 0, [row[0] for row in rows]
        if rows:
            return rows[0][1], [row[0] for row in rows]
        # Past the last row (or nothing matched): count separately.
        with connections[self.queryset.db].cursor() as cur:
            cur.execute(f"SELECT COUNT(*) {body[0]}", body[1])
            return cur.fetchone()[0], []

    def __getitem__(self, key):
        if isinstance(key, slice):
            if key.step not in (None, 1):
                raise ValueError("TextSearch slices take no step")
            start = key.start or 0
            stop = key.stop if key.stop is not None else self.count()
            ids = self.ids(start, stop - start)
            notices = self.queryset.model._default_manager.none() if not ids else self.queryset.filter(pk__in=ids)
            by_id = {n.pk: n for n in notices}
            return [by_id[i] for i in ids if i in by_id]
        found = self[key : key + 1]
        if not found:
            raise IndexError(key)
        return found[0]


def ids_matching_any(words: Iterable[str], limit: int) -> list[int]:
    """The newest `limit` notice ids whose text has any of these folded words as a word prefix (a
    superset for the matching engine, which then checks the whole phrases)."""
    words = sorted({w for w in words if w and _WORD.fullmatch(w)})
    if not words:
        return []
    with connection.cursor() as cur:
        if _is_sqlite():
            cur.execute(
                "SELECT rowid FROM tenders_notice_fts WHERE tenders_notice_fts MATCH %s ORDER BY rowid DESC LIMIT %s",
                [" OR ".join(f'"{w}"*' for w in words), limit],
            )
        else:
            cur.execute(
                "SELECT notice_id FROM tenders_notice_search WHERE document @@ to_tsquery('simple', %s) "
                "ORDER BY notice_id DESC LIMIT %s",
                [" | ".join(f"{w}:*" for w in words), limit],
            )
        return [row[0] for row in cur.fetchall()]


@dataclass(frozen=True)
class CrossLanguageHit:
    """Why a notice matched a query word it does not have in its title: a code whose label has the word,
    or a translation of the word found in the title."""

    word: str
    code: str = ""  # the notice's code whose label has the word
    translation: str = ""  # the title's word that translates it


def cross_language_hits(terms: list[Term], notices: Iterable) -> dict[int, list[CrossLanguageHit]]:
    """For each notice (with `title`, `titles`, `cpv_codes`) the words of the query it matched only across
    languages, each with the first code or translation that explains it. Read from the titles and codes
    the result lists show; a word found in a description is not explained."""
    out: dict[int, list[CrossLanguageHit]] = {}
    expanded = [t for t in terms if len(t.words) == 1 and (t.codes or t.translations)]
    if not expanded:
        return out
    for notice in notices:
        title_words = _WORD.findall(fold(" ".join([notice.title or "", *(notice.titles or {}).values()])))
        hits = []
        for term in expanded:
            word = term.words[0]
            if any(w.startswith(word) for w in title_words):
                continue
            code = next((c for c in notice.cpv_codes or () for p in term.codes if c.startswith(p)), "")
            if code:
                hits.append(CrossLanguageHit(word, code=code))
                continue
            found = next(
                (
                    w
                    for t in term.translations
                    for w in title_words
                    if (w.startswith(t.text) if t.prefix else w == t.text)
                ),
                "",
            )
            if found:
                hits.append(CrossLanguageHit(word, translation=found))
        if hits:
            out[notice.pk] = hits
    return out
