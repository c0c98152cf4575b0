"""The app's one "today": the real day in Vietnam, or the day a test plays."""

from datetime import date

from django.utils import timezone

from candidates import services as candidate_services
from core import dates
from quotas.forms import PlanForm
from training import services as training_services


def test_today_is_the_real_day_in_vietnam_unless_a_test_plays_another(settings):
    assert settings.PTDV_TODAY is None
    assert dates.today() == timezone.localdate()
    settings.PTDV_TODAY = date(2024, 5, 10)
    assert dates.today() == date(2024, 5, 10)


def test_services_and_forms_take_the_played_day(settings):
    settings.PTDV_TODAY = date(2024, 3, 20)
    assert training_services._today() == date(2024, 3, 20)
    assert candidate_services._today() == date(2024, 3, 20)
    assert PlanForm().fields["year"].initial == 2024
