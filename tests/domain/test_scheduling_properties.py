"""Properties every schedule keeps, whatever the drug, dates, closed days or late doses."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from itertools import pairwise

from hypothesis import given, settings
from hypothesis import strategies as st

from clinic_app.domain.protocol_model import Protocol
from clinic_app.domain.protocols import load_all_protocols
from clinic_app.domain.scheduling import IntervalChange, SchedulePlan, plan_schedule
from clinic_app.domain.settings import ClosedDays

PROTOCOLS = {p.id: p for p in load_all_protocols()}


@dataclass(frozen=True)
class Case:
    protocol: Protocol
    first_dose: date
    given: tuple[date, ...]
    as_of: date | None
    count: int
    closed: ClosedDays
    changes: tuple[IntervalChange, ...]

    def plan(self) -> SchedulePlan:
        return plan_schedule(
            self.protocol, self.first_dose, given=self.given, count=self.count, as_of=self.as_of,
            closed=self.closed, interval_override=self.changes,
        )


closed_days = st.builds(
    ClosedDays,
    weekdays=st.frozensets(st.integers(0, 6), max_size=6),
    fixed_holidays=st.frozensets(
        st.tuples(st.integers(1, 12), st.integers(1, 28)), max_size=10),
    closures=st.frozensets(st.dates(date(2025, 12, 1), date(2028, 12, 31)), max_size=20),
)


@st.composite
def cases(draw: st.DrawFn) -> Case:
    protocol = PROTOCOLS[draw(st.sampled_from(sorted(PROTOCOLS)))]
    first = draw(st.dates(date(2026, 1, 1), date(2026, 12, 31)))
    gaps = draw(st.lists(st.integers(1, 150), max_size=6))
    dose1_delay = draw(st.integers(0, 5))
    given: list[date] = []
    if draw(st.booleans()):
        day = first + timedelta(days=dose1_delay)
        given.append(day)
        for gap in gaps:
            day += timedelta(days=gap)
            given.append(day)
    last = given[-1] if given else first
    as_of = draw(st.none() | st.integers(0, 200).map(lambda d: last + timedelta(days=d)))
    schedule = protocol.schedule
    first_maintenance = len(schedule.induction_offsets_weeks) + 1
    changes = draw(st.lists(
        st.builds(IntervalChange, from_dose=st.integers(first_maintenance, 15),
                  weeks=st.sampled_from(schedule.allowed_intervals_weeks)),
        max_size=2, unique_by=lambda c: c.from_dose,
    ))
    count = len(given) + draw(st.integers(1, 12))
    return Case(protocol, first, tuple(given), as_of, count, draw(closed_days), tuple(changes))


@settings(max_examples=300, deadline=None)
@given(cases())
def test_planned_due_dates_strictly_increase_after_the_last_given_dose(case: Case) -> None:
    plan = case.plan()
    timeline = [d.given or d.due for d in plan.doses]
    assert all(a < b for a, b in pairwise(timeline))


@settings(max_examples=300, deadline=None)
@given(cases())
def test_consecutive_doses_keep_the_minimum_spacing(case: Case) -> None:
    plan = case.plan()
    spacing = timedelta(days=case.protocol.schedule.min_spacing_days)
    for previous, dose in pairwise(plan.doses):
        if dose.given is not None:
            continue
        assert dose.due >= (previous.given or previous.due) + spacing
        assert dose.earliest >= previous.expected_on + spacing
        if dose.suggested is not None:
            assert dose.suggested >= previous.expected_on + spacing


@settings(max_examples=300, deadline=None)
@given(cases())
def test_a_suggested_day_is_open_and_inside_its_window(case: Case) -> None:
    plan = case.plan()
    for dose in plan.doses:
        if dose.suggested is None:
            assert dose.given is not None or "NO_OPEN_DAY" in [w.code for w in dose.warnings]
            continue
        if dose.number == 1 and dose.suggested == case.first_dose:
            continue  # the prescriber's day is kept, even a closed one
        assert dose.earliest <= dose.suggested <= dose.latest
        assert not case.closed.is_closed(dose.suggested)
        if case.as_of is not None:
            assert dose.suggested >= case.as_of


@settings(max_examples=300, deadline=None)
@given(cases())
def test_given_doses_appear_unchanged_and_the_count_is_kept(case: Case) -> None:
    plan = case.plan()
    assert len(plan.doses) == case.count
    assert [d.number for d in plan.doses] == list(range(1, case.count + 1))
    assert tuple(d.given for d in plan.doses[: len(case.given)]) == case.given
    assert all(d.given is None for d in plan.doses[len(case.given):])


@settings(max_examples=200, deadline=None)
@given(cases())
def test_the_plan_is_the_same_for_the_same_inputs(case: Case) -> None:
    assert case.plan() == case.plan()


@settings(max_examples=200, deadline=None)
@given(cases())
def test_only_the_next_dose_can_be_overdue(case: Case) -> None:
    plan = case.plan()
    overdue = [d for d in plan.doses if d.is_overdue]
    assert overdue in ([], [plan.next_dose])
