"""The demo's named patients: one story each, told through the real use cases.

Every shipped protocol is on treatment; names carry accents and Cyrillic letters. Today (around
the demo's "now") one patient is booked, one arrived and being checked, one infusing, one in
observation, one discharged and one did not attend; others are booked in the coming weeks.
Special histories: an earlier acute infliximab reaction (the next doses are graduated with
premedication, the set given recorded), a delayed psoriasiform rash logged two weeks after the
fourth infliximab infusion (seed 001), a tocilizumab patient whose ALT (2.2 x ULN, taken three
days ago) makes the label propose 4 mg/kg at her pre-check, an infliximab patient overdue past
16 weeks (seed 000: prescriber review) whose trough levels led the prescriber to shorten his
interval (issue 13, drug levels), and an anaphylaxis to anifrolumab (seed 002: contraindicated,
course stopped).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal

from clinic_app.services import catalogue
from clinic_app.services.courses import change_interval, mark_did_not_attend, start_course
from clinic_app.services.demo._labs import record_raised_alt
from clinic_app.services.demo._schedule import DemoOrder
from clinic_app.services.demo._walk import (
    Demo,
    book,
    due_day,
    open_and_check,
    open_appointment,
    run_until,
    start_now,
    write_past_visit,
)
from clinic_app.services.drug_levels import record_drug_level
from clinic_app.services.drug_levels.dto import DrugLevelForm
from clinic_app.services.patients import add_allergy, record_screening, register_patient
from clinic_app.services.patients.dto import PatientForm
from clinic_app.services.reactions import log_reaction
from clinic_app.services.visits import (
    change_rate,
    pause_infusion,
    record_vitals,
    resume_infusion,
)
from clinic_app.services.visits.dto import MedicationForm


@dataclass(frozen=True)
class Person:
    """A named demo patient and the course they are on."""

    key: str
    family: str
    given: str
    sex: str
    born: date
    order: DemoOrder
    weight: Decimal
    chair: str
    allergy: tuple[str, str] | None = None


@dataclass(frozen=True)
class Story:
    """A named patient's record so far: ids the later steps need."""

    person: Person
    patient_id: int
    course_id: int


INFLIXIMAB_CROHNS = DemoOrder("infliximab", "crohns", Decimal(5))
ANIFROLUMAB = DemoOrder("anifrolumab", "sle", None)
VEDOLIZUMAB_UC = DemoOrder("vedolizumab", "ulcerative_colitis", None)


def _register(demo: Demo, person: Person, mrn: str, first_dose: date) -> Story:
    demo.clock.set(demo.at(first_dose - timedelta(days=14), 10))
    patient = register_patient(demo.ctx, form=PatientForm(
        mrn=mrn, family_name=person.family, given_names=person.given,
        date_of_birth=person.born, sex=person.sex,
        phone=f"+48 601 {demo.rng.randint(100, 999)} {demo.rng.randint(100, 999)}"),
        acknowledge_duplicate=True)  # seeding again with force repeats the same demo people
    if person.allergy is not None:
        add_allergy(demo.ctx, patient_id=patient.id, substance=person.allergy[0],
                    reaction=person.allergy[1], severity="moderate")
    protocol = catalogue.protocol(person.order.protocol_id)
    for requirement in protocol.screening:
        record_screening(demo.ctx, patient_id=patient.id, kind=requirement.kind,
                         taken_on=demo.clock.now.astimezone(demo.ctx.tz).date(),
                         outcome="negative")
    demo.clock.set(demo.at(first_dose, 7))
    order = person.order
    course = start_course(
        demo.ctx, patient_id=patient.id, protocol_id=order.protocol_id,
        indication_id=order.indication_id, prescriber="Dr Ewa Nowak", first_dose=first_dose,
        mg_per_kg=order.mg_per_kg, fixed_mg=order.fixed_mg)
    return Story(person, patient.id, course.id)


def _open_day(demo: Demo, day: date) -> date:
    while demo.ctx.settings.closed_days.is_closed(day):
        day += timedelta(days=1)
    return day


def _next_start(demo: Demo, story: Story, hour: int = 9) -> tuple[int, datetime]:
    appointment = open_appointment(demo, story.course_id)
    return appointment, demo.at(_open_day(demo, due_day(demo, appointment)), hour)


def give_past(demo: Demo, story: Story, doses: int) -> list[int]:
    """Give the next ``doses`` doses on their days (booked, then recorded whole)."""
    visits = []
    for _ in range(doses):
        appointment, starts = _next_start(demo, story)
        book(demo, appointment, starts, story.person.chair)
        visits.append(write_past_visit(demo, appointment, story.person.weight,
                                       starts + timedelta(minutes=20)))
    return visits


def _walked(demo: Demo, story: Story, starts: datetime, *, opened: timedelta,
            started: timedelta | None, until: datetime, checks: int | None = None) -> int:
    """Book the next dose at ``starts`` and walk its visit through the services to ``until``."""
    appointment = open_appointment(demo, story.course_id)
    book(demo, appointment, starts, story.person.chair)
    visit = open_and_check(demo, appointment, story.person.weight, starts + opened,
                           checks=checks)
    if started is not None:
        demo.clock.set(starts + started)
        start_now(demo, visit.id)
        run_until(demo, visit.id, until)
    return visit.id


def earlier_acute_reaction(demo: Demo, story: Story, today: date, now: datetime) -> None:
    """Łukasz: urticaria during dose 2 (paused, clemastine, restarted slower); dose 3 was given
    graduated after the clinic's premedication set; dose 4 is booked today and will be
    graduated with premedication again."""
    give_past(demo, story, 1)
    appointment, starts = _next_start(demo, story)
    book(demo, appointment, starts, story.person.chair)
    visit = open_and_check(demo, appointment, story.person.weight, starts)
    demo.clock.set(starts + timedelta(minutes=25))
    start = start_now(demo, visit.id).started_at
    assert start is not None
    run_until(demo, visit.id, start + timedelta(minutes=25))
    pause_infusion(demo.ctx, visit_id=visit.id, reason="Urticaria and itching")
    demo.clock.set(start + timedelta(minutes=40))
    log_reaction(demo.ctx, patient_id=story.patient_id, visit_id=visit.id,
                 onset=start + timedelta(minutes=24), signs=["urticaria", "itching"],
                 term="infusion_related_reaction", grade=2,
                 actions="Infusion paused, saline running, prescriber informed.",
                 medications=[MedicationForm("Clemastine", "2", "mg", "IV",
                                             start + timedelta(minutes=28))],
                 outcome="Resolved within 20 minutes; restarted at a lower rate.")
    demo.clock.set(start + timedelta(minutes=50))
    resume_infusion(demo.ctx, visit_id=visit.id)
    change_rate(demo.ctx, visit_id=visit.id, rate="100", note="Restarted slower after reaction")
    run_until(demo, visit.id, start + timedelta(hours=6))
    give_past(demo, story, 1)
    appointment, _ = _next_start(demo, story)
    book(demo, appointment, now + timedelta(minutes=90), story.person.chair)


def delayed_rash(demo: Demo, story: Story, today: date, now: datetime) -> None:
    """José: four infusions, then a psoriasiform rash two weeks after the fourth (seed 001),
    logged not graded (it is not an infusion reaction) with a note; dose 5 booked in the coming
    weeks."""
    visits = give_past(demo, story, 4)
    onset = demo.clock.now + timedelta(days=14)
    demo.clock.set(onset + timedelta(days=1))
    log_reaction(demo.ctx, patient_id=story.patient_id, visit_id=visits[-1], onset=onset,
                 signs=["psoriasiform_rash"],
                 notes="Erythematous annular scaly plaques on the palms, soles and scalp, "
                       "patchy hair loss; no fever, no joint pain.",
                 actions="Photographed; prescriber and dermatology informed.",
                 outcome="Topical steroid; infliximab continued after prescriber review.")
    appointment, starts = _next_start(demo, story, hour=10)
    book(demo, appointment, starts, story.person.chair)


#: Ignacy's trough levels (µg/mL) drawn before these doses, and the lab's assay.
OVERDUE_TROUGHS = {3: "9.8", 4: "1.1", 5: "3.6"}
DEMO_ASSAY = "ELISA, hospital laboratory"


def _trough(demo: Demo, story: Story, dose: int, drawn: datetime) -> None:
    """The trough drawn before ``dose``; before dose 4 also the antibodies (negative)."""
    demo.clock.set(drawn)
    day = drawn.astimezone(demo.ctx.tz).date().isoformat()
    record_drug_level(demo.ctx, course_id=story.course_id, form=DrugLevelForm(
        kind="trough", drawn_on=day, value=OVERDUE_TROUGHS[dose], assay=DEMO_ASSAY,
        before_dose=str(dose)))
    if dose == 4:
        record_drug_level(demo.ctx, course_id=story.course_id, form=DrugLevelForm(
            kind="antibody", drawn_on=day, reported="negative", assay=DEMO_ASSAY,
            before_dose=str(dose)))


def overdue(demo: Demo, story: Story, today: date, now: datetime) -> None:
    """Ignacy: doses given until 18 weeks ago, the next one never booked (past 16 weeks).
    Troughs were drawn before doses 3, 4 and 5; the low trough before dose 4 (antibodies
    negative) led the prescriber to shorten the interval to 6 weeks from dose 5."""
    limit = today - timedelta(weeks=18)
    dose = 0
    while True:
        appointment, starts = _next_start(demo, story)
        if starts.astimezone(demo.ctx.tz).date() > limit:
            return
        dose += 1
        book(demo, appointment, starts, story.person.chair)
        if dose in OVERDUE_TROUGHS:
            _trough(demo, story, dose, starts)
        write_past_visit(demo, appointment, story.person.weight, starts + timedelta(minutes=20))
        if dose == 4:
            change_interval(demo.ctx, course_id=story.course_id, from_dose=5, weeks=6,
                            reason="Trough 1.1 µg/mL before dose 4, antibodies negative")


def anaphylaxis(demo: Demo, story: Story, today: date, now: datetime) -> None:
    """Мария: anaphylaxis 12 minutes into anifrolumab dose 2, told as it happens: the pump is
    paused at the onset, the low blood pressure recorded (and flagged), epinephrine given, the
    reaction logged with the pump stopped for good; the drug is now contraindicated and the
    course stopped (seed 002); she is observed for 4 hours from the epinephrine and goes home
    only with the prescriber's clearance (issue 10)."""
    give_past(demo, story, 1)
    appointment, starts = _next_start(demo, story)
    book(demo, appointment, starts, story.person.chair)
    visit = open_and_check(demo, appointment, story.person.weight, starts)
    demo.clock.set(starts + timedelta(minutes=20))
    start = start_now(demo, visit.id).started_at
    assert start is not None
    run_until(demo, visit.id, start + timedelta(minutes=12))
    demo.clock.set(start + timedelta(minutes=12))  # the onset: the pump is paused at once
    pause_infusion(demo.ctx, visit_id=visit.id, reason="Reaction signs — see reaction log")
    demo.clock.set(start + timedelta(minutes=13))
    record_vitals(demo.ctx, visit_id=visit.id, systolic="78", diastolic="44", heart_rate="128",
                  respiratory_rate="26", spo2="89", temperature="36.9")
    demo.clock.set(start + timedelta(minutes=25))
    log_reaction(demo.ctx, patient_id=story.patient_id, visit_id=visit.id,
                 onset=start + timedelta(minutes=12),
                 signs=["anaphylaxis", "hypotension", "dyspnoea", "angioedema"],
                 term="anaphylaxis", grade=3,
                 actions="Pump paused at the onset, then stopped; epinephrine IM in the outer "
                         "thigh; oxygen; 0.9% sodium chloride 500 mL; Dr on call attended.",
                 medications=[MedicationForm("Epinephrine 1 mg/mL", "0.5", "mg", "IM",
                                             start + timedelta(minutes=14))],
                 outcome="Blood pressure 112/70 and breathing settled 20 minutes after "
                         "epinephrine; kept for the extended observation.",
                 infusion_action="stopped")
    demo.clock.set(start + timedelta(minutes=35))
    record_vitals(demo.ctx, visit_id=visit.id, systolic="112", diastolic="70", heart_rate="96",
                  respiratory_rate="18", spo2="96", temperature="36.9")
    run_until(demo, visit.id, start + timedelta(hours=5))


def _today_visit(offset_hours: float, opened: int, started: int | None,
                 checks: int | None = None) -> Callable[[Demo, Story, date, datetime], None]:
    def story_today(demo: Demo, story: Story, today: date, now: datetime) -> None:
        starts = now - timedelta(hours=offset_hours)
        if starts.astimezone(demo.ctx.tz).date() != today:
            starts = demo.at(today, 0, 5)
        _walked(demo, story, starts, opened=timedelta(minutes=opened),
                started=None if started is None else timedelta(minutes=started), until=now,
                checks=checks)
    return story_today


def did_not_attend(demo: Demo, story: Story, today: date, now: datetime) -> None:
    """Ayşe: booked this morning, did not come."""
    appointment = open_appointment(demo, story.course_id)
    starts = max(now - timedelta(hours=3), demo.at(today, 0, 5))
    book(demo, appointment, starts, story.person.chair)
    demo.clock.set(max(now - timedelta(minutes=30), starts + timedelta(minutes=1)))
    mark_did_not_attend(demo.ctx, appointment_id=appointment)


def booked_later(days: int, hour: int) -> Callable[[Demo, Story, date, datetime], None]:
    """The next dose booked ``days`` from today (0: later today) at ``hour``."""
    def story_later(demo: Demo, story: Story, today: date, now: datetime) -> None:
        appointment = open_appointment(demo, story.course_id)
        starts = demo.at(_open_day(demo, today + timedelta(days=days)), hour) if days else (
            min(now + timedelta(hours=hour), demo.at(today, 23, 30)))
        book(demo, appointment, starts, story.person.chair)
    return story_later


def labs_three_days_ago(then: Callable[[Demo, Story, date, datetime], None]
                        ) -> Callable[[Demo, Story, date, datetime], None]:
    """Blood taken three days before today (ALT 2.2 x ULN: the label proposes 4 mg/kg)."""
    def story(demo: Demo, story: Story, today: date, now: datetime) -> None:
        record_raised_alt(demo, story.patient_id, today - timedelta(days=3))
        then(demo, story, today, now)
    return story


def with_history(doses: int, then: Callable[[Demo, Story, date, datetime], None]
                 ) -> Callable[[Demo, Story, date, datetime], None]:
    """Give ``doses`` past doses first."""
    def story(demo: Demo, story: Story, today: date, now: datetime) -> None:
        give_past(demo, story, doses)
        then(demo, story, today, now)
    return story


StoryFunction = Callable[[Demo, Story, date, datetime], None]

# (person, weeks from the first dose to today, story)
CAST: tuple[tuple[Person, int, StoryFunction], ...] = (
    (Person("earlier_acute_reaction", "Żółć", "Łukasz", "male", date(1986, 4, 12),
            INFLIXIMAB_CROHNS, Decimal("78.5"), "Chair 2", ("Penicillin", "rash")),
     14, earlier_acute_reaction),
    (Person("delayed_psoriasiform_rash", "Muñoz", "José", "male", date(1979, 9, 3),
            INFLIXIMAB_CROHNS, Decimal("70"), "Chair 5"), 17, delayed_rash),
    (Person("overdue_past_16_weeks", "Wąsowicz", "Ignacy", "male", date(1958, 12, 1),
            DemoOrder("infliximab", "ulcerative_colitis", Decimal(5)), Decimal("84"),
            "Chair 6"), 40, overdue),
    (Person("anaphylaxis_to_anifrolumab", "Смирнова", "Мария", "female", date(1983, 7, 19),
            ANIFROLUMAB, Decimal("68"), "Chair 7"), 10, anaphylaxis),
    (Person("infusing_today", "Иванова", "Анна", "female", date(1990, 1, 22), ANIFROLUMAB,
            Decimal("61"), "Chair 1"), 12, with_history(3, _today_visit(0.75, 5, 25))),
    (Person("in_observation_today", "Lefèvre", "Chloé", "female", date(1972, 6, 30),
            VEDOLIZUMAB_UC, Decimal("66"), "Chair 3"), 6,
     with_history(2, _today_visit(1.7, 5, 20))),
    (Person("discharged_today", "Müller", "Jörg", "male", date(1961, 2, 17),
            DemoOrder("infliximab", "rheumatoid_arthritis", Decimal(3)), Decimal("92"),
            "Chair 6"), 2, with_history(1, _today_visit(5, 5, 25))),
    (Person("pre_check_today", "Петрова", "Ольга", "female", date(1965, 11, 5),
            DemoOrder("tocilizumab", "rheumatoid_arthritis", Decimal(8)), Decimal("74"),
            "Chair 4", ("Latex", "contact rash")), 8,
     with_history(2, labs_three_days_ago(_today_visit(0.2, 2, None, checks=5)))),
    (Person("did_not_attend_today", "Yılmaz", "Ayşe", "female", date(1993, 8, 8), ANIFROLUMAB,
            Decimal("64"), "Chair 8"), 4, with_history(1, did_not_attend)),
    (Person("booked_later_today", "Brontë", "Zoë", "female", date(1998, 3, 14),
            DemoOrder("vedolizumab", "crohns", None), Decimal("58"), "Chair 5"), 0,
     booked_later(0, 2)),
    (Person("booked_next_week", "O'Brien", "Seán", "male", date(1955, 5, 25),
            DemoOrder("tocilizumab", "giant_cell_arteritis", Decimal(6)), Decimal("80"),
            "Chair 7"), -1, booked_later(7, 11)),
    (Person("booked_in_a_month", "Соколов", "Дмитрий", "male", date(1988, 10, 10),
            DemoOrder("infliximab", "ankylosing_spondylitis", Decimal(5)), Decimal("88"),
            "Chair 2"), 8, with_history(3, booked_later(28, 9))),
)


def first_dose(demo: Demo, today: date, weeks: int) -> date:
    """The first dose ``weeks`` before today (-1: next week's first open day)."""
    if weeks < 0:
        return _open_day(demo, today + timedelta(days=7))
    return today - timedelta(weeks=weeks)


def seed_named(demo: Demo, *, today: date, now: datetime, mrn: Callable[[int], str],
               progress: Callable[[int, int], None]) -> dict[str, str]:
    """Tell every story; returns each story's key with the patient's MRN."""
    named: dict[str, str] = {}
    for number, (person, weeks, story) in enumerate(CAST, start=1):
        record = _register(demo, person, mrn(number), first_dose(demo, today, weeks))
        story(demo, record, today, now)
        named[person.key] = mrn(number)
        progress(number, len(CAST))
    demo.clock.set(now)
    return named

