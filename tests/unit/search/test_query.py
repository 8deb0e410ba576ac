"""blog.search.query: what a reader typed, as terms no database misreads."""

from __future__ import annotations

import random
import sqlite3

import pytest

from blog.search.query import MAX_TERMS, Term, parse
from blog.search.text import END, START

#: Queries that are FTS5 or tsquery syntax, or break naive quoting.
NASTY = [
    '"',
    '""',
    '"""',
    'a"b',
    "'",
    "a'b",
    "*",
    "a*",
    "-a",
    "NOT a",
    "a OR b",
    "a AND",
    "OR",
    "NEAR(a b, 2)",
    "title:a",
    "{title text}:a",
    "^a",
    "a + b",
    "(a",
    ")",
    "a & b | !c <-> d",
    "a:*",
    "\\",
    "%_",
    "\x00a\x1f",
    f"{START}a{END}",
    "<script>alert(1)</script>",
    '"><svg onload=alert(1)>',
    "日本語 テキスト",
    "e\u0301te\u0301",  # decomposed accents
    "\u202etxt",
]


def test_words_and_phrases():
    query = parse('board "annual meeting" budget')
    assert query.terms == (
        Term(("board",)),
        Term(("annual", "meeting"), quoted=True),
        Term(("budget",)),
    )
    assert query.fts5() == '"board" "annual meeting" "budget"'
    assert query.websearch() == '"board" "annual meeting" "budget"'


def test_operators_are_words_or_nothing():
    assert parse("salt OR -pepper").fts5() == '"salt" "OR" "pepper"'
    assert parse("NEAR(a b, 2)").fts5() == '"NEAR a" "b" "2"'
    assert parse("title:budget*").fts5() == '"title budget"'
    assert parse('"" * - ( ) ^ :').terms == ()


def test_words_joined_by_punctuation_are_a_phrase():
    assert parse("don't e-mail").terms == (
        Term(("don", "t")),
        Term(("e", "mail")),
    )


def test_an_unclosed_quote_takes_the_rest_as_a_phrase():
    assert parse('budget "annual meeting').terms == (
        Term(("budget",)),
        Term(("annual", "meeting"), quoted=True),
    )


def test_empty_and_punctuation_only_queries_are_empty():
    for text in ("", "   ", "!!!", '"  "', "-", f"{START}{END}"):
        assert not parse(text)
        assert parse(text).fts5() == ""


def test_repeats_are_dropped_and_terms_capped():
    assert parse("a a A").terms == (Term(("a",)), Term(("A",)))
    many = " ".join(f"w{n}" for n in range(MAX_TERMS + 5))
    assert len(parse(many).terms) == MAX_TERMS


def test_the_last_unquoted_term_can_be_a_prefix():
    assert parse("big carr").fts5(prefix_last=True) == '"big" "carr"*'
    assert parse('carr "big"').fts5(prefix_last=True) == '"carr" "big"'
    assert parse("e-mai").tsquery_prefix() == "e <-> mai:*"
    assert parse('"big"').tsquery_prefix() is None
    assert parse("big carr").without_last().terms == (Term(("big",)),)


def test_decomposed_accents_are_composed():
    assert parse("e\u0301te\u0301").terms == (Term(("\u00e9t\u00e9",)),)


@pytest.fixture
def fts5() -> sqlite3.Connection:
    connection = sqlite3.connect(":memory:")
    connection.execute(
        "CREATE VIRTUAL TABLE t USING fts5(title, text, "
        "tokenize='porter unicode61 remove_diacritics 2')"
    )
    connection.execute("INSERT INTO t VALUES ('Meetings', 'a b c OR NEAR title')")
    return connection


def test_no_query_is_an_fts5_syntax_error(fts5):
    generator = random.Random(12)
    alphabet = "ab \"'*-+^():{}<>&|!,.\\%_\x00NEAROTD\u00e9\u0301\ue000"
    fuzz = ["".join(generator.choices(alphabet, k=12)) for _ in range(400)]
    for text in NASTY + fuzz:
        query = parse(text)
        for prefix in (False, True):
            match = query.fts5(prefix_last=prefix)
            if match:  # an empty query is never run
                fts5.execute("SELECT rowid FROM t WHERE t MATCH ?", (match,)).fetchall()


def test_stemmed_words_and_phrases_match_in_fts5(fts5):
    def found(text: str, prefix: bool = False) -> bool:
        match = parse(text).fts5(prefix_last=prefix)
        return bool(
            fts5.execute("SELECT 1 FROM t WHERE t MATCH ?", (match,)).fetchall()
        )

    assert found("meeting") and found("meet") and found("OR near")
    assert found('"b c"') and not found('"c b"')
    assert found("meetings") and not found("meetin") and found("mee", prefix=True)
