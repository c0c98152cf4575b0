"""scripts/fetch_fonts.py without the network: checksum first, only the named files."""

import base64
import hashlib
import importlib.util
import io
import tarfile
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "fetch_fonts.py"


@pytest.fixture
def fetch_fonts(monkeypatch):
    spec = importlib.util.spec_from_file_location("fetch_fonts", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)

    def no_network(url, timeout):
        raise AssertionError("the tests must not download anything")

    monkeypatch.setattr(module, "download", no_network)
    return module


def tarball(names: list[str], extra: dict[str, bytes] | None = None) -> bytes:
    out = io.BytesIO()
    with tarfile.open(fileobj=out, mode="w:gz") as tar:
        files = {name: name.encode() for name in names} | (extra or {})
        for name, content in files.items():
            info = tarfile.TarInfo(name)
            info.size = len(content)
            tar.addfile(info, io.BytesIO(content))
    return out.getvalue()


def package_of(module, **extra) -> bytes:
    names = [
        f"package/{n}" if n in module.EXTRAS else f"package/files/{n}"
        for n in module.wanted_files()
    ]
    return tarball(names + ["package/files/tinos-greek-400-normal.woff"], extra)


def integrity(data: bytes) -> str:
    return "sha512-" + base64.b64encode(hashlib.sha512(data).digest()).decode()


def test_pinned_package_and_subsets(fetch_fonts):
    assert fetch_fonts.URL.endswith("/@fontsource/tinos/-/tinos-5.3.0.tgz")
    assert fetch_fonts.INTEGRITY.startswith("sha512-")
    files = fetch_fonts.wanted_files()
    assert "tinos-vietnamese-700-italic.woff" in files and "tinos-latin-400-normal.woff" in files
    assert not any("woff2" in f or "greek" in f for f in files)


def test_extracts_only_the_named_files_once_verified(fetch_fonts, monkeypatch, tmp_path):
    data = package_of(fetch_fonts, **{"package/../../evil.txt": b"no"})
    monkeypatch.setattr(fetch_fonts, "INTEGRITY", integrity(data))
    source = tmp_path / "tinos.tgz"
    source.write_bytes(data)
    dest = tmp_path / "fonts"

    assert fetch_fonts.main(["--dest", str(dest), "--from-file", str(source)]) == 0

    assert sorted(p.name for p in dest.iterdir()) == sorted(
        fetch_fonts.wanted_files() + ["VERSION"]
    )
    assert not (tmp_path / "evil.txt").exists()
    assert fetch_fonts.is_current(dest)
    # Done once: a second run neither downloads nor reads anything.
    assert fetch_fonts.main(["--dest", str(dest)]) == 0


def test_a_wrong_checksum_writes_nothing(fetch_fonts, tmp_path, capsys):
    source = tmp_path / "tinos.tgz"
    source.write_bytes(package_of(fetch_fonts))
    dest = tmp_path / "fonts"

    assert fetch_fonts.main(["--dest", str(dest), "--from-file", str(source)]) == 1
    assert "checksum mismatch" in capsys.readouterr().err
    assert not dest.exists()


def test_offline_is_a_soft_failure(fetch_fonts, monkeypatch, tmp_path, capsys):
    def offline(url, timeout):
        raise fetch_fonts.FetchError(f"could not download {url}: no network")

    monkeypatch.setattr(fetch_fonts, "download", offline)
    assert fetch_fonts.main(["--dest", str(tmp_path / "fonts")]) == fetch_fonts.EX_TEMPFAIL == 75
    assert "fallback serif" in capsys.readouterr().err
