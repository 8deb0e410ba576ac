"""Whole numbers typed by strangers: ids, page numbers, counts.

Every number read from a request (a URL part, a query argument, a form
field) goes through :func:`parse_int`. Only ASCII digits count (``²`` and
``٣`` are digits to ``str.isdigit`` but not to ``int``), and the value is
bounded, so that no database is asked about a number its integer columns
cannot hold (SQLite's "int too large", PostgreSQL's "out of range").
"""

from __future__ import annotations

import re

#: The largest id any table holds: PostgreSQL's ``integer`` (SQLite's is wider).
MAX_ID = 2**31 - 1
_DIGITS = re.compile(r"[0-9]{1,10}")


def parse_int(value: object, *, minimum: int = 1, maximum: int = MAX_ID) -> int | None:
    """``value`` as a whole number in ``minimum..maximum``, or ``None``.

    Surrounding spaces are allowed; signs, Unicode digits, decimals and
    anything longer than ten digits are not.
    """
    if not isinstance(value, str):
        return None
    text = value.strip()
    if not _DIGITS.fullmatch(text):
        return None
    number = int(text)
    return number if minimum <= number <= maximum else None


def parse_ids(values: list[str]) -> list[int]:
    """The valid ids among ``values`` (a form's repeated field), in order,
    each once."""
    ids = (parse_int(value) for value in values)
    return list(dict.fromkeys(id_ for id_ in ids if id_ is not None))
