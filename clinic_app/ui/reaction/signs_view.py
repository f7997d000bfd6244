"""The signs of a reaction as tick boxes, grouped acute / delayed as the catalogue groups them.

The catalogue (:func:`clinic_app.services.reactions.reaction_signs`) is read-only data:
listing it is not a rule. Each box's tooltip is the sign's description.
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QCheckBox, QGridLayout, QGroupBox, QHBoxLayout, QWidget

from clinic_app.services.reactions import SignChoice, reaction_signs

COLUMNS = 3
_TITLES = {"acute": "Acute signs", "delayed": "Delayed signs"}


class SignsPanel(QWidget):
    """One group box per kind of sign; :meth:`chosen` gives the ticked codes."""

    signs_changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName("Signs")
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        self._boxes: dict[str, QCheckBox] = {}
        self._groups: dict[str, QGroupBox] = {}
        catalogue = reaction_signs()
        for kind, title in _TITLES.items():
            signs = [s for s in catalogue if s.kind == kind]
            group = self._group(title, signs)
            self._groups[kind] = group
            row.addWidget(group, stretch=len(signs))

    def _group(self, title: str, signs: list[SignChoice]) -> QGroupBox:
        group = QGroupBox(title)
        group.setAccessibleName(title)
        grid = QGridLayout(group)
        columns = COLUMNS if len(signs) > COLUMNS * 2 else 2
        for index, item in enumerate(signs):
            box = QCheckBox(item.label)
            box.setAccessibleName(item.label)
            box.setToolTip(item.description)
            box.setObjectName(f"sign_{item.code}")
            box.toggled.connect(self.signs_changed)
            self._boxes[item.code] = box
            grid.addWidget(box, index // columns, index % columns)
        return group

    def chosen(self) -> tuple[str, ...]:
        """The codes of the ticked signs, in catalogue order."""
        return tuple(code for code, box in self._boxes.items() if box.isChecked())

    def box(self, code: str) -> QCheckBox:
        """The tick box of the sign ``code``."""
        return self._boxes[code]

    def group(self, kind: str) -> QGroupBox:
        """The group of "acute" or "delayed" signs."""
        return self._groups[kind]
