"""The idioms the revisions in `versions/` share, built once: a table created with its
integer `id` and the primary key on it (and a table of counts), the columns several tables
hold (`uuid`, `token_hash`, `created_at`/`updated_at`, a place), and foreign keys, unique
and check constraints and indexes named as the models' naming convention names them
(`coalition/database.py`).

FROZEN. A revision that imports a builder has run, on every database that has it, with
what the builder produced on that day: a builder that produced something else would give
a new database another schema than an old one at the same revision. Never change what a
builder here produces (a column, a type, a name, an `ON DELETE`); a revision that needs
something else spells it out, or uses a new builder.

The names are written out with `op.f()`, as autogenerate writes them, so that they stay
what they were whatever naming convention the models have later. Alembic finds this
module through `prepend_sys_path` in `alembic.ini` (the revisions are loaded by file, not
as a package).

The revisions write only `nullable=False`: a column that does not say so is nullable,
`sa.Column`'s default.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op


def id_primary_key(table: str) -> tuple[sa.Column, sa.PrimaryKeyConstraint]:
    """`id`, an integer, not null, and the primary key `pk_<table>` on it."""
    return (
        sa.Column("id", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f(f"pk_{table}")),
    )


def create_table_with_id(table: str, *items: sa.SchemaItem) -> sa.Table:
    """`op.create_table`, its integer `id` first and the primary key on it (`id_primary_key`),
    then `items` (the table's other columns and its constraints) in this order."""
    return op.create_table(table, *id_primary_key(table), *items)


def create_counts_table(
    table: str, *constraints: sa.Constraint, **keys: sa.types.TypeEngine
) -> sa.Table:
    """A table of counts, a row per key: `id`, the key columns in this order (each of its
    type, not null), `count` (an integer, not null), then `constraints`, then the key
    columns unique together (`unique`)."""
    return create_table_with_id(
        table,
        *(sa.Column(name, type_, nullable=False) for name, type_ in keys.items()),
        sa.Column("count", sa.Integer(), nullable=False),
        *constraints,
        unique(table, *keys),
    )


def uuid_column() -> sa.Column:
    """`uuid`, not null: a row's public, stable id, so that no sequential id leaves the
    platform (each table that has one makes it unique: `unique(table, "uuid")`)."""
    return sa.Column("uuid", sa.Uuid(), nullable=False)


def token_hash_column() -> sa.Column:
    """`token_hash`, not null: the SHA-256 (in hex) of a token sent by mail, which is never
    stored itself (each table that has one makes it unique: `unique(table, "token_hash")`)."""
    return sa.Column("token_hash", sa.String(length=64), nullable=False)


def timestamps() -> tuple[sa.Column, sa.Column]:
    """`created_at` and `updated_at`, with time zone, not null."""
    return (
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    )


def place_columns() -> tuple[sa.Column, ...]:
    """Where a branch or a programme is: `postcode`, `city`, `country` (ISO 3166-1 alpha-2),
    not null, then the coordinates of the postcode's centre, `latitude` and `longitude`."""
    return (
        sa.Column("postcode", sa.String(length=10), nullable=False),
        sa.Column("city", sa.String(length=120), nullable=False),
        sa.Column("country", sa.String(length=2), nullable=False),
        sa.Column("latitude", sa.Float()),
        sa.Column("longitude", sa.Float()),
    )


def foreign_key(
    table: str, column: str, referred: str, ondelete: str | None = None
) -> sa.ForeignKeyConstraint:
    """`table.column` refers to `referred.id`: `fk_<table>_<column>_<referred>`."""
    return sa.ForeignKeyConstraint(
        [column],
        [f"{referred}.id"],
        name=op.f(f"fk_{table}_{column}_{referred}"),
        ondelete=ondelete,
    )


def foreign_keys(table: str, **referred: str) -> tuple[sa.ForeignKeyConstraint, ...]:
    """`foreign_key(table, column, to)` for each `column=to`, in this order (none with an
    `ON DELETE`: such a key is written with `foreign_key`)."""
    return tuple(foreign_key(table, column, to) for column, to in referred.items())


def unique(table: str, *columns: str) -> sa.UniqueConstraint:
    """The columns are unique together: `uq_<table>_<first column>`."""
    return sa.UniqueConstraint(*columns, name=op.f(f"uq_{table}_{columns[0]}"))


def quarter_check(table: str) -> sa.CheckConstraint:
    """`quarter` is 1, 2, 3 or 4: `ck_<table>_quarter`."""
    return sa.CheckConstraint("quarter BETWEEN 1 AND 4", name=op.f(f"ck_{table}_quarter"))


def create_indexes(table: str, *columns: str) -> None:
    """A plain index on each column, in this order: `ix_<table>_<column>`."""
    for column in columns:
        op.create_index(op.f(f"ix_{table}_{column}"), table, [column], unique=False)


def create_named_index(table: str, name: str, *columns: str) -> None:
    """A plain index on the columns together, in this order: `ix_<table>_<name>`."""
    op.create_index(op.f(f"ix_{table}_{name}"), table, list(columns), unique=False)
