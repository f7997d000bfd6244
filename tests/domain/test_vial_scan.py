"""GS1 vial scans: real-format element strings with symbology prefix and group separator."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from clinic_app.domain.errors import InvalidInput, ProtocolError
from clinic_app.domain.gs1_codes import check_digit, gtin_is_valid, looks_like_scan
from clinic_app.domain.protocols import load_protocol, parse_protocol
from clinic_app.domain.vial_scan import match_vial_scan, parse_vial_scan
from clinic_app.resource_files import resource_path

GS = "\x1d"
INFLIXIMAB_GTIN = "00614141999996"  # example code in infliximab.toml (GS1 example prefix)
VEDOLIZUMAB_GTIN = "00614141999989"
TODAY = date(2026, 12, 5)


def test_datamatrix_scan_with_prefix_and_group_separator() -> None:
    scan = parse_vial_scan(f"]d201{INFLIXIMAB_GTIN}10AB12C{GS}17270630")
    assert (scan.gtin, scan.lot, scan.expiry) == (INFLIXIMAB_GTIN, "AB12C", date(2027, 6, 30))


def test_expiry_first_then_lot_without_prefix() -> None:
    scan = parse_vial_scan(f"01{INFLIXIMAB_GTIN}1727013110LOT-7/X")
    assert (scan.lot, scan.expiry) == ("LOT-7/X", date(2027, 1, 31))


def test_day_00_means_end_of_month() -> None:
    assert parse_vial_scan(f"]d201{INFLIXIMAB_GTIN}1728020010L1").expiry == date(2028, 2, 29)


def test_scan_without_lot_or_expiry_is_refused_clearly() -> None:
    with pytest.raises(InvalidInput, match=r"no lot \(10\)"):
        parse_vial_scan(f"]d201{INFLIXIMAB_GTIN}17270630")
    with pytest.raises(InvalidInput, match="product code only"):
        parse_vial_scan(INFLIXIMAB_GTIN)


def test_wrong_check_digit_is_refused() -> None:
    with pytest.raises(InvalidInput, match="check digit"):
        parse_vial_scan(f"]d20100614141999995{'10'}AB1{GS}17270630")


def test_impossible_expiry_date_is_refused() -> None:
    with pytest.raises(InvalidInput, match="could not be read"):
        parse_vial_scan(f"]d201{INFLIXIMAB_GTIN}10AB12C{GS}17270631")  # 31 June


def test_not_a_gs1_code() -> None:
    with pytest.raises(InvalidInput):
        parse_vial_scan("hello")


def test_match_to_the_protocol_product() -> None:
    protocol = load_protocol("infliximab")
    vial = match_vial_scan(
        parse_vial_scan(f"]d201{INFLIXIMAB_GTIN}10AB12C{GS}17270630"), protocol, today=TODAY
    )
    assert vial.product == protocol.products[0]
    assert vial.lot == "AB12C"


def test_product_of_another_drug_is_refused() -> None:
    scan = parse_vial_scan(f"]d201{VEDOLIZUMAB_GTIN}10V1{GS}17270630")
    with pytest.raises(
        InvalidInput,
        match="not one of the Infliximab vials of this protocol: it may be another drug",
    ):
        match_vial_scan(scan, load_protocol("infliximab"), today=TODAY)


def test_expired_lot_is_refused_and_today_is_still_usable() -> None:
    protocol = load_protocol("infliximab")
    expired = parse_vial_scan(f"]d201{INFLIXIMAB_GTIN}10OLD1{GS}17261204")
    with pytest.raises(InvalidInput, match="OLD1 expired on"):
        match_vial_scan(expired, protocol, today=TODAY)
    today = parse_vial_scan(f"]d201{INFLIXIMAB_GTIN}10NEW1{GS}17261205")
    assert match_vial_scan(today, protocol, today=TODAY).lot == "NEW1"


def test_looks_like_scan_tells_a_scan_from_a_typed_lot() -> None:
    assert looks_like_scan(f"]d201{INFLIXIMAB_GTIN}10AB12C{GS}17270630")
    assert looks_like_scan(f"01{INFLIXIMAB_GTIN}10AB12C{GS}17270630")
    assert not looks_like_scan("AB12C")
    assert not looks_like_scan("0112")


@pytest.mark.parametrize(
    ("gtin", "ok"),
    [
        ("00614141999996", True),
        ("614141999996", True),
        ("00614141999995", False),
        ("0061414199999", False),
        ("ABCDEFGHIJKLMN", False),
        ("٠٠٦١٤١٤١٩٩٩٩٩٦", False),
    ],
)
def test_gtin_check_digit(gtin: str, ok: bool) -> None:
    assert gtin_is_valid(gtin) is ok


def test_protocol_refuses_a_gtin_with_a_bad_check_digit() -> None:
    text = resource_path("protocols", "infliximab.toml").read_text(encoding="utf-8")
    with pytest.raises(ProtocolError, match="check digit"):
        parse_protocol(text.replace(INFLIXIMAB_GTIN, "00614141999995"), "infliximab.toml")


@pytest.mark.parametrize("payload", ["0061414199999", "400638133393", "9501101530", "1234567"])
def test_check_digit_agrees_with_biip(payload: str) -> None:
    from biip.checksums import gs1_standard_check_digit

    assert check_digit(payload) == gs1_standard_check_digit(payload)


def test_shipped_example_gtins_are_marked_as_examples() -> None:
    """The shipped codes use GS1's example company prefix and say so: the clinic enters its own."""
    for protocol_id in ("infliximab", "vedolizumab"):
        gtins = [g for p in load_protocol(protocol_id).products for g in p.gtins]
        assert gtins
        for g in gtins:
            assert g.gtin.startswith("00614141") and g.note.startswith("Example code for testing")


def test_a_product_of_the_drug_not_in_the_dose_plan_is_refused() -> None:
    scan = parse_vial_scan(f"]d201{INFLIXIMAB_GTIN}10AB12C{GS}17270630")
    with pytest.raises(InvalidInput, match="not in this dose plan; products: Other vial"):
        match_vial_scan(scan, load_protocol("infliximab"), today=TODAY, allowed=("Other vial",))


@settings(max_examples=200)
@given(st.text(st.characters(exclude_categories=()), max_size=60))
def test_any_text_is_read_or_refused_with_a_message(text: str) -> None:
    for scan in (text, f"]d201{INFLIXIMAB_GTIN}10{text}", f"01{INFLIXIMAB_GTIN}17{text}"):
        try:
            parse_vial_scan(scan)
        except InvalidInput as exc:
            assert str(exc)
