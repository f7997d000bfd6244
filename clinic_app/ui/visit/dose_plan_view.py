"""The dose plan as the nurse checks it: every step from the weight to the pump rate.

Read-only; fed with a :class:`~clinic_app.domain.dose_plan.DosePlan` from the services (the live
preview while the weight is typed, or the snapshot stored when the visit was opened). The dose is
shown large; each value label is read with its row caption ("Dose: 362.5 mg", "Vials: ...").
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFormLayout,
    QGroupBox,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from clinic_app.domain.dose_plan import DosePlan
from clinic_app.domain.units import plain
from clinic_app.ui.a11y import ValueLabel
from clinic_app.ui.visit import formatting as fmt

DOSE_STYLE = "font-size: 18pt; font-weight: 700;"
_ROWS = (
    ("dose", "Dose"),
    ("order", "Calculation"),
    ("per_kg", "mg/kg given"),
    ("vials", "Vials"),
    ("drug_volume", "Drug volume"),
    ("bag", "Bag"),
    ("withdraw", "Withdraw"),
    ("final", "Final volume"),
    ("rate", "Rate"),
)


class DosePlanPanel(QGroupBox):
    """Dose, mg/kg, vials and waste, volumes, bag, rate (or the graduated table)."""

    def __init__(self, parent: QWidget | None = None, *, title: str = "Dose plan") -> None:
        super().__init__(title, parent)
        self.setAccessibleName(title)
        column = QVBoxLayout(self)
        form = QFormLayout()
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.DontWrapRows)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self._values: dict[str, ValueLabel] = {}
        for key, caption in _ROWS:
            value = ValueLabel(caption, "—")
            value.setWordWrap(True)
            value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            self._values[key] = value
            form.addRow(QLabel(caption), value)
        self._values["dose"].setStyleSheet(DOSE_STYLE)
        column.addLayout(form)
        self._steps = _titration_table()
        column.addWidget(self._steps)
        self._empty = ValueLabel("Dose plan status", "Enter today's weight to see the dose.")
        column.addWidget(self._empty)
        self.show_plan(None)

    def show_plan(self, plan: DosePlan | None, *,
                  empty_note: str = "Enter today's weight to see the dose.") -> None:
        """Show ``plan`` (None clears the panel and shows ``empty_note``)."""
        texts = _texts(plan) if plan is not None else dict.fromkeys(self._values, "—")
        for key, label in self._values.items():
            label.setText(texts[key])
        self._empty.setText(empty_note)
        self._empty.setVisible(plan is None)
        self._fill_steps(plan)

    def value_text(self, key: str) -> str:
        """The text shown for a row ("dose", "vials", ...), for tests and screen readers."""
        return self._values[key].text()

    def text(self) -> str:
        """Everything the panel shows, one row a line."""
        lines = [f"{caption}: {self._values[key].text()}" for key, caption in _ROWS]
        for row in range(self._steps.rowCount()):
            cells = (self._steps.item(row, col) for col in range(self._steps.columnCount()))
            lines.append(" | ".join(c.text() for c in cells if c is not None))
        return "\n".join(lines)

    def _fill_steps(self, plan: DosePlan | None) -> None:
        steps = plan.titration if plan is not None else ()
        self._steps.setRowCount(len(steps))
        for row, step in enumerate(steps):
            cells = (f"{row + 1}", f"{fmt.number(step.rate_ml_per_h)} mL/h",
                     f"{step.start_min} min", f"{step.minutes} min", f"{plain(step.volume_ml)} mL")
            for col, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable)
                self._steps.setItem(row, col, item)
        self._steps.setVisible(bool(steps))
        if steps:
            height = self._steps.horizontalHeader().height() + 2
            height += sum(self._steps.rowHeight(r) for r in range(len(steps)))
            self._steps.setFixedHeight(height)


def _titration_table() -> QTableWidget:
    table = QTableWidget(0, 5)
    table.setHorizontalHeaderLabels(["Step", "Rate", "From minute", "For", "Volume"])
    table.setAccessibleName("Graduated infusion steps")
    table.verticalHeader().hide()
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
    table.hide()
    return table


def _texts(plan: DosePlan) -> dict[str, str]:
    return {
        "dose": fmt.dose_text(plan),
        "order": fmt.order_text(plan),
        "per_kg": f"{plain(plan.dose_mg_per_kg)} mg/kg",
        "vials": fmt.vials_text(plan),
        "drug_volume": fmt.drug_volume_text(plan),
        "bag": fmt.bag_text(plan),
        "withdraw": fmt.withdraw_text(plan),
        "final": fmt.final_text(plan),
        "rate": fmt.rate_text(plan),
    }
