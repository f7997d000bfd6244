"""What the visit screen's parts show, worked out from the visit DTO (no Qt, no rules).

Pure functions: which checklist items go to which part, the latest answer of each item, the
vitals grid's rows, and the "who and when" text under answered items. Everything they decide
comes from the service's checklist status (states, due times, kinds).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import tzinfo

from clinic_app.domain.checklist_templates import ItemKind
from clinic_app.domain.checklists import START_OVERRIDE_KEY, ItemState, ItemStatus, Phase
from clinic_app.domain.dates import time_text
from clinic_app.services.visits.dto import CheckEntry, VisitDetail, VitalsEntry
from clinic_app.ui.patients.display import chair_text, rich
from clinic_app.ui.visit import formatting as fmt
from clinic_app.ui.visit.checklist_section import ANSWER_LABELS
from clinic_app.ui.visit.vitals_grid import NEW_KEY, VitalsRowData

OPEN_FOR_VITALS = ("checked_in", "infusing", "observation")
# A visit closed before the start shows what was recorded, nothing as due.
CLOSED_BEFORE_START = "cancelled"
BASELINE_LABEL = "Baseline, before the start"


def latest_checks(entries: Iterable[CheckEntry]) -> dict[str, CheckEntry]:
    """The latest answer of each item (voided answers left out)."""
    latest: dict[str, CheckEntry] = {}
    for entry in entries:
        if entry.voided is None and (entry.item_key not in latest
                                     or entry.recorded_at >= latest[entry.item_key].recorded_at):
            latest[entry.item_key] = entry
    return latest


def latest_vitals(entries: Iterable[VitalsEntry]) -> dict[str, VitalsEntry]:
    """The latest reading for each checklist item (extra readings left out)."""
    latest: dict[str, VitalsEntry] = {}
    for entry in entries:
        key = entry.item_key
        if entry.voided is None and key is not None and (
                key not in latest or entry.measured_at >= latest[key].measured_at):
            latest[key] = entry
    return latest


def pre_items(detail: VisitDetail) -> list[ItemStatus]:
    """The pre-infusion items (the baseline vitals item included, answered in the grid); of a
    visit closed before the start, only those answered."""
    closed = detail.status == CLOSED_BEFORE_START
    return [s for s in detail.checklist.items if s.item.phase is Phase.PRE
            and (not closed or s.state is ItemState.DONE)]


def discharge_items(detail: VisitDetail) -> list[ItemStatus]:
    """Observation and discharge items other than vitals (those are in the grid); none for a
    visit closed before the start."""
    if detail.status == CLOSED_BEFORE_START:
        return []
    return [s for s in detail.checklist.items
            if s.item.phase in (Phase.OBSERVATION, Phase.DISCHARGE)
            and s.item.kind is not ItemKind.VITALS]


def done_texts(detail: VisitDetail, tz: tzinfo) -> dict[str, str]:
    """``Yes · 09:35 · Anna Keller`` under each answered item."""
    texts = {}
    for key, entry in latest_checks(detail.entries).items():
        answer = ANSWER_LABELS.get(entry.answer, entry.answer)
        shown = "" if entry.answer == "done" else f"{answer} · "
        texts[key] = f"{shown}{time_text(entry.recorded_at, tz)} · {entry.nurse}"
        if entry.correction_reason:
            was = ANSWER_LABELS.get(entry.corrects or "", entry.corrects or "?")
            texts[key] += f" · corrected: {was} → {answer}, reason: {entry.correction_reason}"
    for key, vitals in latest_vitals(detail.vitals).items():
        texts[key] = f"Recorded {time_text(vitals.measured_at, tz)} · {vitals.nurse}"
    return texts


def vitals_rows(detail: VisitDetail, tz: tzinfo) -> list[VitalsRowData]:
    """The grid's rows: due items in order, extra readings, then the blank extra row (of a
    visit closed before the start, only the readings recorded)."""
    recorded = latest_vitals(detail.vitals)
    writable = detail.status in OPEN_FOR_VITALS
    closed = detail.status == CLOSED_BEFORE_START
    rows = [_item_row(s, recorded.get(s.item.key), tz, writable,
                      missed=detail.status == "completed")
            for s in detail.checklist.items if s.item.kind is ItemKind.VITALS
            and (not closed or s.item.key in recorded)]
    extras = sorted((e for e in detail.vitals if e.item_key is None and e.voided is None),
                    key=lambda e: e.measured_at)
    rows += [VitalsRowData(f"extra:{e.id}", time_text(e.measured_at, tz), "Extra reading",
                           None, e, False) for e in extras]
    if not closed:
        rows.append(VitalsRowData(NEW_KEY, "", "Extra reading (now)", None, None, writable))
    return rows


def _item_row(status: ItemStatus, entry: VitalsEntry | None, tz: tzinfo,
              writable: bool, *, missed: bool = False) -> VitalsRowData:
    """One due row; on a closed visit (``missed``) a row never recorded reads "not done"
    instead of "overdue"."""
    item = status.item
    label = BASELINE_LABEL if item.phase is Phase.PRE else item.text.removeprefix("Vitals: ")
    open_now = status.state is not ItemState.NOT_YET
    return VitalsRowData(item.key, time_text(item.due_at, tz), label, status.state, entry,
                         writable and open_now, closed=missed)


def decisions_text(detail: VisitDetail, tz: tzinfo) -> str:
    """The decisions taken on the checklist, one a line with the nurse and the time (issue 12):
    ``⚠ Started despite BP 182/104: … Reason: prescriber informed, proceed — Anna Keller,
    09:12``."""
    lines = [f"⚠ {entry.answer} — {entry.nurse}, {time_text(entry.recorded_at, tz)}"
             for entry in detail.entries
             if entry.item_key == START_OVERRIDE_KEY and entry.voided is None]
    return "\n".join(lines)


def not_given_text(detail: VisitDetail) -> str:
    """``Not given today: <reason>`` for a visit closed before the start ('' otherwise)."""
    if detail.status != CLOSED_BEFORE_START:
        return ""
    return f"Not given today: {detail.not_given_reason or 'no reason on file'}"


def status_line(detail: VisitDetail, tz: tzinfo) -> str:
    """The pump's state in one line."""
    plan, progress = detail.dose_plan, detail.infusion
    if detail.status == "checked_in":
        return (f"Checked in — pre-check, then start. Planned {fmt.rate_text(plan)}; "
                f"{fmt.number(plan.final_volume_ml)} mL bag.")
    if detail.status == CLOSED_BEFORE_START:
        return "No infusion: the dose was not given today."
    if detail.status == "infusing" and progress is not None:
        amounts = (f"{fmt.number(progress.volume_infused_ml)} of "
                   f"{fmt.number(plan.final_volume_ml)} mL infused")
        if progress.state == "paused":
            return f"Paused since {time_text(progress.paused_since, tz)} · {amounts}"
        step = "" if progress.step_number is None else \
            f" (step {progress.step_number} of {progress.step_count})"
        return (f"Running at {fmt.number(progress.current_rate_ml_per_h)} mL/h{step} since "
                f"{time_text(progress.rate_since or detail.started_at, tz)} · {amounts}")
    if detail.status in ("observation", "completed"):
        return (f"Infusion {time_text(detail.started_at, tz)}–{time_text(detail.ended_at, tz)}"
                f" · {'observation' if detail.status == 'observation' else 'visit completed'}")
    return f"Visit {detail.status.replace('_', ' ')}"


def treatment_text(detail: VisitDetail, tz: tzinfo) -> str:
    """``<b>Infliximab</b> dose 1 · 5 mg/kg · 10:00 chair 3``."""
    course = detail.course
    booked = f" · {time_text(detail.booked_at, tz)}" if detail.booked_at else ""
    chair = f" {rich(chair_text(detail.chair))}" if detail.chair else ""
    return (f"<b>{course.drug}</b> dose {detail.dose_number} · {course.order_text} · "
            f"{course.indication}{booked}{chair}")


def plan_warning_text(detail: VisitDetail) -> str:
    """The dose plan's warnings as decided at the opening, each with "(overridden: <reason>)"
    or "(acknowledged)" (the service's decisions), '' when none."""
    lines = [f"⚠ {d.text}" for d in detail.dose_decisions]
    if detail.premedication:
        lines.append(f"Premedication: {detail.premedication}")
    return "\n".join(lines)


def reactions_text(detail: VisitDetail, tz: tzinfo) -> str:
    """``Reaction logged: infusion related reaction grade 2 (CTCAE v5.0) at 12:10`` ('' when
    none; "not graded" for a delayed reaction left ungraded)."""
    lines = [f"⚠ Reaction logged: {r.grading_text} at {time_text(r.onset_at, tz)}"
             for r in detail.reactions if r.voided is None]
    return "\n".join(lines)


def schedule_line(detail: VisitDetail, tz: tzinfo) -> str:
    """What comes next while infusing: ``Next: 80 mL/h at 10:15 · End due 11:47``, or once a
    step up of a graduated rate is due ``Step up to 80 mL/h due since 10:15: Change rate``
    (while paused, as if resumed now; past the end, :func:`bag_empty_text`); '' otherwise. The
    times are the service's."""
    progress = detail.infusion
    if detail.status != "infusing" or progress is None:
        return ""
    if progress.state == "ended":
        return bag_empty_text(detail, tz)
    paused = progress.state == "paused"
    parts = []
    if progress.next_rate_ml_per_h is not None and progress.next_step_at is not None:
        rate, at = fmt.number(progress.next_rate_ml_per_h), time_text(progress.next_step_at, tz)
        parts.append(f"Step up to {rate} mL/h due since {at}: Change rate"
                     if progress.next_step_at <= detail.as_of and not paused
                     else f"Next: {rate} mL/h at {at}")
    end = time_text(progress.projected_end, tz)
    parts.append(f"End about {end}" if paused else f"End due {end}")
    return " · ".join(parts) + (" if resumed now" if paused else "")


def bag_empty_text(detail: VisitDetail, tz: tzinfo) -> str:
    """``Bag due empty since 11:47: end the infusion`` while the visit is still infusing past
    the service's projected end ('' otherwise)."""
    progress = detail.infusion
    if detail.status != "infusing" or progress is None or progress.state != "ended":
        return ""
    return f"Bag due empty since {time_text(progress.projected_end, tz)}: end the infusion"


EVENT_WORDS = {"pause": "Paused", "resume": "Resumed", "rate_change": "Rate set to",
               "stop": "Stopped"}


def events_text(detail: VisitDetail, tz: tzinfo) -> str:
    """The pump events, one a line: ``09:40 Paused — Patient request · Anna Keller`` (voided
    ones left out; '' when none)."""
    lines = []
    for event in detail.events:
        if event.voided is not None:
            continue
        words = EVENT_WORDS.get(event.kind, event.kind.replace("_", " ").capitalize())
        if event.kind == "rate_change" and event.rate_ml_per_h is not None:
            words += f" {fmt.number(event.rate_ml_per_h)} mL/h"
        note = f" — {event.note}" if event.note else ""
        nurse = f" · {event.nurse}" if event.nurse else ""
        lines.append(f"{time_text(event.at, tz)} {words}{note}{nurse}")
    return "\n".join(["Pump events:", *lines]) if lines else ""
