"""Benchmark: the pages people open every day, behind gunicorn, with concurrent clients.

Serves the database in ``DATABASE_URL`` (build it first, e.g. with ``manage.py seed_scale``)
with gunicorn and the production settings (``--workers`` processes), logs in a Board user
and a cell secretary by creating their sessions, and requests each page ``--requests`` times
from ``--clients`` threads at once. Reports p50 and p95 of each page beside the trivial view
``/healthz``, measured the same way in the same run (its floor), and the ratio of the p95s.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/ptdv_scale \\
        .venv/bin/python bench/pages.py --clients 4 --requests 60

Only the standard library talks HTTP (urllib in threads): the client's own cost is in the
floor too, so the ratio is the page's.
"""

import argparse
import os
import secrets
import statistics
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

ENV = {
    "DJANGO_SETTINGS_MODULE": "config.settings.production",
    "DJANGO_SECRET_KEY": os.environ.get("DJANGO_SECRET_KEY") or secrets.token_urlsafe(48),
    "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
    "DJANGO_SECURE_SSL_REDIRECT": "0",  # plain HTTP on the loopback, no proxy in front
}
os.environ.update(ENV)

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY  # noqa: E402
from django.contrib.sessions.backends.db import SessionStore  # noqa: E402
from django.db.models import Count  # noqa: E402
from django.urls import reverse  # noqa: E402
from django.utils import timezone  # noqa: E402

from candidates.models import Candidate  # noqa: E402
from quotas.selectors import plan_current  # noqa: E402
from units.choices import Role  # noqa: E402
from units.models import RoleAssignment  # noqa: E402

PAGE = 50  # rows per page of the candidate list


def session_for(user) -> str:
    """A logged-in session, as the login page would leave it."""
    store = SessionStore()
    store[SESSION_KEY] = str(user.pk)
    store[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store.create()
    return store.session_key


def pick_users(board_name: str | None, secretary_name: str | None):
    """The Board user of the highest unit and the secretary whose unit has most people,
    unless named."""
    roles = RoleAssignment.objects.select_related("user", "unit")
    if board_name:
        board = roles.get(user__username=board_name).user
    else:
        board = roles.filter(role=Role.BOARD).order_by("unit__depth", "pk").first().user
    if secretary_name:
        secretary = roles.get(user__username=secretary_name).user
    else:
        busiest = (
            roles.filter(role=Role.SECRETARY)
            .annotate(n=Count("unit__candidates"))
            .order_by("-n", "pk")
            .first()
        )
        secretary = busiest.user
    return board, secretary


def pages(board, secretary) -> list[tuple[str, str, object]]:
    """(label, path, user) of each page measured; ``None`` user: anonymous."""
    today = timezone.localdate()
    plan = plan_current(user=board, on=today)
    people = reverse("candidates:candidate_list")
    n = Candidate.objects.count()
    deep = max(1, (n // PAGE) * 3 // 4)
    listed = [
        ("/healthz (floor)", reverse("healthz"), None),
        ("Board: home", reverse("home"), board),
        ("Board: candidate list, first page", people, board),
        (f"Board: candidate list, page {deep}", f"{people}?trang={deep}", board),
        ("Board: search “nguyen thi”", f"{people}?q=nguyen+thi", board),
        ("Board: overdue filter", f"{people}?overdue=1", board),
        ("Secretary: home", reverse("home"), secretary),
        ("Secretary: candidate list", people, secretary),
    ]
    if plan is not None:
        listed.insert(
            2, ("Board: dashboard", reverse("quotas:plan_dashboard", args=[plan.pk]), board)
        )
    return listed


def fetch(url: str, cookie: str | None) -> float:
    # As a browser asks: the pages come gzipped (core.middleware.PageGZipMiddleware).
    headers = {"Accept-Encoding": "gzip", **({"Cookie": cookie} if cookie else {})}
    request = urllib.request.Request(url, headers=headers)
    start = time.perf_counter()
    try:
        with urllib.request.urlopen(request, timeout=120) as response:  # noqa: S310 - loopback
            response.read()
    except urllib.error.HTTPError as exc:
        raise RuntimeError(f"{url}: HTTP {exc.code}") from None
    return time.perf_counter() - start


def warm(url: str, cookie: str | None, *, clients: int) -> None:
    """Every worker's first request of the page, not measured: ``clients`` requests at once,
    twice, so that each gunicorn worker (one request at a time) serves at least one. Each
    process keeps its own cache of the figures read on every visit unless Redis is set;
    the first read after a write is measured on its own (``measure_after_writes``)."""
    for _ in range(2):
        threads = [threading.Thread(target=fetch, args=(url, cookie)) for _ in range(clients)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()


def measure(url: str, cookie: str | None, *, clients: int, requests: int) -> list[float]:
    warm(url, cookie, clients=clients)
    times: list[float] = []
    lock = threading.Lock()
    share = [requests // clients + (1 if i < requests % clients else 0) for i in range(clients)]

    def run(count: int) -> None:
        for _ in range(count):
            took = fetch(url, cookie)
            with lock:
                times.append(took)

    threads = [threading.Thread(target=run, args=(count,)) for count in share]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return times


def measure_after_writes(url: str, cookie: str | None, *, requests: int) -> list[float]:
    """Each request right after a write of data (a secretary corrects a phone number,
    through the service, which leaves a row change in the audit trail): the first read of
    figures kept until the next write (``core.audit.audit_cached``), computed again."""
    from candidates.services import candidate_save

    person = Candidate.objects.order_by("pk").first()
    times = []
    for i in range(requests):
        person.phone = f"09{i:08d}"
        candidate_save(actor=None, candidate=person)
        times.append(fetch(url, cookie))
    return times


def p(values: list[float], q: float) -> float:
    return statistics.quantiles(values, n=100, method="inclusive")[int(q) - 1] * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument("--requests", type=int, default=60, help="per page")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn processes")
    parser.add_argument("--port", type=int, default=8099)
    parser.add_argument("--board")
    parser.add_argument("--secretary")
    parser.add_argument(
        "--after-writes",
        type=int,
        default=10,
        help="requests of the home page and dashboard each right after a write (one client)",
    )
    args = parser.parse_args()

    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
        cwd=ROOT,
        env={**os.environ, **ENV},
        check=True,
    )
    board, secretary = pick_users(args.board, args.secretary)
    cookies = {
        user.pk: f"{settings.SESSION_COOKIE_NAME}={session_for(user)}"
        for user in (board, secretary)
    }
    base = f"http://127.0.0.1:{args.port}"
    server = subprocess.Popen(
        [
            str(Path(sys.executable).with_name("gunicorn")),
            "config.wsgi",
            "--workers",
            str(args.workers),
            "--bind",
            f"127.0.0.1:{args.port}",
            "--log-level",
            "warning",
        ],  # fmt: skip
        cwd=ROOT,
        env={**os.environ, **ENV},
    )
    try:
        for _ in range(100):
            try:
                fetch(f"{base}/healthz", None)
                break
            except (urllib.error.URLError, ConnectionError, RuntimeError):
                time.sleep(0.2)
        rows = []
        floor = None
        for label, path, user in pages(board, secretary):
            cookie = cookies[user.pk] if user else None
            times = measure(base + path, cookie, clients=args.clients, requests=args.requests)
            p50, p95 = p(times, 50), p(times, 95)
            floor = floor or p95
            rows.append((label, p50, p95, p95 / floor))
        if args.after_writes:
            for label, path, user in pages(board, secretary):
                if user is board and ("home" in label or "dashboard" in label):
                    times = measure_after_writes(
                        base + path, cookies[user.pk], requests=args.after_writes
                    )
                    p50, p95 = p(times, 50), p(times, 95)
                    rows.append((f"{label}, first read after a write", p50, p95, p95 / floor))
    finally:
        server.terminate()
        server.wait(timeout=30)

    print(
        f"\n{Candidate.objects.count():,} candidates; {args.workers} gunicorn workers, "
        f"{args.clients} clients, {args.requests} requests per page; "
        f"board={board.username}, secretary={secretary.username}\n"
    )
    print("| page | p50 | p95 | p95 ÷ floor's p95 |")
    print("|---|---|---|---|")
    for label, p50, p95, ratio in rows:
        print(f"| {label} | {p50:,.1f} ms | {p95:,.1f} ms | {ratio:.1f}× |")


if __name__ == "__main__":
    main()
