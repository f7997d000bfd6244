"""Read a scanned GS1 vial barcode: product (GTIN), lot and expiry in one go.

Rule: a vial carton's GS1 DataMatrix carries the element strings AI (01) GTIN, AI (10) batch/lot
and AI (17) expiry date (YYMMDD; day 00 means the last day of that month), optionally behind a
symbology identifier such as ``]d2`` and with the group separator (ASCII 29) after the
variable-length lot. Source: GS1 General Specifications, sections 3.2 (AI 01), 3.4.1 (AI 10),
3.4.6 (AI 17) and 7.8 (symbology identifiers); parsed with the maintained ``biip`` library.

The GTIN must belong to a product of the visit's protocol (``[[products.gtins]]`` in
``resources/protocols/*.toml``, entered by the clinic), and an expired lot is refused.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import biip

from clinic_app.domain.dates import date_text
from clinic_app.domain.errors import InvalidInput
from clinic_app.domain.gs1_codes import (
    GROUP_SEPARATOR,
    SEPARATOR_STAND_INS,
    gtin_is_valid,
    looks_like_scan,
    normalise_gtin,
)
from clinic_app.domain.protocol_model import Product, Protocol


@dataclass(frozen=True)
class VialScan:
    """The three fields read from one scan."""

    gtin: str
    lot: str
    expiry: date


@dataclass(frozen=True)
class ScannedVial:
    """A scan matched to a product of the protocol."""

    product: Product
    gtin: str
    lot: str
    expiry: date


def parse_vial_scan(text: str) -> VialScan:
    """Parse a scan into GTIN, lot and expiry, or raise :class:`InvalidInput` saying why."""
    body = text.strip()
    for stand_in in SEPARATOR_STAND_INS:
        body = body.replace(stand_in, GROUP_SEPARATOR)
    if not body:
        raise InvalidInput("scan", "Scan the barcode on the vial carton.")
    try:
        result = biip.parse(body)
    except biip.ParseError as exc:
        raise InvalidInput("scan", f"This barcode could not be read as a GS1 code: {exc}") from None
    message = result.gs1_message
    if message is None:
        if result.gtin is not None:
            raise InvalidInput(
                "scan",
                "This is the product code only (no lot or expiry): scan "
                "the square 2D code on the carton.",
            )
        if result.gs1_message_error and looks_like_scan(body):
            raise InvalidInput(
                "scan",
                "This scan could not be read: "
                f"{result.gs1_message_error} Scan again or type the lot.",
            )
        raise InvalidInput(
            "scan",
            "This barcode is not a GS1 vial code (product, lot and "
            "expiry). Scan the 2D code on the carton or type the lot.",
        )
    found = {ai: message.element_strings.get(ai=ai) for ai in ("01", "10", "17")}
    missing = [
        name
        for ai, name in (("01", "product code (01)"), ("10", "lot (10)"), ("17", "expiry (17)"))
        if found[ai] is None
    ]
    if missing:
        raise InvalidInput(
            "scan",
            "The scanned code has no "
            + " and no ".join(missing)
            + ": type the lot and expiry from the carton.",
        )
    gtin_es, lot_es, expiry_es = found["01"], found["10"], found["17"]
    assert gtin_es is not None and lot_es is not None and expiry_es is not None
    if not gtin_is_valid(gtin_es.value):
        raise InvalidInput(
            "scan", f"The product code {gtin_es.value} has a wrong check digit: scan again."
        )
    if expiry_es.date is None:
        raise InvalidInput("scan", f"The expiry {expiry_es.value} in the scan is not a date.")
    return VialScan(gtin=gtin_es.value, lot=lot_es.value, expiry=expiry_es.date)


def match_vial_scan(
    scan: VialScan, protocol: Protocol, *, today: date, allowed: tuple[str, ...] | None = None
) -> ScannedVial:
    """Match a parsed scan to a product of ``protocol`` and refuse an expired lot.

    ``allowed`` limits the match to product names (e.g. the vials of the dose plan).
    """
    product = next(
        (p for p in protocol.products if any(normalise_gtin(g.gtin) == scan.gtin for g in p.gtins)),
        None,
    )
    if product is None:
        raise InvalidInput(
            "scan",
            f"Product code {scan.gtin} is not one of the {protocol.drug} vials of "
            "this protocol: it may be another drug. Check the vial; "
            "if it is right, the clinic adds its code to the protocol.",
        )
    if allowed is not None and product.name not in allowed:
        raise InvalidInput(
            "scan", f"{product.name} is not in this dose plan; products: {', '.join(allowed)}."
        )
    if scan.expiry < today:
        raise InvalidInput(
            "scan", f"Lot {scan.lot} expired on {date_text(scan.expiry)}: do not use it."
        )
    return ScannedVial(product=product, gtin=scan.gtin, lot=scan.lot, expiry=scan.expiry)
