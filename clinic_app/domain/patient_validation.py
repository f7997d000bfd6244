"""Checking the patient form: names in any script, an unambiguous date of birth, a valid MRN.

Rules (registration practice, not a drug label):

- Names are stored in Unicode NFC, trimmed, with runs of white space made one space. Any script
  is accepted (Łukasz Żółć, José Muñoz, Анна Иванова); a name needs at least one letter and at
  most :data:`NAME_MAX_LENGTH` characters, and holds no digit (a digit in a name is an MRN or a
  date typed in the wrong field, and would make the name search read it as an MRN). Control,
  format, private-use and unassigned characters are refused (they are invisible and make a
  record impossible to find or print), except the zero-width joiner and non-joiner that some
  scripts need.
- A date of birth is typed as YYYY-MM-DD, DD.MM.YYYY or DD/MM/YYYY (four-digit year, day before
  month): formats a nurse cannot misread. It must be a real date, not in the future and not more
  than :data:`MAX_AGE_YEARS` years ago.
- An MRN is 1 to :data:`MRN_MAX_LENGTH` letters (A-Z), digits or hyphens; spaces are dropped and
  letters upper-cased, as the store keeps it.

Nothing here reads the clock: ``today`` is a parameter. Errors are
:class:`~clinic_app.domain.errors.InvalidInput` naming the form field; :func:`validate_patient`
checks every field and reports them all.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from clinic_app.domain.dates import date_text
from clinic_app.domain.errors import InvalidInput
from clinic_app.domain.field_checks import FieldChecks

NAME_MAX_LENGTH = 120
MRN_MAX_LENGTH = 40
MAX_AGE_YEARS = 120
PHONE_MAX_LENGTH = 40
EMAIL_MAX_LENGTH = 200
ADDRESS_MAX_LENGTH = 500
NOTES_MAX_LENGTH = 4000
SEX_VALUES = ("female", "male", "other", "unknown")

# Zero-width non-joiner and joiner: format characters that Persian and Indic names need.
_JOINERS = frozenset({"\u200c", "\u200d"})
_ISO_DATE = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
_DAY_FIRST_DATE = re.compile(r"(\d{1,2})([./])(\d{1,2})\2(\d{4})")
_MRN = re.compile(r"[A-Z0-9-]+")
_PHONE = re.compile(r"\+?[0-9 ()./-]+")
_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")


@dataclass(frozen=True)
class ValidPatient:
    """A patient form that passed every check, with each value as it will be stored."""

    mrn: str
    family_name: str
    given_names: str
    date_of_birth: date
    sex: str
    phone: str
    email: str
    address: str
    notes: str


def has_lone_surrogate(text: str) -> bool:
    """Whether ``text`` holds half of a UTF-16 surrogate pair (pasted from a broken source): such
    text has no UTF-8 form, so it can be neither stored, hashed nor looked up."""
    return any("\ud800" <= ch <= "\udfff" for ch in text)


def _is_refused_character(ch: str, *, multiline: bool) -> bool:
    if multiline and ch in "\n\t":
        return False
    category = unicodedata.category(ch)
    if category in ("Zl", "Zp"):
        return True
    return category.startswith("C") and ch not in _JOINERS


def _refuse_control_characters(text: str, *, field: str, label: str, multiline: bool) -> None:
    for ch in text:
        if _is_refused_character(ch, multiline=multiline):
            raise InvalidInput(
                field,
                f"{label} contains an invisible or control character (U+{ord(ch):04X}); "
                "retype it without pasting.",
            )


def _refuse_too_long(text: str, *, field: str, label: str, max_length: int) -> None:
    """Checked before the characters one by one, so a pasted megabyte is refused at once."""
    if len(text) > max_length:
        raise InvalidInput(
            field, f"{label} is too long: {len(text)} characters, at most {max_length}."
        )


def normalise_name(value: str, *, field: str, label: str) -> str:
    """``value`` as stored: NFC, trimmed, single spaces; refused when empty, too long, without a
    letter or with a control character."""
    if not isinstance(value, str):
        raise InvalidInput(field, f"{label} must be text, not {type(value).__name__}.")
    typed = unicodedata.normalize("NFC", value)
    text = " ".join(typed.split())
    _refuse_too_long(text, field=field, label=label, max_length=NAME_MAX_LENGTH)
    _refuse_control_characters(typed, field=field, label=label, multiline=False)
    if not text:
        raise InvalidInput(field, f"{label} is required.")
    if not any(unicodedata.category(ch).startswith("L") for ch in text):
        raise InvalidInput(field, f"{label} must contain at least one letter.")
    if any(unicodedata.category(ch) == "Nd" for ch in text):
        raise InvalidInput(field, f"{label} contains a digit: was an MRN or a date typed here?")
    return text


def _date_parts(text: str) -> tuple[int, int, int] | None:
    if match := _ISO_DATE.fullmatch(text):
        year, month, day = match.groups()
    elif match := _DAY_FIRST_DATE.fullmatch(text):
        day, _separator, month, year = match.groups()
    else:
        return None
    return int(year), int(month), int(day)


def parse_date(value: str | date, *, field: str, label: str) -> date:
    """A date typed as YYYY-MM-DD, DD.MM.YYYY or DD/MM/YYYY (or given as a ``date``).

    Two-digit years and month-first forms are refused: 03/04/1980 is read day first only.
    """
    if isinstance(value, datetime):
        raise InvalidInput(field, f"{label} is a calendar date, not a date and time.")
    if isinstance(value, date):
        return value
    if not isinstance(value, str):
        raise InvalidInput(field, f"{label} must be a date, not {type(value).__name__}.")
    text = value.strip()
    if not text:
        raise InvalidInput(field, f"{label} is required.")
    parts = _date_parts(text)
    if parts is None:
        raise InvalidInput(
            field, f"{label} {text!r} is not a date: type it as YYYY-MM-DD, DD.MM.YYYY or "
            "DD/MM/YYYY.",
        )
    try:
        return date(*parts)
    except ValueError:
        raise InvalidInput(field, f"{label} {text!r} is not a real calendar date.") from None


def years_before(day: date, years: int) -> date:
    """The same calendar day ``years`` earlier (29 February becomes 28 February)."""
    try:
        return day.replace(year=day.year - years)
    except ValueError:
        return day.replace(year=day.year - years, day=28)


def parse_date_of_birth(value: str | date, *, today: date) -> date:
    """The date of birth: a real date, not after ``today``, at most 120 years before it."""
    born = parse_date(value, field="date_of_birth", label="Date of birth")
    if born > today:
        raise InvalidInput(
            "date_of_birth", f"Date of birth {date_text(born)} is in the future."
        )
    if born < years_before(today, MAX_AGE_YEARS):
        raise InvalidInput(
            "date_of_birth",
            f"Date of birth {date_text(born)} is more than {MAX_AGE_YEARS} years ago; "
            "check the year.",
        )
    return born


def normalise_mrn(value: str) -> str:
    """The MRN as stored: spaces removed, upper case; 1-40 letters, digits or hyphens."""
    if not isinstance(value, str):
        raise InvalidInput("mrn", f"MRN must be text, not {type(value).__name__}.")
    mrn = "".join(value.split()).upper()
    if not mrn:
        raise InvalidInput("mrn", "MRN is required.")
    if len(mrn) > MRN_MAX_LENGTH:
        raise InvalidInput(
            "mrn", f"MRN is too long: {len(mrn)} characters, at most {MRN_MAX_LENGTH}."
        )
    if not _MRN.fullmatch(mrn):
        raise InvalidInput("mrn", f"MRN {mrn!r} may hold only letters A-Z, digits and hyphens.")
    return mrn


def normalise_sex(value: str) -> str:
    """One of female, male, other, unknown (case ignored)."""
    text = value.strip().casefold() if isinstance(value, str) else ""
    if text not in SEX_VALUES:
        raise InvalidInput("sex", f"Sex must be one of: {', '.join(SEX_VALUES)}.")
    return text


def normalise_line(value: str, *, field: str, label: str, max_length: int) -> str:
    """Free text on one line as stored (a reason, a note): NFC, runs of white space made one
    space, trimmed; refused when longer than ``max_length`` or holding a control, format,
    unassigned or lone surrogate character (it cannot be stored or printed). Empty is allowed:
    the caller says when text is required."""
    if not isinstance(value, str):
        raise InvalidInput(field, f"{label} must be text, not {type(value).__name__}.")
    text = " ".join(unicodedata.normalize("NFC", value).split())
    _refuse_too_long(text, field=field, label=label, max_length=max_length)
    _refuse_control_characters(text, field=field, label=label, multiline=False)
    return text


def normalise_text(
    value: str, *, field: str, label: str, max_length: int, required: bool = False,
    multiline: bool = False,
) -> str:
    """Free text as stored: NFC and trimmed; control characters refused (tab and new line
    allowed when ``multiline``), at most ``max_length`` characters, non-empty if ``required``."""
    if not isinstance(value, str):
        raise InvalidInput(field, f"{label} must be text, not {type(value).__name__}.")
    text = unicodedata.normalize("NFC", value).strip()
    _refuse_too_long(text, field=field, label=label, max_length=max_length)
    _refuse_control_characters(text, field=field, label=label, multiline=multiline)
    if required and not text:
        raise InvalidInput(field, f"{label} is required.")
    return text


def normalise_phone(value: str) -> str:
    """An optional phone number: digits, spaces and + ( ) . / - only."""
    phone = normalise_text(value, field="phone", label="Phone", max_length=PHONE_MAX_LENGTH)
    if phone and not (_PHONE.fullmatch(phone) and any(ch.isdigit() for ch in phone)):
        raise InvalidInput("phone", f"Phone {phone!r} may hold only digits, spaces and + ( ) - .")
    return phone


def normalise_email(value: str) -> str:
    """An optional e-mail address of the form name@domain.tld."""
    email = normalise_text(value, field="email", label="E-mail", max_length=EMAIL_MAX_LENGTH)
    if email and not _EMAIL.fullmatch(email):
        raise InvalidInput("email", f"E-mail {email!r} is not an address like name@example.org.")
    return email


def validate_patient(
    *,
    mrn: str,
    family_name: str,
    given_names: str,
    date_of_birth: str | date,
    sex: str,
    phone: str = "",
    email: str = "",
    address: str = "",
    notes: str = "",
    today: date,
) -> ValidPatient:
    """Check a patient form field by field (in form order) and normalise it.

    Every field is checked: one problem raises its :class:`InvalidInput`, several raise
    :class:`~clinic_app.domain.field_checks.InvalidInputs` carrying each (the form shows them
    all at once).
    """
    checks = FieldChecks()
    values: dict[str, Any] = {
        "mrn": checks.check(lambda: normalise_mrn(mrn)),
        "family_name": checks.check(
            lambda: normalise_name(family_name, field="family_name", label="Family name")),
        "given_names": checks.check(
            lambda: normalise_name(given_names, field="given_names", label="Given names")),
        "date_of_birth": checks.check(lambda: parse_date_of_birth(date_of_birth, today=today)),
        "sex": checks.check(lambda: normalise_sex(sex)),
        "phone": checks.check(lambda: normalise_phone(phone)),
        "email": checks.check(lambda: normalise_email(email)),
        "address": checks.check(lambda: normalise_text(
            address, field="address", label="Address", max_length=ADDRESS_MAX_LENGTH,
            multiline=True)),
        "notes": checks.check(lambda: normalise_text(
            notes, field="notes", label="Notes", max_length=NOTES_MAX_LENGTH, multiline=True)),
    }
    checks.raise_problems()
    return ValidPatient(**values)
