"""A backup and its restore keep every record and every uploaded file (SQLite's online
backup or pg_dump / pg_restore, whichever database the suite runs on)."""

import tarfile
from datetime import date

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.core.management.base import CommandError

from candidates.models import Candidate
from core.backup import backup_create, backup_restore, stored_files, table_counts
from units.kinds import ensure_default_kinds
from units.models import Unit, UnitKind
from units.services import unit_create

FILES = {
    "ke-hoach/145-KH-HU.pdf": b"%PDF-1.7 ke hoach 145",
    "bao-cao.docx": b"PK\x03\x04 bao cao",
}


@pytest.fixture(params=["local", "s3"])
def media(request, tmp_path, settings):
    """The stored files of a plan and a report, in a local folder (the default) or in a
    bucket of a local S3-compatible server (several app servers, docs/deploy.md): the
    backup reads them and the restore writes them through Django's storage API."""
    if request.param == "local":
        _local_storage(settings, tmp_path / "media")
    else:
        request.getfixturevalue("s3_storage")
    for name, content in FILES.items():
        assert default_storage.save(name, ContentFile(content)) == name
    return default_storage


def _local_storage(settings, folder) -> None:
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(folder)},
        },
    }


@pytest.fixture
def data(transactional_db):
    ensure_default_kinds(UnitKind)
    root = unit_create(
        actor=None, parent=None, kind=UnitKind.objects.get(code="committee"), code="HU",
        name="Huyện ủy Hiệp Hòa",
    )  # fmt: skip
    school = unit_create(
        actor=None, parent=root, kind=UnitKind.objects.get(code="high_school"), code="THPT",
        name="Trường THPT Hiệp Hòa số 1", has_party_organisation=True,
    )  # fmt: skip
    Candidate.objects.create(
        unit=school, family_name="Nguyễn Thị", given_name="Hoa", date_of_birth=date(2006, 3, 10),
        sex="female", category="student", citizen_id="024306001234",
    )  # fmt: skip
    return school


def test_a_round_trip_keeps_every_record_and_file(data, media, tmp_path):
    before = table_counts()
    assert before["candidates.Candidate"] == 1 and before["units.Unit"] == 2
    summary = backup_create(tmp_path / "ptdv.tar.gz")
    assert summary.files == 2
    with tarfile.open(summary.path) as archive:
        names = set(archive.getnames())
    assert {"manifest.json", "media/ke-hoach/145-KH-HU.pdf", "media/bao-cao.docx"} <= names

    # The data changes after the backup: a person goes, another comes, files change.
    Candidate.objects.all().delete()
    Candidate.objects.create(
        unit=data, family_name="Trần Văn", given_name="Nam", date_of_birth=date(2005, 1, 1),
        sex="male", category="student",
    )  # fmt: skip
    media.delete("bao-cao.docx")
    media.save("la.txt", ContentFile("không có trong bản sao lưu".encode()))
    assert stored_files() == ["ke-hoach/145-KH-HU.pdf", "la.txt"]

    backup_restore(summary.path)
    assert table_counts() == before
    person = Candidate.objects.get()
    assert (person.full_name, person.citizen_id) == ("Nguyễn Thị Hoa", "024306001234")
    assert Unit.objects.get(code="THPT").name == "Trường THPT Hiệp Hòa số 1"
    assert stored_files() == sorted(FILES)
    for name, content in FILES.items():
        with media.open(name, "rb") as fh:
            assert fh.read() == content


def test_the_commands_and_their_refusals(data, media, tmp_path, capsys):
    path = tmp_path / "sao-luu.tar.gz"
    call_command("backup", "--output", str(path))
    assert "sao-luu.tar.gz" in capsys.readouterr().out
    call_command("restore", str(path), "--yes")
    assert "2" in capsys.readouterr().out and Candidate.objects.count() == 1
    with pytest.raises(CommandError, match="manifest.json"):
        bogus = tmp_path / "khac.tar.gz"
        with tarfile.open(bogus, "w:gz"):
            pass
        call_command("restore", str(bogus), "--yes")
    with pytest.raises(CommandError):
        call_command("restore", str(tmp_path / "khong-co.tar.gz"), "--yes")
    assert Candidate.objects.count() == 1  # a refused restore changes nothing


@pytest.mark.parametrize("media", ["local"], indirect=True)
def test_moving_to_a_bucket_is_a_backup_and_a_restore(data, media, tmp_path, request):
    """One server's local files go into the shared bucket of several (docs/deploy.md)."""
    summary = backup_create(tmp_path / "mot-may.tar.gz")
    bucket = request.getfixturevalue("s3_storage")
    assert bucket.keys() == [] and stored_files() == []
    restored = backup_restore(summary.path)
    assert restored.files == len(FILES)
    assert bucket.keys() == sorted(FILES)
    assert {name: bucket.read(name) for name in FILES} == FILES
