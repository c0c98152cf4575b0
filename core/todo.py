"""A to-do item: one thing a user must do, with the page that does it.

Each app says what its users must do in its own selectors (``<app>.selectors.todo_for``)
and returns these; the home page and the e-mail reminders (``reminders/``) gather them.
Knows no app: plain values only.
"""

from dataclasses import dataclass, field
from datetime import date

from django.utils.translation import gettext, ngettext

# How urgent an item is, as the home page colours it.
OVERDUE = "overdue"  # its date has passed
SOON = "soon"  # its date is near (within its first reminder)
OPEN = "open"  # waiting for the user, no date or a date still far


@dataclass(frozen=True)
class TodoItem:
    """One thing to do.

    ``key`` names the item for the reminders' memory: stable while the item is the same
    thing to do (e.g. ``"candidates.decision:412:2026-03-05"``: the decision due for
    candidate 412 since the resolution of that day). ``group`` is the kind of item (the
    home page shows one heading per group, in the order the apps give them). ``due`` is the
    date the item is about (a deadline, a probation's end, a paper's last valid day);
    ``remind`` the days before it an e-mail announces it (working days when
    ``working_days``); an item without a date is announced once, when it appears."""

    key: str
    group: str
    title: str
    url: str
    detail: str = ""
    due: date | None = None
    remind: tuple[int, ...] = ()
    working_days: bool = False
    days_left: int | None = None  # calendar or working days until ``due`` (negative: late)
    unit: str = ""
    extra: dict = field(default_factory=dict, compare=False, hash=False)

    @property
    def urgency(self) -> str:
        if self.days_left is None:
            return OPEN
        if self.days_left < 0:
            return OVERDUE
        if self.remind and self.days_left <= max(self.remind):
            return SOON
        return OPEN

    @property
    def when(self) -> str:
        """How far its date is, in words: "3 working days left", "today", "5 days late"."""
        left = self.days_left
        if left is None:
            return ""
        if left < 0:
            if self.working_days:
                return ngettext("%(n)s working day late", "%(n)s working days late", -left) % {
                    "n": -left
                }
            return ngettext("%(n)s day late", "%(n)s days late", -left) % {"n": -left}
        if left == 0:
            return gettext("due today")
        if self.working_days:
            return ngettext("%(n)s working day left", "%(n)s working days left", left) % {"n": left}
        return ngettext("%(n)s day left", "%(n)s days left", left) % {"n": left}

    def threshold(self) -> int | None:
        """Which announcement the item is at today: ``-1`` once it is late, the smallest
        reminder day it has reached, ``0`` for an item without a date or reminder days
        (announced once), or
        None while its date is further off than every reminder."""
        if self.due is None or self.days_left is None or not self.remind:
            return 0
        if self.days_left < 0:
            return -1
        reached = [days for days in self.remind if self.days_left <= days]
        return min(reached) if reached else None


@dataclass(frozen=True)
class TodoGroup:
    """A heading of the to-do list: the kind of item, its label, how many there are, the
    first few items, and a page that lists them all when there are more."""

    group: str
    label: str
    items: list[TodoItem]
    more_url: str = ""
    shown: int = 5

    @property
    def count(self) -> int:
        return len(self.items)

    @property
    def first(self) -> list[TodoItem]:
        return self.items[: self.shown]

    @property
    def hidden(self) -> int:
        return max(0, len(self.items) - self.shown)

    @property
    def overdue(self) -> int:
        return sum(1 for item in self.items if item.urgency == OVERDUE)
