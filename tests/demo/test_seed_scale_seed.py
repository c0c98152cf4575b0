"""``seed_scale`` gives the same province for the same seed, and another for another."""

import pytest
from django.db import transaction

from candidates.models import Candidate, StageEvent
from demo.scale import seed_scale
from units.models import Unit

pytestmark = pytest.mark.django_db


def _province(seed: int) -> tuple[list, list, list]:
    with transaction.atomic():
        seed_scale(units=12, candidates=40, years=1, seed=seed)
        rows = (
            list(Unit.objects.order_by("path").values_list("path", "code", "name")),
            list(
                Candidate.objects.order_by("pk").values_list(
                    "unit__code", "family_name", "given_name", "citizen_id", "stage"
                )
            ),
            list(StageEvent.objects.order_by("pk").values_list("stage", "dated")),
        )
        transaction.set_rollback(True)
    return rows


def test_the_same_seed_gives_the_same_province():
    first = _province(7)
    assert first == _province(7)
    assert first[1] and first[2]
    assert first[1] != _province(8)[1]
