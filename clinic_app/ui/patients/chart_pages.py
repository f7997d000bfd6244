"""The chart's tab pages, laid out (no slots here: :mod:`chart_view` wires them).

Overview (contact details, allergies, diagnoses, contraindications), Weights, Screening, Labs,
Courses & schedule (with planned surgery and live vaccines under the courses), Infusions,
Reactions and Audit history. Every list is a :class:`RecordTable`; every button has an
accessible name equal to its visible text. The sheet of the highlighted row of Courses,
Infusions and Reactions prints with Ctrl+P on that tab (only the shown tab's button answers it).
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QGridLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from clinic_app.ui.a11y import ValueLabel
from clinic_app.ui.patients import chart_rows as cols
from clinic_app.ui.patients.record_table import RecordTable

VOIDABLE = frozenset({"allergy", "diagnosis", "contraindication", "weight", "screening",
                      "reaction"})
ADDABLE = VOIDABLE - {"reaction"}
PRINT_KEYS = "Ctrl+P"


@dataclass
class ListSection:
    """A record list with its add and void buttons (``kind`` as the services name it)."""

    kind: str
    table: RecordTable
    add: QPushButton | None
    void: QPushButton | None


def list_section(kind: str, title: str, columns: tuple[str, ...], *actions: str,
                 stretch: tuple[str, ...] = ()) -> tuple[ListSection, list[QPushButton]]:
    """A titled table with its ``actions`` buttons (the first is the add action, when the
    kind is added from the chart) and, for a voidable kind, "Void <kind>…" last; the
    ``stretch`` columns share the width left."""
    table = RecordTable(title, columns, stretch=[columns.index(name) for name in stretch])
    buttons = [table.add_button(text) for text in actions]
    void = table.add_button(f"Void {kind}…") if kind in VOIDABLE else None
    add = buttons[0] if buttons and kind in ADDABLE else None
    return ListSection(kind, table, add, void), buttons


@dataclass
class ChartPages:
    """Every page and the widgets the chart view wires."""

    overview: QWidget
    contact: QLabel
    allergies: ListSection
    #: The allergy state as on the visit and the sheets (listed / none known / not recorded).
    allergy_state: QLabel
    no_known_allergies: QPushButton
    #: Voids the standing "No known allergies" statement (asks the reason; enabled while it stands).
    void_no_known_allergies: QPushButton
    diagnoses: ListSection
    contraindications: ListSection
    weights: ListSection
    screening: ListSection
    labs: ListSection
    courses: ListSection
    #: Planned surgery and live vaccines, under the courses (their windows shape the schedule).
    surgeries: ListSection
    vaccines: ListSection
    start_course: QPushButton
    open_course: QPushButton
    print_handout: QPushButton
    visits: ListSection
    today: QLabel
    open_visit: QPushButton
    open_today: QPushButton
    print_record: QPushButton
    reactions: ListSection
    log_delayed: QPushButton
    print_report: QPushButton
    audit: ListSection

    def sections(self) -> tuple[ListSection, ...]:
        """The lists whose records can be added and voided from the chart."""
        return (self.allergies, self.diagnoses, self.contraindications, self.weights,
                self.screening, self.labs, self.surgeries, self.vaccines, self.reactions)


def page(*widgets: QWidget) -> QWidget:
    """A tab page holding ``widgets`` one under the other."""
    holder = QWidget()
    layout = QVBoxLayout(holder)
    for widget in widgets:
        layout.addWidget(widget)
    return holder


def _overview(contact: QLabel, allergy_state: QLabel, allergies: ListSection,
              diagnoses: ListSection, contraindications: ListSection) -> QWidget:
    holder = QWidget()
    grid = QGridLayout(holder)
    grid.addWidget(contact, 0, 0, 1, 2)
    column = QVBoxLayout()
    column.addWidget(allergy_state)
    column.addWidget(allergies.table, 1)
    grid.addLayout(column, 1, 0)
    grid.addWidget(diagnoses.table, 1, 1)
    grid.addWidget(contraindications.table, 2, 0, 1, 2)
    grid.setRowStretch(1, 1)
    grid.setRowStretch(2, 1)
    return holder


def _print_button(button: QPushButton, what: str) -> None:
    """Ctrl+P clicks ``button`` while its tab is shown (its Alt+letter stays); the tooltip
    says what it prints."""
    QShortcut(QKeySequence(PRINT_KEYS), button, button.click)
    button.setToolTip(f"Preview, save or print {what} ({PRINT_KEYS})")


def _today_label() -> QLabel:
    label = ValueLabel("Today's appointment")
    label.setWordWrap(True)
    return label


def _labs_section() -> ListSection:
    """Laboratory results with "Record lab result…" and "Void lab result…" (kind
    "lab_result", as the services void it)."""
    columns = cols.LAB_COLUMNS
    table = RecordTable("Lab results", columns, stretch=[columns.index("Source")])
    add = table.add_button("Record &lab result…")
    void = table.add_button("Void lab result…")
    return ListSection("lab_result", table, add, void)


def _surgery_sections() -> tuple[ListSection, ListSection]:
    """Planned surgery ("planned_surgery") and live vaccines ("vaccination"), each with its
    record and void buttons, as the services name them."""
    found = []
    for kind, title, columns, stretch, add_text, void_text in (
        ("planned_surgery", "Planned surgery", cols.SURGERY_COLUMNS, "Procedure",
         "Record planned s&urgery…", "Void planned surgery…"),
        ("vaccination", "Live vaccines (given or due)", cols.VACCINE_COLUMNS, "Live vaccine",
         "Record live vacc&ine…", "Void live vaccine…"),
    ):  # fmt: skip
        table = RecordTable(title, columns, stretch=[columns.index(stretch)])
        found.append(ListSection(kind, table, table.add_button(add_text),
                                 table.add_button(void_text)))  # fmt: skip
    return found[0], found[1]


def build_pages() -> ChartPages:
    """Create every page with its tables and buttons."""
    contact = ValueLabel("Contact details")
    contact.setWordWrap(True)
    allergies, (_, no_known_allergies, void_no_known_allergies) = list_section(
        "allergy", "Allergies", cols.ALLERGY_COLUMNS, "Add &allergy…", "No known allergies",
        "Void No known allergies…")
    allergy_state = ValueLabel("Allergy state")
    allergy_state.setWordWrap(True)
    diagnoses, _ = list_section("diagnosis", "Diagnoses", cols.DIAGNOSIS_COLUMNS,
                                "Add dia&gnosis…")
    contraindications, _ = list_section("contraindication", "Contraindications",
                                        cols.CONTRAINDICATION_COLUMNS, "Add co&ntraindication…")
    weights, _ = list_section("weight", "Weights", cols.WEIGHT_COLUMNS, "&Record weight…")
    screening, _ = list_section("screening", "Screening results", cols.SCREENING_COLUMNS,
                                "&Record screening…")
    courses, (start_course, open_course, print_handout) = list_section(
        "course", "Courses", cols.COURSE_COLUMNS, "&Start course…", "&Open course",
        "Pri&nt schedule handout…")
    _print_button(print_handout, "the schedule handout of the highlighted course")
    visits, (open_today, open_visit, print_record) = list_section(
        "visit", "Infusion visits", cols.VISIT_COLUMNS, "Open &infusion visit…", "&Open visit",
        "Print infusion &record…")
    _print_button(print_record, "the infusion record of the highlighted visit")
    today = _today_label()
    reactions, (log_delayed, print_report) = list_section(
        "reaction", "Reactions", cols.REACTION_COLUMNS, "&Log delayed reaction…",
        "Print &reaction report…", stretch=cols.REACTION_TEXT_COLUMNS)
    _print_button(print_report, "the report of the highlighted reaction")
    reactions.table.table.setWordWrap(True)  # notes, actions and outcome wrap, never cut
    audit, _ = list_section("audit", "Audit history", cols.AUDIT_COLUMNS)
    surgeries, vaccines = _surgery_sections()
    return ChartPages(
        overview=_overview(contact, allergy_state, allergies, diagnoses, contraindications),
        contact=contact, allergies=allergies, allergy_state=allergy_state,
        no_known_allergies=no_known_allergies,
        void_no_known_allergies=void_no_known_allergies, diagnoses=diagnoses,
        contraindications=contraindications,
        weights=weights, screening=screening, labs=_labs_section(), courses=courses,
        surgeries=surgeries, vaccines=vaccines,
        start_course=start_course,
        open_course=open_course, print_handout=print_handout, visits=visits, today=today,
        open_visit=open_visit, open_today=open_today, print_record=print_record,
        reactions=reactions, log_delayed=log_delayed, print_report=print_report, audit=audit,
    )
