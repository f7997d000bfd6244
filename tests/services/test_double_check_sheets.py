"""The second nurse's check on paper (issue 13): the infusion record and the bedside checklist
print both names and the time; a check made for an earlier plan is not printed as signed."""

from __future__ import annotations

import io
from pathlib import Path
from typing import TYPE_CHECKING

from pypdf import PdfReader
from visit_fixtures import book_first_dose, open_ready_visit

from clinic_app.services import sheets
from clinic_app.services.context import ServiceContext
from clinic_app.services.patients.dto import PatientSummary
from clinic_app.services.visits import preview_dose, sign_double_check, snapshot_json
from clinic_app.services.visits.dto import VisitDetail

if TYPE_CHECKING:  # the services' conftest (not importable beside the UI's)
    from conftest import NurseLogin

def _text(data: bytes) -> str:
    pages = PdfReader(io.BytesIO(data)).pages
    return " ".join(" ".join(page.extract_text() for page in pages).split())


def _checked(ctx: ServiceContext, patient: PatientSummary, nurse: NurseLogin,
             *what: str) -> VisitDetail:  # fmt: skip
    visit = open_ready_visit(ctx, book_first_dose(ctx, patient.id).appointment_id)
    for thing in what:
        sign_double_check(ctx, visit_id=visit.id, what=thing, username=nurse.username,
                          secret=nurse.password, attested=True)  # fmt: skip
    return visit


def test_the_infusion_record_names_both_nurses_and_the_time_of_each_check(
    ctx: ServiceContext, patient: PatientSummary, second_nurse: NurseLogin, tmp_path: Path
) -> None:
    visit = _checked(ctx, patient, second_nurse, "dose_plan", "bag")
    data = sheets.infusion_record(ctx, visit_id=visit.id)
    (tmp_path / "record.pdf").write_bytes(data)
    page = _text(data)
    at = f"{ctx.local_now():%H:%M}"
    assert "Independent double check" in page
    assert f"dose plan Anna Keller Beat Meier {at}" in page
    assert f"bag Anna Keller Beat Meier {at}" in page


def test_the_infusion_record_says_when_the_check_was_not_done(
    ctx: ServiceContext, patient: PatientSummary
) -> None:
    visit = open_ready_visit(ctx, book_first_dose(ctx, patient.id).appointment_id)
    page = _text(sheets.infusion_record(ctx, visit_id=visit.id))
    assert "Second nurse check not done (optional)" in page


def test_the_bedside_checklist_prints_both_names_in_the_signature_rows(
    ctx: ServiceContext, patient: PatientSummary, second_nurse: NurseLogin, tmp_path: Path
) -> None:
    visit = _checked(ctx, patient, second_nurse, "dose_plan")
    data = sheets.bedside_checklist(ctx, visit_id=visit.id)
    (tmp_path / "bedside.pdf").write_bytes(data)
    page = _text(data)
    at = f"{ctx.local_now():%H:%M}"
    assert (
        f"Dose calculated and checked by a second nurse Anna Keller; second nurse Beat "
        f"Meier (signed in the app) {at}"
    ) in page
    # the bag is not signed yet: its row stays blank to sign by hand
    assert "Bag checked against the plan by a second nurse Infusion started" in page


def test_a_check_for_an_earlier_plan_is_not_printed_as_signed(
    ctx: ServiceContext, patient: PatientSummary, second_nurse: NurseLogin
) -> None:

    visit = _checked(ctx, patient, second_nurse, "dose_plan")
    assert visit.appointment_id is not None
    heavier = preview_dose(ctx, appointment_id=visit.appointment_id, weight="80")
    with ctx.unit_of_work() as uow:
        uow.visits.get(visit.id).dose_plan = snapshot_json(heavier.plan)
        uow.commit()
    bedside = _text(sheets.bedside_checklist(ctx, visit_id=visit.id))
    assert "Beat Meier" not in bedside
    record = _text(sheets.infusion_record(ctx, visit_id=visit.id))
    assert "dose plan (plan changed after this check) Anna Keller Beat Meier" in record
