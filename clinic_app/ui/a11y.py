"""What a screen reader hears: values read with their captions, changes that matter announced.

Qt exposes a :class:`QLabel` whose accessible name is set by that name only, so a value label
named "Dose" is read as "Dose", never "362.5 mg" (WCAG 2.2 SC 1.3.1 and 4.1.2: name, role and
value are available to assistive technology). A :class:`ValueLabel` keeps its accessible name
"caption: shown text" ("Dose: 362.5 mg") whenever its text changes and tells assistive technology
the name changed; an ``alert`` label (an error, a new vitals flag, a countdown at zero) also sends
an Alert event, the nearest Qt has to an ARIA live region (WCAG 2.2 SC 4.1.3 status messages).
"""

from __future__ import annotations

import re

from PySide6.QtCore import Qt
from PySide6.QtGui import QAccessible, QAccessibleEvent, QAction, QTextDocumentFragment
from PySide6.QtGui import Qt as GuiQt  # Qt::mightBeRichText lives in QtGui
from PySide6.QtWidgets import QLabel, QLineEdit, QWidget

_SPACES = re.compile(r"[ \t]+")


def plain_text(text: str, text_format: Qt.TextFormat = Qt.TextFormat.AutoText) -> str:
    """``text`` as a screen reader should get it: rich text reduced to plain, spaces tidied.

    ``text_format`` is the label's: plain text (a patient's name) is never read as markup."""
    rich = (text_format is Qt.TextFormat.RichText
            or (text_format is Qt.TextFormat.AutoText and GuiQt.mightBeRichText(text)))
    if rich:
        text = QTextDocumentFragment.fromHtml(text).toPlainText()
    lines = (_SPACES.sub(" ", line).strip() for line in text.splitlines())
    return "\n".join(line for line in lines if line)


def spoken_name(caption: str, text: str,
                text_format: Qt.TextFormat = Qt.TextFormat.AutoText) -> str:
    """The accessible name of a value: "Dose: 362.5 mg"; the caption alone when nothing is shown
    or the caption already says it; the text alone when it starts with the caption."""
    shown = plain_text(text, text_format)
    if shown.casefold() in caption.casefold():
        return caption
    if shown.casefold().startswith(caption.casefold()):
        return shown
    return f"{caption}: {shown}"


def post_event(widget: QWidget, kind: QAccessible.Event) -> None:
    """Tell assistive technology that ``widget`` changed (``kind``: NameChanged, Alert, ...)."""
    event = QAccessibleEvent(widget, kind)
    QAccessible.updateAccessibility(event)


def name_clear_button(edit: QLineEdit, name: str) -> None:
    """Give the clear button of ``edit`` (``setClearButtonEnabled``) a name: Qt leaves it an
    unnamed button that a screen reader reads as "button"."""
    action = edit.findChild(QAction, "_q_qlineeditclearaction")
    if action is not None:
        action.setText(name)


class ValueLabel(QLabel):
    """A label that shows a value and is read with its caption ("Dose: 362.5 mg").

    ``alert`` labels (errors, warnings, flags) also announce a new non-empty text; the message
    is their accessible description too, so a reader that reads only descriptions hears it.
    """

    def __init__(self, caption: str, text: str = "", parent: QWidget | None = None, *,
                 alert: bool = False) -> None:
        super().__init__(parent)
        self._caption = caption
        self._alert = alert
        self.setAccessibleName(caption)
        self.setText(text)

    @property
    def caption(self) -> str:
        """The row caption this value is read with ("Dose")."""
        return self._caption

    def set_caption(self, caption: str) -> None:
        """Read the value with another caption (the screen moved on: "BP at 0 min")."""
        self._caption = caption
        self._sync(announce=False)

    def setText(self, text: str) -> None:
        """Show ``text`` and keep the accessible name (and an alert's description) in step."""
        super().setText(text)
        self._sync(announce=self._alert)

    def clear(self) -> None:
        """Show nothing; the name falls back to the caption."""
        super().clear()
        self._sync(announce=False)

    def announce(self) -> None:
        """Send an Alert event now (a change that matters: a countdown reached zero)."""
        post_event(self, QAccessible.Event.Alert)

    def shown_text(self) -> str:
        """The text as read out (markup removed), which the accessible name ends with."""
        return plain_text(self.text(), self.textFormat())

    def _sync(self, *, announce: bool) -> None:
        name = spoken_name(self._caption, self.text(), self.textFormat())
        if self._alert:
            self.setAccessibleDescription(self.shown_text())
        if name == self.accessibleName():
            return
        self.setAccessibleName(name)
        post_event(self, QAccessible.Event.NameChanged)
        if announce and name != self._caption:
            self.announce()


def error_label(caption: str, style: str) -> ValueLabel:
    """A hidden, word-wrapped error/warning line read as "<caption>: <message>" and announced."""
    label = ValueLabel(caption, alert=True)
    label.setStyleSheet(style)
    label.setWordWrap(True)
    label.hide()
    return label
