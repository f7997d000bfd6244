"""Realistic inputs for the sheets: infliximab 5 mg/kg for 72.4 kg, started 10:00 Europe/Warsaw.

Also run as a script to render every sheet to ``/tmp/sheets`` for a visual check:
``python tests/reports/report_samples.py``.
"""

from __future__ import annotations

import io
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

from pypdf import PdfReader

from clinic_app.domain.dose_plan import DosePlan
from clinic_app.domain.dosing import calculate_dose
from clinic_app.domain.protocols import load_protocol
from clinic_app.domain.scheduling import SchedulePlan, plan_schedule
from clinic_app.reports.records import (
    BookedDose,
    ChecklistAnswer,
    ClinicContact,
    DayListEntry,
    DoseSummary,
    InfusionEventRecord,
    LotRecord,
    MedicationGiven,
    NoteRecord,
    OrderInfo,
    PatientHeader,
    PlanningWeight,
    ReactionDetails,
    ReactionReport,
    Reporter,
    VisitRecord,
    VitalsRecord,
)

WARSAW = ZoneInfo("Europe/Warsaw")
NEW_YORK = ZoneInfo("America/New_York")
VISIT_DAY = date(2026, 3, 2)
START = datetime(2026, 3, 2, 10, 0, tzinfo=WARSAW).astimezone(UTC)
PRINTED_AT = datetime(2026, 3, 2, 8, 5, tzinfo=UTC)  # 09:05 in Warsaw
CLINIC = ClinicContact(name="Infusion Clinic, Gastroenterology Day Unit", phone="+48 22 555 01 23",
                    after_hours_phone="+48 22 555 09 99", emergency_number="112")
ALLERGIES = ("Penicillin (rash)", "Latex")
NAMES = {"polish": "Łukasz Żółć", "spanish": "José Muñoz", "russian": "Анна Иванова"}


def page_texts(data: bytes) -> list[str]:
    """The text of each page, as pypdf extracts it."""
    return [page.extract_text() for page in PdfReader(io.BytesIO(data)).pages]


def page_sizes(data: bytes) -> list[tuple[float, float]]:
    """Width and height of each page in points."""
    return [(round(float(p.mediabox.width)), round(float(p.mediabox.height)))
            for p in PdfReader(io.BytesIO(data)).pages]


def patient(name: str = NAMES["polish"], *, allergies: tuple[str, ...] = ALLERGIES,
            weighed: bool = True) -> PatientHeader:
    return PatientHeader(
        name=name, mrn="00412345", date_of_birth=date(1984, 7, 19), sex="male",
        allergies=allergies, weight_kg=Decimal("72.4") if weighed else None,
        weight_measured_at=START - timedelta(minutes=40) if weighed else None,
    )


def order() -> OrderInfo:
    return OrderInfo(prescriber="Dr Anna Nowak", indication="Crohn's disease",
                     ordered_on=date(2026, 2, 20))


def dose_plan(*, graduated: bool = False) -> DosePlan:
    return calculate_dose(load_protocol("infliximab"), "72.4", mg_per_kg=5, graduated=graduated)


def at(minutes: float) -> datetime:
    return START + timedelta(minutes=minutes)


def vitals(minutes: float, label: str, systolic: int = 124, heart_rate: int = 72,
           temperature: str = "36.7", flags: tuple[str, ...] = (),
           nurse: str = "M. Kowalska") -> VitalsRecord:
    return VitalsRecord(measured_at=at(minutes), nurse=nurse, label=label, systolic=systolic,
                        diastolic=78, heart_rate=heart_rate, temperature_c=Decimal(temperature),
                        respiratory_rate=16, spo2=98, flags=flags)


def reaction() -> ReactionDetails:
    return ReactionDetails(
        signs=("urticaria", "itching", "flushing"), recorded_by="M. Kowalska",
        onset_class="during_infusion", acute_window_minutes=120, onset_at=at(47),
        ctcae_term="infusion_related_reaction", grade=2,
        ctcae_version="CTCAE v5.0",
        notes="Hives on the chest and arms, itching, facial flushing.",
        actions="Infusion stopped 10:47, line kept open with 0.9% sodium chloride, vitals every "
                "5 minutes, Dr Nowak called 10:50. Restarted 11:20 at 60 mL/h once resolved.",
        medications=(
            MedicationGiven("Clemastine", at(52), "M. Kowalska", Decimal("2"), "mg", "IV"),
            MedicationGiven("Hydrocortisone", at(55), "M. Kowalska", Decimal("100"), "mg",
                            "IV"),
        ),
        vitals=(vitals(48, "Reaction", 118, 96, "38.2", flags=(
                    "Temperature 38.2 C is at or above 38.0 C.",)),
                vitals(53, "Reaction", 120, 90),
                vitals(58, "Reaction", 122, 84)),
        outcome="Resolved within 25 minutes; infusion completed at a lower rate.",
        recorded_at=at(90),
    )


def lots() -> tuple[LotRecord, ...]:
    return (LotRecord("Infliximab 100 mg vial", "IFX24B117", date(2027, 5, 31), 4, at(-20),
                      "M. Kowalska"),
            LotRecord("0.9% sodium chloride 250 mL", "NS2511-04", date(2027, 11, 30), 1,
                      at(-20), "M. Kowalska"))


def visit_record(name: str = NAMES["polish"], *, extra_vitals: int = 0) -> VisitRecord:
    plan = dose_plan()
    readings = [vitals(-10, "Baseline"), vitals(0, "0 min"), vitals(15, "15 min"),
                vitals(30, "30 min"), *reaction().vitals, vitals(90, "After restart"),
                vitals(120, "90 min", 121, 70), vitals(166, "End of infusion"),
                vitals(226, "60 min after end"), vitals(286, "End of observation")]
    readings += [vitals(100 + i, f"Extra {i + 1}", 130 + i % 7, 70 + i % 9) for i in
                 range(extra_vitals)]
    events = (
        InfusionEventRecord(at(47), "pause", "M. Kowalska", note="Urticaria and flushing"),
        InfusionEventRecord(at(80), "resume", "M. Kowalska", note="Symptoms resolved"),
        InfusionEventRecord(at(80), "rate_change", "M. Kowalska", Decimal("60"),
                            "Restart at half rate (Dr Nowak)"),
        InfusionEventRecord(at(110), "rate_change", "J. Wiśniewski", Decimal("125"),
                            "Back to the planned rate"),
    )
    answers = (
        ChecklistAnswer("Patient identity confirmed with two identifiers", "yes", at(-30),
                        "M. Kowalska"),
        ChecklistAnswer("Allergies checked with the patient", "yes", at(-30), "M. Kowalska"),
        ChecklistAnswer("Weight measured today", "72.4 kg", at(-40), "M. Kowalska"),
        ChecklistAnswer("Fever or signs of infection today?", "no", at(-28), "M. Kowalska"),
        ChecklistAnswer("Anaphylaxis kit at hand and in date?", "yes", at(-25), "M. Kowalska"),
        ChecklistAnswer("Observation complete", "yes", at(286), "J. Wiśniewski"),
    )
    return VisitRecord(
        patient=patient(name), drug="Infliximab", dose_number=3,
        responsible_nurse="Maria Kowalska", status="completed",
        dose=DoseSummary.from_plan(plan), started_at=START, ended_at=at(166),
        order=order(), observation_minutes=120, discharged_at=at(292), lots=lots(),
        checklist=answers, vitals=tuple(readings), events=events, reactions=(reaction(),),
        notes=(NoteRecord(at(100), "M. Kowalska", "Patient comfortable, eating lunch."),),
    )


def reaction_report(name: str = NAMES["polish"]) -> ReactionReport:
    return ReactionReport(
        patient=patient(name), drug="Infliximab", dose_number=3, infusion_on=VISIT_DAY,
        reaction=reaction(), reporter=Reporter("Maria Kowalska", "Infusion nurse",
                                               "+48 22 555 01 23", "m.kowalska@example.org"),
        reported_at=at(300), infusion_started_at=START, infusion_ended_at=at(166),
        dose=DoseSummary.from_plan(dose_plan()), lots=lots(),
        prescriber="Dr Anna Nowak", recipient="Dr Anna Nowak; pharmacovigilance contact",
    )


def schedule() -> SchedulePlan:
    protocol = load_protocol("infliximab")
    return plan_schedule(protocol, date(2026, 1, 5), given=(date(2026, 1, 5), date(2026, 1, 19),
                                                            VISIT_DAY), as_of=VISIT_DAY)


def booked() -> tuple[BookedDose, ...]:
    return (BookedDose(4, datetime(2026, 4, 27, 9, 30, tzinfo=WARSAW)),)


def day_entries(count: int = 9) -> tuple[DayListEntry, ...]:
    people = [NAMES["polish"], NAMES["spanish"], NAMES["russian"], "Zofia Wójcik",
              "Mary-Ellen O'Connor", "Piotr Kamiński", "Grzegorz Brzęczyszczykiewicz",
              "Ана Петровић", "Jan Nowak"]
    drugs = [("Infliximab", Decimal("362.0"), Decimal(5), 120, 120),
             ("Vedolizumab", Decimal("300"), None, 30, 60),
             ("Tocilizumab", None, Decimal(8), 60, 0),
             ("Anifrolumab", Decimal("300"), None, 30, 0)]
    entries = []
    for i in range(count):
        drug, mg, per_kg, minutes, observe = drugs[i % len(drugs)]
        entries.append(DayListEntry(
            starts_at=datetime(2026, 3, 2, 8 + i // 4, 15 * (i % 4), tzinfo=WARSAW),
            chair=f"Chair {1 + i % 8}", patient_name=people[i % len(people)],
            mrn=f"0041{2345 + i}", date_of_birth=date(1960 + i, 1 + i % 12, 3 + i % 25),
            drug=drug, dose_number=1 + i, dose_mg=mg, mg_per_kg=per_kg,
            infusion_minutes=minutes, observation_minutes=observe,
            nurse="M. Kowalska" if i % 2 else "J. Wiśniewski",
            allergies=ALLERGIES if i % 3 == 0 else (), no_known_allergies=i % 3 == 1,
            alerts=("Previous reaction: premedicate, graduated rate",) if i == 0 else (
                ("Weight changed more than 10%: weigh and recalculate",) if i == 4 else ()),
        ))
    return tuple(entries)


def render_all(folder: Path) -> list[Path]:
    """Every sheet, both paper sizes, written to ``folder``."""
    from clinic_app.domain.protocols import load_protocol as protocol_of
    from clinic_app.reports import sheets
    from clinic_app.reports.layout import PaperSize

    folder.mkdir(parents=True, exist_ok=True)
    written = []
    infliximab = protocol_of("infliximab")
    for paper in PaperSize:
        jobs = {
            "bedside": lambda out, p=paper: sheets.bedside_checklist_pdf(
                clinic=CLINIC, patient=patient(), protocol=infliximab, plan=dose_plan(),
                checklist=sheets.planned_checklist(infliximab, dose_plan(), dose_number=3,
                                                   planned_start=START),
                order=order(), tz=WARSAW, printed_at=PRINTED_AT, paper=p, out=out),
            "bedside_graduated": lambda out, p=paper: sheets.bedside_checklist_pdf(
                clinic=CLINIC, patient=patient(NAMES["russian"]), protocol=infliximab,
                plan=dose_plan(graduated=True),
                checklist=sheets.planned_checklist(infliximab, dose_plan(graduated=True),
                                                   dose_number=4, planned_start=START,
                                                   previous_reaction=True),
                order=order(), tz=WARSAW, printed_at=PRINTED_AT, paper=p, out=out),
            "bedside_provisional": lambda out, p=paper: sheets.bedside_checklist_pdf(
                clinic=CLINIC, patient=patient(weighed=False), protocol=infliximab,
                plan=dose_plan(),
                checklist=sheets.planned_checklist(infliximab, dose_plan(), dose_number=3,
                                                   planned_start=START),
                order=order(), tz=WARSAW, printed_at=PRINTED_AT,
                planned_from=PlanningWeight(Decimal("72.4"), START - timedelta(days=56)),
                paper=p, out=out),
            "blank": lambda out, p=paper: sheets.blank_checklist_pdf(
                protocol=infliximab, clinic=CLINIC, tz=WARSAW, printed_at=PRINTED_AT, paper=p,
                out=out),
            "record": lambda out, p=paper: sheets.infusion_record_pdf(
                visit_record(extra_vitals=40), clinic=CLINIC, tz=WARSAW,
                printed_at=PRINTED_AT, paper=p, out=out),
            "reaction": lambda out, p=paper: sheets.reaction_report_pdf(
                reaction_report(NAMES["spanish"]), clinic=CLINIC, tz=WARSAW,
                printed_at=PRINTED_AT, paper=p, out=out),
            "handout": lambda out, p=paper: sheets.schedule_handout_pdf(
                patient=patient(), protocol=infliximab, plan=schedule(), booked=booked(),
                clinic=CLINIC, tz=WARSAW, printed_at=PRINTED_AT, paper=p, out=out),
            "day_list": lambda out, p=paper: sheets.day_list_pdf(
                day_entries(18), day=VISIT_DAY, clinic=CLINIC, tz=WARSAW,
                printed_at=PRINTED_AT, paper=p, out=out),
        }
        for name, job in jobs.items():
            path = folder / f"{name}_{paper.value}.pdf"
            job(path)
            written.append(path)
    return written


if __name__ == "__main__":
    for written in render_all(Path("/tmp/sheets")):
        print(written)
