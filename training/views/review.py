"""The Organization Board's review of a unit's list: accept, or return with a reason.

The page shows what to look at first (``training.review_warnings``); accepting people with
warnings, or a list with a warning of its own, asks the Board to tick "I have seen the
warnings" — no JavaScript: the press is refused with the page shown again, ticks and typed
reason kept, until the box is ticked."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.generic import TemplateView
from django_tables2 import RequestConfig

from core.dates import today
from core.text import pk_list
from units.access import BoardRequiredMixin

from ..choices import NominationStatus
from ..forms import ReturnForm
from ..review_warnings import review_warnings
from ..selectors import nominations_of, unit_round_bounds
from ..services import nominations_review, nominee_list_accept, nominee_list_return
from ..tables import ReviewTable
from .lists import UnitListMixin, error_text, list_opened_as, list_token


class ReviewView(BoardRequiredMixin, UnitListMixin, TemplateView):
    template_name = "training/list_review.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        nl = self.nominee_list
        if nl is None:
            raise Http404
        rows = nominations_of(nl)
        warnings = kwargs["warnings"] if "warnings" in kwargs else self.warnings(rows)
        table = ReviewTable(rows, warnings=warnings.people, ticked=kwargs.get("ticked", ()))
        RequestConfig(self.request, paginate=False).configure(table)
        context.update(
            cls=self.training_class,
            unit=self.unit,
            nominee_list=nl,
            rows=rows,
            table=table,
            warnings=warnings,
            flagged=len(warnings.people),
            confirm_error=kwargs.get("confirm_error", False),
            bounds=unit_round_bounds(unit=self.unit, round_=self.training_class.round),
            accepted=sum(n.status == NominationStatus.ACCEPTED for n in rows),
            pending=sum(n.status == NominationStatus.PENDING for n in rows),
            return_form=kwargs.get("return_form") or ReturnForm(),
            opened_as=list_token(nl, rows),
        )
        return context

    def post(self, request, *args, **kwargs):
        nl = self.nominee_list
        if nl is None:
            raise Http404
        action = request.POST.get("action")
        ids = pk_list(request.POST.getlist("nomination"))
        chosen = list(nl.nominations.filter(pk__in=ids).select_related("candidate"))
        form = ReturnForm(request.POST) if action in ("return", "return_list") else None
        opened_as = list_opened_as(request)
        if action == "accept_all" or (action == "accept" and chosen):
            refused = self.unconfirmed(action, chosen, ids)
            if refused is not None:
                return refused
        try:
            if action == "accept_all":
                done = nominee_list_accept(actor=request.user, nominee_list=nl, opened_as=opened_as)
                messages.success(request, _("%(n)s people were accepted.") % {"n": done})
            elif action == "accept":
                if not chosen:
                    raise ValidationError(_("Tick the people first."))
                done = nominations_review(actor=request.user, nominations=chosen, accept=True)
                messages.success(request, _("%(n)s people were accepted.") % {"n": done})
            elif action in ("return", "return_list"):
                if not form.is_valid():
                    context = self.get_context_data(return_form=form)
                    return self.render_to_response(context, status=400)
                reason = form.cleaned_data["reason"]
                if action == "return_list":
                    done = nominee_list_return(
                        actor=request.user, nominee_list=nl, reason=reason, opened_as=opened_as
                    )
                else:
                    if not chosen:
                        raise ValidationError(_("Tick the people to return first."))
                    done = nominations_review(
                        actor=request.user, nominations=chosen, accept=False, reason=reason
                    )
                messages.success(
                    request,
                    _("%(n)s people were returned to the unit with the reason.") % {"n": done},
                )
            else:
                raise ValidationError(_("Unknown action."))
        except ValidationError as exc:
            messages.error(request, error_text(exc))
            if getattr(exc, "code", None) == "stale" and form is not None:
                # The list as it is now, with the reason the Board typed kept in the form.
                return self.render_to_response(self.get_context_data(return_form=form), status=409)
        return redirect(reverse("training:list_review", args=[nl.training_class_id, nl.unit_id]))

    def warnings(self, rows):
        return review_warnings(
            user=self.request.user,
            training_class=self.training_class,
            nominee_list=self.nominee_list,
            rows=rows,
            today=today(),
        )

    def unconfirmed(self, action: str, chosen, ids: list[int]):
        """The page again (400), the Board's ticks and typed reason kept, when accepting
        would pass over warnings the Board has not confirmed seeing; else None. The box
        carries the warnings' fingerprint: a warning that appeared since asks again."""
        if action == "accept_all":
            people = self.nominee_list.nominations.filter(
                status=NominationStatus.PENDING
            ).values_list("pk", flat=True)
        else:
            people = [n.pk for n in chosen]
        warnings = self.warnings(nominations_of(self.nominee_list))
        if not warnings.concern(people):
            return None
        seen = self.request.POST.get("warnings_seen", "")
        if seen == warnings.digest:
            return None
        if seen:
            text = _(
                "The warnings changed after you opened the page. Read them again, tick "
                "“I have seen the warnings” and press the button again."
            )
        else:
            text = _(
                "Some of these people have warnings. Read them, tick “I have seen the "
                "warnings” and press the button again."
            )
        messages.error(self.request, text)
        context = self.get_context_data(
            return_form=ReturnForm(initial={"reason": self.request.POST.get("reason", "")}),
            ticked=ids,
            confirm_error=True,
            warnings=warnings,
        )
        return self.render_to_response(context, status=400)
