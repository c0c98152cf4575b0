"""What the browser tests do on the app's pages more than once: the home page's to-do
cards, logging out, issuing a report, reading the dashboard's figures, and the README's
pictures (``make screenshots``)."""

import os
import re
import subprocess
from pathlib import Path

from django.conf import settings
from PIL import Image

# `make screenshots` sets it: the pictures the README shows are written there.
README_SHOTS = os.environ.get("PTDV_README_SCREENSHOTS", "")
README_WIDTH = 1366


def todo_group(page, heading: str):
    """The home page's to-do card with this heading."""
    return page.locator(".todo-group").filter(has=page.get_by_text(heading, exact=True))


def log_out(page):
    page.get_by_role("button", name="Đăng xuất").click()


def issue_report(page, *, number, day, signer, title="Phó Bí thư", recipients=""):
    """Fill in "Ban hành và lưu" on a report's page and press it."""
    issue = page.locator(".report-issue")
    issue.get_by_label("Số *", exact=True).fill(number)
    issue.get_by_label("Ngày ban hành *", exact=True).fill(day)
    issue.get_by_label("Chức vụ người ký", exact=True).fill(title)
    issue.get_by_label("Người ký *", exact=True).fill(signer)
    if recipients:
        issue.get_by_label("Nơi nhận", exact=True).fill(recipients)
    issue.get_by_role("button", name="Ban hành và lưu").click()
    page.wait_for_url(re.compile(r"/bao-cao/luu-tru/\d+/$"))


def dashboard_figures(page, unit_name: str) -> dict[str, str]:
    """A unit's row of the dashboard's table: ``{target name: "3/8–10"}``, as shown."""
    table = page.locator("table.dashboard-table")
    targets = [
        th.locator("div").first.inner_text().strip()
        for th in table.locator("thead th.target-col").all()
    ]
    row = table.locator("tbody tr").filter(has=page.get_by_role("link", name=unit_name, exact=True))
    cells = row.locator("td").all()[: len(targets)]
    return {t: c.inner_text().strip().splitlines()[0] for t, c in zip(targets, cells, strict=True)}


def _readme_path(name: str) -> Path | None:
    if not README_SHOTS:
        return None
    folder = Path(README_SHOTS)
    if not folder.is_absolute():
        folder = Path(settings.BASE_DIR) / folder
    folder.mkdir(parents=True, exist_ok=True)
    return folder / f"{name}.png"


def _small_png(path: Path) -> None:
    """At most README_WIDTH wide, 256 colours: a page of text stays sharp at a fifth of
    the bytes."""
    with Image.open(path) as im:
        im = im.convert("RGB")
        if im.width > README_WIDTH:
            im = im.resize((README_WIDTH, round(im.height * README_WIDTH / im.width)))
        small = im.quantize(colors=256, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE)
    small.save(path, optimize=True)


def readme_page(page, name: str, *, height: int = 900) -> None:
    """The top of the page as the README shows it (``make screenshots`` only)."""
    path = _readme_path(name)
    if path is None:
        return
    page.screenshot(path=str(path), clip={"x": 0, "y": 0, "width": 1366, "height": height})
    _small_png(path)


def readme_pdf_page(pdf: Path, name: str) -> None:
    """The first page of a PDF as a picture (poppler's pdftoppm; ``make screenshots`` only)."""
    path = _readme_path(name)
    if path is None:
        return
    stem = path.with_suffix("")
    subprocess.run(  # noqa: S603
        ["pdftoppm", "-png", "-r", "90", "-f", "1", "-l", "1", "-singlefile", str(pdf), str(stem)],  # noqa: S607
        check=True,
    )
    _small_png(path)


# axe-core, from the npm package ``make install`` fetches (scripts/fetch_assets.py).
AXE = Path(settings.BASE_DIR) / "static" / "vendor" / "axe-core" / "axe.min.js"
FAILING_IMPACTS = ("serious", "critical")


def axe_violations(page, *, served_from: str = "") -> list[dict]:
    """axe-core's violations on the page. Injected as an inline script (the browser context
    must bypass the Content-Security-Policy), or with ``served_from`` (the live server's
    URL) as the app's own static file, which the policy allows."""
    if served_from:
        page.add_script_tag(url=f"{served_from}/static/vendor/axe-core/axe.min.js")
    else:
        page.add_script_tag(path=str(AXE))
    return page.evaluate(
        """async () => {
            const result = await axe.run(document, {resultTypes: ["violations"]});
            return result.violations.map(v => ({
                id: v.id, impact: v.impact, help: v.help,
                targets: v.nodes.map(n => n.target.join(" ")),
            }));
        }"""
    )


def describe(violations: list[dict]) -> str:
    return "\n".join(
        f"  [{v['impact']}] {v['id']}: {v['help']}\n"
        + "".join(f"      {target}\n" for target in v["targets"][:10])
        for v in violations
    )
