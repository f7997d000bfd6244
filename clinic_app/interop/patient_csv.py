"""Reading a clinic's existing patient list from a spreadsheet saved as CSV.

The file may be UTF-8 with or without a byte-order mark, separated by ``,`` or ``;`` (sniffed).
Columns are found by their header under the common spreadsheet names (``HEADER_ALIASES``);
dates are ISO (YYYY-MM-DD) or slashed/dotted with the day and month order given by
``DateOrder``. Without an order, a slashed date whose day and month could both be months
(03/04/1980) is refused as ambiguous rather than guessed.
"""

from __future__ import annotations

import csv
import re
import unicodedata
from dataclasses import dataclass
from enum import StrEnum

from clinic_app.domain.errors import InvalidInput

# Field -> the headers that mean it (compared case- and accent-folded, punctuation ignored).
HEADER_ALIASES: dict[str, tuple[str, ...]] = {
    "mrn": (
        "mrn",
        "hospital number",
        "hospital no",
        "patient id",
        "patient number",
        "medical record number",
        "record number",
        "nhs number",
    ),
    "family_name": ("surname", "last name", "family name", "lastname", "familyname"),
    "given_names": (
        "first name",
        "given name",
        "given names",
        "forename",
        "forenames",
        "firstname",
        "first names",
    ),
    "date_of_birth": ("dob", "date of birth", "birth date", "birthdate", "born"),
    "sex": ("sex", "gender"),
    "allergies": ("allergies", "allergy", "known allergies"),
    "weight_kg": ("weight", "weight kg", "current weight", "weight (kg)"),
}
REQUIRED_FIELDS = ("mrn", "family_name", "given_names", "date_of_birth", "sex")
SEX_WORDS = {
    "f": "female",
    "female": "female",
    "m": "male",
    "male": "male",
    "other": "other",
    "o": "other",
    "u": "unknown",
    "unknown": "unknown",
    "": "",
}
NO_KNOWN_ALLERGIES = frozenset({"nka", "nkda", "none", "no known allergies"})

_SLASHED = re.compile(r"(\d{1,2})[./-](\d{1,2})[./-](\d{4})")


class DateOrder(StrEnum):
    """How a slashed date is read: ``auto`` refuses one that could be either order."""

    AUTO = "auto"
    DAY_FIRST = "dmy"
    MONTH_FIRST = "mdy"


@dataclass(frozen=True)
class PatientRow:
    """One data row as typed, mapped to the patient form's fields; ``line`` is the row's line
    number in the file (the header is line 1). ``date_of_birth`` is ISO when it could be read
    in the given order, else the text as typed (the form's rules then report it)."""

    line: int
    mrn: str
    family_name: str
    given_names: str
    date_of_birth: str
    sex: str
    allergies: tuple[str, ...]
    no_known_allergies: bool
    weight_kg: str


@dataclass(frozen=True)
class RowProblem:
    """Why a row cannot be imported."""

    line: int
    message: str


@dataclass(frozen=True)
class PatientList:
    """The rows read, the problems found while reading, and which header mapped to what."""

    rows: tuple[PatientRow, ...]
    problems: tuple[RowProblem, ...]
    columns: dict[str, str]


def _folded(text: str) -> str:
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return " ".join(re.sub(r"[^a-z0-9()]+", " ", plain.casefold()).split())


def map_headers(headers: list[str]) -> dict[str, int]:
    """Field -> column index; raises :class:`InvalidInput` naming the missing columns."""
    found: dict[str, int] = {}
    for index, header in enumerate(headers):
        key = _folded(header)
        for field, aliases in HEADER_ALIASES.items():
            if field not in found and key in aliases:
                found[field] = index
    missing = [f for f in REQUIRED_FIELDS if f not in found]
    if missing:
        names = "; ".join(f"{f}: {' / '.join(HEADER_ALIASES[f][:3])}" for f in missing)
        raise InvalidInput("file", f"The file has no column for {names}.")
    return found


def iso_date(text: str, order: DateOrder) -> str:
    """A slashed, dotted or dashed day-month date as YYYY-MM-DD; ISO text unchanged.

    Raises :class:`InvalidInput` for an ambiguous date in ``auto`` order."""
    match = _SLASHED.fullmatch(text.strip())
    if match is None:
        return text.strip()
    first, second, year = (int(g) for g in match.groups())
    if order is DateOrder.AUTO:
        if first <= 12 and second <= 12 and first != second:
            raise InvalidInput(
                "date_of_birth",
                f"Date of birth {text.strip()!r} could be day "
                "first or month first: give --date-order dmy or mdy.",
            )
        order = DateOrder.MONTH_FIRST if second > 12 else DateOrder.DAY_FIRST
    day, month = (first, second) if order is DateOrder.DAY_FIRST else (second, first)
    return f"{year:04d}-{month:02d}-{day:02d}"


def _allergies(text: str) -> tuple[tuple[str, ...], bool]:
    words = tuple(w.strip() for w in re.split(r"[;,|]", text) if w.strip())
    if len(words) == 1 and _folded(words[0]) in NO_KNOWN_ALLERGIES:
        return (), True
    return words, False


def _row(line: int, cells: list[str], columns: dict[str, int], order: DateOrder) -> PatientRow:
    def cell(field: str) -> str:
        index = columns.get(field)
        return cells[index].strip() if index is not None and index < len(cells) else ""

    allergies, nka = _allergies(cell("allergies"))
    sex = cell("sex")
    return PatientRow(
        line=line,
        mrn=cell("mrn"),
        family_name=cell("family_name"),
        given_names=cell("given_names"),
        date_of_birth=iso_date(cell("date_of_birth"), order),
        sex=SEX_WORDS.get(sex.casefold(), sex),
        allergies=allergies,
        no_known_allergies=nka,
        weight_kg=cell("weight_kg").replace(",", "."),
    )


def _dialect(sample: str) -> type[csv.Dialect] | csv.Dialect:
    try:
        return csv.Sniffer().sniff(sample, delimiters=",;")
    except csv.Error:
        return csv.excel


def read_patient_list(data: bytes, *, order: DateOrder = DateOrder.AUTO) -> PatientList:
    """Read the bytes of a CSV patient list; problems found while reading are per row."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InvalidInput(
            "file",
            f"The file is not UTF-8 text (byte {exc.start}): save it "
            'from the spreadsheet as "CSV UTF-8".',
        ) from None
    lines = text.splitlines()
    reader = csv.reader(lines, _dialect("\n".join(lines[:20])))
    headers = next(reader, None)
    if not headers:
        raise InvalidInput("file", "The file is empty: the first line must name the columns.")
    columns = map_headers(headers)
    rows: list[PatientRow] = []
    problems: list[RowProblem] = []
    for cells in reader:
        if not any(c.strip() for c in cells):
            continue
        try:
            rows.append(_row(reader.line_num, cells, columns, order))
        except InvalidInput as exc:
            problems.append(RowProblem(reader.line_num, str(exc)))
    return PatientList(
        tuple(rows), tuple(problems), {field: headers[i] for field, i in columns.items()}
    )
