"""Checking a form field by field and keeping every problem, so the nurse sees them all at once.

A form that reports only its first bad field makes the nurse fix, save, and meet the next one.
Each field's check is a small function that returns the value as stored or raises
:class:`~clinic_app.domain.errors.InvalidInput` naming the field; :class:`FieldChecks` runs them
all and raises once at the end:

- one problem: that :class:`InvalidInput` itself (its subclass and message unchanged);
- several: :class:`InvalidInputs`, which carries each of them in ``errors`` and is itself an
  :class:`InvalidInput` about the first one, so code written for one error still works.

A check that needs another field's value (e.g. a time that needs its day) runs only when that
value passed (:meth:`FieldChecks.check` gives None for a field that failed).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TypeVar

from clinic_app.domain.errors import InvalidInput

T = TypeVar("T")


def _flat(errors: Iterable[InvalidInput]) -> tuple[InvalidInput, ...]:
    found: list[InvalidInput] = []
    for error in errors:
        found.extend(error.errors if isinstance(error, InvalidInputs) else (error,))
    return tuple(found)


class InvalidInputs(InvalidInput):
    """Several fields of one form are wrong: ``errors`` holds one :class:`InvalidInput` each.

    ``field`` is the first error's field and the message lists every message, one a line, so a
    caller that knows only :class:`InvalidInput` still points at a bad field and loses nothing.
    """

    def __init__(self, errors: Iterable[InvalidInput]) -> None:
        self.errors = _flat(errors)
        if not self.errors:
            raise ValueError("InvalidInputs needs at least one error")
        super().__init__(self.errors[0].field, "\n".join(str(e) for e in self.errors))


class FieldChecks:
    """Runs a form's field checks and keeps each :class:`InvalidInput` they raise."""

    def __init__(self) -> None:
        self._problems: list[InvalidInput] = []

    def check(self, check: Callable[[], T]) -> T | None:
        """``check()``'s value, or None after keeping the :class:`InvalidInput` it raised."""
        try:
            return check()
        except InvalidInput as problem:
            self._problems.extend(_flat((problem,)))
            return None

    @property
    def problems(self) -> tuple[InvalidInput, ...]:
        """What was found so far, in the order the checks ran."""
        return tuple(self._problems)

    def failed(self, field: str) -> bool:
        """True when a problem about ``field`` was found."""
        return any(p.field == field for p in self._problems)

    def raise_problems(self) -> None:
        """Raise what was found (nothing when every check passed)."""
        if len(self._problems) == 1:
            raise self._problems[0]
        if self._problems:
            raise InvalidInputs(self._problems)
