"""``{% history_link obj %}``: the "Lịch sử thay đổi" button of a record's page, for the
Organization Board only."""

from django import template
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from ..selectors import user_is_board

register = template.Library()


@register.inclusion_tag("units/_history_link.html", takes_context=True)
def history_link(context, obj):
    request = context.get("request")
    user = getattr(request, "user", None)
    if obj is None or obj.pk is None or user is None or not user_is_board(user=user):
        return {"url": ""}
    object_type = ContentType.objects.get_for_model(obj)
    url = reverse("audit:history", args=[object_type.pk, obj.pk])
    return {"url": f"{url}?next={request.path}"}
