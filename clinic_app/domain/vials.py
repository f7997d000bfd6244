"""Which vials to open for a dose.

Rule (clinical reference, tocilizumab: "choose the combination with the least waste"): the vials
always cover the dose; among the combinations that do, the one with the least total mg (least
waste) wins, then the one with the fewest vials; a remaining tie goes to the combination using the
larger vials. The vial sizes come from ``protocol.products``.

The search runs over whole-vial totals in steps of the greatest common divisor of the vial sizes
(e.g. 40 mg for 80/200/400 mg), keeping the fewest vials that make each total exactly.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from clinic_app.domain.protocol_model import Product


@dataclass(frozen=True)
class VialUse:
    """``count`` vials of one product."""

    product: Product
    count: int

    @property
    def vial_mg(self) -> Decimal:
        """The size of one vial."""
        return self.product.vial_mg

    @property
    def mg(self) -> Decimal:
        """The drug in all these vials."""
        return self.product.vial_mg * self.count


@dataclass(frozen=True)
class VialSelection:
    """The vials opened for one dose, largest size first."""

    vials: tuple[VialUse, ...]

    @property
    def total_mg(self) -> Decimal:
        """The drug in all opened vials."""
        return sum((v.mg for v in self.vials), Decimal(0))

    @property
    def vial_count(self) -> int:
        """How many vials are opened."""
        return sum(v.count for v in self.vials)


def _step_mg(sizes: Sequence[Decimal]) -> Decimal:
    """The greatest common divisor of the vial sizes (they may have decimals)."""
    places = max(max(0, -int(s.as_tuple().exponent)) for s in sizes)
    scale = 10**places
    return Decimal(math.gcd(*(int(s * scale) for s in sizes))) / Decimal(scale)


class _WholeVialTotals:
    """For each whole-vial total up to the first one covering ``dose_mg``: the fewest vials."""

    def __init__(self, products: Sequence[Product], dose_mg: Decimal) -> None:
        self.step = _step_mg([p.vial_mg for p in products])
        self.products: dict[int, Product] = {}
        for product in sorted(products, key=lambda p: p.vial_mg, reverse=True):
            self.products.setdefault(int(product.vial_mg / self.step), product)
        sizes = list(self.products)  # largest first
        self.dose_steps = dose_mg / self.step
        top = math.ceil(self.dose_steps) + sizes[0]
        self.fewest: list[int | None] = [0] + [None] * top
        self.last: list[int] = [0] * (top + 1)
        for total in range(1, top + 1):
            for size in sizes:
                before = self.fewest[total - size] if size <= total else None
                best = self.fewest[total]
                if before is not None and (best is None or before + 1 < best):
                    self.fewest[total], self.last[total] = before + 1, size

    def covering(self) -> int:
        """The smallest reachable total (in steps) at or above the dose."""
        start = math.ceil(self.dose_steps)
        return next(t for t in range(start, len(self.fewest)) if self.fewest[t] is not None)

    def below(self) -> int | None:
        """The largest reachable total (in steps) above 0 and at or below the dose."""
        start = math.floor(self.dose_steps)
        return next((t for t in range(start, 0, -1) if self.fewest[t] is not None), None)

    def selection(self, total: int) -> VialSelection:
        counts: dict[int, int] = {}
        while total:
            size = self.last[total]
            counts[size] = counts.get(size, 0) + 1
            total -= size
        return VialSelection(tuple(
            VialUse(product=self.products[size], count=counts[size])
            for size in self.products if size in counts
        ))


def select_vials(products: Sequence[Product], dose_mg: Decimal) -> VialSelection:
    """The vials for ``dose_mg``: cover it, least waste, then fewest vials."""
    table = _WholeVialTotals(products, dose_mg)
    return table.selection(table.covering())


def whole_vial_neighbours(
    products: Sequence[Product], dose_mg: Decimal
) -> tuple[Decimal | None, Decimal]:
    """The whole-vial totals around ``dose_mg``: the largest at or below it (None when not even
    one vial fits under it) and the smallest at or above it."""
    table = _WholeVialTotals(products, dose_mg)
    below = table.below()
    return (
        None if below is None else below * table.step,
        table.covering() * table.step,
    )
