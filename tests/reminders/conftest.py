from tests.training.conftest import make_class, people, student_class  # noqa: F401
