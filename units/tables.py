import django_tables2 as tables
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from core import dates

from .models import Unit


class UnitTable(tables.Table):
    """The unit register as a tree: rows in tree order, names indented by depth."""

    name = tables.Column(verbose_name=_("Unit"), linkify=True, order_by=("path",))
    kind = tables.Column(verbose_name=_("Kind"), order_by=("kind__sort_order", "path"))
    code = tables.Column(verbose_name=_("Code"))
    flags = tables.Column(verbose_name=_("Characteristics"), empty_values=(), orderable=False)

    class Meta:
        model = Unit
        fields = ["name", "kind", "code", "flags"]
        attrs = {"class": "table table-hover align-middle unit-tree"}
        orderable = False

    def __init__(self, *args, base_depth: int = 1, tree: bool = True, ancestors=None, **kwargs):
        self.base_depth = base_depth
        self.tree = tree
        self.ancestor_names = ancestors or {}
        super().__init__(*args, **kwargs)

    def render_name(self, value, record):
        aliases = [a.name for a in record.aliases.all()]
        alias_html = (
            format_html(
                '<div class="small text-body-secondary d-none d-sm-block">{} {}</div>',
                _("also written:"),
                "; ".join(aliases),
            )
            if aliases
            else ""
        )
        # On a phone the kind and flag columns are hidden; the kind moves under the name.
        kind_html = format_html(
            '<div class="small text-body-secondary d-sm-none">{}</div>', record.kind.name
        )
        if self.tree:
            level = max(record.depth - self.base_depth, 0)
            return format_html(
                '<div class="tree-node lvl-{}">{}<a href="{}" class="fw-semibold">{}</a>{}{}</div>',
                level,
                mark_safe('<span class="tree-branch" aria-hidden="true"></span>') if level else "",
                record.get_absolute_url(),
                value,
                kind_html,
                alias_html,
            )
        trail = self.ancestor_names.get(record.pk, [])
        trail_html = (
            format_html('<div class="small text-body-secondary">{}</div>', " › ".join(trail))
            if trail
            else ""
        )
        return format_html(
            '{}<a href="{}" class="fw-semibold">{}</a>{}{}',
            trail_html,
            record.get_absolute_url(),
            value,
            kind_html,
            alias_html,
        )

    def render_flags(self, record):
        badges = []
        if record.has_party_organisation:
            badges.append(("text-bg-danger", _("Party organisation")))
        if record.has_trade_union:
            badges.append(("text-bg-primary", _("Trade union")))
        if record.non_state_capital:
            badges.append(("text-bg-secondary", _("Non-state")))
        if not record.is_active_on(dates.today()):
            badges.append(("text-bg-warning", _("Inactive")))
        return format_html_join(
            " ", '<span class="badge {}">{}</span>', ((cls, label) for cls, label in badges)
        )
