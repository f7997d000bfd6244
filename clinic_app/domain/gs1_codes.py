"""GS1 codes without the parser: GTIN check digits and telling a scan from a typed lot.

Kept apart from :mod:`clinic_app.domain.vial_scan` so loading the protocols (which validate
their GTINs) and the lot form do not load the GS1 parser before a scan is read.
Source: GS1 General Specifications, section 7.9.1 (standard check digit calculation).
"""

from __future__ import annotations

GROUP_SEPARATOR = "\x1d"
#: Visible stand-ins some keyboard-wedge scanners (and the lot field) use for the separator.
SEPARATOR_STAND_INS = ("<GS>", "{GS}", "\u241d")


def check_digit(digits: str) -> int:
    """The GS1 standard check digit of ``digits`` (weights 3, 1, 3, ... from the right)."""
    total = sum(int(d) * (3 if i % 2 == 0 else 1) for i, d in enumerate(reversed(digits)))
    return (10 - total % 10) % 10


def gtin_is_valid(gtin: str) -> bool:
    """True for an 8, 12, 13 or 14 digit GTIN whose last digit is the GS1 check digit."""
    if not (gtin.isascii() and gtin.isdigit() and len(gtin) in (8, 12, 13, 14)):
        return False
    return check_digit(gtin[:-1]) == int(gtin[-1])


def normalise_gtin(gtin: str) -> str:
    """A GTIN as the 14 digits GS1 element string AI (01) carries (left-padded with zeros)."""
    return gtin.rjust(14, "0")


def looks_like_scan(text: str) -> bool:
    """True when typed text is a GS1 element string rather than a lot number typed by hand.

    A scan starts with a symbology identifier (``]d2``, ``]C1``, ``]Q3``) or with AI (01) and
    14 digits, or holds a group separator.
    """
    body = text.strip()
    if body.startswith("]") or any(g in body for g in (GROUP_SEPARATOR, *SEPARATOR_STAND_INS)):
        return True
    return body.startswith("01") and len(body) > 16 and body[2:16].isdigit()
