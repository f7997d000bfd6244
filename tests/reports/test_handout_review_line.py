"""The response review line of the schedule handout (issue 13 "printed")."""

from __future__ import annotations

from datetime import date

import pytest

from clinic_app.reports.records import ReviewRecord
from clinic_app.reports.schedule_handout import review_line


@pytest.mark.parametrize(
    ("review", "line"),
    [
        (ReviewRecord(dose_number=4, week=14),
         "Response review due at dose 4 (week 14): decision not recorded yet"),
        (ReviewRecord(dose_number=4, week=14, decision="Stop", prescriber="Dr Ewa Nowak",
                      decided_on=date(2026, 6, 15)),
         "Response review due at dose 4 (week 14): decision stop by Dr Ewa Nowak on 15 Jun 2026"),
        (ReviewRecord(dose_number=3, week=10, decision="Other"),
         "Response review due at dose 3 (week 10): decision other"),
    ],
)  # fmt: skip
def test_the_review_line_gives_the_decision_by_whom_and_when_or_not_recorded(
    review: ReviewRecord, line: str
) -> None:
    assert review_line(review) == line
