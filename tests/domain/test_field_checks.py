"""Collecting a form's field problems: one is raised as itself, several as InvalidInputs."""

from __future__ import annotations

import pytest

from clinic_app.domain.errors import ImpossibleWeight, InvalidInput
from clinic_app.domain.field_checks import FieldChecks, InvalidInputs


def fail(error: InvalidInput) -> str:
    raise error


def refuse(field: str, message: str) -> str:
    return fail(InvalidInput(field, message))


def test_every_check_runs_and_passing_ones_give_their_value() -> None:
    checks = FieldChecks()
    assert checks.check(lambda: "Żółć") == "Żółć"
    assert checks.check(lambda: refuse("email", "E-mail is wrong.")) is None
    assert checks.check(lambda: 42) == 42
    assert [p.field for p in checks.problems] == ["email"]
    assert checks.failed("email") and not checks.failed("mrn")


def test_nothing_is_raised_when_every_check_passed() -> None:
    checks = FieldChecks()
    checks.check(lambda: 1)
    checks.raise_problems()
    assert checks.problems == ()


def test_one_problem_is_raised_as_itself_keeping_its_type() -> None:
    checks = FieldChecks()
    checks.check(lambda: fail(ImpossibleWeight("Weight must be more than 0.")))
    with pytest.raises(ImpossibleWeight, match="more than 0") as error:
        checks.raise_problems()
    assert not isinstance(error.value, InvalidInputs)


def test_several_problems_are_raised_together_in_the_order_found() -> None:
    checks = FieldChecks()
    checks.check(lambda: refuse("family_name", "Family name is required."))
    checks.check(lambda: refuse("date_of_birth", "Date of birth is in the future."))
    with pytest.raises(InvalidInputs) as error:
        checks.raise_problems()
    assert [(e.field, str(e)) for e in error.value.errors] == [
        ("family_name", "Family name is required."),
        ("date_of_birth", "Date of birth is in the future.")]
    assert error.value.field == "family_name"
    assert str(error.value) == "Family name is required.\nDate of birth is in the future."


def test_a_collected_error_met_again_is_unpacked_not_nested() -> None:
    inner = InvalidInputs([InvalidInput("mrn", "MRN is required."),
                           InvalidInput("sex", "Sex must be chosen.")])
    checks = FieldChecks()
    checks.check(lambda: fail(inner))
    checks.check(lambda: refuse("email", "E-mail is wrong."))
    assert [p.field for p in checks.problems] == ["mrn", "sex", "email"]


def test_an_empty_collection_is_a_programming_error() -> None:
    with pytest.raises(ValueError, match="at least one"):
        InvalidInputs([])
