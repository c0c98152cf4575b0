"""Template filters for personal data: ``{{ c.citizen_id|masked }}`` → ``********3359``."""

from django import template

from core.text import mask_digits

register = template.Library()


@register.filter
def masked(value):
    """The value with all but its last four characters hidden ("—" when empty)."""
    return mask_digits(value) or "—"
