"""Full-text indexes on both databases: SQLite FTS5 by default, PostgreSQL full-text search on PostgreSQL.
Notices (tenders.search) and knowledge-base articles (knowledge.search) each have one `Index`; what is theirs
(which text, which tokens, how a query word is expanded) stays in their app.

Both backends index *folded* text (lower case, accents stripped: reference.text.fold), so "apa potabila" finds
"Apă potabilă" on either, and both treat each query word as a prefix ("водопостач" finds "водопостачання"), which
is what inflected languages (RO, UK, RU) need when there is no stemmer for every language. One index row per row of
the indexed table, with up to four text columns, the first weighing most:
- SQLite: FTS5 table `<table>_fts(rowid = the row's id, <columns>)`, unicode61 tokenizer, ranked by bm25 with the
  columns' weights.
- PostgreSQL: table `<table>_search(<key> bigint, document tsvector)` with a GIN index, 'simple' configuration (no
  stemming: the texts come in every language); the columns are the weights A, B, C, D of the document.
The last column may hold tokens (`Index.code_token` + a code, e.g. CPV codes "cpv09331200") that a query term also
matches, and that filters restrict to (TextSearch's `tokens`).
"""

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import EmptyResultSet, FullResultSet
from django.db import connection, connections
from django.db.models import QuerySet

from greenbridge.reference.text import fold

_WORD = re.compile(r"\w+", re.UNICODE)
_PHRASE_OR_WORD = re.compile(r'(-?)"([^"]*)"|(-?)(\w+)', re.UNICODE)
_PG_WEIGHTS = "ABCD"
_NAME = re.compile(r"[a-z_][a-z0-9_]*")  # the names an Index puts into SQL, given in code
# How many ids the first statement of a TextSearch keeps: the first page of the site (20) and of the API (up to 100).
FIRST_IDS = 100


def document_text(*parts: str) -> str:
    """What an index column holds: the parts, folded."""
    return fold(" ".join(p for p in parts if p))


# Operators as TED's search and others write them, in capitals: AND joins (as a space does), NOT excludes the next
# word (as a minus does), OR asks for any of the words (`joined_by_or`). In small letters they are words.
OPERATORS = frozenset({"AND", "OR", "NOT"})


def parse_query(text: str) -> tuple[list[list[str]], list[str]]:
    """A user's query -> (required terms, excluded words and phrases). A term is a list of words: one word
    (matched as a prefix) or a quoted phrase. `-word`, `-"a phrase"` or `NOT` before either excludes it (a phrase as
    its words, apart by spaces); AND and OR are not words."""
    required: list[list[str]] = []
    excluded: list[str] = []
    negate = False
    for phrase_minus, phrase, minus, word in _PHRASE_OR_WORD.findall(text or ""):
        if word in OPERATORS and not minus:
            negate = word == "NOT"
            continue
        if phrase:
            words = _WORD.findall(fold(phrase))
            if words:
                (excluded.append(" ".join(words)) if phrase_minus or negate else required.append(words))
        elif word:
            (excluded.append(fold(word)) if minus or negate else required.append([fold(word)]))
        negate = False
    return required, excluded


def joined_by_or(text: str) -> bool:
    """Whether the query joins its words with OR ("water OR solar"): then a row needs any of them, not all."""
    return any(word == "OR" and not minus for _pm, _phrase, minus, word in _PHRASE_OR_WORD.findall(text or ""))


@dataclass(frozen=True)
class Term:
    """One required term of a query and what else matches it."""

    words: tuple[str, ...]  # one word (a prefix) or a phrase
    codes: tuple[str, ...] = ()  # codes (written code_token + code in the last column) that also match
    translations: tuple[Any, ...] = ()  # other words that also match, each with `text` and `prefix` (reference.lexicon)
    tokens: tuple[str, ...] = ()  # other whole tokens of the last column that also match (a buyer's country)


@dataclass(frozen=True)
class Alternative:
    """Another way to match every required term at once: the query's words said together as another language says
    them (each translation's `words`, every one of them, as (text, prefix)) or a code whose label says them."""

    words: tuple[str, ...]  # the query's words it stands for
    codes: tuple[str, ...] = ()  # as Term.codes
    translations: tuple[Any, ...] = ()  # each with `words` ((text, prefix), …) and `language`


def _fts_string(text: str) -> str:
    return '"' + text.replace('"', "") + '"'


def _pg_lexeme(text: str) -> str:
    return "'" + text.replace("'", "''").replace("\\", "") + "'"


class Index:
    """The full-text index of one table (`table`: the model's db_table), its rows keyed by the table's id."""

    def __init__(
        self, table: str, *, key: str, columns: Sequence[str], weights: Sequence[float], code_token: str = ""
    ) -> None:
        """`key`: the id column's name in the PostgreSQL table; `columns`: the SQLite column names, most important
        first (at most four: PostgreSQL's weights A to D); `weights`: theirs in the ranking; `code_token`: the prefix
        of the tokens of the last column (see Term.codes)."""
        if not 1 <= len(columns) <= len(_PG_WEIGHTS) or len(weights) != len(columns):
            raise ValueError("an index has one to four columns, each with its weight")
        if not all(0 < w <= 1 for w in weights):
            raise ValueError("weights are from 0 to 1 (PostgreSQL's ts_rank refuses more)")
        if not all(_NAME.fullmatch(name) for name in (table, key, *columns)):
            raise ValueError("index, key and column names are SQL identifiers")
        self.table = table
        self.sqlite_table = f"{table}_fts"
        self.pg_table = f"{table}_search"
        self.key = key
        self.columns = tuple(columns)
        self.weights = tuple(weights)
        self.code_token = code_token

    # -- the index table ------------------------------------------------------------------------------------------

    def create(self, schema_editor) -> None:
        """Called from a migration: create the backend's index table."""
        if schema_editor.connection.vendor == "sqlite":
            schema_editor.execute(
                f"CREATE VIRTUAL TABLE IF NOT EXISTS {self.sqlite_table} USING fts5("
                # Column sizes are kept (FTS5's default): without them bm25 re-tokenises every
                # document it ranks.
                f"{', '.join(self.columns)}, tokenize = 'unicode61 remove_diacritics 2')"
            )
            schema_editor.execute(
                f"INSERT INTO {self.sqlite_table}({self.sqlite_table}, rank) VALUES ('rank', %s)",
                [f"bm25({', '.join(str(w) for w in self.weights)})"],
            )
        else:
            schema_editor.execute(
                # No foreign key: Django's flush truncates its own tables without CASCADE. Searches
                # filter rows by these ids, so an index row left by a deleted row matches nothing.
                f"CREATE TABLE IF NOT EXISTS {self.pg_table} ("
                f"{self.key} bigint PRIMARY KEY, document tsvector NOT NULL)"
            )
            schema_editor.execute(
                f"CREATE INDEX IF NOT EXISTS {self.pg_table}_gin ON {self.pg_table} USING gin(document)"
            )

    def drop(self, schema_editor) -> None:
        if schema_editor.connection.vendor == "sqlite":
            schema_editor.execute(f"DROP TABLE IF EXISTS {self.sqlite_table}")
        else:
            schema_editor.execute(f"DROP TABLE IF EXISTS {self.pg_table}")

    def put(self, rows: Iterable[tuple], using=None) -> None:
        """(id, folded text of each column…) -> the index, replacing what was there for those ids."""
        rows = list(rows)
        if not rows:
            return
        conn = using or connection
        values = ", ".join(["%s"] * len(self.columns))
        with conn.cursor() as cur:
            if conn.vendor == "sqlite":
                cur.executemany(f"DELETE FROM {self.sqlite_table} WHERE rowid = %s", [(row[0],) for row in rows])
                cur.executemany(
                    f"INSERT INTO {self.sqlite_table}(rowid, {', '.join(self.columns)}) VALUES (%s, {values})", rows
                )
            else:
                document = " || ".join(
                    f"setweight(to_tsvector('simple', %s), '{weight}')" for weight in _PG_WEIGHTS[: len(self.columns)]
                )
                cur.executemany(
                    f"INSERT INTO {self.pg_table}({self.key}, document) VALUES (%s, {document}) "
                    f"ON CONFLICT ({self.key}) DO UPDATE SET document = EXCLUDED.document",
                    rows,
                )

    def remove(self, ids: Iterable[int], using=None) -> None:
        ids = [(i,) for i in ids]
        conn = using or connection
        with conn.cursor() as cur:
            if conn.vendor == "sqlite":
                cur.executemany(f"DELETE FROM {self.sqlite_table} WHERE rowid = %s", ids)
            else:
                cur.executemany(f"DELETE FROM {self.pg_table} WHERE {self.key} = %s", ids)

    # -- queries --------------------------------------------------------------------------------------------------

    def _sqlite_term(self, term: Term) -> str:
        if len(term.words) > 1:
            return _fts_string(" ".join(term.words))
        alternatives = [_fts_string(term.words[0]) + "*"]
        alternatives += [_fts_string(t.text) + ("*" if t.prefix else "") for t in term.translations]
        if term.codes or term.tokens:
            codes = " OR ".join(_fts_string(t) for t in [*(self.code_token + p for p in term.codes), *term.tokens])
            alternatives.append(f"{self.columns[-1]} : ({codes})")
        return alternatives[0] if len(alternatives) == 1 else "(" + " OR ".join(alternatives) + ")"

    def _sqlite_alternative(self, alternative: Alternative) -> list[str]:
        out = [
            "(" + " AND ".join(_fts_string(text) + ("*" if prefix else "") for text, prefix in t.words) + ")"
            for t in alternative.translations
        ]
        if alternative.codes:
            out.append(
                f"{self.columns[-1]} : ({' OR '.join(_fts_string(self.code_token + p) for p in alternative.codes)})"
            )
        return out

    def _pg_alternative(self, alternative: Alternative) -> list[str]:
        weight = _PG_WEIGHTS[len(self.columns) - 1]
        out = [
            "(" + " & ".join(_pg_lexeme(text) + (":*" if prefix else "") for text, prefix in t.words) + ")"
            for t in alternative.translations
        ]
        out += [_pg_lexeme(self.code_token + p) + f":{weight}" for p in alternative.codes]
        return out

    def _pg_term(self, term: Term) -> str:
        if len(term.words) > 1:
            return "(" + " <-> ".join(_pg_lexeme(w) for w in term.words) + ")"
        weight = _PG_WEIGHTS[len(self.columns) - 1]
        alternatives = [f"{_pg_lexeme(term.words[0])}:*"]
        alternatives += [_pg_lexeme(t.text) + (":*" if t.prefix else "") for t in term.translations]
        alternatives += [_pg_lexeme(self.code_token + p) + f":{weight}" for p in term.codes]
        alternatives += [_pg_lexeme(t) + f":{weight}" for t in term.tokens]
        return alternatives[0] if len(alternatives) == 1 else "(" + " | ".join(alternatives) + ")"

    def match(
        self,
        vendor: str,
        terms: list[Term],
        excluded: list[str],
        tokens: list[list[str]] = (),
        *,
        any_term=False,
        alternatives: Sequence[Alternative] = (),
    ) -> str:
        """The backend's match expression (FTS5 MATCH, or to_tsquery's text): every term (`any_term`: one of them at
        least, the ranking putting those with more first) or one of the `alternatives`, none of the excluded words,
        and for each list of `tokens` (whole tokens of the last column) one of them."""
        if vendor == "sqlite":
            if any_term:
                expr = "(" + " OR ".join(self._sqlite_term(t) for t in terms) + ")"
            else:
                expr = " AND ".join(self._sqlite_term(t) for t in terms)
                if others := [x for a in alternatives for x in self._sqlite_alternative(a)]:
                    expr = "((" + expr + ") OR " + " OR ".join(others) + ")"
            for w in excluded:
                expr += f" NOT {_fts_string(w)}*"
            for alternatives in tokens:
                expr = f"({expr}) AND {self.columns[-1]} : ({' OR '.join(map(_fts_string, alternatives))})"
            return expr
        weight = _PG_WEIGHTS[len(self.columns) - 1]
        if any_term:
            expr = "(" + " | ".join(self._pg_term(t) for t in terms) + ")"
        else:
            expr = " & ".join(self._pg_term(t) for t in terms)
            if others := [x for a in alternatives for x in self._pg_alternative(a)]:
                expr = "((" + expr + ") | " + " | ".join(others) + ")"
        for w in excluded:  # a phrase's words one after the other, the last as a prefix (as FTS5's "a b"*)
            words = " <-> ".join(_pg_lexeme(x) for x in w.split()) + ":*"
            expr += f" & !({words})" if " " in w else f" & !{words}"
        for alternatives in tokens:
            expr = f"({expr}) & ({' | '.join(_pg_lexeme(t) + ':' + weight for t in alternatives)})"
        return expr

    def source(self, vendor: str) -> tuple[str, str, str]:
        """(FROM clause joining the index to its table, the match condition, the ORDER BY of relevance); the
        condition takes the match expression as its parameter, and so does the order when it has a %s."""
        t = self.table
        if vendor == "sqlite":
            return (
                # The index's matches are the outer loop (SQLite is told so with CROSS JOIN).
                f"{self.sqlite_table} CROSS JOIN {t} ON {t}.id = {self.sqlite_table}.rowid",
                # Ranked with the weights as given, not the table's stored rank configuration (set when it was
                # created): FTS5's per-query rank function.
                f"{self.sqlite_table} MATCH %s AND {self.sqlite_table}.rank MATCH "
                f"'bm25({', '.join(str(w) for w in self.weights)})'",
                f"{self.sqlite_table}.rank, {t}.id DESC",
            )
        # ts_rank's weights are listed {D, C, B, A}; the columns are A, B… (the defaults of the others kept).
        pg = dict(zip(_PG_WEIGHTS, self.weights, strict=False))
        defaults = zip("DCBA", (0.1, 0.2, 0.4, 1.0), strict=True)
        weights = ", ".join(str(pg.get(letter, default)) for letter, default in defaults)
        return (
            f"{self.pg_table} JOIN {t} ON {t}.id = {self.pg_table}.{self.key}",
            f"{self.pg_table}.document @@ to_tsquery('simple', %s)",
            f"ts_rank('{{{weights}}}', {self.pg_table}.document, to_tsquery('simple', %s)) DESC, {t}.id DESC",
        )

    def ids_matching_any(self, words: Iterable[str], limit: int) -> list[int]:
        """The newest `limit` ids whose text has any of these folded words as a word prefix."""
        words = sorted({w for w in words if w and _WORD.fullmatch(w)})
        if not words:
            return []
        with connection.cursor() as cur:
            if connection.vendor == "sqlite":
                cur.execute(
                    f"SELECT rowid FROM {self.sqlite_table} WHERE {self.sqlite_table} MATCH %s "
                    "ORDER BY rowid DESC LIMIT %s",
                    [" OR ".join(f'"{w}"*' for w in words), limit],
                )
            else:
                cur.execute(
                    f"SELECT {self.key} FROM {self.pg_table} WHERE document @@ to_tsquery('simple', %s) "
                    f"ORDER BY {self.key} DESC LIMIT %s",
                    [" | ".join(f"{w}:*" for w in words), limit],
                )
            return [row[0] for row in cur.fetchall()]


class TextSearch:
    """The rows of `queryset` that match a text query, in `order` ("relevance" or a key of `orders`): a
    sequence for Django's Paginator and the API (`count()`, slicing).

    One statement, driven by the full-text index: its matches are the outer loop, each is joined to its row by
    primary key, the ORM's own compiled WHERE clause filters it, and only survivors are ranked. A correlated rank
    subquery per row was quadratic for common words (151 s for one query over a million notices)."""

    def __init__(
        self,
        queryset: QuerySet,
        index: Index,
        terms: list[Term],
        excluded: list[str] = (),
        *,
        order: str = "relevance",
        orders: Mapping[str, tuple[str, bool]] | None = None,
        tokens: list[list[str]] = (),
        any_term: bool = False,
        alternatives: Sequence[Alternative] = (),
    ) -> None:
        """`orders`: sort key -> (column, descending); NULLs come last and the id breaks ties in the same direction.
        `tokens`: lists of whole tokens of the index's last column, one of each list required (filters the index
        answers itself). `any_term`: rows with one of the terms at least (suggestions), not all of them.
        `alternatives`: other ways to match all the terms at once (Alternative)."""
        self.queryset = queryset
        self.index = index
        self.orders = orders or {}
        self.order = order if order in self.orders else "relevance"
        self.terms = terms
        self.empty = not terms
        vendor = connections[queryset.db].vendor
        tokens = [t for t in tokens if t]
        self.alternatives = list(alternatives)
        self.match = (
            index.match(vendor, terms, list(excluded), tokens, any_term=any_term, alternatives=self.alternatives)
            if terms
            else ""
        )
        joined, condition, self.rank = index.source(vendor)
        self.source = (joined, condition)
        self._count: int | None = None
        self._head: list[int] = []

    def _sql_order(self, key: str) -> str:
        column, descending = self.orders[key]
        direction = " DESC" if descending else ""
        t = self.index.table
        return f"{t}.{column} IS NULL, {t}.{column}{direction}, {t}.id{direction}"

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
            order = self._sql_order(self.order)
        total = ", COUNT(*) OVER ()" if with_count else ""
        t = self.index.table
        with connections[self.queryset.db].cursor() as cur:
            cur.execute(f"SELECT {t}.id{total} {sql} ORDER BY {order} LIMIT %s OFFSET %s", [*params, limit, offset])
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
            found = self.queryset.model._default_manager.none() if not ids else self.queryset.filter(pk__in=ids)
            by_id = {row.pk: row for row in found}
            return [by_id[i] for i in ids if i in by_id]
        found = self[key : key + 1]
        if not found:
            raise IndexError(key)
        return found[0]
