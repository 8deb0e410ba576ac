"""Numbers typed by strangers: ASCII digits, bounded, or nothing."""

from __future__ import annotations

import pytest

from blog.numbers import MAX_ID, parse_ids, parse_int


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1", 1),
        (" 42 ", 42),
        (str(MAX_ID), MAX_ID),
        (str(MAX_ID + 1), None),
        ("99999999999999999999", None),
        ("1" * 5000, None),
        ("0", None),
        ("-1", None),
        ("+1", None),
        ("²", None),
        ("٣", None),
        ("1.5", None),
        ("1e3", None),
        ("0x10", None),
        ("", None),
        ("1\x00", None),
        (None, None),
        (7, None),
    ],
)
def test_parse_int(text: object, expected: int | None) -> None:
    assert parse_int(text) == expected


def test_parse_int_bounds() -> None:
    assert parse_int("0", minimum=0) == 0
    assert parse_int("11", maximum=10) is None


def test_parse_ids_keeps_the_valid_ones_once_in_order() -> None:
    assert parse_ids(["3", "²", "1", "3", "99999999999999999999", "x"]) == [3, 1]
