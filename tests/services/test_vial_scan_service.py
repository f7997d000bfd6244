"""Scanning a vial carton at a visit: real-format GS1 strings with the group separator."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest
from visit_fixtures import PRODUCT_INFLIXIMAB, book_first_dose

from clinic_app.domain.errors import InvalidInput
from clinic_app.services.context import ServiceContext
from clinic_app.services.patients.dto import PatientSummary
from clinic_app.services.visits import get_visit, open_visit, read_vial_scan, record_scanned_lot

GS = "\x1d"
INFLIXIMAB_GTIN = "00614141999996"  # example code in infliximab.toml (GS1 example prefix)
VEDOLIZUMAB_GTIN = "00614141999989"


def _visit(ctx: ServiceContext, patient: PatientSummary) -> int:
    booking = book_first_dose(ctx, patient.id)
    return open_visit(ctx, appointment_id=booking.appointment_id, weight="72.5").id


def test_a_scan_gives_the_fields_for_the_form(ctx: ServiceContext, patient: PatientSummary) -> None:
    visit_id = _visit(ctx, patient)
    read = read_vial_scan(
        ctx, visit_id=visit_id, scan=f"]d201{INFLIXIMAB_GTIN}10IFX2291{GS}17270600"
    )
    assert (read.product_name, read.gtin, read.lot, read.expiry) == (
        PRODUCT_INFLIXIMAB,
        INFLIXIMAB_GTIN,
        "IFX2291",
        date(2027, 6, 30),
    )


def test_a_scan_records_the_lot_audited(ctx: ServiceContext, patient: PatientSummary) -> None:
    visit_id = _visit(ctx, patient)
    entry = record_scanned_lot(
        ctx, visit_id=visit_id, scan=f"01{INFLIXIMAB_GTIN}1727013110IFX-77/B{GS}"
    )
    assert (entry.product, entry.lot_number, entry.expiry_date) == (
        PRODUCT_INFLIXIMAB,
        "IFX-77/B",
        date(2027, 1, 31),
    )
    assert entry.recorded_by == "Anna Keller" and entry.recorded_at is not None
    lots = get_visit(ctx, visit_id=visit_id).lots
    assert [(lot.lot_number, lot.vials) for lot in lots] == [("IFX-77/B", entry.vials)]


@pytest.mark.parametrize(
    ("scan", "message"),
    [
        (
            f"]d201{VEDOLIZUMAB_GTIN}10V1{GS}17270630",
            "not one of the Infliximab vials of this protocol",
        ),
        (f"]d201{INFLIXIMAB_GTIN}10OLD1{GS}17260301", "Lot OLD1 expired on"),
        (f"]d201{INFLIXIMAB_GTIN}17270630", r"no lot \(10\)"),
        ("IFX2291", "not a GS1 vial code"),
    ],
)
def test_a_refused_scan_writes_nothing(
    ctx: ServiceContext,
    patient: PatientSummary,
    table_counts: Callable[[], dict[str, int]],
    scan: str,
    message: str,
) -> None:
    visit_id = _visit(ctx, patient)
    before = table_counts()
    with pytest.raises(InvalidInput, match=message):
        record_scanned_lot(ctx, visit_id=visit_id, scan=scan)
    assert table_counts() == before
