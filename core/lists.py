"""List pages: a FilterSet and a Table (django-filter's FilterView with django-tables2)."""

from django.utils.translation import gettext_lazy as _


class FilteredEmptyTextMixin:
    """When the filters leave no row, the table says so, instead of its "nothing entered
    yet" text, which would read as if the list itself were empty."""

    filtered_empty_text = _("Nothing matches these filters.")

    def is_filtered(self) -> bool:
        form = getattr(getattr(self, "filterset", None), "form", None)
        return bool(form is not None and form.is_bound and form.changed_data)

    def get_table(self, **kwargs):
        table = super().get_table(**kwargs)
        if self.is_filtered():
            table.empty_text = self.filtered_empty_text
        return table
