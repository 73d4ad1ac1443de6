"""Full-text search over articles, on the index machinery notices use (core.fulltext): the folded title and text,
each query word a prefix, on SQLite (FTS5 table `knowledge_article_fts`) and PostgreSQL (`knowledge_article_search`).
A word in the title weighs two and a half times one in the text.

A ticket's subject ("How do I fill in the ESPD for MTender?") is not a search query: its function words would
find every article, and all its words together often none. Suggestions and related articles look for its
significant words (two letters or more, not a short stop word of any of the site's languages), any of them, the articles
with more and rarer ones first."""

import re
from collections.abc import Iterable
from functools import cache

from django.conf import settings
from django.db.models import QuerySet

from greenbridge.core import fulltext
from greenbridge.reference.text import fold

# A word of the title weighs 1, one of the text 0.4 (PostgreSQL's ts_rank takes weights up to 1).
INDEX = fulltext.Index("knowledge_article", key="article_id", columns=("title", "body"), weights=(1.0, 0.4))
_WORD = re.compile(r"\w+", re.UNICODE)
SIGNIFICANT_MAX = 12  # words of a subject or title looked for
STOP_WORD_MAX = 6  # letters of the stop words of stopwords-iso left out ("the", "which", "should", "pentru")


def index_row(article) -> tuple[int, str, str]:
    return article.pk, fulltext.document_text(article.title), fulltext.document_text(article.body)


def index_articles(articles: Iterable, using=None) -> None:
    INDEX.put([index_row(a) for a in articles], using=using)


def remove_articles(ids: Iterable[int]) -> None:
    INDEX.remove(ids)


@cache
def _stop_words() -> frozenset[str]:
    import stopwordsiso

    words: set[str] = set()
    for code, _name in settings.LANGUAGES:
        if stopwordsiso.has_lang(code):
            # The short ones only: the lists also hold content words ("research", "information", "value").
            words |= {fold(w) for w in stopwordsiso.stopwords(code) if len(w) <= STOP_WORD_MAX}
    return frozenset(words)


def significant_words(text: str) -> list[str]:
    """The folded words of `text` worth looking for, in order, each once."""
    stop = _stop_words()
    found: dict[str, None] = {}
    for word in _WORD.findall(fold(text or "")):
        if len(word) >= 2 and word not in stop and not word.isdigit():
            found[word] = None
    return list(found)[:SIGNIFICANT_MAX]


def ranked_ids(queryset: QuerySet, text: str, *, limit: int, any_word: bool = False) -> list[int]:
    """The ids of `queryset`'s articles that match `text`, most relevant first, at most `limit`. `any_word`: the
    significant words of `text`, any of them (see the module's doc); else the query as the search box reads it
    (every word, "phrases", -excluded; any of them when it joins them with OR)."""
    if any_word:
        terms, excluded = [fulltext.Term((w,)) for w in significant_words(text)], []
    else:
        required, excluded = fulltext.parse_query(text)
        terms = [fulltext.Term(tuple(words)) for words in required]
        any_word = fulltext.joined_by_or(text)  # "ESPD OR DUAE"
    if not terms:
        return []
    return fulltext.TextSearch(queryset, INDEX, terms, excluded, any_term=any_word).ids(0, limit)
