"""The demo database: named stories, today's clinic, the scale-up, and the guard on real data."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from clinic_testing import WARSAW, FakeClock
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from clinic_app.config import sqlite_url_for
from clinic_app.domain.dates import date_text
from clinic_app.domain.settings import ClinicSettings, load_settings
from clinic_app.services.accounts import sign_in
from clinic_app.services.chart import get_chart
from clinic_app.services.clinic_day import clinic_day
from clinic_app.services.context import ServiceContext
from clinic_app.services.courses import get_course
from clinic_app.services.demo import DEMO_PASSWORD, DemoSummary, seed_demo
from clinic_app.services.drug_levels import course_tdm
from clinic_app.services.errors import ActionNotAllowed
from clinic_app.services.patients import (
    search_patients,
)
from clinic_app.services.reactions import get_reaction
from clinic_app.services.visits import get_visit, preview_dose
from clinic_app.storage import ensure_database, make_engine, make_session_factory, verify_audit
from clinic_app.storage.models import InfusionVisit, Patient, TreatmentCourse

TODAY = date(2026, 3, 2)


@pytest.fixture
def make_other_ctx(tmp_path: Path, settings: ClinicSettings, tz: ZoneInfo,
                   clock: Callable[[], datetime]) -> Iterator[Callable[[], ServiceContext]]:
    """Contexts over a second database file."""
    engines = []

    def make() -> ServiceContext:
        url = sqlite_url_for(tmp_path / "other.sqlite3")
        ensure_database(url)
        engines.append(make_engine(url))
        return ServiceContext(session_factory=make_session_factory(engines[-1]),
                              settings=settings, tz=tz, clock=clock)

    yield make
    for engine in engines:
        engine.dispose()


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory: pytest.TempPathFactory) -> Iterator[
        tuple[ServiceContext, DemoSummary, sessionmaker[Session]]]:
    """One demo database for the read-only tests of this module."""
    url = sqlite_url_for(tmp_path_factory.mktemp("demo") / "clinic.sqlite3")
    ensure_database(url)
    engine = make_engine(url)
    ctx = ServiceContext(session_factory=make_session_factory(engine), settings=load_settings(),
                         tz=WARSAW, clock=FakeClock())
    summary = seed_demo(ctx, today=TODAY)
    nurse = sign_in(ctx, username=summary.username, secret=DEMO_PASSWORD)
    yield ctx.as_nurse(nurse.id), summary, ctx.session_factory
    engine.dispose()


@pytest.fixture
def seeded(demo_db: tuple[ServiceContext, DemoSummary, sessionmaker[Session]]
           ) -> tuple[ServiceContext, DemoSummary]:
    return demo_db[0], demo_db[1]


def _patient_id(ctx: ServiceContext, summary: DemoSummary, key: str) -> int:
    mrn = dict(summary.named)[key]
    (patient,) = search_patients(ctx, text=mrn)
    return patient.id


def test_every_shipped_protocol_has_patients_on_treatment(
        demo_db: tuple[ServiceContext, DemoSummary, sessionmaker[Session]]) -> None:
    with demo_db[2]() as session:
        protocols = set(session.scalars(select(TreatmentCourse.protocol_id)))
    assert protocols == {"infliximab", "anifrolumab", "vedolizumab", "tocilizumab"}


def test_names_with_accents_and_cyrillic_letters_are_found(
        seeded: tuple[ServiceContext, DemoSummary]) -> None:
    ctx, _ = seeded
    assert [p.display_name for p in search_patients(ctx, text="lukasz")] == ["ŻÓŁĆ, Łukasz"]
    assert [p.display_name for p in search_patients(ctx, text="Иванова")] == ["ИВАНОВА, Анна"]
    assert search_patients(ctx, text="muñoz")[0].given_names == "José"


def test_today_has_booked_infusing_and_observed_patients_at_different_chairs(
        seeded: tuple[ServiceContext, DemoSummary]) -> None:
    ctx, _ = seeded
    rows = clinic_day(ctx, day=TODAY)
    statuses = {r.status for r in rows}
    assert {"booked", "pre_check", "infusing", "observation", "discharged",
            "did_not_attend"} <= statuses
    assert len({r.chair for r in rows}) >= 5


def test_the_patient_with_an_earlier_reaction_gets_a_graduated_dose_with_premedication(
        seeded: tuple[ServiceContext, DemoSummary]) -> None:
    ctx, summary = seeded
    patient_id = _patient_id(ctx, summary, "earlier_acute_reaction")
    (row,) = [r for r in clinic_day(ctx, day=TODAY) if r.patient.id == patient_id]
    preview = preview_dose(ctx, appointment_id=row.appointment_id, weight="78.5")
    assert preview.graduated and preview.premedication
    chart = get_chart(ctx, patient_id=patient_id)
    assert [r.grade for r in chart.reactions] == [2]


def test_the_patient_with_an_earlier_reaction_had_the_premedication_set_at_the_dose_after_it(
        seeded: tuple[ServiceContext, DemoSummary]) -> None:
    ctx, summary = seeded
    chart = get_chart(ctx, patient_id=_patient_id(ctx, summary, "earlier_acute_reaction"))
    given = {visit.id: get_visit(ctx, visit_id=visit.id) for visit in chart.visits}
    by_dose = {detail.dose_number: detail for detail in given.values()}
    assert sorted(by_dose) == [1, 2, 3]
    assert by_dose[2].premedications == () and by_dose[3].dose_plan.graduated
    assert [p.text for p in by_dose[3].premedications] == [
        "cetirizine 10 mg oral", "paracetamol (acetaminophen) 1000 mg oral",
        "hydrocortisone 100 mg IV"]
    assert all(p.given_at < by_dose[3].started_at for p in by_dose[3].premedications)  # type: ignore[operator]


def test_the_delayed_rash_follows_the_fourth_infusion(
        seeded: tuple[ServiceContext, DemoSummary]) -> None:
    ctx, summary = seeded
    chart = get_chart(ctx, patient_id=_patient_id(ctx, summary, "delayed_psoriasiform_rash"))
    (reaction,) = chart.reactions
    detail = get_reaction(ctx, reaction_id=reaction.id)
    assert detail.onset_class == "delayed" and detail.dose_number == 4
    assert detail.summary.signs == ("psoriasiform_rash",) and detail.days_after_end == 14
    assert (reaction.term, reaction.grade) == (None, None) and "palms" in reaction.notes
    assert "Reaction: delayed psoriasiform rash (not graded)" in {
        b.text.rsplit(" (", 1)[0] for b in chart.alerts}
    codes = {w.code for w in detail.consequences}
    assert "PRESCRIBER_DECISION_AFTER_DELAYED_REACTION" in codes  # seed 001: a reason
    assert "GRADUATED_RATE_AFTER_REACTION" not in codes


def test_the_patient_booked_in_a_month_is_eligible_for_the_1_hour_infusion_where_used(
        demo_db: tuple[ServiceContext, DemoSummary, sessionmaker[Session]]) -> None:
    from dataclasses import replace

    from clinic_app.storage.models import Appointment, AppointmentStatus

    ctx, summary, sessions = demo_db
    patient_id = _patient_id(ctx, summary, "booked_in_a_month")
    with sessions() as session:
        (appointment_id,) = session.scalars(
            select(Appointment.id).join(TreatmentCourse,
                                        TreatmentCourse.id == Appointment.course_id)
            .where(TreatmentCourse.patient_id == patient_id,
                   Appointment.status == AppointmentStatus.BOOKED))
    dosing = replace(ctx.settings.dosing, allow_shortened_infusion=True)
    clinic = replace(ctx, settings=replace(ctx.settings, dosing=dosing))
    check = preview_dose(clinic, appointment_id=appointment_id, weight="88").shortened_check
    assert check is not None and check.eligible and check.minutes == 60
    assert preview_dose(ctx, appointment_id=appointment_id,
                        weight="88").shortened_check is None  # off by default


def test_the_overdue_patient_is_past_sixteen_weeks_and_needs_review(
        seeded: tuple[ServiceContext, DemoSummary]) -> None:
    ctx, summary = seeded
    chart = get_chart(ctx, patient_id=_patient_id(ctx, summary, "overdue_past_16_weeks"))
    course = get_course(ctx, course_id=chart.courses[0].id)
    codes = {w.code for w in course.plan.all_warnings}
    assert "GAP_REVIEW" in codes
    last_given = max(d.given for d in course.plan.doses if d.given is not None)
    assert (TODAY - last_given).days > 16 * 7


def test_the_tocilizumab_patient_at_her_pre_check_has_labs_proposing_4_mg_per_kg(
        seeded: tuple[ServiceContext, DemoSummary]) -> None:
    ctx, summary = seeded
    chart = get_chart(ctx, patient_id=_patient_id(ctx, summary, "pre_check_today"))
    (visit,) = [v for v in chart.visits if v.status == "checked_in"]
    labs = get_visit(ctx, visit_id=visit.id).labs
    assert labs is not None and len(labs.latest) == 6
    assert (labs.action, labs.action_text, labs.flags) == ("reduce", "Reduce to 4 mg/kg", ())
    assert "ALT 78 U/L (ref. 0-35) = 2.2 x ULN, taken 3 days ago" in labs.reasons[0]
def test_the_overdue_patient_has_three_troughs_and_the_interval_the_prescriber_shortened(
        seeded: tuple[ServiceContext, DemoSummary]) -> None:
    ctx, summary = seeded
    chart = get_chart(ctx, patient_id=_patient_id(ctx, summary, "overdue_past_16_weeks"))
    tdm = course_tdm(ctx, patient_id=chart.patient.summary.id, course_id=chart.courses[0].id)
    assert [(t.before_dose, str(t.value)) for t in tdm.series.troughs] == [
        (3, "9.800"), (4, "1.100"), (5, "3.600")]
    assert [p.weeks_since_previous for p in tdm.series.doses][-2:] == [Decimal(8), Decimal(6)]
    assert tdm.summary.endswith("before dose 5; antibodies negative on " + date_text(
        tdm.series.antibodies[0].drawn_on))


def test_anaphylaxis_to_anifrolumab_left_a_contraindication_and_a_stopped_course(
        seeded: tuple[ServiceContext, DemoSummary]) -> None:
    ctx, summary = seeded
    chart = get_chart(ctx, patient_id=_patient_id(ctx, summary, "anaphylaxis_to_anifrolumab"))
    assert [c.code for c in chart.contraindications] == ["anaphylaxis_anifrolumab"]
    assert chart.courses[0].status == "stopped"


def test_the_demo_anaphylaxis_is_clinically_coherent(
        seeded: tuple[ServiceContext, DemoSummary]) -> None:
    """Pause at the onset, low blood pressure recorded and flagged, epinephrine, the pump
    stopped, observation extended to 4 hours from the epinephrine, the prescriber's clearance
    before the discharge (never "discharged" 26 minutes after epinephrine)."""
    ctx, summary = seeded
    chart = get_chart(ctx, patient_id=_patient_id(ctx, summary, "anaphylaxis_to_anifrolumab"))
    (reaction,) = chart.reactions
    visit = get_visit(ctx, visit_id=reaction.visit_id)
    onset = reaction.onset_at
    pause = next(e for e in visit.events if e.kind == "pause")
    assert pause.at == onset
    low = next(v for v in visit.vitals if v.measured_at > onset)
    assert low.systolic == 78 and "LOW_SYSTOLIC" in {f.code for f in low.flags}
    epinephrine = get_reaction(ctx, reaction_id=reaction.id).medications[0]
    assert epinephrine.drug.startswith("Epinephrine")
    assert visit.observation_extended == "anaphylaxis grade 3 and epinephrine given"
    assert visit.discharged_at is not None
    assert visit.discharged_at >= epinephrine.given_at + timedelta(hours=4)
    clearance = next(e for e in visit.entries if e.item_key == "obs.prescriber_clearance")
    assert "fit to go home" in clearance.answer


def test_past_demo_visits_are_complete_and_the_audit_trail_verifies(
        demo_db: tuple[ServiceContext, DemoSummary, sessionmaker[Session]]) -> None:
    ctx, _, factory = demo_db
    with factory() as session:
        ids = session.scalars(select(InfusionVisit.id).where(
            InfusionVisit.status == "completed")).all()
        assert verify_audit(session).ok
    assert len(ids) > 15
    for visit_id in ids:
        visit = get_visit(ctx, visit_id=visit_id)
        assert visit.start_gate.allowed and visit.discharge_gate.allowed, visit_id
        assert not visit.checklist.overdue


def test_seeding_is_deterministic(blank_ctx: ServiceContext,
                                  session_factory: sessionmaker[Session],
                                  make_other_ctx: Callable[[], ServiceContext]) -> None:
    seed_demo(blank_ctx, today=TODAY, patients=40)
    other = make_other_ctx()
    seed_demo(other, today=TODAY, patients=40)

    def names(factory: sessionmaker[Session]) -> list[tuple[str, str, date]]:
        with factory() as session:
            return list(session.execute(select(Patient.mrn, Patient.family_name,
                                               Patient.date_of_birth).order_by(Patient.mrn)))

    assert names(session_factory) == names(other.session_factory)


def test_every_demo_dose_was_given_with_its_warnings_answered(
        blank_ctx: ServiceContext, session_factory: sessionmaker[Session]) -> None:
    """The demo never shows a dose given past a warning nobody answered (issue 10: a capped
    tocilizumab dose over 100 kg is acknowledged, as the nurse would have ticked it)."""
    seed_demo(blank_ctx, today=TODAY, patients=300)
    answered: set[str] = set()
    with session_factory() as session:
        for plan in session.scalars(select(InfusionVisit.dose_plan)):
            for code, _message, needs_reason, needs_tick in plan["warnings"]:
                assert not needs_reason or plan["override_reason"], code
                assert not needs_tick or code in plan["acknowledged"], code
                answered.add(code)
    assert "CAPPED" in answered


def test_a_database_with_patients_is_not_touched_unless_forced(
        blank_ctx: ServiceContext, session_factory: sessionmaker[Session]) -> None:
    seed_demo(blank_ctx, today=TODAY)
    with pytest.raises(ActionNotAllowed):
        seed_demo(blank_ctx, today=TODAY)
    summary = seed_demo(blank_ctx, today=TODAY, force=True)
    assert dict(summary.named)["earlier_acute_reaction"] == "DEMO000013"
    with session_factory() as session:
        assert session.scalar(select(func.count()).select_from(Patient)) == 24


@pytest.mark.slow
def test_two_thousand_patients_with_their_history_seed_quickly(
        blank_ctx: ServiceContext, session_factory: sessionmaker[Session]) -> None:
    reports: list[tuple[int, int, str]] = []
    started = time.perf_counter()
    seed_demo(blank_ctx, today=TODAY, patients=2000,
              progress=lambda done, total, stage: reports.append((done, total, stage)))
    seconds = time.perf_counter() - started
    print(f"\nseed-demo --patients 2000: {seconds:.1f} s")
    assert reports[-1] == (1988, 1988, "patients")
    with session_factory() as session:
        assert session.scalar(select(func.count()).select_from(Patient)) == 2000
        visits = session.scalar(select(func.count()).select_from(InfusionVisit))
        assert visits is not None and visits > 5000
        assert verify_audit(session).ok
        bulk_visit = session.scalar(select(func.max(InfusionVisit.id)))
    nurse = sign_in(blank_ctx, username="demo", secret=DEMO_PASSWORD)
    visit = get_visit(blank_ctx.as_nurse(nurse.id), visit_id=int(bulk_visit or 0))
    assert visit.status == "completed" and visit.discharge_gate.allowed
    assert search_patients(blank_ctx, text="DEMO001999")[0].mrn == "DEMO001999"
    assert seconds < 120
