"""Odd text from a nurse never escapes a service as anything but its own refusal, and a refusal
writes nothing (issue 11, item 8).

Every service function that takes typed text (:data:`nurse_input_calls.CALLS`) is called with
valid arguments except one text argument, which gets arbitrary text: lone surrogates, NULs,
huge strings, dates at the ends of the calendar, numbers that overflow, NaN, -0 ..., alone or
around the valid text. The call either succeeds or raises the services' own errors
(:class:`~clinic_app.domain.errors.ClinicalError`,
:class:`~clinic_app.services.errors.ServiceError`); after a refusal every table holds exactly
what it held before, except the tables a call's refusal is meant to write
(:attr:`~nurse_input_calls.ServiceCall.refusal_writes`: a wrong password counts against the
account). Each example gets a copy of the world's database of its own.
"""

from __future__ import annotations

import importlib
import inspect
import re
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from argon2 import PasswordHasher
from clinic_testing import FakeClock, copy_database, open_context
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from nurse_input_calls import CALLS, ServiceCall, World, build_world, text_at, with_text
from sqlalchemy import Engine

from clinic_app.domain.errors import ClinicalError
from clinic_app.domain.settings import load_settings
from clinic_app.services.context import ServiceContext
from clinic_app.services.errors import ServiceError
from clinic_app.storage import passwords

EXPECTED_ERRORS = (ClinicalError, ServiceError)

#: Text every text argument is tried with, whatever Hypothesis draws besides.
ODD_TEXTS = (
    "", "   ", "\x00", "a\x00b", "\ud800", "x\udfff", "\u202e", "\ufeff", "\U0010ffff",
    "0001-01-01 00:00", "0001-01-01", "9999-12-31 23:59", "9999-12-31",
    "0000-00-00", "2026-02-30", "24:00", "23:60", "99:99", "00:00",
    "-0", "0", "-1", "1e309", "1e-400", "NaN", "Infinity",
    "9" * 400, "0.0000000000000000000000001", "²", "١٢٣", "½",
    "%", "_", "'; DROP TABLE patients; --", "../infliximab", "a" * 100_000,
)
#: Variants of the above (another format, another sign), drawn among the rest: trying each with
#: every text argument too kept the file over a minute.
MORE_ODD_TEXTS = ("01.01.0001 00:00", "31/12/9999", "-1e309", "sNaN", "-inf", "0x1F", "1_000")
ANY_CHARACTER = st.characters(exclude_categories=())  # lone surrogates and unassigned too
DAYS = st.dates().map(lambda d: d.isoformat())
MOMENTS = st.datetimes().map(lambda d: f"{d.date().isoformat()} {d:%H:%M}")
odd_texts = st.one_of(
    st.sampled_from(ODD_TEXTS + MORE_ODD_TEXTS),
    st.text(ANY_CHARACTER, max_size=40),
    st.floats().map(repr),
    st.integers().map(str),
    st.decimals().map(str),
    DAYS,
    MOMENTS,
    st.times().map(lambda t: f"{t:%H:%M}"),
)
PLACES = ("instead", "before", "after")
GROUPS = ("accounts", "access_log", "patients", "labs", "chart", "courses", "visits",
          "reactions", "drug_levels", "clinic_day", "sheets", "demo")
TEXTUAL = re.compile(r"\bstr\b|NumberInput|Form\b")

CASES = [pytest.param(call, path, id=f"{call.name}-{path}")
         for call in CALLS for path in call.texts]


@dataclass(frozen=True)
class WorldFile:
    """The world's database file, its ids, every row it holds; and the one context the tests
    use, over a copy of it (``copy``), signed in as the world's nurse, with its engine and its
    stopped clock."""

    path: Path
    world: World
    rows: dict[str, list[tuple[Any, ...]]]
    copy: Path
    ctx: ServiceContext
    engine: Engine
    clock: FakeClock

    def _repr_pretty_(self, printer: Any, cycle: bool) -> None:
        """Hypothesis shows the file's name only: printing every row for each example it ran
        took most of the test's time, and said nothing a failure needs."""
        printer.text(f"WorldFile({self.path})")


def all_rows(path: Path) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table of the SQLite file at ``path`` (the audit log and SQLite's own
    autoincrement counters included), in rowid order; read with sqlite3 directly, which is
    many times faster than through SQLAlchemy and runs after every refusal."""
    with closing(sqlite3.connect(path)) as db:
        tables = [name for (name,) in db.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")]
        return {name: db.execute(f'SELECT * FROM "{name}" ORDER BY rowid').fetchall()
                for name in tables}


def unwritten(rows: dict[str, list[tuple[Any, ...]]],
              call: ServiceCall) -> dict[str, list[tuple[Any, ...]]]:
    """``rows`` without the tables a refusal of ``call`` is meant to write."""
    return {name: table for name, table in rows.items() if name not in call.refusal_writes}


@pytest.fixture(scope="module")
def world_file(tmp_path_factory: pytest.TempPathFactory) -> Iterator[WorldFile]:
    """The world, built once for the module (secrets hashed cheaply, as in every test), and a
    context over a copy of it."""
    path = tmp_path_factory.mktemp("world") / "clinic.sqlite3"
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(passwords, "_HASHER",
                      PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1))
        world = build_world(path, FakeClock())
    copy = copy_database(path, tmp_path_factory.mktemp("copy"))
    clock = FakeClock(world.now)
    ctx, engine = open_context(copy, clock, settings=load_settings(), migrated=True)
    yield WorldFile(path, world, all_rows(path), copy, ctx.as_nurse(world.nurse_id), engine,
                    clock)
    engine.dispose()


def fresh_world(world_file: WorldFile) -> ServiceContext:
    """The module's context over a fresh copy of the world: the engine's connections closed,
    the copy's files replaced by the world's, the clock set back. One engine serves the whole
    module, so SQLAlchemy compiles each statement once (an engine per example compiled every
    query anew and took most of the run)."""
    world_file.engine.dispose()
    for side_file in world_file.copy.parent.iterdir():
        side_file.unlink()
    copy_database(world_file.path, world_file.copy.parent)
    world_file.clock.set(world_file.world.now)
    return world_file.ctx


def placed(valid: str, text: str, place: str) -> str:
    """``text`` instead of the valid text, or before or after it."""
    return {"instead": text, "before": text + valid, "after": valid + text}[place]


def with_odd_texts(test: Callable[..., None]) -> Callable[..., None]:
    """``test`` tried with every one of :data:`ODD_TEXTS` in place of the valid text."""
    for text in ODD_TEXTS:
        test = example(text=text, place="instead")(test)
    return test


def call_with_text(world_file: WorldFile, call: ServiceCall, path: str, text: str,
                   place: str) -> None:
    """Call ``call`` with ``text`` placed at ``path``; a refusal must leave every row as it was."""
    valid = call.arguments(world_file.world)
    arguments = with_text(valid, path, placed(text_at(valid, path), text, place))
    ctx = fresh_world(world_file)
    try:
        call.function(ctx, **arguments)
    except EXPECTED_ERRORS:
        assert unwritten(all_rows(world_file.copy), call) == unwritten(world_file.rows, call), \
            f"{call.name} refused and wrote"
    except Exception as unexpected:
        raise AssertionError(f"{call.name}({path}=...) raised {unexpected!r}") from unexpected


@pytest.mark.slow
@pytest.mark.parametrize(("call", "path"), CASES)
@settings(max_examples=10, suppress_health_check=[HealthCheck.function_scoped_fixture])
@with_odd_texts
@given(text=odd_texts, place=st.sampled_from(PLACES))
def test_odd_text_is_accepted_or_refused_by_the_service_and_a_refusal_writes_nothing(
        world_file: WorldFile, call: ServiceCall, path: str, text: str, place: str) -> None:
    call_with_text(world_file, call, path, text, place)


def nurse_text_arguments() -> set[tuple[str, str]]:
    """(group.function, argument) for every text a nurse types into a public service: the
    functions each group's face names that take a context first (not a unit of work of
    another group) and an argument of text, a number typed as text, or a form."""
    found = set()
    for group in GROUPS:
        face = importlib.import_module(f"clinic_app.services.{group}")
        for name in face.__all__:
            function = getattr(face, name)
            if not inspect.isfunction(function):
                continue
            parameters = inspect.signature(function).parameters
            if list(parameters)[:1] != ["ctx"] or "uow" in parameters:
                continue
            found |= {(f"{group}.{name}", argument) for argument, parameter in parameters.items()
                      if TEXTUAL.search(str(parameter.annotation))}
    return found


def test_every_text_a_nurse_gives_a_service_is_tried_with_odd_text() -> None:
    covered = {(call.name, path.split(".")[0]) for call in CALLS for path in call.texts}
    assert nurse_text_arguments() - covered == set()
