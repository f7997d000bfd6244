"""Product lots: which lot and expiry went into the bag, entered as the vials are opened.

The products offered are the ones of the visit's dose plan; the service refuses an expired lot
or a product not in the plan, and the message appears beside the field it concerns.

A keyboard-wedge scanner "types" the carton's GS1 code into the lot field: the group separator
it sends (ASCII 29 or Ctrl+], which a line edit would drop) is kept as the visible sign "␝",
and on Enter the scan is handed over (``scan_entered``) so product, lot and expiry are filled.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHeaderView,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from clinic_app.domain.dates import date_text
from clinic_app.domain.gs1_codes import looks_like_scan
from clinic_app.services.visits.dto import LotEntry
from clinic_app.ui.forms import FormRows

LOT_COLUMNS = ("Product", "Lot", "Expiry", "Vials", "By")
_GROUP_SEPARATOR = "\x1d"
#: What a scanned group separator shows as in the lot field (read back as a separator).
GROUP_SEPARATOR_SIGN = "\u241d"


def _is_group_separator(event: QKeyEvent) -> bool:
    """A wedge scanner sends GS as Ctrl+] (text ASCII 29 on most keyboard layouts)."""
    if event.text() == _GROUP_SEPARATOR:
        return True
    return (event.key() == Qt.Key.Key_BracketRight
            and bool(event.modifiers() & Qt.KeyboardModifier.ControlModifier))


class LotsPanel(QGroupBox):
    """The recorded lots and a small form to add one; ``lot_entered(values)`` on Add,
    ``scan_entered(text)`` when the lot field holds a scanned GS1 code."""

    lot_entered = Signal(dict)
    scan_entered = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("Product lots", parent)
        self.setAccessibleName("Product lots")
        self.table = QTableWidget(0, len(LOT_COLUMNS))
        self.table.setHorizontalHeaderLabels(list(LOT_COLUMNS))
        self.table.setAccessibleName("Recorded lots")
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.table.setMaximumHeight(90)
        form = QFormLayout()
        self.form = FormRows(form)
        self.product = self.form.add("product_name", "Pro&duct", QComboBox())
        self.lot = self.form.add("lot", "&Lot number", QLineEdit())
        self.expiry = self.form.add("expiry", "E&xpiry", QLineEdit())
        self.vials = self.form.add("vials", "Vial&s", QLineEdit())
        assert isinstance(self.expiry, QLineEdit) and isinstance(self.vials, QLineEdit)
        self.expiry.setPlaceholderText("YYYY-MM-DD")
        assert isinstance(self.lot, QLineEdit)
        self.lot.setPlaceholderText("type it or scan the carton")
        self.lot.installEventFilter(self)
        self.vials.setPlaceholderText("as in the dose plan")
        self.add = QPushButton("&Add lot")
        self.add.setAccessibleName("Add lot")
        self.add.setAutoDefault(False)
        form.addRow("", self.add)
        column = QVBoxLayout(self)
        column.addWidget(self.table)
        column.addLayout(form)
        self.add.clicked.connect(self._entered)
        for field in (self.lot, self.expiry, self.vials):
            assert isinstance(field, QLineEdit)
            field.returnPressed.connect(self._entered)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Keep a scanner's group separator in the lot field as a visible sign."""
        if (watched is self.lot and isinstance(event, QKeyEvent)
                and event.type() == QEvent.Type.KeyPress and _is_group_separator(event)):
            assert isinstance(self.lot, QLineEdit)
            self.lot.insert(GROUP_SEPARATOR_SIGN)
            return True
        return super().eventFilter(watched, event)

    def _entered(self) -> None:
        assert isinstance(self.product, QComboBox) and isinstance(self.lot, QLineEdit)
        if looks_like_scan(self.lot.text()):
            self.scan_entered.emit(self.lot.text())
            return
        values = {"product_name": self.product.currentText()}
        for name, widget in (("lot", self.lot), ("expiry", self.expiry), ("vials", self.vials)):
            assert isinstance(widget, QLineEdit)
            values[name] = widget.text().strip()
        self.lot_entered.emit(values)

    def show_lots(self, products: Sequence[str], lots: Sequence[LotEntry], *,
                  enabled: bool) -> None:
        """Offer ``products``; list the lots on file."""
        combo = self.product
        assert isinstance(combo, QComboBox)
        if [combo.itemText(i) for i in range(combo.count())] != list(products):
            combo.clear()
            combo.addItems(list(products))
        shown = [lot for lot in lots if lot.voided is None]
        self.table.setRowCount(len(shown))
        for row, lot in enumerate(shown):
            cells = (lot.product, lot.lot_number, date_text(lot.expiry_date), str(lot.vials),
                     lot.recorded_by)
            for column, text in enumerate(cells):
                self.table.setItem(row, column, QTableWidgetItem(text))
        self.table.setVisible(bool(shown))
        for widget in (self.product, self.lot, self.expiry, self.vials, self.add):
            widget.setEnabled(enabled)

    def fill_from_scan(self, product_name: str, lot: str, expiry: str) -> None:
        """Put the fields read from a scan in the form; the nurse checks them and adds the lot."""
        assert isinstance(self.product, QComboBox)
        self.form.clear_errors()
        self.product.setCurrentText(product_name)
        for widget, text in ((self.lot, lot), (self.expiry, expiry)):
            assert isinstance(widget, QLineEdit)
            widget.setText(text)
        self.vials.setFocus()

    def saved(self) -> None:
        """Clear the form after a lot was recorded."""
        self.form.clear_errors()
        for widget in (self.lot, self.expiry, self.vials):
            assert isinstance(widget, QLineEdit)
            widget.clear()
