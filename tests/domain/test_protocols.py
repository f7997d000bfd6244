"""Protocols load from TOML, carry their sources, and malformed files say exactly what is wrong."""

from __future__ import annotations

from decimal import Decimal

import pytest

from clinic_app.domain.errors import ProtocolError
from clinic_app.domain.protocol_model import DosingMode
from clinic_app.domain.protocols import (
    load_all_protocols,
    load_protocol,
    parse_protocol,
    protocol_ids,
)
from clinic_app.resource_files import resource_path


def _infliximab_text() -> str:
    return resource_path("protocols", "infliximab.toml").read_text(encoding="utf-8")


def test_the_four_core_protocols_are_shipped() -> None:
    assert {"infliximab", "anifrolumab", "vedolizumab", "tocilizumab"} <= set(protocol_ids())


def test_every_shipped_protocol_loads_and_names_its_sources() -> None:
    for protocol in load_all_protocols():
        rules = [protocol.preparation, protocol.dosing, protocol.administration,
                 protocol.schedule, protocol.monitoring, protocol.reactions,
                 *protocol.products, *protocol.screening, *protocol.contraindications,
                 *protocol.dosing.indications]
        for rule in rules:
            assert rule.source.strip(), f"{protocol.id}: {type(rule).__name__} has no source"


def test_infliximab_is_weight_based_with_the_label_range_and_ceiling() -> None:
    p = load_protocol("infliximab")
    assert p.dosing.mode is DosingMode.MG_PER_KG
    assert (p.dosing.min_mg_per_kg, p.dosing.label_max_mg_per_kg,
            p.dosing.hard_ceiling_mg_per_kg) == (3, 10, 20)
    assert p.products[0].vial_mg == 100 and p.products[0].concentration_mg_per_ml == 10
    assert p.preparation.bag_sizes_ml == (Decimal(250), Decimal(500))
    assert p.preparation.min_concentration_mg_per_ml == Decimal("0.4")
    assert p.preparation.max_concentration_mg_per_ml == 4
    assert "1.2 micron" in p.preparation.in_line_filter
    assert p.administration.duration_min == 120
    assert p.schedule.induction_offsets_weeks == (0, 2, 6)
    assert p.schedule.maintenance_interval_weeks == 8
    assert p.schedule.allowed_intervals_weeks == (4, 6, 8)
    assert p.schedule.review_gap_weeks == 16
    assert p.monitoring.observation_minutes(1) == 120
    assert p.dosing.indication("ankylosing_spondylitis").maintenance_interval_weeks == 6
    assert {s.kind for s in p.screening} == {"tb", "chest_xray", "hepatitis_b"}


def test_anifrolumab_is_a_fixed_dose_every_four_weeks_never_closer_than_14_days() -> None:
    p = load_protocol("anifrolumab")
    assert p.dosing.mode is DosingMode.FIXED and p.dosing.fixed_mg == 300
    assert p.schedule.maintenance_interval_weeks == 4
    assert p.schedule.min_spacing_days == 14
    assert p.administration.duration_min == 30
    assert p.reactions.hypersensitivity_contraindicates
    assert "anaphylaxis_anifrolumab" in {c.code for c in p.contraindications}


def test_vedolizumab_observation_depends_on_the_dose_number() -> None:
    p = load_protocol("vedolizumab")
    assert [p.monitoring.observation_minutes(n) for n in (1, 2, 3, 10)] == [120, 120, 60, 60]
    assert not p.preparation.withdraw_drug_volume


def test_tocilizumab_has_several_vials_a_cap_and_weight_bands() -> None:
    p = load_protocol("tocilizumab")
    assert [prod.vial_mg for prod in p.products] == [400, 200, 80]
    assert p.dosing.per_infusion_max_mg == 800
    assert p.dosing.indication("giant_cell_arteritis").per_infusion_max_mg == 600
    jia = p.dosing.indication("polyarticular_jia")
    assert jia.default_mg_per_kg(Decimal(25)) == 10
    assert jia.default_mg_per_kg(Decimal(30)) == 8
    assert p.preparation.small_patient_bag is not None
    assert any(check.blocking for check in p.pre_checks)


def test_unknown_protocol_names_the_shipped_ones() -> None:
    with pytest.raises(ProtocolError, match="infliximab"):
        load_protocol("aspirin")


def test_unknown_indication_names_the_known_ones() -> None:
    with pytest.raises(KeyError, match="crohns"):
        load_protocol("infliximab").dosing.indication("migraine")


@pytest.mark.parametrize(
    ("old", "new", "field", "expected"),
    [
        ("vial_mg = 100", 'vial_mg = "lots"', "products[0].vial_mg", "a number > 0"),
        ("vial_mg = 100", "vial_mg = -100", "products[0].vial_mg", "a number > 0"),
        ("duration_min = 120", "duration_min = 0", "administration.duration_min",
         "a whole number >= 1"),
        ('mode = "mg_per_kg"', 'mode = "per_m2"', "dosing.mode", "one of mg_per_kg, fixed"),
        ("hard_ceiling_mg_per_kg = 20", "hard_ceiling_mg_per_kg = 8",
         "dosing.hard_ceiling_mg_per_kg", "min_mg_per_kg <= label_max_mg_per_kg"),
        ("maintenance_interval_weeks = 8\nallowed", "maintenance_interval_weeks = 5\nallowed",
         "schedule.allowed_intervals_weeks", "includes the maintenance interval 5"),
        ("induction_offsets_weeks = [0, 2, 6]", "induction_offsets_weeks = [0, 6, 2]",
         "schedule.induction_offsets_weeks", "strictly increasing"),
        ("withdraw_drug_volume = true", 'withdraw_drug_volume = "yes"',
         "preparation.withdraw_drug_volume", "true or false"),
        ("rate_ml_per_h = 150", "rate_ml_per_h = 1500", "administration.titration",
         "at least 120 min"),
        ("[pre_check_notes.surgery]", '[pre_check_notes]\nsurgery = "Wait a month."\n[x]',
         "pre_check_notes.surgery", "a table"),
        ('source = "Seed 000, surgery."', "", "pre_check_notes.surgery.source",
         "a value"),
    ],
)
def test_a_malformed_protocol_names_the_file_the_field_and_what_was_expected(
    old: str, new: str, field: str, expected: str
) -> None:
    text = _infliximab_text()
    assert old in text
    with pytest.raises(ProtocolError) as caught:
        parse_protocol(text.replace(old, new, 1), "broken.toml")
    error = caught.value
    assert error.file_name == "broken.toml"
    assert error.field == field
    assert expected in error.expected
    assert str(error).startswith(f"broken.toml: field '{field}': expected ")


def test_a_missing_source_is_refused() -> None:
    line = ('source = "US label 2.3: 5 mg/kg, no higher dose labelled (clinical reference, '
            'December 2026 additions)."\n')
    text = _infliximab_text().replace(line, "", 1)
    with pytest.raises(ProtocolError, match=r"dosing\.indications\[2\]\.source"):
        parse_protocol(text, "no-source.toml")


def test_a_missing_table_is_reported_as_missing() -> None:
    text = _infliximab_text()
    start = text.index("[monitoring]")
    end = text.index("[[screening]]")
    with pytest.raises(ProtocolError, match=r"field 'monitoring'.*missing"):
        parse_protocol(text[:start] + text[end:], "x.toml")


def test_invalid_toml_is_reported_with_the_file_name() -> None:
    with pytest.raises(ProtocolError, match=r"bad\.toml.*valid TOML"):
        parse_protocol("id = [unclosed", "bad.toml")


# --- Label maxima per indication and per weight band (issue 10) -----------------------------


def _tocilizumab_text() -> str:
    return resource_path("protocols", "tocilizumab.toml").read_text(encoding="utf-8")


def test_infliximab_label_maxima_are_per_indication_with_their_source() -> None:
    dosing = load_protocol("infliximab").dosing
    maxima = {i.id: i.label_max_mg_per_kg for i in dosing.indications}
    assert maxima == {"crohns": 5, "crohns_loss_of_response": 10, "ulcerative_colitis": 5,
                      "rheumatoid_arthritis": 10, "ankylosing_spondylitis": 5,
                      "psoriatic_arthritis": 5, "plaque_psoriasis": 5}
    assert all("US label" in i.source for i in dosing.indications)


def test_tocilizumab_pjia_label_maximum_follows_the_weight_band() -> None:
    jia = load_protocol("tocilizumab").dosing.indication("polyarticular_jia")
    assert [(b.below_kg, b.mg_per_kg, b.label_max_mg_per_kg) for b in jia.weight_bands] == [
        (30, 10, 10), (None, 8, 8)]
    assert [b.text for b in jia.weight_bands] == ["under 30 kg", "at 30 kg or more"]
    assert (jia.label_max_for(Decimal("29.9")), jia.label_max_for(Decimal(30))) == (10, 8)
    assert jia.label_max_for(None) == 10  # no weight yet: the highest band, checked at the dose


_BANDS = """[[dosing.indications.weight_bands]]
below_kg = 30
mg_per_kg = 10
label_max_mg_per_kg = 10

[[dosing.indications.weight_bands]]
mg_per_kg = 8
label_max_mg_per_kg = 8
"""
_TEN = "mg_per_kg = 10\nlabel_max_mg_per_kg = 10\n"
_JIA_CAP = 'per_infusion_max_mg = 800\nsource = "Label: 10 mg/kg under'


@pytest.mark.parametrize(
    ("old", "new", "field", "expected"),
    [
        ("mg_per_kg = 8\nlabel_max_mg_per_kg = 8\n", "mg_per_kg = 8\n",
         "dosing.indications[2].weight_bands[1].label_max_mg_per_kg",
         "a label maximum on every weight band"),
        (_TEN, "mg_per_kg = 10\nlabel_max_mg_per_kg = 9\n",
         "dosing.indications[2].weight_bands[0].mg_per_kg", "at most the band's label maximum"),
        ("mg_per_kg = 8\nlabel_max_mg_per_kg = 8\n",
         "below_kg = 60\nmg_per_kg = 8\nlabel_max_mg_per_kg = 8\n",
         "dosing.indications[2].weight_bands[1].below_kg", "no below_kg on the last band"),
        ("below_kg = 30\nmg_per_kg = 10\n", "mg_per_kg = 10\n",
         "dosing.indications[2].weight_bands[0].below_kg",
         "a weight limit (only the last band is open-ended)"),
        (_JIA_CAP, "label_max_mg_per_kg = 10\n" + _JIA_CAP,
         "dosing.indications[2].label_max_mg_per_kg",
         "no indication-wide label maximum when the weight bands carry their own"),
        (_TEN, "mg_per_kg = 10\nlabel_max_mg_per_kg = 13\n",
         "dosing.indications[2].weight_bands[0].label_max_mg_per_kg",
         "at most the hard ceiling (12)"),
    ],
)
def test_a_malformed_weight_band_names_the_field_and_what_was_expected(
    old: str, new: str, field: str, expected: str
) -> None:
    text = _tocilizumab_text()
    assert _BANDS in text and old in text
    with pytest.raises(ProtocolError) as caught:
        parse_protocol(text.replace(old, new, 1), "broken.toml")
    assert caught.value.field == field
    assert expected in caught.value.expected


def test_an_indication_default_above_its_own_label_maximum_is_refused() -> None:
    text = _infliximab_text()
    old = "mg_per_kg = 10\nlabel_max_mg_per_kg = 10\n"
    assert old in text
    with pytest.raises(ProtocolError) as caught:
        parse_protocol(text.replace(old, "mg_per_kg = 10\nlabel_max_mg_per_kg = 8\n", 1), "x")
    assert caught.value.field == "dosing.indications[1].mg_per_kg"
    assert "at most the label maximum for the indication (8)" in caught.value.expected


def test_an_indication_label_maximum_above_the_hard_ceiling_is_refused() -> None:
    text = _infliximab_text()
    old = "mg_per_kg = 10\nlabel_max_mg_per_kg = 10\n"
    with pytest.raises(ProtocolError) as caught:
        parse_protocol(text.replace(old, "mg_per_kg = 10\nlabel_max_mg_per_kg = 25\n", 1), "x")
    assert caught.value.field == "dosing.indications[1].label_max_mg_per_kg"
