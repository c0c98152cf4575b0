"""Headers (docs/security.md, "2. Headers"): the Content-Security-Policy and the templates
that keep it workable, the Permissions-Policy, no-store on what a logged-in user gets, and
a health check that says nothing but ok / not ok."""

import gzip
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.urls import reverse

pytestmark = pytest.mark.django_db

TEMPLATES = Path(settings.BASE_DIR) / "templates"
# Rendered by WeasyPrint into PDF files (or, for build_report --format html, written to a
# file on the command line): never served to a browser, so no CSP applies to them.
PRINT_ONLY = {
    "documents/report.html",
    "reports/annex.html",
    "reports/class_sheet.html",
    "reports/standalone.html",
}


def _served_templates():
    for path in sorted(TEMPLATES.rglob("*.html")):
        name = path.relative_to(TEMPLATES).as_posix()
        if name not in PRINT_ONLY:
            yield name, path.read_text()


def test_the_print_only_templates_are_only_printed():
    """The exemption above holds only while these templates are rendered to PDF or file."""
    uses = {}
    for path in Path(settings.BASE_DIR).glob("*/**/*.py"):
        if "tests" in path.parts or ".venv" in path.parts:
            continue
        text = path.read_text()
        for name in PRINT_ONLY:
            if f'"{name}"' in text:
                uses.setdefault(name, []).append(text)
    for name, texts in uses.items():
        for text in texts:
            assert "render_pdf" in text or "build_report" in text or "standalone" in name, name


def test_no_template_has_inline_script_style_or_handlers():
    found = []
    for name, text in _served_templates():
        for match in re.finditer(r"<script\b([^>]*)>(.*?)</script>", text, re.S):
            attrs, body = match.groups()
            if body.strip() or "src=" not in attrs:
                found.append(f"{name}: inline <script>")
        if re.search(r"\sstyle\s*=", text):
            found.append(f"{name}: style attribute")
        if re.search(r"<style\b", text):
            found.append(f"{name}: <style> element")
        if re.search(r"\son[a-z]+\s*=\s*[\"']", text):
            found.append(f"{name}: on…= handler")
        if "javascript:" in text:
            found.append(f"{name}: javascript: URL")
    assert found == []


def test_no_python_code_writes_inline_style_or_script_into_html():
    """Tables and helpers build HTML with format_html: the same rules hold there."""
    found = []
    root = Path(settings.BASE_DIR)
    for path in sorted(root.glob("*/**/*.py")):
        parts = path.relative_to(root).parts
        if parts[0] in {"tests", ".venv", "bench", "scripts"} or "migrations" in parts:
            continue
        text = path.read_text()
        if re.search(r"<[a-z][^>]*\sstyle=", text) or re.search(r"<script\b", text):
            found.append(str(path.relative_to(root)))
    assert found == []


def test_the_scan_would_find_them():
    """The patterns above catch what they are meant to catch."""
    sample = '<td style="x"><script>alert(1)</script><select onchange="go()">'
    assert re.search(r"\sstyle\s*=", sample)
    assert re.search(r"<script\b([^>]*)>(.*?)</script>", sample, re.S).group(2)
    assert re.search(r"\son[a-z]+\s*=\s*[\"']", sample)


@pytest.mark.parametrize("url", ["/dang-nhap/", "/doi-mat-khau/"])
def test_a_page_has_a_strict_content_security_policy(client, django_user_model, url):
    client.force_login(django_user_model.objects.create_user("canbo"))
    policy = client.get(url)["Content-Security-Policy"]
    directives = dict(part.strip().split(" ", 1) for part in policy.split(";") if part.strip())
    assert directives["default-src"] == "'self'"
    assert directives["script-src"] == "'self'" and directives["style-src"] == "'self'"
    assert directives["object-src"] == "'none'" and directives["frame-ancestors"] == "'none'"
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy


def test_permissions_policy_turns_off_the_devices(client):
    policy = client.get(reverse("login"))["Permissions-Policy"]
    for feature in ("camera", "microphone", "geolocation", "payment", "usb"):
        assert f"{feature}=()" in policy


def test_a_logged_in_page_is_not_stored(client, django_user_model):
    client.force_login(django_user_model.objects.create_user("canbo"))
    assert "no-store" in client.get(reverse("password_change"))["Cache-Control"]


def test_a_file_download_is_not_stored(login, plan145):
    """The plan's attachment is a plain FileResponse: the middleware adds no-store."""
    plan145.attachment.save("ke-hoach-145.pdf", ContentFile(b"%PDF-1.4 test"), save=True)
    client = login("bantochuc")
    response = client.get(reverse("quotas:plan_attachment", args=[plan145.pk]))
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]
    assert b"".join(response.streaming_content) == b"%PDF-1.4 test"


def test_only_logged_in_users_get_no_store_from_the_middleware(client, django_user_model):
    assert "no-store" not in client.get("/khong-co-trang-nay/").get("Cache-Control", "")
    client.force_login(django_user_model.objects.create_user("canbo"))
    assert "no-store" in client.get("/khong-co-trang-nay/")["Cache-Control"]


def test_healthz_tells_anonymous_callers_only_ok(client):
    response = client.get("/healthz")
    assert (response.status_code, response.content) == (200, b"ok")


def test_pages_are_gzipped_for_a_browser_that_accepts_it(login):
    """A page is sent gzipped when the browser asks (offices on slow lines); one that does
    not ask gets it plain, and the answer says it varies with the request's encodings."""
    client = login("bantochuc")
    zipped = client.get(reverse("candidates:candidate_list"), HTTP_ACCEPT_ENCODING="gzip, br")
    assert zipped["Content-Encoding"] == "gzip" and "Accept-Encoding" in zipped["Vary"]
    page = gzip.decompress(zipped.content).decode()
    plain = client.get(reverse("candidates:candidate_list"))
    assert not plain.has_header("Content-Encoding")
    assert "<html" in page and len(zipped.content) * 3 < len(plain.content)


def test_files_compressed_already_are_sent_as_they_are(login, plan145):
    """An Excel download (a zip archive) and a PDF are not gzipped again."""
    client = login("bantochuc")
    xlsx = client.get(
        reverse("candidates:candidate_list"), {"xuat": "xlsx"}, HTTP_ACCEPT_ENCODING="gzip"
    )
    assert xlsx.status_code == 200 and not xlsx.has_header("Content-Encoding")
    assert b"".join(xlsx.streaming_content)[:2] == b"PK"  # the workbook itself
    plan145.attachment.save("ke-hoach-145.pdf", ContentFile(b"%PDF-1.4 " * 100), save=True)
    pdf = client.get(
        reverse("quotas:plan_attachment", args=[plan145.pk]), HTTP_ACCEPT_ENCODING="gzip"
    )
    assert not pdf.has_header("Content-Encoding")
    assert b"".join(pdf.streaming_content).startswith(b"%PDF-1.4")
