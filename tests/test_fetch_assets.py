"""scripts/fetch_assets.py without the network: checksum first, only the named files."""

import base64
import dataclasses
import hashlib
import importlib.util
import io
import tarfile
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parents[1] / "scripts" / "fetch_assets.py"


@pytest.fixture
def fetch_assets(monkeypatch):
    spec = importlib.util.spec_from_file_location("fetch_assets", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)

    def no_network(url, timeout):
        raise AssertionError("the tests must not download anything")

    monkeypatch.setattr(module, "download", no_network)
    return module


def tarball(files: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with tarfile.open(fileobj=out, mode="w:gz") as tar:
        for name, content in files.items():
            info = tarfile.TarInfo(name)
            info.size = len(content)
            tar.addfile(info, io.BytesIO(content))
    return out.getvalue()


def package_of(package, **extra) -> bytes:
    """A tarball with the package's wanted files, one it does not want, and ``extra``."""
    files = {f"package/{inside}": inside.encode() for inside, _ in package.files}
    files["package/unwanted.txt"] = b"not taken"
    return tarball(files | extra)


def integrity(data: bytes) -> str:
    return "sha512-" + base64.b64encode(hashlib.sha512(data).digest()).decode()


def repinned(module, monkeypatch, tmp_path, **extra):
    """Every package re-pinned to a fake tarball of its files, stored in tmp_path/tgz."""
    source = tmp_path / "tgz"
    source.mkdir()
    packages = []
    for package in module.PACKAGES:
        data = package_of(package, **extra)
        package = dataclasses.replace(package, integrity=integrity(data))
        (source / package.tarball).write_bytes(data)
        packages.append(package)
    monkeypatch.setattr(module, "PACKAGES", tuple(packages))
    monkeypatch.setattr(module, "BY_NAME", {p.name: p for p in packages})
    return source


def test_pinned_packages_and_files(fetch_assets):
    by_name = fetch_assets.BY_NAME
    assert sorted(by_name) == ["@fontsource/tinos", "axe-core", "tom-select"]
    for package in fetch_assets.PACKAGES:
        assert package.integrity.startswith("sha512-")
        assert "LICENSE" in package.wanted_files()
    tinos = by_name["@fontsource/tinos"]
    assert tinos.url == "https://registry.npmjs.org/@fontsource/tinos/-/tinos-5.3.0.tgz"
    assert tinos.folder == "fonts/tinos"  # where documents.pdf looks for it
    files = tinos.wanted_files()
    assert "tinos-vietnamese-700-italic.woff" in files and "tinos-latin-400-normal.woff" in files
    assert not any("woff2" in f or "greek" in f for f in files)
    assert by_name["axe-core"].url.endswith("/axe-core/-/axe-core-4.14.1.tgz")
    assert "axe.min.js" in by_name["axe-core"].wanted_files()
    assert by_name["tom-select"].url.endswith("/tom-select/-/tom-select-2.6.2.tgz")
    assert set(by_name["tom-select"].wanted_files()) == {
        "tom-select.complete.min.js",
        "tom-select.bootstrap5.min.css",
        # the maps their last lines name: collectstatic's manifest needs them
        "tom-select.complete.min.js.map",
        "tom-select.bootstrap5.min.css.map",
        "LICENSE",
    }


def test_extracts_only_the_named_files_once_verified(fetch_assets, monkeypatch, tmp_path):
    source = repinned(fetch_assets, monkeypatch, tmp_path, **{"package/../../evil.txt": b"no"})
    vendor = tmp_path / "vendor"

    assert fetch_assets.main(["--vendor", str(vendor), "--from-dir", str(source)]) == 0

    for package in fetch_assets.PACKAGES:
        dest = vendor / package.folder
        assert sorted(p.name for p in dest.iterdir()) == sorted(
            package.wanted_files() + ["VERSION"]
        )
        inside, written = package.files[0]
        assert (dest / written).read_bytes() == inside.encode()
        assert fetch_assets.is_current(package, dest)
    assert not list(tmp_path.rglob("evil.txt")) and not list(vendor.rglob("unwanted.txt"))
    # Done once: a second run neither downloads nor reads anything.
    assert fetch_assets.main(["--vendor", str(vendor)]) == 0


def test_only_one_package(fetch_assets, monkeypatch, tmp_path):
    source = repinned(fetch_assets, monkeypatch, tmp_path)
    vendor = tmp_path / "vendor"
    argv = ["--vendor", str(vendor), "--from-dir", str(source), "--only", "axe-core"]

    assert fetch_assets.main(argv) == 0
    assert (vendor / "axe-core" / "VERSION").is_file()
    assert sorted(p.name for p in vendor.iterdir()) == ["axe-core"]


def test_a_wrong_checksum_writes_nothing(fetch_assets, monkeypatch, tmp_path, capsys):
    source = repinned(fetch_assets, monkeypatch, tmp_path)
    axe = fetch_assets.BY_NAME["axe-core"]
    (source / axe.tarball).write_bytes(package_of(axe, **{"package/extra.js": b"tampered"}))
    vendor = tmp_path / "vendor"

    assert fetch_assets.main(["--vendor", str(vendor), "--from-dir", str(source)]) == 1
    assert "checksum mismatch for axe-core@4.14.1" in capsys.readouterr().err
    assert not (vendor / "axe-core").exists()
    # The others are not held back by it.
    assert (vendor / "tom-select" / "VERSION").is_file()


def test_a_package_missing_a_file_writes_nothing(fetch_assets, monkeypatch, tmp_path, capsys):
    repinned(fetch_assets, monkeypatch, tmp_path)
    tom = fetch_assets.BY_NAME["tom-select"]
    data = tarball({"package/LICENSE": b"only this"})
    tom = dataclasses.replace(tom, integrity=integrity(data))
    dest = tmp_path / "tom-select"

    with pytest.raises(ValueError, match="dist/js/tom-select.complete.min.js is missing"):
        fetch_assets.extract(tom, data, dest)
    assert not dest.exists()


def test_offline_is_a_soft_failure(fetch_assets, monkeypatch, tmp_path, capsys):
    def offline(url, timeout):
        raise fetch_assets.FetchError(f"could not download {url}: no network")

    monkeypatch.setattr(fetch_assets, "download", offline)
    code = fetch_assets.main(["--vendor", str(tmp_path / "vendor")])
    assert code == fetch_assets.EX_TEMPFAIL == 75
    err = capsys.readouterr().err
    assert "fallback serif" in err and "tinos-5.3.0.tgz" in err
    assert "accessibility tests" in err
    assert not (tmp_path / "vendor").exists()
