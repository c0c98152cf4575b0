from datetime import date

import factory
from django.contrib.auth import get_user_model
from factory.django import DjangoModelFactory

from candidates.choices import DocumentKind
from units.models import Unit, UnitKind
from units.services import role_assign, unit_create


class UserFactory(DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = "Nguyễn Văn"
    last_name = factory.Sequence(lambda n: f"An{n}")
    password = factory.django.Password("secret-pass-123")


class UnitFactory(DjangoModelFactory):
    """Creates units through the service, so treebeard places them in the tree."""

    class Meta:
        model = Unit

    kind = factory.LazyFunction(lambda: UnitKind.objects.get(code="cell"))
    code = factory.Sequence(lambda n: f"U{n:04d}")
    name = factory.Sequence(lambda n: f"Chi bộ số {n}")
    parent = None

    @classmethod
    def _create(cls, model_class, *args, parent=None, **kwargs):
        return unit_create(actor=None, parent=parent, **kwargs)


def make_holder(*, role: str, unit: Unit, username: str | None = None):
    """A user who holds ``role`` at ``unit``."""
    user = UserFactory(**({"username": username} if username else {}))
    role_assign(actor=None, user=user, unit=unit, role=role)
    return user


def mentor_assessment_add(candidate, dated, *, name: str = "Lê Văn Giúp"):
    """The probationary member's mentor, assigned at the ceremony, and their written
    assessment dated ``dated`` (06-HD/TW 4.3): what recording recognition needs."""
    from candidates.choices import MentorPhase, Stage
    from candidates.models import Mentor, MentorComment

    ceremony = candidate.events.filter(stage=Stage.CEREMONY).latest("dated").dated
    mentor = Mentor.objects.create(
        candidate=candidate,
        name=name,
        unit_name=f"Chi bộ {candidate.unit.name}",
        phase=MentorPhase.PROBATIONARY,
        assigned_on=ceremony,
    )
    return MentorComment.objects.create(
        mentor=mentor,
        dated=dated,
        text="Hoàn thành tốt nhiệm vụ; đề nghị chi bộ xét công nhận đảng viên chính thức.",
    )


# The papers of a complete file (06-HD/TW), dated in the months before the resolution.
FILE_PAPERS = {
    DocumentKind.APPLICATION: date(2024, 1, 15),
    DocumentKind.BACKGROUND: date(2024, 1, 20),
    DocumentKind.VERIFICATION: date(2024, 2, 28),
    DocumentKind.INTRODUCTION: date(2024, 2, 20),
    DocumentKind.OPINIONS: date(2024, 2, 25),
}
