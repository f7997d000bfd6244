"""Overdue items counted clinical apart from paperwork, in one wording (issue 12)."""

from __future__ import annotations

from clinic_app.domain.overdue import OverdueCount, total


def test_the_count_names_each_kind_that_is_late_and_nothing_when_none_is():
    assert OverdueCount(2, 1).text == "overdue: 2 clinical, 1 paperwork"
    assert OverdueCount(3, 0).text == "overdue: 3 clinical"
    assert OverdueCount(0, 1).text == "overdue: 1 paperwork"
    assert OverdueCount().text is None


def test_rows_add_up():
    assert total([OverdueCount(1, 0), OverdueCount(2, 1), OverdueCount()]) == OverdueCount(3, 1)
