"""``manage.py import_candidates FILE [--unit CODE] [--dry-run] [--user USERNAME]``."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from candidates.models import Candidate
from core.models import AuditEvent

from .test_import import NAME_ROW_HEADERS, name_row, people, sheet_file, template_file


def run(*args) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("import_candidates", *map(str, args), stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def run_failing(*args) -> tuple[CommandError, str]:
    err = StringIO()
    with pytest.raises(CommandError) as failed:
        call_command("import_candidates", *map(str, args), stdout=StringIO(), stderr=err)
    return failed.value, err.getvalue()


@pytest.fixture
def school(demo):
    return demo["THPT-HH1"]


def test_clean_file_is_written_and_counted(tmp_path, school):
    path = tmp_path / "ds.xlsx"
    path.write_bytes(template_file(people(4)))

    out, err = run(path, "--unit", "THPT-HH1")

    assert err == ""
    assert school.candidates.count() == 4
    assert "4" in out and school.name in out
    event = AuditEvent.objects.get(action="candidate_import")
    assert event.actor is None and event.details["created"] == 4
    # the same file again: the same people, unchanged
    run(path, "--unit", "THPT-HH1")
    assert Candidate.objects.count() == 4
    assert (
        AuditEvent.objects.filter(action="candidate_import")
        .order_by("pk")
        .last()
        .details["unchanged"]
        == 4
    )


def test_errors_are_printed_one_a_line_and_nothing_is_written(tmp_path, school):
    rows = people(5)
    rows[1]["date_of_birth"] = "31/02/2006"
    rows[3]["sex"] = "?"
    path = tmp_path / "ds.xlsx"
    path.write_bytes(template_file(rows, unit=school))

    error, err = run_failing(path)

    lines = err.strip().splitlines()
    assert len(lines) == 2
    assert "6" in lines[0] and "“Ngày sinh (dd/mm/yyyy)”" in lines[0]
    assert "8" in lines[1] and "“Giới tính (Nam/Nữ)”" in lines[1]
    assert "2" in str(error)
    assert not Candidate.objects.exists()


def test_dry_run_says_what_it_would_do_and_writes_nothing(tmp_path, school):
    rows = people(3)
    path = tmp_path / "ds.xlsx"
    path.write_bytes(template_file(rows, unit=school))

    out, _err = run(path, "--dry-run")

    assert not Candidate.objects.exists()
    assert not AuditEvent.objects.filter(action="candidate_import").exists()
    assert len(out.strip().splitlines()) == 4  # a line a row, then the counts
    assert rows[0]["given_name"] in out and "THPT-HH1" in out


def test_rows_go_to_the_unit_their_column_names(tmp_path, demo):
    a, b = people(2)
    path = tmp_path / "ds.xlsx"
    path.write_bytes(
        sheet_file(
            [
                [*NAME_ROW_HEADERS, "Đơn vị"],
                name_row(a, "THPT Hiệp Hòa 1"),  # an alias
                name_row(b, "Công ty may Hà Phong"),
            ]
        )
    )
    run(path)
    assert Candidate.objects.get(citizen_id=a["citizen_id"]).unit == demo["THPT-HH1"]
    hp = Candidate.objects.get(citizen_id=b["citizen_id"])
    assert hp.unit == demo["DN-HAPHONG"] and hp.category == "worker"


def test_a_file_that_names_no_unit_needs_unit(tmp_path, demo):
    path = tmp_path / "ds.xlsx"
    path.write_bytes(template_file(people(1)))
    error, _err = run_failing(path)
    assert "--unit" in str(error)
    assert not Candidate.objects.exists()


def test_user_rights_apply_with_user(tmp_path, demo):
    path = tmp_path / "ds.xlsx"
    path.write_bytes(template_file(people(2)))
    _error, err = run_failing(path, "--unit", "THPT-HH2", "--user", "bithu.thpt1")
    assert err.strip()
    assert not Candidate.objects.exists()
    run(path, "--unit", "THPT-HH1", "--user", "bithu.thpt1")
    event = AuditEvent.objects.get(action="candidate_import")
    assert event.actor.username == "bithu.thpt1"


@pytest.mark.parametrize(
    "args",
    [
        ("--unit", "KHONG-CO"),
        ("--user", "nobody"),
    ],
)
def test_unknown_unit_or_user(tmp_path, demo, args):
    path = tmp_path / "ds.xlsx"
    path.write_bytes(template_file(people(1)))
    error, _err = run_failing(path, *args)
    assert args[1] in str(error)
    assert not Candidate.objects.exists()


def test_missing_file(tmp_path, demo):
    error, _err = run_failing(tmp_path / "none.xlsx", "--unit", "THPT-HH1")
    assert "none.xlsx" in str(error)
