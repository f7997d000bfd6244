"""Issue 12: the reaction report printed from the record has its timeline: the pump events the
reaction caused, in time order, and a transfer to emergency care named as such."""

from __future__ import annotations

import io
import re

from pypdf import PdfReader
from visit_fixtures import book_first_dose, open_ready_visit

from clinic_app.domain.reaction_timeline import TRANSFERRED_OUTCOME
from clinic_app.services import sheets
from clinic_app.services.context import ServiceContext
from clinic_app.services.patients.dto import PatientSummary
from clinic_app.services.reactions import log_reaction
from clinic_app.services.visits import start_infusion


def flat(data: bytes) -> str:
    return " ".join(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(data)).pages).split())


def test_a_reaction_that_stopped_the_pump_prints_start_onset_stop_and_transfer_in_order(
    ctx: ServiceContext, patient: PatientSummary, clock: object
) -> None:
    booking = book_first_dose(ctx, patient.id)
    visit = start_infusion(ctx, visit_id=open_ready_visit(ctx, booking.appointment_id).id)
    clock.advance(minutes=12)  # type: ignore[attr-defined]
    reaction = log_reaction(
        ctx,
        patient_id=patient.id,
        visit_id=visit.id,
        onset=ctx.now(),
        signs=["flushing", "dyspnoea"],
        term="infusion_related_reaction",
        grade=2,
        infusion_action="stopped",
        outcome=TRANSFERRED_OUTCOME,
    )
    text = flat(sheets.reaction_report(ctx, reaction_id=reaction.summary.id))
    line = text[text.index("Timeline Time What When") :]
    stop = re.search(
        r"Infusion stopped early: Stopped for good for a reaction \(reaction \d+: "
        r"infusion related reaction grade 2\)\. 12 min after the start",
        line,
    )
    assert stop is not None
    places = [
        line.index("Infusion started"),
        line.index("Reaction began 12 min after the start"),
        stop.start(),
        line.index("not recorded Transferred to emergency care"),
    ]
    assert places == sorted(places)
    assert "Infusion ended" not in line
    assert "Acute, after the infusion: at the end (within" in text  # the services' class
    assert "; 12 min after the start" in text and " 0 min after" not in text
