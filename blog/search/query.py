"""What a reader typed, as terms the database cannot misread.

A query is words and ``"quoted phrases"``; every term must be found (AND).
Operators and special characters mean nothing (``OR``, ``-``, ``*``,
``NEAR``, ``title:`` are words or are dropped), so no query can be a
syntax error: each term is rebuilt from its letters and digits only, then
quoted for the database (:meth:`SearchQuery.fts5`, :meth:`SearchQuery.websearch`).
Words joined by punctuation (``don't``, ``e-mail``) are a phrase, as the
tokenizers see them.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from blog.search.text import without_sentinels

#: Terms beyond these are ignored (the form allows 200 characters).
MAX_TERMS = 16
#: Letters and digits: what both tokenizers keep of a word.
_WORD = re.compile(r"[^\W_]+")
_QUOTED = re.compile(r'"([^"]*)"?')


@dataclass(frozen=True)
class Term:
    """One word, or a phrase of several words in order."""

    words: tuple[str, ...]
    #: Typed in quotes (never completed as a prefix in the dashboard).
    quoted: bool = False


@dataclass(frozen=True)
class SearchQuery:
    """A cleaned query; empty when nothing searchable was typed."""

    terms: tuple[Term, ...]

    def __bool__(self) -> bool:
        return bool(self.terms)

    def fts5(self, *, prefix_last: bool = False) -> str:
        """SQLite FTS5 ``MATCH`` syntax: each term a string (``"a b"``),
        all required; ``prefix_last`` completes an unquoted last term
        (``"appl"*``: what someone is still typing)."""
        parts = [f'"{" ".join(term.words)}"' for term in self.terms]
        if prefix_last and parts and not self.terms[-1].quoted:
            parts[-1] += "*"
        return " ".join(parts)

    def websearch(self) -> str:
        """PostgreSQL ``websearch_to_tsquery`` input: each term quoted, so
        that ``or`` and ``-`` are words rather than operators."""
        return " ".join(f'"{" ".join(term.words)}"' for term in self.terms)

    def tsquery_prefix(self) -> str | None:
        """PostgreSQL ``to_tsquery`` input completing an unquoted last term
        (``e <-> mail:*``), or ``None``; letters and digits only, so it
        cannot be a syntax error."""
        if not self.terms or self.terms[-1].quoted:
            return None
        return " <-> ".join(self.terms[-1].words) + ":*"

    def without_last(self) -> SearchQuery:
        return SearchQuery(self.terms[:-1])


def parse(text: str) -> SearchQuery:
    """The terms of ``text`` (see the module's docstring)."""
    text = unicodedata.normalize("NFC", without_sentinels(text))
    terms: list[Term] = []
    position = 0
    for match in _QUOTED.finditer(text):
        terms += _bare_terms(text[position : match.start()])
        words = tuple(_WORD.findall(match.group(1)))
        if words:
            terms.append(Term(words, quoted=True))
        position = match.end()
    terms += _bare_terms(text[position:])
    unique = list(dict.fromkeys(terms))
    return SearchQuery(tuple(unique[:MAX_TERMS]))


def _bare_terms(text: str) -> list[Term]:
    """Unquoted text: a term per run of non-space characters."""
    terms = []
    for chunk in text.split():
        words = tuple(_WORD.findall(chunk))
        if words:
            terms.append(Term(words))
    return terms
