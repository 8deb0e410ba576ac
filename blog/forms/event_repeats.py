"""The event editor's "Repeats" group and its "Changes to single dates" rows.

"Repeats" is a menu, a number, weekday checkboxes and radio buttons, all
shown without JavaScript (a script hides what the chosen kind does not
use). "Changes to single dates" are rows like the people's, without order
numbers: a date of the series, what happens to it, and a move's new date
and times. :class:`RepetitionFields` holds them for
:class:`blog.forms.events.EventForm` (WTForms collects the fields of every
base class); :mod:`blog.events.repeats` checks what they send.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from typing import Any

from wtforms import (
    BooleanField,
    DateField,
    FieldList,
    FormField,
    IntegerField,
    RadioField,
    SelectField,
    SelectMultipleField,
    TimeField,
)
from wtforms.validators import Optional

from blog.dates import in_range
from blog.errors import FieldError
from blog.events.recurrence import MAX_OCCURRENCES, is_last_of_month
from blog.events.repeats import (
    DAY_NAMES,
    MAX_CHANGES,
    MAX_INTERVAL,
    ChangeInput,
    Ends,
    RepetitionInput,
    as_typed,
    monthly_labels,
    rule_fields,
)
from blog.forms.common import SubForm, choice
from blog.models import Event, MonthlyBy, OccurrenceChange, Repeat

#: The "Changes to single dates" rows' button.
ADD_CHANGE = "Add another change"
REPEAT_LABELS = {
    Repeat.NONE: "None",
    Repeat.DAILY: "Daily",
    Repeat.WEEKLY: "Weekly",
    Repeat.MONTHLY: "Monthly",
}
CHANGE_LABELS = {
    OccurrenceChange.SKIPPED: "Skip this date",
    OccurrenceChange.CANCELLED: "Cancel this date (shown as cancelled)",
    OccurrenceChange.MOVED: "Move to",
}
ENDS_LABELS = {
    Ends.NEVER: "Never",
    Ends.UNTIL: "On a date",
    Ends.COUNT: "After a number of times",
}


class ChangeRow(SubForm):
    """One date of a series skipped, cancelled or moved."""

    day = DateField("Date", validators=[Optional()])
    change = SelectField(
        "What happens",
        choices=[choice(c.value, label) for c, label in CHANGE_LABELS.items()],
        default=OccurrenceChange.SKIPPED.value,
        validate_choice=False,
    )
    new_date = DateField("New date", validators=[Optional()])
    new_start_time = TimeField("New start", validators=[Optional()])
    new_end_time = TimeField("New end", validators=[Optional()])
    remove = BooleanField("Remove")

    def is_empty(self) -> bool:
        parts = (self.day, self.new_date, self.new_start_time, self.new_end_time)
        return not any(
            part.data or part.raw_data and part.raw_data[0] for part in parts
        )


class RepetitionFields:
    """The repetition fields and change rows of the event editor, and what
    it does with them (a base class of the editor's form)."""

    repeat = SelectField(
        "Repeats",
        choices=[choice(r.value, label) for r, label in REPEAT_LABELS.items()],
        default=Repeat.NONE.value,
        validate_choice=False,
    )
    repeat_interval = IntegerField(
        "Every",
        default=1,
        validators=[Optional()],
        render_kw={"min": 1, "max": MAX_INTERVAL},
    )
    repeat_weekdays = SelectMultipleField(
        "On these days",
        choices=[choice(code, name) for code, name in DAY_NAMES.items()],
        validate_choice=False,
    )
    repeat_monthly_by = RadioField(
        "Each month",
        choices=[choice(v, label) for v, label in monthly_labels(None).items()],
        default=MonthlyBy.DAY_OF_MONTH.value,
        validate_choice=False,
    )
    repeat_ends = RadioField(
        "Ends",
        choices=[choice(e.value, label) for e, label in ENDS_LABELS.items()],
        default=Ends.NEVER.value,
        validate_choice=False,
    )
    repeat_until = DateField("Last date", validators=[Optional()])
    repeat_count = IntegerField(
        "How many times",
        validators=[Optional()],
        render_kw={"min": 1, "max": MAX_OCCURRENCES},
    )
    changes = FieldList(
        FormField(ChangeRow), "Changes to single dates", max_entries=MAX_CHANGES
    )

    #: Whether the template shows "On the last Thursday".
    last_weekday_offered: bool
    #: The change rows sent to the service, in order (for their errors).
    _sent_changes: list[ChangeRow]

    def _start_repetition(self, start: object) -> None:
        """Word the monthly choices for the start date typed (``start``):
        "On day 14", "On the second Thursday"; "On the last Thursday" is
        offered when it is the last (or chosen, so that its error has a
        place)."""
        self._sent_changes = []
        first = start if isinstance(start, date) else None
        if first is not None and not in_range(first):
            first = None  # a row stored around the editor's years
        labels = monthly_labels(first)
        self.repeat_monthly_by.choices = [choice(v, t) for v, t in labels.items()]
        self.last_weekday_offered = (
            first is None
            or is_last_of_month(first)
            or self.repeat_monthly_by.data == MonthlyBy.LAST_WEEKDAY
        )

    def repetition_input(self) -> RepetitionInput:
        """ "Repeats" and the change rows (not removed, not empty) as sent."""
        self._sent_changes = [
            entry.form
            for entry in self.changes
            if not entry.form.remove.data and not entry.form.is_empty()
        ]
        return RepetitionInput(
            repeat=self.repeat.data or Repeat.NONE,
            interval=self.repeat_interval.data,
            weekdays=tuple(self.repeat_weekdays.data or ()),
            monthly_by=self.repeat_monthly_by.data or MonthlyBy.DAY_OF_MONTH,
            ends=self.repeat_ends.data or Ends.NEVER,
            until=self.repeat_until.data,
            count=self.repeat_count.data,
            changes=[
                ChangeInput(
                    day=row.day.data,
                    change=row.change.data or OccurrenceChange.SKIPPED,
                    new_date=row.new_date.data,
                    new_start_time=row.new_start_time.data,
                    new_end_time=row.new_end_time.data,
                )
                for row in self._sent_changes
            ],
        )

    @contextmanager
    def change_errors(self) -> Iterator[None]:
        """Put the service's errors about a change row next to that row's
        field as well (they name it ``changes-<n>-<part>``, ``n`` counting
        the rows sent); the message also goes to the top of the form."""
        try:
            yield
        except FieldError as error:
            placed: dict[str, str] = {}
            for name, message in error.errors.items():
                row_field = self._change_field(name)
                if row_field is None:
                    placed[name] = message
                else:
                    row_field.errors = [*row_field.errors, message]
                    placed["changes"] = message
            if placed == error.errors:
                raise
            raise FieldError(errors=placed) from error

    def _change_field(self, name: str) -> Any:
        parts = name.split("-")
        if len(parts) != 3 or parts[0] != "changes" or not parts[1].isdigit():
            return None
        index = int(parts[1])
        if index >= len(self._sent_changes):
            return None
        return self._sent_changes[index]._fields.get(parts[2])

    def add_change_row(self) -> None:
        """ "Add another change": the rows again, without removed ones, and
        an empty one."""
        kept = [
            {k: v for k, v in entry.form.data.items() if k != "remove"}
            for entry in self.changes
            if not entry.form.remove.data
        ]
        while self.changes.entries:
            self.changes.pop_entry()
        for row in kept:
            self.changes.append_entry(row)
        self.changes.append_entry()


def repetition_data(event: Event) -> dict[str, Any]:
    """The "Repeats" fields and change rows for a saved event (one empty row
    after the changes)."""
    typed = as_typed(event)
    changes = [
        {
            "day": change.day,
            "change": change.change,
            "new_date": change.new_date,
            "new_start_time": change.new_start_time,
            "new_end_time": change.new_end_time,
        }
        for change in typed.changes
    ]
    return {**rule_fields(typed), "changes": [*changes, {}]}
