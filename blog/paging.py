"""Pages of long lists whose cost does not grow with the list.

- :func:`paginate` finds a page by key first: a narrow query (``SELECT id
  ... ORDER BY ... LIMIT``, which an index answers alone) picks the page's
  keys, then only the page's rows are read. Reading whole rows to skip them
  (a post's row holds its body) or sorting whole rows is what made page 500
  of an archive take minutes on SQLite.
- The pager's links carry a cursor (``?page=3&after=...``: the sort values
  of the last row shown), so the next page starts where this one ended
  instead of skipping all the rows before it (keyset pagination); an
  address with a page number alone still works, by ``OFFSET``.
- Counts stop at a cap (:func:`count_up_to`): a tab or a pager says
  "1,000+" (:class:`AtLeast`) rather than counting a million comments on
  every request. Below the cap they are exact.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from flask import has_request_context, request
from flask_sqlalchemy.pagination import Pagination, SelectPagination
from sqlalchemy import (
    Boolean,
    ColumnElement,
    DateTime,
    Integer,
    Select,
    UnaryExpression,
    func,
    inspect,
    literal,
    select,
    tuple_,
)
from sqlalchemy.sql import operators
from sqlalchemy.types import TypeDecorator

from blog.extensions import db

#: Counts stop here: the dashboard shows "1,000+" beyond.
COUNT_CAP = 1_000
#: Pagers count at least this many pages past the current one.
PAGES_AHEAD = 10
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


class AtLeast(int):
    """A count that stopped at its cap: shown as ``1,000+``."""

    def __str__(self) -> str:
        return f"{int(self):,}+"

    def __format__(self, spec: str) -> str:
        return str(self) if not spec else format(int(self), spec)


def capped(found: int | None, cap: int, offset: int = 0) -> int:
    """``offset`` plus ``found`` rows of a count limited to ``cap + 1``:
    exact, or an :class:`AtLeast`."""
    found = int(found or 0)
    return AtLeast(offset + cap) if found > cap else offset + found


def count_up_to(query: Select[Any], cap: int = COUNT_CAP) -> ColumnElement[int]:
    """A scalar subquery counting the rows of ``query``, reading at most
    ``cap + 1`` of them (pass the result through :func:`capped`)."""
    limited = query.order_by(None).with_only_columns(literal(1)).limit(cap + 1)
    return select(func.count()).select_from(limited.subquery()).scalar_subquery()


# Keyset ------------------------------------------------------------------------


class Ordering:
    """A query's ``ORDER BY``, when keyset pagination can follow it: plain
    columns, all one direction, ending with the primary key (so that no two
    rows tie), of types a cursor can carry (integers, booleans, times)."""

    def __init__(self, columns: list[ColumnElement[Any]], descending: bool) -> None:
        self.columns = columns
        self.descending = descending

    @classmethod
    def of(cls, query: Select[Any], key: ColumnElement[Any]) -> Ordering | None:
        columns, directions = [], set()
        for clause in query._order_by_clauses:
            descending = False
            if isinstance(clause, UnaryExpression) and clause.modifier in (
                operators.desc_op,
                operators.asc_op,
            ):
                descending = clause.modifier is operators.desc_op
                clause = clause.element
            if not _carried(clause):
                return None
            columns.append(clause)
            directions.add(descending)
        if len(directions) != 1 or not columns or not columns[-1].compare(key):
            return None
        return cls(columns, directions.pop())

    def encode(self, values: tuple[Any, ...]) -> str:
        return ".".join(str(_as_int(value)) for value in values)

    def decode(self, text: str) -> list[ColumnElement[Any]] | None:
        """The cursor's values as bound parameters, or ``None`` if malformed."""
        parts = text.split(".")
        if len(parts) != len(self.columns):
            return None
        try:
            numbers = [int(part) for part in parts]
        except ValueError:
            return None
        values: list[ColumnElement[Any]] = []
        for column, number in zip(self.columns, numbers, strict=True):
            value = _from_int(_kind(column), number)
            if value is None:
                return None
            values.append(literal(value, type_=column.type))
        return values

    def after(self, values: list[ColumnElement[Any]]) -> ColumnElement[bool]:
        """Rows that come after ``values`` in this order."""
        row, bound = tuple_(*self.columns), tuple_(*values)
        return row < bound if self.descending else row > bound

    def before(self, values: list[ColumnElement[Any]]) -> ColumnElement[bool]:
        """Rows that come before ``values`` in this order."""
        row, bound = tuple_(*self.columns), tuple_(*values)
        return row > bound if self.descending else row < bound

    def from_(self, values: list[ColumnElement[Any]]) -> ColumnElement[bool]:
        """The row at ``values`` and those after it."""
        row, bound = tuple_(*self.columns), tuple_(*values)
        return row <= bound if self.descending else row >= bound

    def reversed(self) -> list[ColumnElement[Any]]:
        return [c.asc() if self.descending else c.desc() for c in self.columns]


def _carried(clause: Any) -> bool:
    return isinstance(clause, ColumnElement) and _kind(clause) is not None


def _kind(column: ColumnElement[Any]) -> type | None:
    """What a cursor carries for this column: ``int``, ``bool`` or ``datetime``."""
    type_ = column.type
    if isinstance(type_, TypeDecorator):
        type_ = type_.impl_instance
    for sql_type, kind in ((Boolean, bool), (Integer, int), (DateTime, datetime)):
        if isinstance(type_, sql_type):
            return kind
    return None


def _as_int(value: Any) -> int:
    if isinstance(value, datetime):
        delta = value - _EPOCH
        return (delta.days * 86_400 + delta.seconds) * 1_000_000 + delta.microseconds
    return int(value)


def _from_int(kind: type | None, number: int) -> Any:
    if kind is datetime:
        try:
            return datetime.fromtimestamp(number // 1_000_000, UTC).replace(
                microsecond=number % 1_000_000
            )
        except (OverflowError, OSError, ValueError):
            return None
    if kind is bool:
        return bool(number) if number in (0, 1) else None
    return number


# Pagination --------------------------------------------------------------------


class KeyedPagination(SelectPagination):
    """Flask-SQLAlchemy's pagination of a ``select()`` of one entity, which
    reads the page's keys before its rows, follows the cursor of the link
    that led here (``after``/``before``), and counts up to a cap (``cap``;
    ``None``: exactly). ``next_cursor`` and ``prev_cursor`` are the query
    arguments of the pager's links."""

    next_cursor: dict[str, str]
    prev_cursor: dict[str, str]

    @property
    def pages(self) -> int:
        """The number of pages (an :class:`AtLeast` when the count stopped)."""
        pages = super().pages
        return AtLeast(pages) if isinstance(self.total, AtLeast) else pages

    def _key(self) -> ColumnElement[Any]:
        select_ = self._query_args["select"]
        entity = select_.column_descriptions[0]["entity"]
        key: ColumnElement[Any] = inspect(entity).primary_key[0]
        return key

    def _query_items(self) -> list[Any]:
        select_: Select[Any] = self._query_args["select"]
        key = self._key()
        ordering = Ordering.of(select_, key)
        self._ordering = ordering
        self._start: list[ColumnElement[Any]] | None = None
        keys = select_.with_only_columns(key.label("page_key"))
        if ordering is not None:
            sort = [c.label(f"sort_{n}") for n, c in enumerate(ordering.columns)]
            keys = select_.with_only_columns(key.label("page_key"), *sort)
        keys = self._window(keys, ordering)
        page = keys.limit(self.per_page).subquery("page")
        # A join (not "IN"), so that the planner starts from the page's keys.
        rows = select_.join(page, page.c.page_key == key)
        sorts = [c for c in page.c if c.name.startswith("sort_")]
        found = self._query_args["session"].execute(rows.add_columns(*sorts))
        results = found.unique().all()
        self._cursors(ordering, [tuple(r[1:]) for r in results])
        return [r[0] for r in results]

    def _window(self, keys: Select[Any], ordering: Ordering | None) -> Select[Any]:
        """The keys of this page's rows and after, from the cursor if any."""
        cursor = self._query_args.get("cursor") or {}
        if ordering is not None and self.page > 1:
            if bound := ordering.decode(cursor.get("after", "")):
                return _first(keys, ordering.after(bound))
            if bound := ordering.decode(cursor.get("before", "")):
                last_first = _first(keys, ordering.before(bound)).order_by(None)
                last_first = last_first.order_by(*ordering.reversed())
                return select(last_first.limit(self.per_page).subquery())
        return keys.offset(self._query_offset)

    def _cursors(self, ordering: Ordering | None, sorts: list[tuple[Any, ...]]) -> None:
        self.next_cursor, self.prev_cursor = {}, {}
        if ordering is None or not sorts:
            return
        self._start = [
            literal(v, type_=c.type)
            for c, v in zip(ordering.columns, sorts[0], strict=True)
        ]
        self.next_cursor = {"after": ordering.encode(sorts[-1])}
        if self.page > 2:
            self.prev_cursor = {"before": ordering.encode(sorts[0])}

    def _query_count(self) -> int:
        select_: Select[Any] = self._query_args["select"]
        keys = select_.with_only_columns(self._key())
        cap = self._query_args.get("cap")
        session = self._query_args["session"]
        if cap is None:
            query = select(func.count()).select_from(keys.order_by(None).subquery())
            return int(session.scalar(query) or 0)
        ahead = self.per_page * PAGES_AHEAD
        if self._ordering is not None and self._start is not None and self.page > 1:
            # From this page's first row on: as cheap on page 500 as on page 2.
            onward = _first(keys, self._ordering.from_(self._start))
            found = session.scalar(select(count_up_to(onward, ahead)))
            return capped(found, ahead, self._query_offset)
        cap = max(cap, self._query_offset + ahead)
        return capped(session.scalar(select(count_up_to(keys, cap))), cap)


def _first(query: Select[Any], condition: ColumnElement[bool]) -> Select[Any]:
    """``query`` with ``condition`` first in its ``WHERE``: of two bounds on
    one column (the cursor's and a list's own, such as "published before
    now"), SQLite's index range takes the first, and the cursor's is the
    one that starts the scan where the page starts."""
    query = query.where(condition)
    criteria = query._where_criteria
    query._where_criteria = (criteria[-1], *criteria[:-1])
    return query


def paginate(
    query: Select[Any],
    *,
    page: int,
    per_page: int,
    error_out: bool = True,
    cap: int | None = 0,
) -> KeyedPagination:
    """The page of ``query`` (see :class:`KeyedPagination`), following the
    request's ``after``/``before`` cursor; the total is counted
    :data:`PAGES_AHEAD` pages past this one (or ``cap`` rows if more; ``None``:
    all of them), and is an :class:`AtLeast` when there are more ("Page 1 of
    10+"). 404 past the last page if ``error_out``."""
    cursor = {}
    if has_request_context():
        cursor = {
            name: request.args[name]
            for name in ("after", "before")
            if name in request.args
        }
    return KeyedPagination(
        select=query,
        session=db.session(),
        page=page,
        per_page=per_page,
        error_out=error_out,
        cap=cap,
        cursor=cursor,
    )


class ListPagination(Pagination):
    """A page of a list made in Python (events merged with the dates of
    repeating ones), with the interface the pager and ``listing_meta``
    use. ``items`` need only reach the end of this page; ``total`` counts
    the whole list. Never aborts: the view decides what an empty page is."""

    next_cursor: dict[str, str]
    prev_cursor: dict[str, str]

    def __init__(
        self, items: Sequence[Any], *, page: int, per_page: int, total: int
    ) -> None:
        super().__init__(
            page=max(page, 1),
            per_page=max(per_page, 1),
            max_per_page=None,
            error_out=False,
            items=items,
            total=total,
        )
        self.next_cursor, self.prev_cursor = {}, {}

    def _query_items(self) -> list[Any]:
        start = self._query_offset
        return list(self._query_args["items"][start : start + self.per_page])

    def _query_count(self) -> int:
        return int(self._query_args["total"])
