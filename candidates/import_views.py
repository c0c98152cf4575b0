"""Placeholder replaced by the candidate Excel import (issue 5, in progress)."""

from django.http import Http404
from django.views import View


class CandidateImportView(View):
    def get(self, request):
        raise Http404


def candidate_import_template(request):
    raise Http404
