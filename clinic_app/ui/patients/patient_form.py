"""Register or edit a patient: one form, messages beside their fields, nothing typed is lost.

The services validate (``domain.patient_validation``); this dialog only shows their answer: each
:class:`~clinic_app.domain.errors.InvalidInput` goes under the field it names (every bad field at
once, the first focused), any other refusal is a dialog, and the typed text stays in place
either way. A conflict with another workstation (:class:`ConcurrentEditError`: who saved and
when, in local time) offers "Reload keeping my changes" (the record is loaded again with their
change and every field the nurse changed is put back over it, to check and save again) and
"Discard my changes". When the service
finds a patient on file with the same names and date of birth (``DUPLICATE_PATIENT``) its message
shows above the buttons with a "Register anyway" tick; changing a name or the date clears it.
"""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import Signal
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from clinic_app.services import patients
from clinic_app.services.errors import ConcurrentEditError, OverrideRequired
from clinic_app.services.patients.dto import PatientDetails, PatientForm, PatientSummary
from clinic_app.ui.a11y import ValueLabel
from clinic_app.ui.app_state import AppState
from clinic_app.ui.errors import EXPECTED_ERRORS, ConflictChoice, ask_conflict, show_on_form
from clinic_app.ui.forms import ERROR_STYLE, FormRows
from clinic_app.ui.patients.display import SEX_LABELS
from clinic_app.ui.screen_fit import scrolling
from clinic_app.ui.unsaved import DISCARD_CONFIRMED, may_discard

DATE_HINT = "Type as YYYY-MM-DD, DD.MM.YYYY or DD/MM/YYYY (day before month)."
SEX_CHOICES = (("", "— choose —"), *SEX_LABELS.items())


def _text_box(height: int) -> QPlainTextEdit:
    box = QPlainTextEdit()
    box.setTabChangesFocus(True)
    box.setFixedHeight(height)
    return box


class PatientFormDialog(QDialog):
    """The register/edit form. ``patient_saved`` carries the saved :class:`PatientSummary`."""

    patient_saved = Signal(object)

    def __init__(self, state: AppState, *, details: PatientDetails | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._state = state
        self._details = details
        title = "Edit patient" if details else "Register new patient"
        self.setWindowTitle(title)
        self.setAccessibleName(title)
        self.setMinimumWidth(520)
        self.rows = FormRows(QFormLayout())
        self._build_fields()
        buttons = QDialogButtonBox()
        self.save_button = buttons.addButton("&Save", QDialogButtonBox.ButtonRole.AcceptRole)
        self.save_button.setAccessibleName("Save")
        self.save_button.setDefault(True)
        self.save_button.setShortcut(QKeySequence("Ctrl+S"))
        cancel = buttons.addButton("Cancel", QDialogButtonBox.ButtonRole.RejectRole)
        cancel.setAccessibleName("Cancel")
        self.save_button.clicked.connect(self.save)
        cancel.clicked.connect(self.reject)
        self._build_duplicate_question()
        body = QWidget()
        column = QVBoxLayout(body)  # scrolls on a small screen; the buttons stay below it
        column.setContentsMargins(0, 0, 0, 0)
        column.addLayout(self.rows.layout)
        column.addWidget(self.duplicate_message)
        column.addWidget(self.register_anyway)
        layout = QVBoxLayout(self)
        layout.addWidget(scrolling(body), stretch=1)
        layout.addWidget(buttons)
        if details is not None:
            self._fill(details.to_form())
        self._opened_with = self.form()
        self._saved = False

    def _build_fields(self) -> None:
        add = self.rows.add
        for field, label in (("mrn", "&MRN"), ("family_name", "&Family name"),
                             ("given_names", "&Given names")):
            add(field, label, QLineEdit())
        born = add("date_of_birth", "Date of &birth", QLineEdit())
        born.setAccessibleDescription(DATE_HINT)
        born.setToolTip(DATE_HINT)
        hint = QLabel(DATE_HINT)
        hint.setStyleSheet("color: #555;")
        self.rows.layout.addRow("", hint)
        sex = QComboBox()
        for value, label in SEX_CHOICES:
            sex.addItem(label, value)
        add("sex", "Se&x", sex)
        add("phone", "&Phone", QLineEdit())
        add("email", "&E-mail", QLineEdit())
        add("address", "&Address", _text_box(56))
        add("notes", "&Notes", _text_box(72))

    def _build_duplicate_question(self) -> None:
        self.duplicate_message = ValueLabel("Possible duplicate", alert=True)
        self.duplicate_message.setWordWrap(True)
        self.duplicate_message.setStyleSheet(ERROR_STYLE)
        self.register_anyway = QCheckBox("Register an&yway")
        self.register_anyway.setAccessibleName("Register anyway")
        self.register_anyway.setToolTip("Tick after checking that the patient on file is a "
                                        "different person")
        self._show_duplicate("")
        for field in ("family_name", "given_names", "date_of_birth"):
            self._line(field).textEdited.connect(lambda _text: self._show_duplicate(""))

    def _show_duplicate(self, message: str) -> None:
        """Show the service's duplicate warning with an unticked box, or hide both."""
        self.duplicate_message.setText(message)
        self.duplicate_message.setVisible(bool(message))
        self.register_anyway.setChecked(False)
        self.register_anyway.setVisible(bool(message))

    def _line(self, field: str) -> QLineEdit:
        widget = self.rows.input(field)
        assert isinstance(widget, QLineEdit)
        return widget

    def _box(self, field: str) -> QPlainTextEdit:
        widget = self.rows.input(field)
        assert isinstance(widget, QPlainTextEdit)
        return widget

    def _sex(self) -> QComboBox:
        widget = self.rows.input("sex")
        assert isinstance(widget, QComboBox)
        return widget

    def _fill(self, form: PatientForm) -> None:
        for field in ("mrn", "family_name", "given_names", "phone", "email"):
            self._line(field).setText(str(getattr(form, field)))
        born = form.date_of_birth
        self._line("date_of_birth").setText(born if isinstance(born, str) else born.isoformat())
        self._sex().setCurrentIndex(max(self._sex().findData(form.sex), 0))
        self._box("address").setPlainText(form.address)
        self._box("notes").setPlainText(form.notes)

    def form(self) -> PatientForm:
        """The form exactly as typed (the services trim and check it)."""
        return PatientForm(
            mrn=self._line("mrn").text(), family_name=self._line("family_name").text(),
            given_names=self._line("given_names").text(),
            date_of_birth=self._line("date_of_birth").text(),
            sex=str(self._sex().currentData() or ""), phone=self._line("phone").text(),
            email=self._line("email").text(), address=self._box("address").toPlainText(),
            notes=self._box("notes").toPlainText(),
        )

    def save(self) -> None:
        """Register or save the edit; on refusal keep everything typed and say why."""
        self.rows.clear_errors()
        try:
            saved = self._submit(self.form())
        except OverrideRequired as exc:
            if patients.DUPLICATE_PATIENT not in exc.codes:
                raise
            self._show_duplicate(str(exc))
            self.register_anyway.setFocus()
            return
        except ConcurrentEditError as exc:
            if self._details is None:
                raise
            self._resolve_conflict(ask_conflict(self, exc))
            return
        except EXPECTED_ERRORS as exc:
            show_on_form(self.rows, exc, self)
            return
        self._saved = True
        self._state.announce("patient", saved.id, patient_id=saved.id)
        self.patient_saved.emit(saved)
        self.accept()

    def _resolve_conflict(self, choice: ConflictChoice) -> None:
        """Reload keeping the fields the nurse changed, or close discarding them."""
        if choice is ConflictChoice.DISCARD:
            self.setProperty(DISCARD_CONFIRMED, True)
            self.reject()
        elif choice is ConflictChoice.RELOAD_KEEPING and self._details is not None:
            typed, opened = self.form(), self._opened_with
            fresh = patients.get_patient(self._state.ctx, patient_id=self._details.summary.id)
            self._details = fresh
            self._fill(fresh.to_form())
            self._opened_with = self.form()  # as shown, to tell what is typed from now on
            mine = {f: getattr(typed, f) for f in typed.__dataclass_fields__
                    if getattr(typed, f) != getattr(opened, f)}
            self._fill(replace(self._opened_with, **mine))

    def has_unsaved_input(self) -> bool:
        """True when a field changed since the form opened and was not saved."""
        return not self._saved and self.form() != self._opened_with

    def reject(self) -> None:
        """Qt override (Esc, Cancel, the title bar): ask before discarding typed input."""
        what = "changes to the patient" if self._details else "new patient"
        if may_discard(self, what):
            super().reject()

    def _submit(self, form: PatientForm) -> PatientSummary:
        ctx = self._state.ctx
        if self._details is None:
            return patients.register_patient(
                ctx, form=form, acknowledge_duplicate=self.register_anyway.isChecked())
        summary = self._details.summary
        return patients.edit_patient(ctx, patient_id=summary.id,
                                     expected_version=summary.version, form=form)
