"""Patient search by name, MRN or date of birth, as index range scans.

One word matches the start of the family name, of the given names or of the MRN ("gar", "jos",
"MRN00"). Two or more words match family then given names in either order ("garcia jose",
"jose garcia"), a multi-word family name ("van der") or an MRN typed with spaces. Given names
match from their start ("maria jose" finds María José, "jose" does not). Accents and case are
ignored. A text
in ISO form (``1980-02-29``) searches the date of birth; the caller may also pass a date parsed
from the clinic's own date format.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import ColumnElement, and_, or_, true
from sqlalchemy.orm import InstrumentedAttribute

from clinic_app.storage.models.patients import Patient
from clinic_app.storage.search_keys import mrn_key, name_key, prefix_upper_bound


def starts_with(column: InstrumentedAttribute[str], prefix: str) -> ColumnElement[bool]:
    """``column`` starts with ``prefix``: an index range plus an exact LIKE check.

    The range lets SQLite and PostgreSQL use a plain B-tree index whatever the collation; the
    LIKE (escaped) keeps the result exact.
    """
    return and_(
        column >= prefix,
        column < prefix_upper_bound(prefix),
        column.startswith(prefix, autoescape=True),
    )


def _iso_date(text: str) -> date | None:
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        return None


def _name_condition(words: list[str]) -> ColumnElement[bool]:
    """Family then given names in either order, split at every word boundary
    ("garcia lopez jose" is family "garcia lopez" + given "jose" or family "garcia" + given
    "lopez jose"), or the whole text as one multi-word name."""
    if len(words) == 1:
        return or_(starts_with(Patient.family_key, words[0]),
                   starts_with(Patient.given_key, words[0]))
    whole = " ".join(words)
    options = [starts_with(Patient.family_key, whole), starts_with(Patient.given_key, whole)]
    for cut in range(1, len(words)):
        head, tail = " ".join(words[:cut]), " ".join(words[cut:])
        options.append(and_(Patient.family_key == head, starts_with(Patient.given_key, tail))
                       if cut > 1 else
                       and_(starts_with(Patient.family_key, head),
                            starts_with(Patient.given_key, tail)))
        options.append(and_(starts_with(Patient.given_key, head),
                            starts_with(Patient.family_key, tail)))
    return or_(*options)


def search_condition(text: str, date_of_birth: date | None = None) -> ColumnElement[bool]:
    """The WHERE clause for a search box text and an optional date of birth."""
    conditions: list[ColumnElement[bool]] = []
    typed_date = _iso_date(text)
    if typed_date is not None:
        conditions.append(Patient.date_of_birth == typed_date)
    else:
        words = name_key(text).split()
        mrn = mrn_key(text)
        if words:
            conditions.append(or_(_name_condition(words), starts_with(Patient.mrn, mrn)))
        elif mrn:
            conditions.append(starts_with(Patient.mrn, mrn))
    if date_of_birth is not None:
        conditions.append(Patient.date_of_birth == date_of_birth)
    return and_(true(), *conditions)


def same_identity(family_name: str, given_names: str, born: date) -> ColumnElement[bool]:
    """Patients whose folded family and given names and date of birth equal these (a likely
    duplicate registration: "Żółć" matches "Zolc"); an index lookup on the name keys."""
    return and_(Patient.family_key == name_key(family_name),
                Patient.given_key == name_key(given_names),
                Patient.date_of_birth == born)
