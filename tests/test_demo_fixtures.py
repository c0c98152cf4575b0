"""The demo the fixtures put back from their session snapshot (tests/conftest.py) is the demo
the commands write: the same rows in the same tables, which the idempotent commands, run
again on top, find in place and leave as they are."""

import pytest
from django.db import connection, transaction

from demo.classes import demo_classes_load

from .conftest import load_district, read_tables, restore_rows

pytestmark = pytest.mark.django_db


def _all_tables() -> list[str]:
    return sorted(connection.introspection.django_table_names(only_existing=True))


def _counts(tables) -> dict[str, int]:
    """Rows per table; the audit trail's changes aside: the first event of the session also
    takes the changes noted while the test database was migrated (the Board group's sync
    after ``migrate``, outside any event), so they count once, in whichever loading is
    first."""
    read = read_tables(t for t in tables if t != "core_auditchange")
    return {table: len(rows) for table, (_columns, rows) in read.items()}


def _loaded_counts(*steps) -> dict[str, int]:
    """Row counts of every table after ``steps``, in a transaction rolled back."""
    with transaction.atomic():
        for step in steps:
            step()
        counts = _counts(_all_tables())
        transaction.set_rollback(True)
    return counts


def test_the_district_put_back_is_the_one_load_demo_writes(demo_rows):
    loaded = _loaded_counts(lambda: load_district("--no-classes"))
    assert restore_rows(demo_rows)
    assert _counts(_all_tables()) == loaded
    assert loaded["units_unit"] > 0 and loaded["auth_user"] > 0

    before = read_tables(_all_tables())
    load_district("--no-classes")  # finds everything in place: writes nothing, audits nothing
    assert read_tables(_all_tables()) == before


def test_the_classes_put_back_are_the_ones_the_demo_plays(demo_rows, demo_classes_rows):
    loaded = _loaded_counts(lambda: load_district("--no-classes"), demo_classes_load)
    assert restore_rows(demo_rows) and restore_rows(demo_classes_rows)
    assert _counts(_all_tables()) == loaded

    before = read_tables(_all_tables())
    assert demo_classes_load() == 0  # every class is there already
    assert read_tables(_all_tables()) == before


def test_rows_are_not_put_back_over_another_demo(demo_rows):
    assert restore_rows(demo_rows)
    before = read_tables(_all_tables())
    assert not restore_rows(demo_rows)  # the fixtures load the demo through the command then
    assert read_tables(_all_tables()) == before
