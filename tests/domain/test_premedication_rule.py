"""The premedication suggested after an earlier reaction, and what counts as given."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from clinic_app.domain.errors import InvalidInput
from clinic_app.domain.premedication import (
    DEFAULT_SET,
    PremedicationSettings,
    missing_premedication,
    premedication_item,
    suggested_premedication,
)
from clinic_app.domain.settings import load_settings


def test_nothing_is_suggested_without_an_earlier_reaction() -> None:
    assert suggested_premedication(PremedicationSettings(), previous_reaction=False) == ()


def test_after_an_earlier_reaction_the_clinic_set_is_suggested() -> None:
    suggested = suggested_premedication(load_settings().premedication, previous_reaction=True)
    assert [item.kind for item in suggested] == ["antihistamine", "antipyretic", "corticosteroid"]
    assert [item.text for item in suggested] == [
        "cetirizine 10 mg oral",
        "paracetamol (acetaminophen) 1000 mg oral",
        "hydrocortisone 100 mg IV",
    ]


def test_the_shipped_set_has_a_source_and_says_the_doses_are_a_clinic_setting() -> None:
    settings = load_settings().premedication
    defaults = PremedicationSettings()
    assert (settings.after_reaction, settings.doses_note) == (
        defaults.after_reaction,
        defaults.doses_note,
    )
    assert "label 2.10" in settings.source and "clinic setting" in settings.source
    assert "clinic setting" in settings.doses_note


def test_a_clinic_sets_its_own_doses_in_its_settings_file(tmp_path: Path) -> None:
    own = tmp_path / "clinic.toml"
    own.write_text(
        '[premedication]\n[[premedication.after_reaction]]\nkind = "antihistamine"\n'
        'drug = "loratadine"\ndose = 10\nunit = "mg"\nroute = "oral"\n',
        encoding="utf-8",
    )
    (item,) = load_settings(own).premedication.after_reaction
    assert item.text == "loratadine 10 mg oral"


def test_a_bad_dose_in_the_settings_is_refused_with_its_position(tmp_path: Path) -> None:
    own = tmp_path / "clinic.toml"
    own.write_text(
        '[premedication]\n[[premedication.after_reaction]]\ndrug = "x"\ndose = 0\n'
        'unit = "mg"\nroute = "oral"\n',
        encoding="utf-8",
    )
    with pytest.raises(ValueError, match="after_reaction 1: The dose of x must be more than 0"):
        load_settings(own)


def test_another_drug_of_the_same_kind_counts_as_given() -> None:
    loratadine = premedication_item(
        kind="antihistamine", drug="loratadine", dose="10", unit="mg", route="oral"
    )
    missing = missing_premedication(DEFAULT_SET, [loratadine])
    assert [item.kind for item in missing] == ["antipyretic", "corticosteroid"]
    assert missing_premedication(DEFAULT_SET, DEFAULT_SET) == ()


def test_a_typed_premedication_is_checked_and_tidied() -> None:
    item = premedication_item(kind=None, drug="  famotidine ", dose="20.0", unit="MG", route="iv")
    assert (item.drug, item.dose, item.unit, item.route) == (
        "famotidine",
        Decimal("20.0"),
        "mg",
        "IV",
    )
    assert item.text == "famotidine 20 mg IV"


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"drug": " "}, "drug", "Enter the drug given"),
        ({"dose": ""}, "dose", "Dose of cetirizine is missing"),
        ({"dose": "-1"}, "dose", "must be more than 0"),
        ({"dose": "1,5"}, "dose", "decimal point"),
        ({"unit": "tablets"}, "unit", "is not one of mg"),
        ({"route": "rectal"}, "route", "is not one of oral"),
    ],
)
def test_a_wrong_premedication_is_refused_naming_the_field(changes, field, message) -> None:
    typed = {
        "kind": "antihistamine",
        "drug": "cetirizine",
        "dose": "10",
        "unit": "mg",
        "route": "oral",
        **changes,
    }
    with pytest.raises(InvalidInput, match=message) as refused:
        premedication_item(**typed)
    assert refused.value.field == field
