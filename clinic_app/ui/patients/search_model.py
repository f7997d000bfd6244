"""The patient search results as a lazy Qt table model: pages are fetched as the nurse scrolls.

With 50,000 patients only the rows scrolled into view are in memory: the model asks the services'
paged search for one page at a time (``canFetchMore``/``fetchMore``, Anki's browser habit) and
``data()`` only reads the rows already fetched (no I/O there).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt

from clinic_app.domain.dates import date_text
from clinic_app.services.patients.dto import PatientSummary
from clinic_app.ui.patients.display import sex_text

# fetch_page(text, limit, offset) -> the patients of that page, in the service's order.
PageFetcher = Callable[[str, int, int], Sequence[PatientSummary]]
Index = QModelIndex | QPersistentModelIndex

COLUMNS = ("MRN", "Name", "Date of birth", "Sex")
PAGE_SIZE = 50


class PatientSearchModel(QAbstractTableModel):
    """Rows of :class:`PatientSummary` for the current search text, fetched page by page."""

    def __init__(self, fetch_page: PageFetcher, *, page_size: int = PAGE_SIZE,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._fetch_page = fetch_page
        self._page_size = page_size
        self._text = ""
        self._rows: list[PatientSummary] = []
        self._exhausted = True
        self._fetching = False

    @property
    def text(self) -> str:
        """The search text the rows answer."""
        return self._text

    def clear(self) -> None:
        """Show no rows (after a search text the services refused)."""
        self.beginResetModel()
        self._rows = []
        self._exhausted = True
        self.endResetModel()

    @property
    def page_size(self) -> int:
        """How many rows one fetch brings."""
        return self._page_size

    def search(self, text: str) -> None:
        """Show the first page of patients matching ``text`` (the rest come on scrolling)."""
        self.show_first_page(text, self._fetch_page(text, self._page_size, 0))

    def show_first_page(self, text: str, page: Sequence[PatientSummary]) -> None:
        """Show ``page``, the first page for ``text`` fetched elsewhere (off the GUI thread)."""
        first = list(page)
        self._fetching = True  # no fetchMore from a view reacting to the reset signals
        try:
            self.beginResetModel()
            self._text = text
            self._rows = first
            self._exhausted = len(first) < self._page_size
            self.endResetModel()
        finally:
            self._fetching = False

    def patient(self, row: int) -> PatientSummary:
        """The patient shown in ``row``."""
        return self._rows[row]

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def canFetchMore(self, parent: Index) -> bool:
        return not parent.isValid() and not self._exhausted and not self._fetching

    def fetchMore(self, parent: Index) -> None:
        if not self.canFetchMore(parent):
            return
        self._fetching = True  # a view may ask again while the rows are being inserted
        try:
            self._append(list(self._fetch_page(self._text, self._page_size, len(self._rows))))
        finally:
            self._fetching = False

    def _append(self, page: list[PatientSummary]) -> None:
        self._exhausted = len(page) < self._page_size
        if not page:
            return
        start = len(self._rows)
        self.beginInsertRows(QModelIndex(), start, start + len(page) - 1)
        self._rows.extend(page)
        self.endInsertRows()

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return _cell_text(self._rows[index.row()], index.column())
        return None

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if (orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole
                and 0 <= section < len(COLUMNS)):
            return COLUMNS[section]
        return None


def _cell_text(patient: PatientSummary, column: int) -> str | None:
    match column:
        case 0:
            return patient.mrn
        case 1:
            return patient.display_name
        case 2:
            return date_text(patient.date_of_birth)
        case 3:
            return sex_text(patient.sex)
    return None
