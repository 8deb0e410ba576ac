"""blog.database: searching text literally, whatever the words hold."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from blog.database import contains, like_pattern
from blog.extensions import db
from blog.models import Post

TITLES = [
    "50% off everything",
    "500 offers",  # what "50%" would match if % were a wildcard
    "a_b testing",
    "axb testing",  # what "a_b" would match if _ were a wildcard
    "C:\\temp folder",
    "C:temp folder",  # what "C:\temp" would match if \ escaped the t
    "C:\\\\temp doubled",
]


@pytest.fixture
def posts(make_post):  # type: ignore[no-untyped-def]
    for title in TITLES:
        make_post(title)


def found(words: str, *columns) -> list[str]:  # type: ignore[no-untyped-def]
    columns = columns or (Post.title,)
    query = select(Post.title).where(contains(words, *columns)).order_by(Post.id)
    return list(db.session.scalars(query))


def test_like_pattern_escapes_the_wildcards_and_the_escape():
    assert like_pattern("plain") == "%plain%"
    assert like_pattern("50%") == "%50\\%%"
    assert like_pattern("a_b") == "%a\\_b%"
    assert like_pattern("C:\\temp") == "%C:\\\\temp%"


@pytest.mark.parametrize(
    ("words", "expected"),
    [
        ("50%", ["50% off everything"]),
        ("a_b", ["a_b testing"]),
        ("C:\\temp", ["C:\\temp folder"]),
        ("\\\\", ["C:\\\\temp doubled"]),
        ("%", ["50% off everything"]),
        ("_", ["a_b testing"]),
    ],
)
def test_contains_matches_literally_and_nothing_else(app, posts, words, expected):
    with app.app_context():
        assert found(words) == expected


def test_contains_ignores_case(app, posts):
    with app.app_context():
        assert found("A_B TESTING") == ["a_b testing"]
        assert found("c:\\TEMP") == ["C:\\temp folder"]


def test_contains_searches_any_of_the_columns(app, make_post):
    make_post("Plain title", body="The body says 100% sure.")
    make_post("100% in the title", body="Nothing special.")
    make_post("Another", body="1000 reasons")
    with app.app_context():
        assert found("100%", Post.title) == ["100% in the title"]
        assert found("100%", Post.title, Post.body_source) == [
            "Plain title",
            "100% in the title",
        ]


def test_contains_without_columns_matches_nothing(app, posts):
    with app.app_context():
        query = select(Post.title).where(contains("50%"))
        assert list(db.session.scalars(query)) == []


def test_lower_folds_every_letter_as_python_does(app, make_post):
    """SQLite's built-in lower() leaves "É" alone; names are compared with
    Python's lower(), so the database must agree (PostgreSQL already does)."""
    from sqlalchemy import func

    make_post("Économie ÉTUDIANTS")
    with app.app_context():
        lowered = db.session.scalar(select(func.lower(Post.title)))
        assert found("économie") == ["Économie ÉTUDIANTS"]
    assert lowered == "économie étudiants"


def test_a_term_with_an_accented_capital_is_found_again(app, make_user):
    from blog.models import Taxonomy
    from blog.posts.taxonomy import resolve_terms

    with app.app_context():
        first = resolve_terms(Taxonomy.AUDIENCE, ["Étudiants"], create=True)
        db.session.commit()
        again = resolve_terms(Taxonomy.AUDIENCE, ["Étudiants"], create=True)
        db.session.commit()
        assert [t.id for t in again] == [t.id for t in first]
