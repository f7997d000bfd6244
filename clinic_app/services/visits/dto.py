"""What the visit, reaction and clinic-day use cases give back: frozen values, no ORM objects.

Datetimes are aware UTC (the UI shows them in ``ctx.tz``); ``*_local`` fields are already in the
clinic's time zone. Statuses travel as text. Domain frozen objects (``DosePlan``,
``ChecklistStatus``, ``GateCheck``, ``ClinicalWarning``) are passed as they are.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time
from decimal import Decimal

from clinic_app.domain.alerts import ClinicalWarning
from clinic_app.domain.checklists import ChecklistStatus, GateCheck
from clinic_app.domain.dose_plan import DosePlan
from clinic_app.domain.double_check import CheckState
from clinic_app.domain.overdue import OverdueCount
from clinic_app.domain.premedication import PremedicationItem
from clinic_app.domain.shortened_infusion import ShortenedEligibility
from clinic_app.services.labs.dto import LabCheck
from clinic_app.services.patients.dto import AlertBadge, PatientSummary, ReactionSummary, Voiding


@dataclass(frozen=True)
class DosePreview:
    """The dose plan for today's weight, with everything the nurse must decide on.

    ``warnings`` are the plan's own followed by the patient's (earlier reactions to this drug,
    contraindication cautions). ``override_needed`` lists the codes that still need a recorded
    reason (empty once one is given); ``ack_needed`` the codes to acknowledge when opening the
    visit. ``graduated`` says whether the plan uses the graduated rate (by default after an
    earlier acute reaction, when the protocol has a table); ``premedication`` is the protocol's
    advice after such a reaction.
    """

    plan: DosePlan
    warnings: tuple[ClinicalWarning, ...]
    graduated: bool
    premedication: str | None
    previous_weight_kg: Decimal | None
    previous_weight_at: datetime | None
    override_needed: tuple[str, ...]
    ack_needed: tuple[str, ...]
    # The codes that stop the visit until answered (a reason, or a weight to confirm) and are
    # shown apart from routine acknowledgements.
    stop_codes: tuple[str, ...] = ()
    # The shortened infusion's minutes when it may be chosen for this dose (or is chosen);
    # None when it is not offered (clinic setting off, too few tolerated infusions, a reaction).
    shortened_minutes: int | None = None
    # Every condition of the shortened infusion, met or not, where the clinic uses it and the
    # protocol has one (None otherwise: nothing to show).
    shortened_check: ShortenedEligibility | None = None


@dataclass(frozen=True)
class VisitCourse:
    """The order behind the visit."""

    id: int
    protocol_id: str
    drug: str
    indication_id: str
    indication: str
    order_text: str
    prescriber: str


@dataclass(frozen=True)
class ScannedLot:
    """The fields read from a vial carton's GS1 barcode, checked against the visit."""

    product_name: str
    gtin: str
    lot: str
    expiry: date


@dataclass(frozen=True)
class LotEntry:
    """A product lot used in the visit; ``recorded_at``/``recorded_by`` come from the audit
    trail (None/"" for bulk demo rows, which have one audit entry per batch)."""

    id: int
    product: str
    lot_number: str
    expiry_date: date
    vials: int
    recorded_at: datetime | None
    recorded_by: str
    version: int
    voided: Voiding | None = None


@dataclass(frozen=True)
class PremedicationForm:
    """A premedication as the nurse typed it: ``kind`` is the kind of the suggested set it
    fills (None for another drug), ``dose`` a number (text accepted), ``given_at`` a moment
    (None: now; "HH:MM" today or "YYYY-MM-DD HH:MM", clinic-local), ``lot`` optional."""

    drug: str
    dose: str | Decimal
    unit: str
    route: str
    kind: str | None = None
    given_at: datetime | str | None = None
    lot: str = ""


@dataclass(frozen=True)
class PremedicationEntry:
    """A premedication given at the visit (voided ones marked): ``given_at`` aware UTC,
    ``nurse`` who gave it; ``text`` as shown ("cetirizine 10 mg oral")."""

    id: int
    version: int
    kind: str | None
    drug: str
    dose: Decimal
    unit: str
    route: str
    given_at: datetime
    lot_number: str
    nurse: str
    voided: Voiding | None = None

    @property
    def text(self) -> str:
        """The drug, dose without trailing zeros, unit and route."""
        item = PremedicationItem(self.kind, self.drug, self.dose, self.unit, self.route)
        return item.text


@dataclass(frozen=True)
class DoubleCheckEntry:
    """A second nurse's signature at the visit (voided ones marked): ``what`` "dose_plan" or
    "bag" (``what_text`` in words), the checking nurse, the nurse whose session it was (who
    calculated or prepared), ``signed_at`` aware UTC, and whether it ``counts`` for the dose
    plan as it is now (False once the plan changed)."""

    id: int
    version: int
    what: str
    what_text: str
    nurse: str
    first_nurse: str
    signed_at: datetime
    counts: bool
    voided: Voiding | None = None


@dataclass(frozen=True)
class DoubleCheckStatus:
    """The independent double check of a visit: the clinic's ``mode`` for its protocol ("off",
    "optional", "required"), where the dose plan and the bag stand (``states``), and every
    signature (``entries``)."""

    mode: str = "off"
    states: tuple[CheckState, ...] = ()
    entries: tuple[DoubleCheckEntry, ...] = ()

    @property
    def done(self) -> bool:
        """Both the dose plan and the bag are signed for the plan as it is."""
        return bool(self.states) and all(s.signed for s in self.states)


@dataclass(frozen=True)
class CheckEntry:
    """One answered checklist item (ticks are stored as "done").

    A correction (a changed saved answer) carries the answer it replaced (``corrects``) and the
    nurse's ``correction_reason``; the replaced entry stays on record.
    """

    id: int
    item_key: str
    text: str
    answer: str
    recorded_at: datetime
    nurse: str
    version: int
    voided: Voiding | None = None
    corrects: str | None = None
    correction_reason: str | None = None


@dataclass(frozen=True)
class VitalsEntry:
    """One set of vitals; ``item_key`` is the checklist item it answers (None: an extra
    reading, e.g. every 5 minutes during a reaction). ``flags`` compare it with the settings'
    limits and the baseline reading."""

    id: int
    measured_at: datetime
    item_key: str | None
    label: str
    systolic: int | None
    diastolic: int | None
    heart_rate: int | None
    temperature_c: Decimal | None
    respiratory_rate: int | None
    spo2: int | None
    nurse: str
    flags: tuple[ClinicalWarning, ...]
    version: int
    voided: Voiding | None = None


@dataclass(frozen=True)
class InfusionEventEntry:
    """A pause, resume, rate change or stop; ``kind`` is "pause", "resume", "rate_change" or
    "stop"."""

    id: int
    at: datetime
    kind: str
    rate_ml_per_h: Decimal | None
    note: str
    nurse: str
    voided: Voiding | None = None


@dataclass(frozen=True)
class InfusionProgress:
    """The running infusion at ``VisitDetail.as_of``.

    ``state`` is "running", "paused" or "ended"; ``projected_end`` is the recorded or projected
    end (while paused: the end if resumed now).

    A graduated infusion running through its table has ``step_number`` of ``step_count`` and,
    until its last step, the ``next_rate_ml_per_h`` and when the pump moves to it
    (``next_step_at``; while paused: if resumed now). Once the nurse has changed the rate by
    hand the step number is None and the next step is due after the time the table holds the
    step her rate reached (:func:`~clinic_app.domain.graduated_rate.next_step_due_after`). All
    are None for a single-rate plan, at the top step and after the end.

    ``rate_since`` is when the pump began its current rate (the last rate change, or the
    current step's start); ``suggested_rate_ml_per_h`` is, on a graduated infusion, the next
    step of the table above the current rate (:func:`~clinic_app.domain.graduated_rate.
    next_step_rate`): the Change rate field's pre-fill (None otherwise).
    """

    state: str
    volume_infused_ml: Decimal
    remaining_ml: Decimal
    current_rate_ml_per_h: Decimal
    projected_end: datetime
    paused_since: datetime | None
    step_number: int | None = None
    step_count: int | None = None
    next_rate_ml_per_h: Decimal | None = None
    next_step_at: datetime | None = None
    rate_since: datetime | None = None
    suggested_rate_ml_per_h: Decimal | None = None


@dataclass(frozen=True)
class EndPreview:
    """The infusion as it would end at ``at`` (the End dialog's figures).

    ``earliest`` is the last recorded moment of the infusion (the start, or the last pause,
    resume or rate change): the end cannot be before it, nor after ``latest`` (now). While the
    pump is paused the infusion ends at the pause (``at`` = ``earliest`` = ``latest``,
    ``paused``). ``needs_reason`` when the bag still holds ``remaining_ml`` at ``at``;
    ``given_mg`` is the dose in ``infused_ml``.
    """

    at: datetime
    earliest: datetime
    latest: datetime
    paused: bool
    infused_ml: Decimal
    remaining_ml: Decimal
    planned_ml: Decimal
    given_mg: Decimal
    dose_mg: Decimal
    needs_reason: bool


@dataclass(frozen=True)
class DoseDecision:
    """A warning of the accepted dose plan and what the nurse decided on it when the visit was
    opened: ``decision`` is "overridden" (``reason`` holds the recorded reason),
    "acknowledged" or "" (shown for information only)."""

    code: str
    message: str
    decision: str
    reason: str | None = None

    @property
    def text(self) -> str:
        """``<message> (overridden: <reason>)``, ``<message> (acknowledged)`` or the message."""
        if self.decision == "overridden":
            return f"{self.message} (overridden: {self.reason})"
        if self.decision == "acknowledged":
            return f"{self.message} (acknowledged)"
        return self.message


@dataclass(frozen=True)
class VisitDetail:
    """Everything about one infusion visit at ``as_of`` (the context's now).

    ``status`` is "checked_in", "infusing", "observation", "completed" or "cancelled" (closed
    before the start: ``not_given_reason`` says why the dose was not given).
    ``checklist`` is the domain's status of every item; ``start_gate``/``discharge_gate`` say
    what still blocks the start or the discharge. ``previous_reaction`` is True after an earlier
    acute reaction to this drug (the premedication item is then on the checklist).
    """

    id: int
    version: int
    status: str
    as_of: datetime
    patient: PatientSummary
    allergies: tuple[str, ...]
    alerts: tuple[AlertBadge, ...]
    course: VisitCourse
    appointment_id: int | None
    dose_number: int
    booked_at: datetime | None
    chair: str
    nurse: str
    weight_kg_used: Decimal | None
    dose_plan: DosePlan
    acknowledged: tuple[str, ...]
    started_at: datetime | None
    ended_at: datetime | None
    discharged_at: datetime | None
    observation_minutes: int
    observation_end: datetime | None
    infusion: InfusionProgress | None
    checklist: ChecklistStatus
    start_gate: GateCheck
    discharge_gate: GateCheck
    previous_reaction: bool
    premedication: str | None
    lots: tuple[LotEntry, ...]
    events: tuple[InfusionEventEntry, ...]
    entries: tuple[CheckEntry, ...]
    vitals: tuple[VitalsEntry, ...]
    reactions: tuple[ReactionSummary, ...]
    # Why the pump may not run again (resume, rate change), e.g. after an anaphylaxis.
    continue_refusal: str | None = None
    # Observation lengthened after a severe reaction at this visit: why (e.g. "anaphylaxis
    # grade 3 and epinephrine given"); ``observation_end`` is then the extended end.
    observation_extended: str | None = None
    # Why the dose was not given (the visit was closed before the start; status "cancelled").
    not_given_reason: str | None = None
    # Every warning of the accepted plan with the nurse's decision on it (opening order).
    dose_decisions: tuple[DoseDecision, ...] = ()
    # A "No known allergies" statement stands (shown only when ``allergies`` is empty).
    no_known_allergies: bool = False
    # Premedication: the set suggested after an earlier reaction (clinic setting), the
    # suggested items not yet given, what was given (voided ones marked) and the note on the
    # doses ("Doses: clinic setting ...").
    premedication_suggested: tuple[PremedicationItem, ...] = ()
    premedication_missing: tuple[PremedicationItem, ...] = ()
    premedications: tuple[PremedicationEntry, ...] = ()
    premedication_note: str = ""
    # The labs before this dose: latest values with their age and, under the protocol's lab
    # rules, the proposal, its reasons and flags (None only for a detail built without them).
    labs: LabCheck | None = None
    # A planned surgery or a live vaccine too close to this dose, in words (issue 13).
    surgery_and_vaccines: tuple[str, ...] = ()
    # The second nurse's independent check of the dose plan and the bag.
    double_check: DoubleCheckStatus = field(default_factory=DoubleCheckStatus)


@dataclass(frozen=True)
class AppointmentHeader:
    """Who and what an appointment is for, to head the "Open visit" step.

    ``status`` is the appointment's ("booked", "not_given", ...); ``starts_at`` aware UTC and
    ``local_time`` in the clinic's zone (None until booked); ``order_text`` the course's order
    ("5 mg/kg"); ``alerts`` as on the visit (allergies, contraindications, earlier reaction).
    """

    appointment_id: int
    version: int
    status: str
    patient: PatientSummary
    allergies: tuple[str, ...]
    alerts: tuple[AlertBadge, ...]
    course_id: int
    protocol_id: str
    drug: str
    indication: str
    order_text: str
    dose_number: int
    starts_at: datetime | None
    local_time: time | None
    chair: str
    # The patient's last weight on file (to compare with today's, even while it is refused).
    previous_weight_kg: Decimal | None = None
    previous_weight_at: datetime | None = None
    # A "No known allergies" statement stands (shown only when ``allergies`` is empty).
    no_known_allergies: bool = False


@dataclass(frozen=True)
class MedicationForm:
    """A medication given for a reaction, as typed: ``dose`` a number (text accepted),
    ``given_at`` a moment (None: now; "HH:MM" today or "YYYY-MM-DD HH:MM", local)."""

    drug: str
    dose: str | Decimal = ""
    dose_unit: str = ""
    route: str = ""
    given_at: datetime | str | None = None


@dataclass(frozen=True)
class MedicationEntry:
    """A medication given for a reaction, as recorded."""

    id: int
    drug: str
    dose: Decimal | None
    dose_unit: str
    route: str
    given_at: datetime
    given_by: str


@dataclass(frozen=True)
class ReactionDetail:
    """A reaction with what the report needs and what it changed.

    ``onset_class`` is "during_infusion", "acute_after" or "delayed", placed against the linked
    visit's times; ``grade_text`` is the CTCAE definition of the grade ("Not graded (delayed
    reaction)" for a delayed reaction left ungraded). ``consequences`` are the warnings the
    patient's reactions to this drug now raise for its next infusion; ``contraindication_codes``
    the contraindications they activate (flags on file); ``guidance`` what to do for this grade
    (first response, the protocol's advice, what to record; empty when not graded).
    """

    summary: ReactionSummary
    protocol_id: str
    drug: str
    dose_number: int
    visit_started_at: datetime | None
    visit_ended_at: datetime | None
    observation_minutes: int
    onset_class: str
    minutes_after_start: int | None
    hours_after_end: Decimal | None
    days_after_end: int | None
    grade_text: str
    medications: tuple[MedicationEntry, ...]
    consequences: tuple[ClinicalWarning, ...]
    contraindication_codes: tuple[str, ...]
    guidance: tuple[str, ...]


@dataclass(frozen=True)
class ClinicDayRow:
    """One appointment of the clinic day with its live state at ``as_of``.

    ``status``: "booked", "arrived" (visit opened, nothing checked yet), "pre_check",
    "infusing" (``paused`` tells a pause), "observation", "discharged" or "did_not_attend".
    ``next_due`` is the text of the next thing to do and ``next_due_at`` its time (UTC;
    ``next_due_local`` in the clinic's zone); ``overdue`` is True when something is late and
    ``overdue_items`` names what, each with its due time. ``dose_text`` is the dose prepared
    (after weighing) or the order. ``status`` "not_given": the patient came but the dose was held
    (``status_note`` says why when the reason is on file). ``end_due_at`` / ``end_due_local``:
    when a running infusion should end (projected from the rates, pauses included; None when
    not infusing or paused). ``can_mark_did_not_attend``: the appointment is booked, nobody has
    arrived and its day has come, so it may be recorded as not attended.
    ``paused_after_reaction``: the infusion is paused and the pause began at or after the onset
    of a reaction logged at this visit (the reaction's badge, kind "reaction_today", leads
    ``alerts``).
    """

    appointment_id: int
    appointment_version: int
    visit_id: int | None
    course_id: int
    as_of: datetime
    starts_at: datetime
    local_time: time
    chair: str
    patient: PatientSummary
    protocol_id: str
    drug: str
    dose_number: int
    dose_text: str
    dose_mg: Decimal | None
    mg_per_kg: Decimal | None
    infusion_minutes: int
    observation_minutes: int
    status: str
    paused: bool
    next_due: str | None
    next_due_at: datetime | None
    next_due_local: time | None
    overdue: bool
    overdue_items: tuple[str, ...]
    allergies: tuple[str, ...]
    alerts: tuple[AlertBadge, ...]
    nurse: str | None
    end_due_at: datetime | None = None
    end_due_local: time | None = None
    can_mark_did_not_attend: bool = False
    status_note: str | None = None
    paused_after_reaction: bool = False
    # A "No known allergies" statement stands (shown only when ``allergies`` is empty).
    no_known_allergies: bool = False
    # Those of ``overdue_items`` that are paperwork (recording an end that has happened); the
    # others are clinical (clinic_app.domain.overdue).
    overdue_paperwork: tuple[str, ...] = ()
    # When the visit's hold on its chair ends (UTC): the booked start plus the chair time of
    # clinic_app.domain.chair_time; None when it holds no chair (did not attend, not given).
    chair_until: datetime | None = None

    @property
    def overdue_count(self) -> OverdueCount:
        """The late items counted, clinical apart from paperwork."""
        paperwork = len(self.overdue_paperwork)
        return OverdueCount(clinical=len(self.overdue_items) - paperwork, paperwork=paperwork)
