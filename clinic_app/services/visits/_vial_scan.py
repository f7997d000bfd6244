"""Scanning a vial carton's GS1 barcode: the product, lot and expiry of a visit in one go.

:func:`read_vial_scan` checks a scan against the visit's protocol and dose plan and returns the
fields for the lot form; :func:`record_scanned_lot` records the lot through :func:`record_lot`
(one transaction, audited; the same checks run again there).
"""

from __future__ import annotations

from clinic_app.domain.vial_scan import match_vial_scan, parse_vial_scan
from clinic_app.services.context import ServiceContext
from clinic_app.services.visits._recording import record_lot
from clinic_app.services.visits._state import load_visit
from clinic_app.services.visits.dto import LotEntry, ScannedLot


def read_vial_scan(ctx: ServiceContext, *, visit_id: int, scan: str) -> ScannedLot:
    """The product, lot and expiry of a scanned carton, refused (:class:`InvalidInput`) when
    the code cannot be read, the product is not one of this visit's dose plan (e.g. another
    drug), or the lot has expired."""
    parsed = parse_vial_scan(scan)
    with ctx.unit_of_work() as uow:
        loaded = load_visit(ctx, uow, visit_id)
        planned = tuple(v.product.name for v in loaded.snapshot.plan.vials)
        vial = match_vial_scan(
            parsed, loaded.protocol, today=ctx.local_now().date(), allowed=planned
        )
    return ScannedLot(
        product_name=vial.product.name, gtin=vial.gtin, lot=vial.lot, expiry=vial.expiry
    )


def record_scanned_lot(
    ctx: ServiceContext, *, visit_id: int, scan: str, vials: int | str | None = None
) -> LotEntry:
    """Record the lot of a scanned carton for the visit (see :func:`read_vial_scan`)."""
    read = read_vial_scan(ctx, visit_id=visit_id, scan=scan)
    return record_lot(
        ctx,
        visit_id=visit_id,
        product_name=read.product_name,
        lot=read.lot,
        expiry=read.expiry,
        vials=vials,
    )
