"""The portable dump: typed values, and any schema dumped and loaded exactly."""

from __future__ import annotations

import json
import math
import uuid
from datetime import UTC, date, datetime, time, timedelta, timezone
from decimal import Decimal

import pytest
from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Integer,
    LargeBinary,
    MetaData,
    Numeric,
    String,
    Table,
    Time,
    create_engine,
    insert,
    select,
    text,
)
from sqlalchemy.pool import NullPool

from blog.backup import portable
from blog.backup.errors import BackupError


@pytest.mark.parametrize(
    "value",
    [
        None,
        True,
        False,
        0,
        -(2**62),
        "text with \u00e9 and \u2603 and \n newlines",
        1.5,
        float("inf"),
        float("-inf"),
        datetime(2024, 2, 29, 23, 59, 59, 999999),
        datetime(2024, 2, 29, 23, 59, 59, tzinfo=UTC),
        datetime(2024, 6, 1, 8, 0, tzinfo=timezone(timedelta(hours=-4))),
        date(1900, 1, 1),
        time(13, 45, 1, 250),
        timedelta(days=-1, seconds=5, microseconds=7),
        Decimal("12345678901234567890.000000001"),
        b"\x00\xffbinary\x80",
        uuid.UUID("12345678-1234-5678-1234-567812345678"),
        [1, "two", datetime(2020, 1, 1)],
    ],
)
def test_values_survive_json(value):
    encoded = json.loads(json.dumps(portable.encode(value), allow_nan=False))
    decoded = portable.decode(encoded)
    assert decoded == (list(value) if isinstance(value, tuple) else value)
    assert type(decoded) is type(value)
    if isinstance(value, datetime):
        assert decoded.tzinfo == value.tzinfo


def test_nan_survives():
    encoded = json.loads(json.dumps(portable.encode(float("nan")), allow_nan=False))
    assert math.isnan(portable.decode(encoded))


def test_unknown_types_and_tags_are_refused():
    with pytest.raises(BackupError, match="object"):
        portable.encode(object())
    with pytest.raises(BackupError, match="tag"):
        portable.decode({"$nope": 1})


def test_json_text_keeps_sql_null_and_json_null_apart():
    assert portable.decode_json(None) is None
    assert portable.decode_json("null") is JSON.NULL
    assert portable.decode_json('{"a": [1, null]}') == {"a": [1, None]}


def test_member_names_are_safe():
    assert portable.member_name(3, "posts") == "database/tables/003-posts.jsonl"
    assert (
        portable.member_name(12, "../we ird") == "database/tables/012-.._we_ird.jsonl"
    )


def _schema() -> MetaData:
    """A schema that is not the blog's: dumping reads whatever is there."""
    metadata = MetaData()
    Table(
        "owners",
        metadata,
        Column("id", Integer, primary_key=True),
        Column("name", String(50), nullable=False),
    )
    Table(
        "things",
        metadata,
        Column("id", Integer, primary_key=True),
        Column("owner_id", ForeignKey("owners.id"), nullable=False),
        Column("parent_id", ForeignKey("things.id")),
        Column("at", DateTime),
        Column("on", Date),
        Column("when", Time),
        Column("flag", Boolean),
        Column("blob", LargeBinary),
        Column("price", Numeric(12, 4)),
        Column("ratio", Float),
        Column("data", JSON(none_as_null=True)),
    )
    Table("alembic_version", metadata, Column("version_num", String(32)))
    return metadata


ROWS = [
    {
        "id": 1,
        "owner_id": 1,
        "parent_id": None,
        "at": datetime(2024, 1, 2, 3, 4, 5, 678901),
        "on": date(2024, 1, 2),
        "when": time(3, 4, 5),
        "flag": True,
        "blob": bytes(range(256)),
        "price": Decimal("12.3400"),
        "ratio": 0.1,
        "data": {"nested": [1, None, "\u00e9"], "empty": {}},
    },
    {
        "id": 2,
        "owner_id": 1,
        "parent_id": 1,
        "at": None,
        "on": None,
        "when": None,
        "flag": False,
        "blob": b"",
        "price": None,
        "ratio": None,
        "data": None,  # SQL NULL
    },
    {
        "id": 3,
        "owner_id": 1,
        "parent_id": 1,
        "at": None,
        "on": None,
        "when": None,
        "flag": None,
        "blob": None,
        "price": None,
        "ratio": -2.5,
        "data": JSON.NULL,  # the JSON value null
    },
]


def _raw_json(engine) -> list[object]:  # type: ignore[no-untyped-def]
    with engine.connect() as connection:
        return list(
            connection.scalars(
                text("SELECT CAST(data AS TEXT) FROM things ORDER BY id")
            )
        )


def test_dump_and_load_any_schema_exactly(tmp_path):
    metadata = _schema()
    source = create_engine(f"sqlite:///{tmp_path / 'a.sqlite3'}", poolclass=NullPool)
    target = create_engine(f"sqlite:///{tmp_path / 'b.sqlite3'}", poolclass=NullPool)
    metadata.create_all(source)
    metadata.create_all(target)
    with source.begin() as connection:
        connection.execute(
            insert(metadata.tables["owners"]),
            [{"id": 1, "name": "Ann\r\nLine\u2028two"}],
        )
        connection.execute(insert(metadata.tables["things"]), ROWS)
        connection.execute(
            insert(metadata.tables["alembic_version"]), [{"version_num": "0042"}]
        )

    with source.connect() as connection:
        dumped = portable.dump(connection, tmp_path / "dump")
        assert portable.alembic_revision(connection) == "0042"
    entries = {entry.name: entry for entry, _ in dumped}
    assert set(entries) == {"owners", "things"}  # Alembic's table is not data
    assert entries["things"].rows == 3
    assert entries["things"].json_columns == ("data",)

    with target.begin() as connection:
        portable.check_compatible(connection, tuple(entries.values()))
        portable.defer_constraints(connection)
        assert portable.load(connection, dumped) == 4

    with source.connect() as a, target.connect() as b:
        for table in (metadata.tables["owners"], metadata.tables["things"]):
            query = select(table).order_by(table.c.id)
            assert a.execute(query).all() == b.execute(query).all()
        owner = b.scalar(select(metadata.tables["owners"].c.name))
        assert owner == "Ann\r\nLine\u2028two"
    assert (
        _raw_json(target)
        == _raw_json(source)
        == [
            '{"nested": [1, null, "\\u00e9"], "empty": {}}',
            None,
            "null",
        ]
    )


def test_load_refuses_a_dump_that_does_not_fit(tmp_path):
    metadata = _schema()
    source = create_engine(f"sqlite:///{tmp_path / 'a.sqlite3'}", poolclass=NullPool)
    metadata.create_all(source)
    with source.connect() as connection:
        dumped = portable.dump(connection, tmp_path / "dump")
    other = MetaData()
    Table("owners", other, Column("id", Integer, primary_key=True))
    target = create_engine(f"sqlite:///{tmp_path / 'b.sqlite3'}", poolclass=NullPool)
    other.create_all(target)
    with target.begin() as connection, pytest.raises(BackupError) as refused:
        portable.check_compatible(connection, tuple(entry for entry, _ in dumped))
    assert "column owners.name" in str(refused.value)
    assert "table things" in str(refused.value)


def test_load_checks_row_counts(tmp_path):
    metadata = _schema()
    source = create_engine(f"sqlite:///{tmp_path / 'a.sqlite3'}", poolclass=NullPool)
    metadata.create_all(source)
    with source.begin() as connection:
        connection.execute(insert(metadata.tables["owners"]), [{"id": 1, "name": "A"}])
    with source.connect() as connection:
        dumped = portable.dump(connection, tmp_path / "dump")
    owners = next((entry, path) for entry, path in dumped if entry.name == "owners")
    owners[1].write_text(owners[1].read_text() * 2)
    target = create_engine(f"sqlite:///{tmp_path / 'b.sqlite3'}", poolclass=NullPool)
    metadata.create_all(target)
    with target.begin() as connection, pytest.raises(BackupError, match="owners"):
        portable.load(connection, [owners])
