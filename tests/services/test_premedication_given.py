"""Premedication as given: the suggested set recorded in one step, voided with a reason, and
the start gate (issue 13, "Premedication as given")."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, timedelta
from decimal import Decimal

import pytest
from visit_fixtures import answer_pre_checks, book, book_first_dose, infuse, open_ready_visit

from clinic_app.domain.errors import InvalidInput
from clinic_app.services.chart import patient_audit
from clinic_app.services.context import ServiceContext
from clinic_app.services.patients.dto import PatientSummary
from clinic_app.services.reactions import log_reaction
from clinic_app.services.visits import (
    PREMEDICATION_REASON_KEY,
    PremedicationMissing,
    get_visit,
    open_visit,
    preview_dose,
    record_premedication,
    record_premedications,
    start_infusion,
    void_premedication,
)
from clinic_app.services.visits.dto import PremedicationForm, VisitDetail

Counts = Callable[[], dict[str, int]]


def _after_reaction(
    ctx: ServiceContext, patient: PatientSummary, clock: object, *, checked: bool = True
) -> VisitDetail:
    """Dose 2 of infliximab opened (and checked), after a grade 1 reaction at dose 1."""
    booking = book_first_dose(ctx, patient.id)
    visit = infuse(ctx, clock, booking.appointment_id)
    clock.advance(minutes=40)  # type: ignore[attr-defined]
    assert visit.ended_at is not None
    log_reaction(
        ctx,
        patient_id=patient.id,
        visit_id=visit.id,
        onset=visit.ended_at + timedelta(minutes=30),
        signs=["flushing"],
        term="infusion_related_reaction",
        grade=1,
    )
    clock.advance(days=14)  # type: ignore[attr-defined]
    second = booking.appointment_ids[1]
    book(ctx, second, day=ctx.local_now().date().isoformat(), time="15:00")
    preview = preview_dose(ctx, appointment_id=second, weight="72.5")
    opened = open_visit(ctx, appointment_id=second, weight="72.5", acknowledged=preview.ack_needed)
    return answer_pre_checks(ctx, opened.id) if checked else opened


def _as_typed(visit: VisitDetail, **changes: str) -> list[PremedicationForm]:
    """The suggested set as the one-step form shows it; ``changes`` edit doses by kind."""
    return [
        PremedicationForm(
            kind=i.kind,
            drug=i.drug,
            dose=changes.get(i.kind or "", str(i.dose)),
            unit=i.unit,
            route=i.route,
        )
        for i in visit.premedication_suggested
    ]


def test_no_premedication_is_suggested_without_an_earlier_reaction(
    ctx: ServiceContext, patient: PatientSummary
) -> None:
    visit = open_ready_visit(ctx, book_first_dose(ctx, patient.id).appointment_id)
    assert visit.premedication_suggested == () and visit.premedication_missing == ()
    assert start_infusion(ctx, visit_id=visit.id).status == "infusing"


def test_after_a_reaction_the_clinic_set_is_suggested_with_its_doses(
    ctx: ServiceContext, patient: PatientSummary, clock: object
) -> None:
    visit = _after_reaction(ctx, patient, clock)
    assert [i.text for i in visit.premedication_suggested] == [
        "cetirizine 10 mg oral",
        "paracetamol (acetaminophen) 1000 mg oral",
        "hydrocortisone 100 mg IV",
    ]
    assert visit.premedication_missing == visit.premedication_suggested
    assert "clinic setting" in visit.premedication_note


def test_the_suggested_set_is_recorded_in_one_step_with_an_edited_dose(
    ctx: ServiceContext, patient: PatientSummary, clock: object
) -> None:
    visit = _after_reaction(ctx, patient, clock)
    entries = record_premedications(
        ctx, visit_id=visit.id, forms=_as_typed(visit, corticosteroid="200.0")
    )
    assert [e.text for e in entries] == [
        "cetirizine 10 mg oral",
        "paracetamol (acetaminophen) 1000 mg oral",
        "hydrocortisone 200 mg IV",
    ]
    assert all(e.nurse for e in entries)
    assert all(e.given_at == ctx.now() and e.given_at.tzinfo is not None for e in entries)
    detail = get_visit(ctx, visit_id=visit.id)
    assert detail.premedication_missing == ()
    assert start_infusion(ctx, visit_id=visit.id).status == "infusing"


def _premedication_tick(visit: VisitDetail) -> tuple[str, str]:
    status = next(s for s in visit.checklist.items if s.item.key == "pre.premedication")
    return status.state.value, status.item.text


def test_recording_the_whole_set_ticks_the_checklist_premedication_item_once(
    ctx: ServiceContext, patient: PatientSummary, clock: object
) -> None:
    """The paper checklist's tick "Premedication given as prescribed" is answered by the record,
    not a second time by hand; part of the set leaves it open."""
    visit = _after_reaction(ctx, patient, clock, checked=False)
    assert _premedication_tick(visit)[0] != "done"
    forms = _as_typed(visit)
    record_premedications(ctx, visit_id=visit.id, forms=forms[:1])
    assert _premedication_tick(get_visit(ctx, visit_id=visit.id))[0] != "done"
    record_premedications(ctx, visit_id=visit.id, forms=forms[1:])
    detail = get_visit(ctx, visit_id=visit.id)
    assert _premedication_tick(detail)[0] == "done"
    ticks = [c for c in detail.entries if c.item_key == "pre.premedication"]
    assert len(ticks) == 1 and ticks[0].nurse


def test_a_time_typed_in_local_time_is_stored_in_utc_and_a_lot_kept(
    ctx: ServiceContext, patient: PatientSummary, clock: object
) -> None:
    visit = _after_reaction(ctx, patient, clock)
    local = ctx.local_now() - timedelta(minutes=20)
    entry = record_premedication(
        ctx,
        visit_id=visit.id,
        form=PremedicationForm(
            kind="antihistamine",
            drug="loratadine",
            dose="10",
            unit="mg",
            route="oral",
            given_at=f"{local:%H:%M}",
            lot="LX-204",
        ),
    )
    assert entry.given_at == local.replace(second=0, microsecond=0).astimezone(UTC)
    assert (entry.lot_number, entry.kind) == ("LX-204", "antihistamine")
    missing = get_visit(ctx, visit_id=visit.id).premedication_missing
    assert [i.kind for i in missing] == ["antipyretic", "corticosteroid"]


def test_a_wrong_item_refuses_the_whole_set_naming_it(
    ctx: ServiceContext, patient: PatientSummary, clock: object, table_counts: Counts
) -> None:
    visit = _after_reaction(ctx, patient, clock)
    before = table_counts()
    with pytest.raises(InvalidInput, match=r"Premedication 2 \(paracetamol.*more than 0") as no:
        record_premedications(ctx, visit_id=visit.id, forms=_as_typed(visit, antipyretic="0"))
    assert no.value.field == "dose"
    future = PremedicationForm(
        drug="cetirizine",
        dose="10",
        unit="mg",
        route="oral",
        given_at=ctx.now() + timedelta(hours=1),
    )
    with pytest.raises(InvalidInput, match=r"Premedication 1 .*future") as late:
        record_premedications(ctx, visit_id=visit.id, forms=[future])
    assert late.value.field == "given_at"
    assert table_counts() == before


def test_the_start_asks_for_the_reason_when_the_suggested_set_was_not_given(
    ctx: ServiceContext, patient: PatientSummary, clock: object, table_counts: Counts
) -> None:
    visit = _after_reaction(ctx, patient, clock)
    record_premedication(ctx, visit_id=visit.id, form=_as_typed(visit)[0])
    before = table_counts()
    with pytest.raises(PremedicationMissing, match=r"paracetamol.*hydrocortisone") as missing:
        start_infusion(ctx, visit_id=visit.id)
    assert missing.value.codes == ("antipyretic", "corticosteroid")
    assert table_counts() == before
    started = start_infusion(
        ctx, visit_id=visit.id, premedication_reason="Dr Nowak: antihistamine only today"
    )
    assert started.status == "infusing"
    (kept,) = [e for e in started.entries if e.item_key == PREMEDICATION_REASON_KEY]
    assert kept.answer.startswith("Dr Nowak: antihistamine only today (not given: paracetamol")
    assert kept.text == "Suggested premedication not given: reason"


def test_a_premedication_is_voided_with_a_reason_and_then_counts_as_not_given(
    ctx: ServiceContext, patient: PatientSummary, clock: object
) -> None:
    visit = _after_reaction(ctx, patient, clock)
    entries = record_premedications(ctx, visit_id=visit.id, forms=_as_typed(visit))
    steroid = entries[2]
    with pytest.raises(InvalidInput, match="reason"):
        void_premedication(ctx, premedication_id=steroid.id, reason="  ")
    voided = void_premedication(
        ctx,
        premedication_id=steroid.id,
        reason="Entered on the wrong patient",
        expected_version=steroid.version,
    )
    assert voided.voided is not None and voided.voided.reason == "Entered on the wrong patient"
    detail = get_visit(ctx, visit_id=visit.id)
    assert [i.kind for i in detail.premedication_missing] == ["corticosteroid"]
    assert [e.voided is not None for e in detail.premedications] == [False, False, True]
    with pytest.raises(PremedicationMissing):
        start_infusion(ctx, visit_id=visit.id)
    audit = [
        line
        for line in patient_audit(ctx, patient_id=patient.id)
        if line.record == "premedication" and line.record_id == steroid.id
    ]
    assert {line.field for line in audit} >= {"drug", "dose", "void_reason"}
    assert any(line.new == "Entered on the wrong patient" for line in audit)


def test_doses_are_kept_exactly_and_shown_without_trailing_zeros(
    ctx: ServiceContext, patient: PatientSummary, clock: object
) -> None:
    visit = _after_reaction(ctx, patient, clock)
    entry = record_premedication(
        ctx,
        visit_id=visit.id,
        form=PremedicationForm(
            kind="antipyretic", drug="paracetamol", dose="0.5", unit="g", route="oral"
        ),
    )
    assert entry.dose == Decimal("0.5") and entry.text == "paracetamol 0.5 g oral"


def _pdf_text(data: bytes) -> str:
    import io

    from pypdf import PdfReader

    pages = PdfReader(io.BytesIO(data)).pages
    return " ".join(" ".join(page.extract_text() for page in pages).split())


def test_the_infusion_record_lists_the_premedication_given_in_local_time(
    ctx: ServiceContext, patient: PatientSummary, clock: object
) -> None:
    from clinic_app.services import sheets

    visit = _after_reaction(ctx, patient, clock)
    forms = _as_typed(visit, corticosteroid="200.0")
    forms[0] = PremedicationForm(
        kind="antihistamine", drug="cetirizine", dose="10", unit="mg", route="oral", lot="CT-77"
    )
    entries = record_premedications(ctx, visit_id=visit.id, forms=forms)
    void_premedication(ctx, premedication_id=entries[1].id, reason="Wrong drug")
    start_infusion(ctx, visit_id=visit.id, premedication_reason="Patient took it at home")
    data = sheets.infusion_record(ctx, visit_id=visit.id)
    page = _pdf_text(data)
    local = f"{ctx.local_now():%H:%M}"
    assert "Premedication given" in page
    assert f"{local} cetirizine 10 mg oral CT-77" in page
    assert f"{local} hydrocortisone 200 mg IV" in page
    assert "200.0" not in page and "10.000" not in page
    assert "Wrong drug" not in page
    assert (
        "Suggested, not given Patient took it at home (not given: paracetamol "
        "(acetaminophen) 1000 mg oral)"
    ) in page


def test_no_premedication_is_recorded_on_a_closed_visit(
    ctx: ServiceContext, patient: PatientSummary, clock: object, table_counts: Counts
) -> None:
    from clinic_app.services.errors import ActionNotAllowed
    from clinic_app.services.visits import hold_dose

    visit = _after_reaction(ctx, patient, clock)
    hold_dose(
        ctx,
        visit_id=visit.id,
        reason="Temp 38.4; Dr Nowak: postpone",
        expected_version=get_visit(ctx, visit_id=visit.id).version,
    )
    before = table_counts()
    with pytest.raises(ActionNotAllowed, match="record premedication"):
        record_premedications(ctx, visit_id=visit.id, forms=_as_typed(visit))
    assert table_counts() == before


def test_only_a_charge_nurse_voids_a_premedication_another_nurse_recorded(
    ctx: ServiceContext, second_ctx: ServiceContext, patient: PatientSummary, clock: object
) -> None:
    from clinic_app.services.errors import NotPermitted

    visit = _after_reaction(ctx, patient, clock)
    (entry,) = record_premedications(ctx, visit_id=visit.id, forms=_as_typed(visit)[:1])
    with pytest.raises(NotPermitted, match="void a record another nurse entered"):
        void_premedication(second_ctx, premedication_id=entry.id, reason="Not mine")
    assert get_visit(ctx, visit_id=visit.id).premedications[0].voided is None
