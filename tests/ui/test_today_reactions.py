"""Today shows a reaction happening now: the reaction's badge in red in the Alerts, the status
"Infusing — paused after reaction", the pause due for a decision and late after the clinic's
limit (review of the Today screen, P1-2)."""

from __future__ import annotations

from datetime import time

import pytest
from PySide6.QtCore import Qt
from test_today import day_row, row_of, text
from ui_testing import shot

from clinic_app.services import reactions
from clinic_app.services.patients.dto import AlertBadge
from clinic_app.ui.today.today_model import (
    ALERTS_COLUMN,
    NEXT_DUE_COLUMN,
    OVERDUE_COLOUR,
    STATUS_COLUMN,
    TodayModel,
)
from clinic_app.ui.today.today_screen import TodayScreen

pytestmark = pytest.mark.gui

REACTION = AlertBadge("reaction_today", "Reaction 09:30 (grade 2)")


def test_a_reaction_today_is_red_in_the_alerts_and_the_status_says_paused_after_it():
    model = TodayModel()
    model.set_rows([day_row(status="infusing", paused=True, paused_after_reaction=True,
                            alerts=(REACTION, AlertBadge("allergy", "Penicillin")),
                            next_due="Paused since 09:30: resume or end",
                            next_due_local=time(9, 30))])
    assert text(model, 0, STATUS_COLUMN) == "Infusing — paused after reaction"
    assert text(model, 0, ALERTS_COLUMN) == "Reaction 09:30 (grade 2), Penicillin"
    assert text(model, 0, ALERTS_COLUMN, Qt.ItemDataRole.ForegroundRole) == OVERDUE_COLOUR
    assert text(model, 0, NEXT_DUE_COLUMN) == "Paused since 09:30: resume or end"


def test_earlier_reactions_and_allergies_are_not_red(qtmodeltester):
    model = TodayModel()
    model.set_rows([day_row(alerts=(AlertBadge("reaction", "Earlier reaction to Infliximab"),
                                    AlertBadge("allergy", "Penicillin")))])
    assert text(model, 0, ALERTS_COLUMN, Qt.ItemDataRole.ForegroundRole) is None
    qtmodeltester.check(model)


def test_a_reaction_logged_at_a_chair_shows_on_today_and_goes_late(qtbot, demo_state,
                                                                   fake_clock):
    screen = TodayScreen(demo_state, None)  # type: ignore[arg-type]  (nothing is opened)
    qtbot.addWidget(screen)
    screen.resize(1366, 700)
    screen.show()
    row = screen.model.row_at(row_of(screen, "ИВАНОВА, Анна"))
    assert row.visit_id is not None
    reactions.log_reaction(demo_state.ctx, patient_id=row.patient.id, visit_id=row.visit_id,
                           onset=demo_state.ctx.now(), signs=["urticaria"],
                           term="infusion_related_reaction", grade=2,
                           infusion_action="paused")
    demo_state.announce("visit", row.visit_id, patient_id=row.patient.id)
    anna = row_of(screen, "ИВАНОВА, Анна")
    assert text(screen.model, anna, STATUS_COLUMN) == "Infusing — paused after reaction"
    assert str(text(screen.model, anna, ALERTS_COLUMN)).startswith("Reaction 09:30 (grade 2)")
    assert text(screen.model, anna, NEXT_DUE_COLUMN) == "Paused since 09:30: resume or end"
    shot(screen, "today_reaction_paused")
    fake_clock.advance(minutes=16)
    screen.timer.timeout.emit()
    anna = row_of(screen, "ИВАНОВА, Анна")
    late = str(text(screen.model, anna, NEXT_DUE_COLUMN))
    assert late.startswith("Overdue") and "09:30 Paused: resume or end" in late
    assert text(screen.model, anna, NEXT_DUE_COLUMN,
                Qt.ItemDataRole.ForegroundRole) == OVERDUE_COLOUR
    shot(screen, "today_reaction_paused_late")
