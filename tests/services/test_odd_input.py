"""Odd text from a nurse never escapes a service as anything but its own refusal, and a refusal
writes nothing (issue 11, item 8).

Every service function that takes typed text (:data:`nurse_input_calls.CALLS`) is called with
valid arguments except one text argument, which gets arbitrary text: lone surrogates, NULs,
huge strings, dates at the ends of the calendar, numbers that overflow, NaN, -0 ..., alone or
around the valid text. The call either succeeds or raises the services' own errors
(:class:`~clinic_app.domain.errors.ClinicalError`, :class:`~clinic_app.services.errors.ServiceError`);
after a refusal every table holds exactly what it held before. Each example gets a copy of the
world's database of its own.
"""

from __future__ import annotations

import importlib
import inspect
import re
import shutil
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from argon2 import PasswordHasher
from clinic_testing import FakeClock, copy_database, open_context
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from nurse_input_calls import CALLS, ServiceCall, World, build_world, text_at, with_text
from sqlalchemy import select

from clinic_app.domain.errors import ClinicalError
from clinic_app.services.context import ServiceContext
from clinic_app.services.errors import ServiceError
from clinic_app.storage import passwords
from clinic_app.storage.models import Base

EXPECTED_ERRORS = (ClinicalError, ServiceError)

#: Text every text argument is tried with, whatever Hypothesis draws besides.
ODD_TEXTS = (
    "", "   ", "\x00", "a\x00b", "\ud800", "x\udfff", "\u202e", "\ufeff", "\U0010ffff",
    "0001-01-01 00:00", "0001-01-01", "01.01.0001 00:00", "9999-12-31 23:59", "9999-12-31",
    "31/12/9999", "0000-00-00", "2026-02-30", "24:00", "23:60", "99:99", "00:00",
    "-0", "0", "-1", "1e309", "-1e309", "1e-400", "NaN", "sNaN", "Infinity", "-inf",
    "9" * 400, "0.0000000000000000000000001", "²", "١٢٣", "0x1F", "1_000", "½",
    "%", "_", "'; DROP TABLE patients; --", "../infliximab", "a" * 100_000,
)
ANY_CHARACTER = st.characters(exclude_categories=())  # lone surrogates and unassigned too
DAYS = st.dates().map(lambda d: d.isoformat())
MOMENTS = st.datetimes().map(lambda d: f"{d.date().isoformat()} {d:%H:%M}")
odd_texts = st.one_of(
    st.sampled_from(ODD_TEXTS),
    st.text(ANY_CHARACTER, max_size=40),
    st.floats().map(repr),
    st.integers().map(str),
    st.decimals().map(str),
    DAYS,
    MOMENTS,
    st.times().map(lambda t: f"{t:%H:%M}"),
)
PLACES = ("instead", "before", "after")
GROUPS = ("accounts", "patients", "chart", "courses", "visits", "reactions", "clinic_day",
          "sheets", "demo")
TEXTUAL = re.compile(r"\bstr\b|NumberInput|Form\b")

CASES = [pytest.param(call, path, id=f"{call.name}-{path}")
         for call in CALLS for path in call.texts]


@dataclass(frozen=True)
class WorldFile:
    """The world's database file, its ids and every row it holds."""

    path: Path
    world: World
    rows: dict[str, list[tuple[Any, ...]]]


def all_rows(ctx: ServiceContext) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table (audit_log included), in primary key order."""
    with ctx.session_factory() as session:
        return {name: [tuple(row) for row in session.execute(
                    select(table).order_by(*table.primary_key.columns))]
                for name, table in Base.metadata.tables.items()}


@pytest.fixture(scope="module")
def world_file(tmp_path_factory: pytest.TempPathFactory) -> Iterator[WorldFile]:
    """The world, built once for the module (secrets hashed cheaply, as in every test)."""
    path = tmp_path_factory.mktemp("world") / "clinic.sqlite3"
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(passwords, "_HASHER",
                      PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1))
        world = build_world(path, FakeClock())
    ctx, engine = open_context(path, FakeClock(world.now))
    rows = all_rows(ctx)
    engine.dispose()
    yield WorldFile(path, world, rows)


@contextmanager
def world_copy(world_file: WorldFile) -> Iterator[ServiceContext]:
    """A context over a fresh copy of the world, signed in as its nurse, its clock stopped."""
    folder = Path(tempfile.mkdtemp(dir=world_file.path.parent.parent))
    ctx, engine = open_context(copy_database(world_file.path, folder),
                               FakeClock(world_file.world.now))
    try:
        yield ctx.as_nurse(world_file.world.nurse_id)
    finally:
        engine.dispose()
        shutil.rmtree(folder)


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
    with world_copy(world_file) as ctx:
        try:
            call.function(ctx, **arguments)
        except EXPECTED_ERRORS:
            assert all_rows(ctx) == world_file.rows, f"{call.name} refused and wrote"
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
