"""The database's own index: made on SQLite and PostgreSQL, refused clearly
elsewhere."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from blog.search.schema import UnsupportedDatabase, install


def test_another_database_is_refused_with_a_clear_message():
    mysql = SimpleNamespace(dialect=SimpleNamespace(name="mysql"))
    with pytest.raises(UnsupportedDatabase, match="SQLite or PostgreSQL"):
        install(mysql)  # type: ignore[arg-type]
