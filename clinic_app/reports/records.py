"""The plain inputs of the printed sheets: frozen records of text, dates, times and Decimals.

The services layer maps what it keeps onto these records; the sheets need nothing else (no
database object, no widget). Moments are timezone-aware datetimes (UTC as stored); the sheets
print them in the clinic's local time. Reaction signs are the catalogue codes
(``resources/reactions/signs.toml``) and CTCAE terms the ids of
:class:`clinic_app.domain.ctcae.CtcaeTerm`, as the store keeps them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from clinic_app.domain.dose_plan import DosePlan
from clinic_app.domain.drug_levels import DrugLevel
from clinic_app.domain.errors import InvalidInput
from clinic_app.domain.overdue import OverdueCount
from clinic_app.domain.settings import ClinicInfo
from clinic_app.domain.units import plain


@dataclass(frozen=True)
class ClinicContact:
    """The clinic as printed on a sheet, and the numbers a patient calls."""

    name: str
    phone: str | None = None
    after_hours_phone: str | None = None
    emergency_number: str | None = None

    @classmethod
    def from_settings(cls, clinic: ClinicInfo, *, after_hours_phone: str | None = None,
                      emergency_number: str | None = None) -> ClinicContact:
        """The clinic's name and phone from the clinic settings (``[clinic]``)."""
        return cls(name=clinic.name, phone=clinic.phone or None,
                   after_hours_phone=after_hours_phone, emergency_number=emergency_number)


@dataclass(frozen=True)
class PatientHeader:
    """Who the sheet is about.

    ``allergies`` are printed as given (e.g. "Penicillin (rash)"). An empty tuple prints "No
    known allergies" only when ``no_known_allergies`` says the patient was asked; otherwise it
    prints that allergies are not recorded and must be asked. ``weight_kg`` is today's weight,
    measured at ``weight_measured_at`` (``weight_kind`` "actual" or "estimated").
    """

    name: str
    mrn: str
    date_of_birth: date
    sex: str | None = None
    allergies: tuple[str, ...] = ()
    no_known_allergies: bool = False
    weight_kg: Decimal | None = None
    weight_measured_at: datetime | None = None
    weight_kind: str = "actual"


@dataclass(frozen=True)
class PlanningWeight:
    """The weight a bedside checklist printed before the visit is opened is planned from.

    Not today's weight: a visit not yet opened has none (today's weight is taken when it is
    opened, and the dose is calculated again from it). ``measured_at`` is when this weight was
    measured (the last weight on file); None for a weight given when printing, not recorded.
    ``weight_kg`` None: no weight at all (a fixed dose planned without one,
    :mod:`clinic_app.domain.unweighed_dose`).
    """

    weight_kg: Decimal | None
    measured_at: datetime | None = None


@dataclass(frozen=True)
class OrderInfo:
    """The prescription behind an infusion."""

    prescriber: str
    indication: str | None = None
    ordered_on: date | None = None
    note: str | None = None


@dataclass(frozen=True)
class DoseSummary:
    """The dose as prepared and given, for records printed after the visit."""

    drug: str
    dose_mg: Decimal
    mg_per_kg: Decimal | None
    weight_kg: Decimal
    vials: str  # e.g. "4 x 100 mg"
    diluent: str  # e.g. "0.9% sodium chloride"
    drug_volume_ml: Decimal
    withdraw_ml: Decimal
    bag_volume_ml: Decimal
    final_volume_ml: Decimal
    concentration_mg_per_ml: Decimal
    rate_ml_per_h: Decimal
    duration_min: int
    graduated: bool = False
    shortened: bool = False  # the shortened infusion chosen for this visit (infliximab, 1 h)

    @classmethod
    def from_plan(cls, plan: DosePlan) -> DoseSummary:
        """The summary of a dose plan from :func:`clinic_app.domain.dosing.calculate_dose`."""
        vials = " + ".join(f"{v.count} x {plain(v.vial_mg)} mg" for v in plan.vials)
        return cls(
            drug=plan.drug, dose_mg=plan.dose_mg, mg_per_kg=plan.mg_per_kg,
            weight_kg=plan.weight_kg, vials=vials, diluent=plan.preparation.diluent,
            drug_volume_ml=plan.drug_volume_ml,
            withdraw_ml=plan.withdraw_ml, bag_volume_ml=plan.bag_volume_ml,
            final_volume_ml=plan.final_volume_ml,
            concentration_mg_per_ml=plan.concentration_mg_per_ml,
            rate_ml_per_h=plan.rate_ml_per_h, duration_min=plan.duration_min,
            graduated=plan.graduated, shortened=plan.shortened,
        )


@dataclass(frozen=True)
class DoseGiven:
    """What the patient received, decided by the services (never by the sheet).

    ``state``: "full" (the bag ran empty: the whole prepared dose), "partial" (ended early;
    ``reason`` the recorded why), "running" (still infusing when printed), "not_given" (closed
    before the start; ``reason`` why) or "not_started". ``infused_ml`` is the volume infused and
    ``given_mg`` the dose it holds.
    """

    state: str
    reason: str | None = None
    infused_ml: Decimal | None = None
    given_mg: Decimal | None = None


@dataclass(frozen=True)
class DoseDecision:
    """A warning about the dose the nurse decided on when the visit was opened: ``decision`` is
    "overridden" (with the recorded ``reason``) or "acknowledged"."""

    message: str
    decision: str
    reason: str | None = None


@dataclass(frozen=True)
class LotRecord:
    """A product lot used in a visit."""

    product: str
    lot_number: str
    expiry_date: date | None
    vials: int | None
    recorded_at: datetime | None = None
    recorded_by: str | None = None


@dataclass(frozen=True)
class PremedicationRecord:
    """A premedication given at the visit: drug, dose and unit, route, when (aware UTC), the
    lot (optional) and the nurse who gave it."""

    drug: str
    dose: Decimal
    unit: str
    route: str
    given_at: datetime
    nurse: str
    lot_number: str = ""


@dataclass(frozen=True)
class LabRecord:
    """The latest result of one test before the dose: ``text`` the result as shown ("ALT 95
    U/L (ref. 0-40)"), the day the sample was taken, its age in days on the day of the dose,
    and ``flag`` ("high", "low" or "") against its reference range."""

    text: str
    taken_on: date
    age_days: int
    flag: str = ""


@dataclass(frozen=True)
class DoubleCheckRecord:
    """A second nurse's independent check: ``what`` in words ("dose plan", "bag"), the nurse
    who calculated or prepared (``first_nurse``), the second nurse who checked, when (aware
    UTC), and whether it ``counts`` for the dose plan as printed (False: the plan changed after
    it)."""

    what: str
    first_nurse: str
    second_nurse: str
    signed_at: datetime
    counts: bool = True


@dataclass(frozen=True)
class ChecklistAnswer:
    """One answered checklist item: its text as shown, the answer, when and by whom."""

    item: str
    answer: str
    recorded_at: datetime
    nurse: str


@dataclass(frozen=True)
class VitalsRecord:
    """One set of vital signs; missing values were not taken. ``label`` names the time point
    (e.g. "Baseline", "15 min", "End of infusion"); ``flags`` are the out-of-range messages
    raised when it was recorded (:func:`clinic_app.domain.vitals.flags`)."""

    measured_at: datetime
    nurse: str
    label: str = ""
    systolic: int | None = None
    diastolic: int | None = None
    heart_rate: int | None = None
    temperature_c: Decimal | None = None
    respiratory_rate: int | None = None
    spo2: int | None = None
    flags: tuple[str, ...] = ()


@dataclass(frozen=True)
class InfusionEventRecord:
    """A pause, resume, rate change or stop; ``kind`` is the stored kind ("pause", "resume",
    "rate_change", "stop")."""

    at: datetime
    kind: str
    nurse: str
    rate_ml_per_h: Decimal | None = None
    note: str | None = None


@dataclass(frozen=True)
class MedicationGiven:
    """A medication given for a reaction."""

    drug: str
    given_at: datetime
    given_by: str
    dose: Decimal | None = None
    dose_unit: str | None = None
    route: str | None = None


@dataclass(frozen=True)
class ReactionDetails:
    """A logged reaction.

    ``onset_at`` is the timed onset; a delayed reaction reported later may have only the day
    (``onset_on``). ``ctcae_term`` and ``grade`` go together or are both absent (a delayed
    reaction left not graded, e.g. the psoriasiform rash of seed 001); ``ctcae_version`` is the
    version recorded with the grade. ``notes`` is the nurse's free-text description;
    ``pump_action`` what was done with the running infusion ("Paused at 09:50", ...), from the
    services; ``vitals`` the sets taken around the reaction (the last before the onset, then every
    set from the onset on). ``onset_class`` is the class the services recorded
    ("during_infusion", "acute_after", "delayed"; None when unknown) and
    ``acute_window_minutes`` the drug's acute-reaction window it was placed against: the sheet
    prints that decision, it does not classify again.
    """

    signs: tuple[str, ...]
    recorded_by: str
    onset_class: str | None = None
    acute_window_minutes: int | None = None
    onset_at: datetime | None = None
    onset_on: date | None = None
    ctcae_term: str | None = None
    grade: int | None = None
    ctcae_version: str | None = None
    notes: str | None = None
    actions: str | None = None
    medications: tuple[MedicationGiven, ...] = ()
    vitals: tuple[VitalsRecord, ...] = ()
    outcome: str | None = None
    recorded_at: datetime | None = None
    pump_action: str | None = None

    def __post_init__(self) -> None:
        if self.onset_at is None and self.onset_on is None:
            raise InvalidInput("onset", "A reaction needs its onset time, or at least its day.")
        if (self.ctcae_term is None) != (self.grade is None):
            raise InvalidInput("grade", "Give both the CTCAE term and the grade, or neither.")


@dataclass(frozen=True)
class NoteRecord:
    """A free-text note written during the visit."""

    at: datetime
    nurse: str
    text: str


@dataclass(frozen=True)
class VisitRecord:
    """Everything recorded at one infusion visit, for the infusion record.

    ``started_at``/``ended_at`` are the actual start and end of the infusion; ``status`` is the
    stored visit status ("completed", "stopped", ...). ``given`` is what the patient received
    (None: the whole prepared dose); ``decisions`` the dose warnings overridden or acknowledged.
    ``premedications`` are the premedications given (voided ones left out) and
    ``premedication_not_given`` the reason recorded for starting without the suggested ones.
    ``double_checks`` are the second nurse's checks (voided ones left out) and
    ``double_check_mode`` the clinic's mode for the protocol ("off", "optional", "required").
    ``labs`` are the latest results before the dose (voided ones left out) and ``lab_notes``
    what the protocol's lab rules said of them (the proposal with its reasons, old or missing
    results).
    """

    patient: PatientHeader
    drug: str
    dose_number: int
    responsible_nurse: str
    status: str
    dose: DoseSummary
    started_at: datetime | None
    ended_at: datetime | None
    order: OrderInfo | None = None
    observation_minutes: int | None = None
    discharged_at: datetime | None = None
    lots: tuple[LotRecord, ...] = ()
    checklist: tuple[ChecklistAnswer, ...] = ()
    vitals: tuple[VitalsRecord, ...] = ()
    events: tuple[InfusionEventRecord, ...] = ()
    reactions: tuple[ReactionDetails, ...] = ()
    notes: tuple[NoteRecord, ...] = ()
    given: DoseGiven | None = None
    decisions: tuple[DoseDecision, ...] = ()
    premedications: tuple[PremedicationRecord, ...] = ()
    # Why suggested premedication was not given, as recorded at the start (names what).
    premedication_not_given: str | None = None
    double_checks: tuple[DoubleCheckRecord, ...] = ()
    double_check_mode: str = "off"
    labs: tuple[LabRecord, ...] = ()
    lab_notes: tuple[str, ...] = ()
    # A planned surgery or live vaccine too close to this dose, in words (issue 13).
    surgery_and_vaccines: tuple[str, ...] = ()


@dataclass(frozen=True)
class Reporter:
    """Who reports a reaction, and how to reach them."""

    name: str
    role: str
    phone: str | None = None
    email: str | None = None


@dataclass(frozen=True)
class ReactionReport:
    """A reaction to send to the prescriber or the pharmacovigilance contact.

    ``infusion_started_at``/``infusion_ended_at`` may be None for a visit without recorded times
    (the onset is then placed by day from ``infusion_on``). ``dose`` is the dose as prepared
    and ``given`` what the patient received (None: the whole prepared dose; e.g. the part
    infused when the infusion was stopped early), as for the infusion record. ``events`` are
    the visit's pump events (pauses, resumes, rate changes, stops) and ``discharged_at`` when
    the visit was closed, for the report's timeline.
    """

    patient: PatientHeader
    drug: str
    dose_number: int
    infusion_on: date
    reaction: ReactionDetails
    reporter: Reporter
    reported_at: datetime
    infusion_started_at: datetime | None = None
    infusion_ended_at: datetime | None = None
    dose: DoseSummary | None = None
    lots: tuple[LotRecord, ...] = ()
    prescriber: str | None = None
    recipient: str | None = None
    given: DoseGiven | None = None
    events: tuple[InfusionEventRecord, ...] = ()
    discharged_at: datetime | None = None


@dataclass(frozen=True)
class BookedDose:
    """An appointment already booked for a dose of the schedule."""

    dose_number: int
    at: datetime


@dataclass(frozen=True)
class CourseLevels:
    """A course's drug levels and antibody results not voided (``levels``, oldest first) with
    the latest in words (``summary``, :func:`clinic_app.domain.drug_levels.tdm_summary`)."""

    levels: tuple[DrugLevel, ...]
    summary: str


@dataclass(frozen=True)
class ReviewRecord:
    """A course's response review: at dose ``dose_number`` (``week`` weeks from the first dose);
    the prescriber's decision in force (``decision`` as it reads, e.g. "Continue", by
    ``prescriber`` on ``decided_on``), or ``decision`` None while not recorded."""

    dose_number: int
    week: int
    decision: str | None = None
    prescriber: str = ""
    decided_on: date | None = None


@dataclass(frozen=True)
class DayListEntry:
    """One appointment of the clinic day.

    ``dose_mg`` is None until the patient is weighed (the order, ``mg_per_kg``, is printed
    instead); ``infusion_minutes`` and ``observation_minutes`` give the chair time;
    ``did_not_attend`` marks a booking the patient missed (listed, as on Today, not ticked).
    ``overdue`` names what was late when printed, each with its due time, as Today does;
    ``overdue_paperwork`` those of them that are paperwork, the others being clinical
    (:mod:`clinic_app.domain.overdue`).
    """

    starts_at: datetime
    chair: str
    patient_name: str
    mrn: str
    date_of_birth: date
    drug: str
    dose_number: int
    dose_mg: Decimal | None = None
    mg_per_kg: Decimal | None = None
    infusion_minutes: int | None = None
    observation_minutes: int | None = None
    nurse: str | None = None
    allergies: tuple[str, ...] = ()
    no_known_allergies: bool = False
    alerts: tuple[str, ...] = ()
    did_not_attend: bool = False
    overdue: tuple[str, ...] = ()
    overdue_paperwork: tuple[str, ...] = ()
    # When the booking's hold on its chair ends (the booking rule, preparation included: as
    # the chair timeline draws it); printed as "until" in preference to the durations.
    chair_until: datetime | None = None

    @property
    def overdue_count(self) -> OverdueCount:
        """The late items counted, clinical apart from paperwork."""
        paperwork = len(self.overdue_paperwork)
        return OverdueCount(clinical=len(self.overdue) - paperwork, paperwork=paperwork)
