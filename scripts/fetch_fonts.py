#!/usr/bin/env python3
"""Fetch Tinos, the font of the PDF reports, from the npm registry.

Tinos is metric-compatible with Times New Roman (the font of party documents) and covers
Vietnamese. It comes from the pinned npm package ``@fontsource/tinos`` and is checked
against the package's pinned sha512 before anything is written, so the repository holds
no third-party font files and no server needs fonts installed. Only the standard library is
used: this runs before the virtualenv exists.

    python3 scripts/fetch_fonts.py                 # download, verify, extract (once)
    python3 scripts/fetch_fonts.py --from-file T   # offline: a copy of the same .tgz

Writes ``static/vendor/fonts/tinos/``: the WOFF files of the ``latin``, ``latin-ext`` and
``vietnamese`` subsets (400 and 700, normal and italic), the package's ``unicode.json``
(the code points of each subset) and ``LICENSE`` (SIL OFL 1.1), then ``VERSION`` last, which
``make`` uses as the target.

Exit status: 0 done or already there; 75 the download failed (offline; the PDFs then use
a fallback serif and ``make`` carries on); 1 anything else, including a checksum mismatch.
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
from pathlib import Path

PACKAGE = "@fontsource/tinos"
VERSION = "5.3.0"
URL = "https://registry.npmjs.org/@fontsource/tinos/-/tinos-5.3.0.tgz"
# dist.integrity of https://registry.npmjs.org/@fontsource/tinos/5.3.0
INTEGRITY = "sha512-VVDyyZdbcsLKxo/W7rClAvacD/7DsGc7J5xzzp51Tndib8kDkEe/0bqbb3Xb3iH6+IUjt07aRsvtQ9MGeGGi4w=="  # noqa: E501
SUBSETS = ("latin", "latin-ext", "vietnamese")
WEIGHTS = (400, 700)
STYLES = ("normal", "italic")
EXTRAS = ("unicode.json", "LICENSE")

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DEST = ROOT / "static" / "vendor" / "fonts" / "tinos"
STAMP = "VERSION"
EX_TEMPFAIL = 75


class FetchError(Exception):
    """The download failed: worth retrying later."""


def wanted_files() -> list[str]:
    fonts = [f"tinos-{s}-{w}-{st}.woff" for s in SUBSETS for w in WEIGHTS for st in STYLES]
    return fonts + list(EXTRAS)


def stamp_text() -> str:
    return f"{PACKAGE}@{VERSION} {INTEGRITY}\n"


def is_current(dest: Path) -> bool:
    stamp = dest / STAMP
    if not stamp.is_file() or stamp.read_text(encoding="utf-8") != stamp_text():
        return False
    return all((dest / name).is_file() for name in wanted_files())


def download(url: str, timeout: float) -> bytes:
    request = urllib.request.Request(url, headers={"User-Agent": "ptdv-fetch-fonts"})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310
            return response.read()
    except (urllib.error.URLError, OSError) as exc:
        raise FetchError(f"could not download {url}: {exc}") from exc


def verify(data: bytes, integrity: str | None = None) -> None:
    integrity = integrity or INTEGRITY
    algorithm, _, expected = integrity.partition("-")
    actual = base64.b64encode(hashlib.new(algorithm, data).digest()).decode("ascii")
    if actual != expected:
        raise ValueError(
            f"checksum mismatch for {PACKAGE}@{VERSION}: expected {integrity}, "
            f"got {algorithm}-{actual}. Nothing was written."
        )


def extract(data: bytes, dest: Path) -> list[str]:
    """Write the wanted files of the (verified) tarball into ``dest``; members are looked up by
    exact name, so nothing else in the archive is ever written."""
    dest.mkdir(parents=True, exist_ok=True)
    written = []
    with tarfile.open(fileobj=io.BytesIO(data), mode="r:gz") as tar:
        for name in wanted_files():
            member_name = f"package/{name}" if name in EXTRAS else f"package/files/{name}"
            try:
                member = tar.getmember(member_name)
            except KeyError as exc:
                raise ValueError(f"{member_name} is missing from the package") from exc
            if not member.isfile():
                raise ValueError(f"{member_name} is not a regular file")
            content = tar.extractfile(member).read()
            tmp = dest / f".{name}.tmp"
            tmp.write_bytes(content)
            os.replace(tmp, dest / name)
            written.append(name)
    # Last, so that an interrupted run is redone by `make`.
    (dest / STAMP).write_text(stamp_text(), encoding="utf-8")
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--dest", type=Path, default=DEFAULT_DEST, help="target folder")
    parser.add_argument("--from-file", type=Path, help=f"a local copy of {URL.rsplit('/')[-1]}")
    parser.add_argument("--force", action="store_true", help="fetch even if already there")
    parser.add_argument("--timeout", type=float, default=60, help="seconds (default 60)")
    args = parser.parse_args(argv)

    if not args.force and is_current(args.dest):
        print(f"{PACKAGE}@{VERSION} already in {args.dest}")
        return 0
    try:
        data = args.from_file.read_bytes() if args.from_file else download(URL, args.timeout)
        verify(data)
        written = extract(data, args.dest)
    except FetchError as exc:
        print(
            f"warning: {exc}\nPDF reports will use a fallback serif font until this succeeds "
            f"(or run: {sys.argv[0]} --from-file tinos-{VERSION}.tgz).",
            file=sys.stderr,
        )
        return EX_TEMPFAIL
    except (OSError, ValueError, tarfile.TarError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    print(f"{PACKAGE}@{VERSION}: {len(written)} files in {args.dest}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
