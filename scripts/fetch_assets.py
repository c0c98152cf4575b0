#!/usr/bin/env python3
"""Fetch the front-end assets, pinned npm packages, from the npm registry.

Each package is pinned to a version and to the registry's ``dist.integrity`` (sha512); the
tarball is checked against it before anything is written, and only the files named below
are taken from it, so the repository holds no third-party files and no CDN is used. Only
the standard library is used: this runs before the virtualenv exists.

    python3 scripts/fetch_assets.py                  # download, verify, extract (once)
    python3 scripts/fetch_assets.py --only axe-core  # one package
    python3 scripts/fetch_assets.py --from-dir D     # offline: D holds the same .tgz files
                                                     # (named as `npm pack` names them)

The packages and where they go (each folder gets a ``VERSION`` stamp, written last, which
``make`` uses as the target):

- ``@fontsource/tinos`` -> ``static/vendor/fonts/tinos/``: Tinos, the font of the PDF
  reports (Times New Roman metrics, full Vietnamese): the WOFF files of the ``latin``,
  ``latin-ext`` and ``vietnamese`` subsets (400 and 700, normal and italic), the package's
  ``unicode.json`` (the code points of each subset) and ``LICENSE`` (SIL OFL 1.1).
- ``axe-core`` -> ``static/vendor/axe-core/``: ``axe.min.js`` and ``LICENSE`` (MPL 2.0), the
  accessibility checks the browser tests run inside each page (docs/accessibility.md).
- ``tom-select`` -> ``static/vendor/tom-select/``: ``tom-select.complete.min.js``,
  ``tom-select.bootstrap5.min.css``, their source maps and ``LICENSE`` (Apache 2.0), the
  search-as-you-type picker.

Exit status: 0 done or already there; 75 a download failed (offline; the others are still
fetched, the PDFs then use a fallback serif and ``make`` carries on); 1 anything else,
including a checksum mismatch (nothing of that package is written).
"""

import argparse
import base64
import hashlib
import io
import os
import sys
import tarfile
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VENDOR = ROOT / "static" / "vendor"
STAMP = "VERSION"
EX_TEMPFAIL = 75
REGISTRY = "https://registry.npmjs.org"


@dataclass(frozen=True)
class Package:
    name: str  # npm name, e.g. "@fontsource/tinos"
    version: str
    integrity: str  # dist.integrity of {REGISTRY}/{name}/{version}
    folder: str  # under static/vendor/
    files: tuple[tuple[str, str], ...]  # (path inside the package, file name written)
    offline: str  # what happens without it, for the offline warning

    @property
    def tarball(self) -> str:
        """The file name the registry (and `npm pack`) gives the package's tarball."""
        return f"{self.name.rsplit('/', 1)[-1]}-{self.version}.tgz"

    @property
    def url(self) -> str:
        return f"{REGISTRY}/{self.name}/-/{self.tarball}"

    def stamp_text(self) -> str:
        return f"{self.name}@{self.version} {self.integrity}\n"

    def wanted_files(self) -> list[str]:
        return [written for _, written in self.files]


TINOS_SUBSETS = ("latin", "latin-ext", "vietnamese")
TINOS_WEIGHTS = (400, 700)
TINOS_STYLES = ("normal", "italic")
_TINOS_FONTS = tuple(
    f"tinos-{s}-{w}-{st}.woff" for s in TINOS_SUBSETS for w in TINOS_WEIGHTS for st in TINOS_STYLES
)

PACKAGES = (
    Package(
        name="@fontsource/tinos",
        version="5.3.0",
        integrity="sha512-VVDyyZdbcsLKxo/W7rClAvacD/7DsGc7J5xzzp51Tndib8kDkEe/0bqbb3Xb3iH6+IUjt07aRsvtQ9MGeGGi4w==",  # noqa: E501
        folder="fonts/tinos",
        files=tuple((f"files/{f}", f) for f in _TINOS_FONTS)
        + (("unicode.json", "unicode.json"), ("LICENSE", "LICENSE")),
        offline="PDF reports will use a fallback serif font until this succeeds",
    ),
    Package(
        name="axe-core",
        version="4.14.1",
        integrity="sha512-FHfa+lmNjQZfJz1q8wKqIDwC6DExcHt/pkjNQb09a3NPjCKg2rhu5qb2S4r76ASyFNNtuFooJpZe37OgudVGtQ==",  # noqa: E501
        folder="axe-core",
        files=(("axe.min.js", "axe.min.js"), ("LICENSE", "LICENSE")),
        offline="the accessibility tests cannot run until this succeeds",
    ),
    Package(
        name="tom-select",
        version="2.6.2",
        integrity="sha512-eiXIkk82XzzUTOVQDFpy+ZGejuqdTvMukyUyeZBQaKnqW42UoTiTZnrod/eX0rkqJEc4rZY9DZ3zdjV07i29wQ==",  # noqa: E501
        folder="tom-select",
        files=(
            ("dist/js/tom-select.complete.min.js", "tom-select.complete.min.js"),
            ("dist/css/tom-select.bootstrap5.min.css", "tom-select.bootstrap5.min.css"),
            # The source maps the two name at their end: collectstatic's manifest (the
            # production settings) refuses a file whose reference it cannot find.
            ("dist/js/tom-select.complete.min.js.map", "tom-select.complete.min.js.map"),
            ("dist/css/tom-select.bootstrap5.min.css.map", "tom-select.bootstrap5.min.css.map"),
            ("LICENSE", "LICENSE"),
        ),
        offline="the unit picker stays a plain drop-down list until this succeeds",
    ),
)
BY_NAME = {p.name: p for p in PACKAGES}


class FetchError(Exception):
    """The download failed: worth retrying later."""


def destination(package: Package, vendor: Path) -> Path:
    return vendor / package.folder


def is_current(package: Package, dest: Path) -> bool:
    stamp = dest / STAMP
    if not stamp.is_file() or stamp.read_text(encoding="utf-8") != package.stamp_text():
        return False
    return all((dest / name).is_file() for name in package.wanted_files())


def download(url: str, timeout: float) -> bytes:
    request = urllib.request.Request(url, headers={"User-Agent": "ptdv-fetch-assets"})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310
            return response.read()
    except (urllib.error.URLError, OSError) as exc:
        raise FetchError(f"could not download {url}: {exc}") from exc


def verify(package: Package, data: bytes) -> None:
    algorithm, _, expected = package.integrity.partition("-")
    actual = base64.b64encode(hashlib.new(algorithm, data).digest()).decode("ascii")
    if actual != expected:
        raise ValueError(
            f"checksum mismatch for {package.name}@{package.version}: expected "
            f"{package.integrity}, got {algorithm}-{actual}. Nothing was written."
        )


def extract(package: Package, data: bytes, dest: Path) -> list[str]:
    """Write the wanted files of the (verified) tarball into ``dest``. Members are looked up
    by exact name and all are read before the first write, so nothing else in the archive
    is ever written and a package missing a file writes nothing."""
    contents = {}
    with tarfile.open(fileobj=io.BytesIO(data), mode="r:gz") as tar:
        for inside, written in package.files:
            member_name = f"package/{inside}"
            try:
                member = tar.getmember(member_name)
            except KeyError as exc:
                raise ValueError(f"{member_name} is missing from {package.name}") from exc
            if not member.isfile():
                raise ValueError(f"{member_name} is not a regular file")
            contents[written] = tar.extractfile(member).read()
    dest.mkdir(parents=True, exist_ok=True)
    for name, content in contents.items():
        tmp = dest / f".{name}.tmp"
        tmp.write_bytes(content)
        os.replace(tmp, dest / name)
    # Last, so that an interrupted run is redone by `make`.
    (dest / STAMP).write_text(package.stamp_text(), encoding="utf-8")
    return list(contents)


def fetch(package: Package, vendor: Path, from_dir: Path | None, timeout: float) -> int:
    dest = destination(package, vendor)
    label = f"{package.name}@{package.version}"
    try:
        if from_dir is not None:
            data = (from_dir / package.tarball).read_bytes()
        else:
            data = download(package.url, timeout)
        verify(package, data)
        written = extract(package, data, dest)
    except FetchError as exc:
        print(
            f"warning: {exc}\n{package.offline} (or run: {sys.argv[0]} --from-dir DIR, "
            f"DIR holding {package.tarball}).",
            file=sys.stderr,
        )
        return EX_TEMPFAIL
    except (OSError, ValueError, tarfile.TarError) as exc:
        print(f"error: {label}: {exc}", file=sys.stderr)
        return 1
    print(f"{label}: {len(written)} files in {dest}")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--vendor", type=Path, default=VENDOR, help="target folder")
    parser.add_argument(
        "--only", action="append", choices=sorted(BY_NAME), help="this package (repeatable)"
    )
    parser.add_argument("--from-dir", type=Path, help="a folder with local copies of the .tgz")
    parser.add_argument("--force", action="store_true", help="fetch even if already there")
    parser.add_argument("--timeout", type=float, default=60, help="seconds (default 60)")
    args = parser.parse_args(argv)

    status = 0
    for package in [BY_NAME[n] for n in args.only] if args.only else PACKAGES:
        if not args.force and is_current(package, destination(package, args.vendor)):
            print(f"{package.name}@{package.version} already in {args.vendor / package.folder}")
            continue
        code = fetch(package, args.vendor, args.from_dir, args.timeout)
        # A hard error (1) wins over an offline one (75).
        status = code if status == 0 or code == 1 else status
    return status


if __name__ == "__main__":
    sys.exit(main())
