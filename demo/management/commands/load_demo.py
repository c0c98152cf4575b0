"""Load the demos: the district of Plan 145/KH-HU (seed 001; units, aliases, accounts,
plans, the totals of 2019–2023, the 2024 classes and candidates) and a commune after the
1/7/2025 reform (province, commune committee, its cells, Plan 12-KH/ĐU, the 2026 classes and
candidates under 294-QĐ/TW). ``--only district`` or ``--only commune`` loads one.

Idempotent: a second run finds everything in place and changes nothing.
"""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _

from demo.classes import demo_classes_load
from demo.district import DEMOS, Demo, demo_data, split_full_name
from demo.history import demo_history_load
from demo.pipeline import demo_pipeline_load
from demo.plans import demo_plans_load
from units.choices import Role
from units.kinds import ensure_default_kinds
from units.models import Unit, UnitKind
from units.services import (
    account_save,
    board_group_sync,
    role_assign,
    unit_create,
    unit_move,
    unit_set_aliases,
    unit_update,
)

FLAG_FIELDS = (
    "has_party_organisation",
    "has_trade_union",
    "non_state_capital",
    "decides_admissions",
)


class Command(BaseCommand):
    help = (
        "Load the demos: the district of Plan 145/KH-HU (2024) and a commune after the 2025 "
        "reform (2026): units, aliases, demo accounts, plans, classes, candidates."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--no-classes",
            action="store_true",
            help="Leave out the generated awareness classes and their people.",
        )
        parser.add_argument(
            "--only",
            choices=list(DEMOS),
            help="Load one demo: the district (2024) or the commune after the reform (2026).",
        )

    def handle(self, *args, **options):
        names = [options["only"]] if options["only"] else list(DEMOS)
        for name in names:
            self._load_demo(DEMOS[name], no_classes=options["no_classes"])

    def _load_demo(self, demo: Demo, *, no_classes: bool) -> None:
        data = demo_data(demo.name)
        with transaction.atomic():
            self.created = self.updated = 0
            ensure_default_kinds(UnitKind)
            for kind in data.get("kinds", ()):
                self._load_kind(kind)
            for node in data["units"]:
                self._load_unit(node, parent=None)
            group = board_group_sync()
            accounts = [self._load_account(a, data["password"], group) for a in data["accounts"]]
            plans_created, plans_updated = demo_plans_load(demo.path("plans"))
            history_created, history_updated = (
                demo_history_load(demo.path("history")) if demo.history else (0, 0)
            )
            classes_created = 0 if no_classes else demo_classes_load(demo.path("classes"))
            # The year of candidates builds on the classes' people.
            candidates_moved = 0 if no_classes else demo_pipeline_load(demo.path("candidates"))
            roots = [Unit.objects.get(code=node["code"]) for node in data["units"]]
            total = sum(Unit.objects.filter(path__startswith=r.path).count() for r in roots)
        with translation.override(settings.LANGUAGE_CODE):
            self.stdout.write(
                self.style.SUCCESS(
                    _("%(demo)s: %(total)s units (%(created)s created, %(updated)s updated).")
                    % {
                        "demo": data["title"],
                        "total": total,
                        "created": self.created,
                        "updated": self.updated,
                    }
                )
            )
            self.stdout.write(
                _("Demo plans: %(created)s created, %(updated)s updated.")
                % {"created": plans_created, "updated": plans_updated}
            )
            if demo.history:
                self.stdout.write(
                    _("Demo totals of past years: %(created)s created, %(updated)s updated.")
                    % {"created": history_created, "updated": history_updated}
                )
            self.stdout.write(
                _("Demo awareness classes: %(created)s created and played through.")
                % {"created": classes_created}
            )
            self.stdout.write(
                _("Demo candidates: %(moved)s moved along the road to admission.")
                % {"moved": candidates_moved}
            )
            self.stdout.write("")
            self.stdout.write(_("Demo logins (password for all: %s):") % data["password"])
            for account, username in zip(data["accounts"], accounts, strict=True):
                self.stdout.write(f"  {username:<16} {account['description']}")
            self.stdout.write("")

    def _load_kind(self, spec: dict) -> None:
        """A kind of unit the demo needs beyond the default ones (put back when changed)."""
        kind = UnitKind.objects.filter(code=spec["code"]).first() or UnitKind(code=spec["code"])
        fields = {k: spec[k] for k in ("name", "audience", "is_committee", "sort_order")}
        changed = [k for k, v in fields.items() if getattr(kind, k) != v]
        if kind.pk is None or changed:
            for k in changed:
                setattr(kind, k, fields[k])
            kind.full_clean()
            kind.save()

    def _load_unit(self, node: dict, parent: Unit | None) -> Unit:
        kind = UnitKind.objects.get(code=node["kind"])
        fields = {
            "kind": kind,
            "name": node["name"],
            "short_name": node.get("short_name", ""),
            **{flag: node.get(flag, False) for flag in FLAG_FIELDS},
        }
        unit = Unit.objects.filter(code=node["code"]).first()
        if unit is None:
            unit = unit_create(
                actor=None,
                parent=parent,
                code=node["code"],
                aliases=node.get("aliases", ()),
                **fields,
            )
            self.created += 1
        else:
            changed = unit_update(actor=None, unit=unit, **fields)
            changed_aliases = unit_set_aliases(
                actor=None, unit=unit, aliases=node.get("aliases", ())
            )
            current_parent = Unit.objects.get_parent(unit)
            moved = parent is not None and (
                current_parent is None or current_parent.pk != parent.pk
            )
            if moved:
                unit = unit_move(actor=None, unit=unit, parent=parent)
            if changed or changed_aliases or moved:
                self.updated += 1
        for child in node.get("children", ()):
            self._load_unit(child, parent=unit)
        return unit

    def _load_account(self, account: dict, password: str, board_group: Group) -> str:
        User = get_user_model()
        family, given = split_full_name(account["full_name"])
        is_board = account["role"] == Role.BOARD
        user = User.objects.filter(username=account["username"]).first()
        if user is None:
            user = User(username=account["username"])
            user.set_password(password)
        wanted = {"first_name": family, "last_name": given, "is_staff": is_board}
        changed = [k for k, v in wanted.items() if getattr(user, k) != v]
        for k in changed:
            setattr(user, k, wanted[k])
        if user.pk is None or changed:
            account_save(actor=None, user=user, fields=changed)
        if is_board and not user.groups.filter(pk=board_group.pk).exists():
            user.groups.add(board_group)
        unit = Unit.objects.get(code=account["unit"])
        role_assign(actor=None, user=user, unit=unit, role=account["role"])
        return user.username
