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

import functools
import itertools
from datetime import date
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Integer,
    Select,
    and_,
    bindparam,
    or_,
    select,
    true,
    union_all,
)
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


# A search as plain data first, then SQL: a term is (column, "prefix" or "equals", value), an
# option is the terms that must all hold. The SQL depends only on the columns and operators
# (the search's *shape*), so the page query is built once per shape and only the values change
# from keystroke to keystroke (issue 15: building the expression tree and its cache key on
# every keystroke cost several times the query itself).
Term = tuple[str, str, object]
_TABLE = Patient.__table__.c
Shape = tuple[tuple[tuple[tuple[str, str], ...], ...], tuple[tuple[str, str], ...]]


def _name_options(words: list[str]) -> list[list[Term]]:
    """Family then given names in either order, split at every word boundary
    ("garcia lopez jose" is family "garcia lopez" + given "jose" or family "garcia" + given
    "lopez jose"), or the whole text as one multi-word name."""
    if len(words) == 1:
        return [[("family_key", "prefix", words[0])], [("given_key", "prefix", words[0])]]
    whole = " ".join(words)
    options: list[list[Term]] = [
        [("family_key", "prefix", whole)],
        [("given_key", "prefix", whole)],
    ]
    for cut in range(1, len(words)):
        head, tail = " ".join(words[:cut]), " ".join(words[cut:])
        options.append(
            [("family_key", "equals" if cut > 1 else "prefix", head), ("given_key", "prefix", tail)]
        )
        options.append([("given_key", "prefix", head), ("family_key", "prefix", tail)])
    return options


def _plan(text: str, date_of_birth: date | None) -> tuple[list[list[Term]], list[Term]]:
    """The options of which one must hold (none: no such condition) and the terms that must
    all hold, for a search box text and an optional date of birth."""
    options: list[list[Term]] = []
    required: list[Term] = []
    typed_date = _iso_date(text)
    if typed_date is not None:
        required.append(("date_of_birth", "equals", typed_date))
    else:
        words = name_key(text).split()
        mrn = mrn_key(text)
        if words:
            options = [*_name_options(words), [("mrn", "prefix", mrn)]]
        elif mrn:
            required.append(("mrn", "prefix", mrn))
    if date_of_birth is not None:
        required.append(("date_of_birth", "equals", date_of_birth))
    return options, required


def _escaped_like(prefix: str) -> str:
    """The LIKE pattern of "starts with ``prefix``", escaped with "/" as
    ``startswith(..., autoescape=True)`` escapes it."""
    return prefix.replace("/", "//").replace("%", "/%").replace("_", "/_") + "%"


def _values(term: Term) -> tuple[object, ...]:
    _column, operator, value = term
    if operator == "equals":
        return (value,)
    assert isinstance(value, str)
    return value, prefix_upper_bound(value), _escaped_like(value)


def _term_sql(
    column_name: str, operator: str, names: list[str], values: dict[str, object] | None
) -> ColumnElement[bool]:
    column = _TABLE[column_name]
    params = [
        bindparam(name, type_=column.type)
        if values is None
        else bindparam(name, values[name], type_=column.type)
        for name in names
    ]
    if operator == "equals":
        return column == params[0]
    return and_(column >= params[0], column < params[1], column.like(params[2], escape="/"))


def _shape(options: list[list[Term]], required: list[Term]) -> Shape:
    return (
        tuple(tuple((c, o) for c, o, _v in option) for option in options),
        tuple((c, o) for c, o, _v in required),
    )


def _conditions_sql(
    shape: Shape, values: dict[str, object] | None = None
) -> tuple[list[ColumnElement[bool]], list[ColumnElement[bool]]]:
    """The SQL of each option and of each required term of a shape, its parameters named p0,
    p1, ... in the order of :func:`_parameters` (bound to ``values`` when given, else at
    execution)."""
    names = (f"p{n}" for n in itertools.count())

    def term(column: str, operator: str) -> ColumnElement[bool]:
        width = 1 if operator == "equals" else 3
        return _term_sql(column, operator, [next(names) for _ in range(width)], values)

    options, required = shape
    return (
        [and_(*(term(c, o) for c, o in option)) for option in options],
        [term(c, o) for c, o in required],
    )


def _parameters(options: list[list[Term]], required: list[Term]) -> dict[str, object]:
    values = [
        v for t in (*(t for option in options for t in option), *required) for v in _values(t)
    ]
    return {f"p{n}": value for n, value in enumerate(values)}


def search_condition(text: str, date_of_birth: date | None = None) -> ColumnElement[bool]:
    """The WHERE clause for a search box text and an optional date of birth, with its
    values bound."""
    options, required = _plan(text, date_of_birth)
    any_of, all_of = _conditions_sql(_shape(options, required), _parameters(options, required))
    return and_(true(), *([or_(*any_of)] if any_of else []), *all_of)


# The table's columns, not the mapped attributes: the page is read without the ORM's loading.
PAGE_COLUMNS = (
    _TABLE.id,
    _TABLE.mrn,
    _TABLE.family_name,
    _TABLE.given_names,
    _TABLE.date_of_birth,
    _TABLE.sex,
    _TABLE.version,
    _TABLE.voided_at,
)


_ORDER = (_TABLE.family_key, _TABLE.given_key, _TABLE.id)


@functools.lru_cache(maxsize=128)
def _page_statement(shape: Shape, include_voided: bool) -> Select[Any]:
    """The page query of a shape. Name words alone: each option's first ``page_end``
    patients in name order are read from its own index and the page is cut from their union,
    where one OR over the indexes sorts every match ("m" matches thousands of family names at
    50,000 patients) to show 50 of them. With a date of birth the date narrows the matches to
    a few: one OR, each option not repeating the date (the statement stays small, see
    ``test_any_search_allowed_is_one_statement_of_bounded_size``)."""
    any_of, all_of = _conditions_sql(shape)
    visible = [] if include_voided else [_TABLE.voided_at.is_(None)]
    stmt = select(*PAGE_COLUMNS)
    if any_of and not all_of:
        firsts = [
            select(_TABLE.id)
            .where(option, *visible)
            .order_by(*_ORDER)
            .limit(bindparam("page_end", type_=Integer))
            .subquery()
            for option in any_of
        ]
        stmt = stmt.where(_TABLE.id.in_(union_all(*(select(first.c.id) for first in firsts))))
    else:
        stmt = stmt.where(true(), *([or_(*any_of)] if any_of else []), *all_of, *visible)
    return (
        stmt.order_by(*_ORDER)
        .limit(bindparam("page_limit", type_=Integer))
        .offset(bindparam("page_offset", type_=Integer))
    )


def search_page(
    text: str, date_of_birth: date | None, *, limit: int, offset: int, include_voided: bool
) -> tuple[Select[Any], dict[str, object]]:
    """The page query of a search (the :data:`PAGE_COLUMNS` of the patients by family then
    given names) and its parameters; the statement is shared by every search of its shape."""
    options, required = _plan(text, date_of_birth)
    params = _parameters(options, required)
    params.update(page_limit=limit, page_offset=offset, page_end=limit + offset)
    return _page_statement(_shape(options, required), include_voided), params


def same_identity(family_name: str, given_names: str, born: date) -> ColumnElement[bool]:
    """Patients whose folded family and given names and date of birth equal these (a likely
    duplicate registration: "Żółć" matches "Zolc"); an index lookup on the name keys."""
    return and_(
        Patient.family_key == name_key(family_name),
        Patient.given_key == name_key(given_names),
        Patient.date_of_birth == born,
    )
