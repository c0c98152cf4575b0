"""Every URL of the app, as every kind of user (issue 14, item 10).

The URLs are read from the URL configuration, so a new URL without an entry in ``MATRIX``
fails ``test_every_url_has_an_entry``. Each entry names the objects it is filled with (those
of unit A, THPT Hiệp Hòa số 1) and the status each user gets on a GET:

* anonymous, and five demo accounts: the secretary of unit A (bithu.thpt1), the secretary
  of unit B (bithu.haphong, an enterprise under Đảng ủy thị trấn Thắng), that committee's
  staff (danguy.thang), the standing office (thuongtruc) and the Board (bantochuc);
* no response is a 500, and no page or Excel file shown to a secretary or the committee
  holds the name or citizen ID of a candidate of a unit they do not see.

Set ``PTDV_PRINT_MATRIX=1`` to print what each user gets (to write a new entry).
"""

import io
import os
from dataclasses import dataclass

import pytest
from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.urls import URLPattern, URLResolver, get_resolver, reverse

pytestmark = pytest.mark.django_db

USERS = ("anonymous", "bithu.thpt1", "bithu.haphong", "danguy.thang", "thuongtruc", "bantochuc")
LOGIN = 302  # anonymous users are sent to the login page

# The usual shapes of a row (statuses in the order of USERS).
EVERYONE = (200, 200, 200, 200, 200, 200)
ANY_USER = (LOGIN, 200, 200, 200, 200, 200)
READ_A = (LOGIN, 200, 404, 404, 200, 200)  # a page about unit A: its people and readers
CHANGE_A = (LOGIN, 200, 404, 404, 403, 200)  # a form that changes unit A
CHANGE_OWN = (LOGIN, 200, 200, 200, 403, 200)  # a form for the user's own units
BOARD = (LOGIN, 403, 403, 403, 403, 200)
POST_ONLY = (LOGIN, 405, 405, 405, 405, 405)
POST_A = (LOGIN, 405, 404, 404, 403, 405)  # a form's target about unit A: found, then POST
POST_BEFORE_LOGIN = (405,) * 6  # require_POST before anything: says nothing either way
REDIRECT = (LOGIN, 302, 302, 302, 302, 302)
# The nominee forms of a class whose deadline has passed (the demo's 2024 classes): back to
# the list for those who may see it.
CLOSED_A = (LOGIN, 302, 404, 404, 302, 302)


@dataclass(frozen=True)
class Entry:
    statuses: tuple[int, ...]
    kwargs: str = ""  # which objects fill the URL: a key of ``objects`` below
    query: str = ""  # a query string, with {plan} and {unit} filled in


MATRIX: dict[str, Entry] = {
    # config
    "home": Entry(ANY_USER),
    "healthz": Entry(EVERYONE),
    "favicon": Entry((301,) * 6),  # to the static star
    "login": Entry((200, 302, 302, 302, 302, 302)),
    "logout": Entry(POST_BEFORE_LOGIN),
    "password_change": Entry(ANY_USER),
    "password_change_done": Entry(ANY_USER),
    "reminder_settings": Entry(ANY_USER),  # each user's own address and digest setting
    "quan-tri/password_change/": Entry((302,) * 6),  # the admin's link, to the app's page
    "dashboard": Entry(REDIRECT),  # to the current plan's
    # units
    "units:unit_list": Entry(ANY_USER),
    "units:unit_detail": Entry(READ_A, "unit"),
    "units:unit_search": Entry(ANY_USER, query="?pham_vi=visible&q=hiep+hoa"),
    "audit:log": Entry(BOARD),
    "audit:history": Entry(BOARD, "history"),
    # quotas
    "quotas:plan_list": Entry(ANY_USER),
    "quotas:plan_create": Entry(BOARD),
    "quotas:plan_detail": Entry(ANY_USER, "plan"),
    "quotas:plan_update": Entry(BOARD, "plan"),
    "quotas:plan_copy": Entry((LOGIN, 403, 403, 403, 403, 405), "plan"),  # Board's POST
    "quotas:plan_attachment": Entry((LOGIN, 404, 404, 404, 404, 404), "plan"),  # no file
    "quotas:plan_dashboard": Entry(ANY_USER, "plan"),
    "quotas:round_create": Entry(BOARD, "plan"),
    "quotas:round_update": Entry(BOARD, "round"),
    "quotas:target_create": Entry(BOARD, "plan"),
    "quotas:target_update": Entry(BOARD, "target"),
    "quotas:target_delete": Entry(BOARD, "target"),
    "quotas:plan_grid": Entry(BOARD, "plan"),
    "quotas:plan_grid_export": Entry(BOARD, "plan"),
    "quotas:historical_list": Entry(BOARD),
    "quotas:historical_template": Entry(BOARD),
    "quotas:historical_import": Entry(BOARD),
    # training
    "training:class_list": Entry(ANY_USER),
    "training:class_create": Entry(BOARD, "plan_for_class"),
    "training:class_detail": Entry(ANY_USER, "class"),
    "training:class_update": Entry(BOARD, "class"),
    "training:attendance": Entry(BOARD, "class"),
    "training:results_template": Entry(BOARD, "class"),
    "training:results_upload": Entry((LOGIN, 403, 403, 403, 403, 302), "class"),  # GET: back
    "training:^(?P<pk>\\d+)/(?P<kind>roster|results)\\.(?P<fmt>pdf|xlsx)$": Entry(
        (301,) * 6, "old_sheet"
    ),
    "training:list_detail": Entry(READ_A, "list"),
    "training:nominee_add": Entry(CLOSED_A, "list"),
    "training:nominee_pick": Entry(CLOSED_A, "list"),
    "training:nominee_upload": Entry(CLOSED_A, "list"),
    "training:nominee_remove": Entry(POST_ONLY, "nomination"),
    "training:list_submit": Entry(POST_ONLY, "list"),
    "training:nomination_resubmit": Entry(POST_ONLY, "nomination"),
    "training:list_template": Entry(CHANGE_A, "list"),  # it carries citizen IDs
    "training:list_review": Entry(BOARD, "list"),
    # candidates
    "candidates:candidate_list": Entry(ANY_USER),
    "candidates:candidate_create": Entry(CHANGE_OWN),
    "candidates:step_many": Entry(CHANGE_OWN),
    "candidates:admission_decision": Entry(BOARD),
    "candidates:settings": Entry(BOARD),
    "candidates:duplicates": Entry(BOARD),
    "candidates:citizen_id_show": Entry(POST_ONLY, "candidate"),
    "candidates:candidate_import": Entry(CHANGE_OWN),
    "candidates:import_template": Entry(CHANGE_OWN),
    "candidates:candidate_detail": Entry(READ_A, "candidate"),
    "candidates:candidate_update": Entry(CHANGE_A, "candidate"),
    "candidates:step": Entry(POST_A, "candidate"),
    "candidates:step_undo": Entry(POST_BEFORE_LOGIN, "candidate"),
    "candidates:transfer": Entry(CHANGE_A, "candidate"),
    "candidates:introducer_add": Entry(POST_A, "candidate"),
    "candidates:introducer_delete": Entry(POST_BEFORE_LOGIN, "introducer"),
    "candidates:documents": Entry(CHANGE_A, "candidate"),
    "candidates:extend": Entry(POST_A, "candidate"),
    "candidates:mentor_add": Entry(POST_A, "candidate"),
    "candidates:mentor_end": Entry(POST_A, "mentor"),
    "candidates:mentor_comment_add": Entry(POST_A, "candidate"),
    "candidates:mentor_comment_delete": Entry(POST_A, "comment"),
    # reports
    "reports:index": Entry(ANY_USER),
    "reports:archive_list": Entry(ANY_USER),
    "reports:archive_detail": Entry(READ_A, "issued"),
    "reports:archive_file": Entry(READ_A, "issued"),
    "reports:plan_annex": Entry(ANY_USER, "annex"),
    "reports:class_sheet": Entry(ANY_USER, "sheet"),
    "reports:report": Entry(READ_A, "report", "?ke_hoach={plan}&don_vi={unit}"),
    "reports:download": Entry(READ_A, "download", "?ke_hoach={plan}&don_vi={unit}"),
    "reports:issue": Entry(POST_BEFORE_LOGIN, "report"),
}


def url_names() -> set[str]:
    """Every URL of the app but the admin's: its name, or its pattern when it has none."""
    found = set()

    def walk(patterns, namespace=""):
        for p in patterns:
            if isinstance(p, URLResolver):
                if p.app_name == "admin":
                    continue
                walk(p.url_patterns, namespace + (f"{p.namespace}:" if p.namespace else ""))
            elif isinstance(p, URLPattern):
                found.add(namespace + (p.name or str(p.pattern)))

    walk(get_resolver().url_patterns)
    return found


@pytest.fixture(scope="module")
def objects(full_demo, django_db_blocker):
    """The objects of unit A the URLs are filled with, and the people of A and B."""
    from django.contrib.contenttypes.models import ContentType

    from candidates.models import Candidate, Introducer, Mentor, MentorComment
    from core.audit import audit_record
    from quotas.models import Plan, Round, Target
    from reports.models import IssuedReport
    from training.models import NomineeList

    with django_db_blocker.unblock():
        a, b = full_demo["THPT-HH1"], full_demo["DN-HAPHONG"]
        plan = Plan.objects.get(number="145/KH-HU")
        person = Introducer.objects.filter(candidate__unit=a).first().candidate
        comment = MentorComment.objects.filter(mentor__candidate__unit=a).first()
        nominee_list = NomineeList.objects.filter(unit=a).exclude(nominations=None).first()
        issued = IssuedReport.objects.create(
            kind="year_end", title="Báo cáo tổng kết", plan=plan, unit=a,
            starts_on=plan.issued_on, ends_on=plan.issued_on, fmt="pdf", status="done",
        )  # fmt: skip
        issued.file.save("tong-ket.pdf", ContentFile(b"%PDF-1.7"), save=True)
        klass = nominee_list.training_class
        audit_record(actor=None, action="candidate_update", unit=a, obj=person)  # a history
        fill = {
            "unit": {"pk": a.pk},
            "plan": {"pk": plan.pk},
            "plan_for_class": {"plan_pk": plan.pk},
            "round": {"pk": plan.pk, "round_pk": Round.objects.filter(plan=plan)[0].pk},
            "target": {"pk": plan.pk, "target_pk": Target.objects.filter(plan=plan)[0].pk},
            "class": {"pk": klass.pk},
            "old_sheet": {"pk": klass.pk, "kind": "roster", "fmt": "pdf"},
            "list": {"pk": klass.pk, "unit_pk": a.pk},
            "nomination": {
                "pk": klass.pk,
                "unit_pk": a.pk,
                "nomination_pk": nominee_list.nominations.first().pk,
            },
            "candidate": {"pk": person.pk},
            "history": {
                "type_id": ContentType.objects.get_for_model(Candidate).pk,
                "object_id": person.pk,
            },
            "introducer": {"pk": person.pk, "introducer_pk": person.introducers.first().pk},
            "mentor": {"pk": comment.mentor.candidate_id, "mentor_pk": comment.mentor_id},
            "comment": {"pk": comment.mentor.candidate_id, "comment_pk": comment.pk},
            "issued": {"pk": issued.pk},
            "annex": {"pk": plan.pk, "fmt": "xlsx"},
            "sheet": {"pk": klass.pk, "kind": "roster", "fmt": "xlsx"},
            "report": {"kind": "year_end"},
            "download": {"kind": "year_end", "fmt": "xlsx"},
        }

        def people(unit):
            return {
                (c.full_name, c.citizen_id)
                for c in Candidate.objects.filter(unit=unit)
                if c.citizen_id
            }

        people_a, people_b = people(a), people(b)
        yield {
            "fill": fill,
            "plan": plan.pk,
            "unit": a.pk,
            # What the secretary of B (and the committee over B) must never be shown: A's
            # people, and what A's secretary must never be shown: B's — by citizen ID, and
            # by name where the name is not also someone's on the other side.
            "secret": {
                "bithu.haphong": _marks(people_a, people_b),
                "danguy.thang": _marks(people_a, people_b),
                "bithu.thpt1": _marks(people_b, people_a),
            },
        }
        assert Mentor.objects.filter(candidate__unit=a).exists()


def _marks(hidden: set, shown: set) -> set[str]:
    names_shown = {name for name, _id in shown}
    return {cid for _n, cid in hidden} | {n for n, _id in hidden if n not in names_shown}


def test_every_url_has_an_entry():
    assert url_names() - set(MATRIX) == set(), "add the new URL to MATRIX"
    assert set(MATRIX) - url_names() == set(), "a URL in MATRIX is gone"


def _text(response) -> str:
    kind = response.get("Content-Type", "")
    body = b"".join(response.streaming_content) if response.streaming else response.content
    if "spreadsheetml" in kind:
        from openpyxl import load_workbook

        book = load_workbook(io.BytesIO(body), read_only=True)
        return "\n".join(
            str(value)
            for sheet in book.worksheets
            for row in sheet.iter_rows(values_only=True)
            for value in row
            if value is not None
        )
    if kind.startswith(("text/", "application/json")):
        return body.decode("utf-8", "replace")
    return ""  # PDF and Word: their figures come from the same scoped selectors


@pytest.mark.parametrize("name", sorted(MATRIX))
def test_each_user_gets_what_they_may(name, objects, client):
    entry = MATRIX[name]
    kwargs = objects["fill"].get(entry.kwargs, {})
    if ":" in name and name.split(":", 1)[1].startswith("^"):  # the classes' old sheets
        path = f"/lop-boi-duong/{kwargs['pk']}/{kwargs['kind']}.{kwargs['fmt']}"
    elif "/" in name:  # an unnamed route without parameters
        path = f"/{name}"
    else:
        path = reverse(name, kwargs=kwargs)
    path += entry.query.format(plan=objects["plan"], unit=objects["unit"])
    got = []
    users = get_user_model().objects
    for username in USERS:
        client.logout()
        if username != "anonymous":
            client.force_login(users.get(username=username))
        response = client.get(path)
        got.append(response.status_code)
        assert response.status_code != 500, f"{username} GET {path}: 500"
        secrets = objects["secret"].get(username)
        if secrets and response.status_code == 200:
            text = _text(response)
            leaked = sorted(s for s in secrets if s in text)
            assert not leaked, f"{username} GET {path} shows {leaked[:3]}"
    if os.environ.get("PTDV_PRINT_MATRIX"):
        print(f"\n{name}: {tuple(got)}")
    assert tuple(got) == entry.statuses, f"GET {path}: {dict(zip(USERS, got, strict=True))}"


def test_the_secrets_are_there_to_be_found(objects, client):
    """The leak check has teeth: the Board's list of everyone shows what the secretaries'
    lists must not."""
    for username in ("bithu.thpt1", "bithu.haphong"):
        assert len(objects["secret"][username]) >= 4
    client.force_login(get_user_model().objects.get(username="bantochuc"))
    text = _text(client.get(reverse("candidates:candidate_list") + "?per_page=1000"))
    for username in ("bithu.thpt1", "bithu.haphong"):
        assert any(mark in text for mark in objects["secret"][username])
