"""Full-text search over notices: SQLite FTS5 by default, PostgreSQL full-text search on PostgreSQL.

Both backends index the same *folded* text (lower case, accents stripped: see reference.text.fold),
so "apa potabila" finds "Apă potabilă" on either, and both treat each query word as a prefix
("водопостач" finds "водопостачання"), which is what inflected languages (RO, UK, RU) need when
there is no stemmer for every language. One index row per notice:
- SQLite: FTS5 table `tenders_notice_fts(rowid = notice id, body)`, unicode61 tokenizer.
- PostgreSQL: table `tenders_notice_search(notice_id, document tsvector)` with a GIN index,
  'simple' configuration (no stemming: the notices come in every language).
"""

import re
from collections.abc import Iterable

from django.db import connection
from django.db.models.expressions import RawSQL

from greenbridge.reference.text import fold

_WORD = re.compile(r"\w+", re.UNICODE)
_PHRASE_OR_WORD = re.compile(r'"([^"]*)"|(-?)(\w+)', re.UNICODE)


def document_text(*parts: str) -> str:
    return fold(" ".join(p for p in parts if p))


def _is_sqlite() -> bool:
    return connection.vendor == "sqlite"


def create_index(schema_editor) -> None:
    """Called from the migration: create the backend's index table."""
    if schema_editor.connection.vendor == "sqlite":
        schema_editor.execute(
            "CREATE VIRTUAL TABLE IF NOT EXISTS tenders_notice_fts USING fts5("
            "body, tokenize = 'unicode61 remove_diacritics 2', columnsize = 0)"
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


def drop_index(schema_editor) -> None:
    if schema_editor.connection.vendor == "sqlite":
        schema_editor.execute("DROP TABLE IF EXISTS tenders_notice_fts")
    else:
        schema_editor.execute("DROP TABLE IF EXISTS tenders_notice_search")


def index_documents(rows: Iterable[tuple[int, str]]) -> None:
    """(notice id, document text) -> the index, replacing what was there for those ids."""
    rows = list(rows)
    if not rows:
        return
    with connection.cursor() as cur:
        if _is_sqlite():
            cur.executemany("DELETE FROM tenders_notice_fts WHERE rowid = %s", [(i,) for i, _ in rows])
            cur.executemany("INSERT INTO tenders_notice_fts(rowid, body) VALUES (%s, %s)", rows)
        else:
            cur.executemany(
                "INSERT INTO tenders_notice_search(notice_id, document) "
                "VALUES (%s, to_tsvector('simple', %s)) "
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


def _sqlite_match(required: list[list[str]], excluded: list[str]) -> str:
    terms = []
    for words in required:
        if len(words) == 1:
            terms.append(f'"{words[0]}"*')
        else:
            terms.append('"' + " ".join(words) + '"')
    expr = " AND ".join(terms)
    for w in excluded:
        expr += f' NOT "{w}"*'
    return expr


def _pg_tsquery(required: list[list[str]], excluded: list[str]) -> str:
    terms = []
    for words in required:
        terms.append(f"{words[0]}:*" if len(words) == 1 else "(" + " <-> ".join(words) + ")")
    expr = " & ".join(terms)
    for w in excluded:
        expr += f" & !{w}:*"
    return expr


def matching_ids(text: str) -> RawSQL | None:
    """A subquery of the ids of notices matching `text`, or None when the text has no word."""
    required, excluded = parse_query(text)
    if not required:
        return None
    if _is_sqlite():
        return RawSQL(
            "SELECT rowid FROM tenders_notice_fts WHERE tenders_notice_fts MATCH %s",
            (_sqlite_match(required, excluded),),
        )
    return RawSQL(
        "SELECT notice_id FROM tenders_notice_search WHERE document @@ to_tsquery('simple', %s)",
        (_pg_tsquery(required, excluded),),
    )


def relevance(text: str) -> RawSQL | None:
    """A per-notice relevance expression (higher is better) for ordering matched notices."""
    required, excluded = parse_query(text)
    if not required:
        return None
    if _is_sqlite():
        # FTS5's rank is bm25, lower (more negative) is better: negate it.
        return RawSQL(
            "(SELECT -rank FROM tenders_notice_fts WHERE tenders_notice_fts MATCH %s AND rowid = tenders_notice.id)",
            (_sqlite_match(required, excluded),),
        )
    return RawSQL(
        "(SELECT ts_rank(document, to_tsquery('simple', %s)) FROM tenders_notice_search "
        "WHERE notice_id = tenders_notice.id)",
        (_pg_tsquery(required, excluded),),
    )
