"""The user's to-do list, gathered from the apps that know what must be done.

Each app says what its users must do in its own selectors (``quotas``, ``training``,
``candidates``: ``selectors.todo_for``); this module puts them in one order for the home
page and for the e-mail digest. It sits on the top floor (like ``reports``), because it
reads every app below it.
"""

from datetime import date

from candidates.selectors import todo_for as candidates_todo
from core.todo import TodoGroup, TodoItem
from quotas.selectors import todo_for as quotas_todo
from training.selectors import todo_for as training_todo

# The apps' lists in the order the home page shows them: what waits for the user first
# (returned people, lists to review), then deadlines, then housekeeping.
SOURCES = (training_todo, candidates_todo, quotas_todo)


def todo_groups(*, user, today: date) -> list[TodoGroup]:
    """Every group of to-do items of the user, in the order of ``SOURCES``."""
    groups: list[TodoGroup] = []
    for source in SOURCES:
        groups += source(user=user, today=today)
    return groups


def todo_items(*, user, today: date) -> list[TodoItem]:
    """Every to-do item of the user, group after group."""
    return [item for group in todo_groups(user=user, today=today) for item in group.items]
