"""A protocol file's TOML table with typed, validated accessors (used by the protocol loader).

Every accessor reports a bad value as :class:`ProtocolError` naming the file, the dotted field
path and what was expected, so a pharmacist editing a protocol sees at once what to fix.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from clinic_app.domain.errors import ProtocolError

MISSING = object()


class ProtocolTable:
    """A TOML table with typed, validated accessors that report the dotted field path."""

    def __init__(self, file_name: str, data: dict[str, Any], path: str = "") -> None:
        self.file_name = file_name
        self.data = data
        self.path = path

    def _field(self, key: str) -> str:
        return f"{self.path}.{key}" if self.path else key

    def fail(self, key: str, expected: str, got: object = MISSING) -> ProtocolError:
        shown = "nothing (the field is missing)" if got is MISSING else repr(got)
        return ProtocolError(self.file_name, self._field(key), expected, shown)

    def _get(self, key: str, default: object) -> object:
        value = self.data.get(key, default)
        if value is MISSING:
            raise self.fail(key, "a value")
        return value

    def text(self, key: str, default: object = MISSING) -> str:
        value = self._get(key, default)
        if not isinstance(value, str) or not value.strip():
            raise self.fail(key, "a non-empty text", value)
        return value.strip()

    def opt_text(self, key: str) -> str | None:
        return self.text(key) if key in self.data else None

    def boolean(self, key: str, default: object = MISSING) -> bool:
        value = self._get(key, default)
        if not isinstance(value, bool):
            raise self.fail(key, "true or false", value)
        return value

    def integer(self, key: str, default: object = MISSING, *, minimum: int = 0) -> int:
        value = self._get(key, default)
        if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
            raise self.fail(key, f"a whole number >= {minimum}", value)
        return value

    def opt_integer(self, key: str, *, minimum: int = 0) -> int | None:
        return self.integer(key, minimum=minimum) if key in self.data else None

    def decimal(self, key: str, default: object = MISSING, *, positive: bool = True) -> Decimal:
        value = self._get(key, default)
        return self._to_decimal(key, value, positive=positive)

    def opt_decimal(self, key: str) -> Decimal | None:
        return self.decimal(key) if key in self.data else None

    def _to_decimal(self, key: str, value: object, *, positive: bool) -> Decimal:
        expected = "a number > 0" if positive else "a number >= 0"
        if isinstance(value, bool) or not isinstance(value, int | float | str):
            raise self.fail(key, expected, value)
        try:
            number = Decimal(str(value))
        except InvalidOperation:
            raise self.fail(key, expected, value) from None
        if not number.is_finite() or number < 0 or (positive and number == 0):
            raise self.fail(key, expected, value)
        return number

    def decimals(self, key: str) -> tuple[Decimal, ...]:
        items = self._get(key, MISSING)
        if not isinstance(items, list) or not items:
            raise self.fail(key, "a non-empty list of numbers", items)
        return tuple(self._to_decimal(key, item, positive=True) for item in items)

    def integers(self, key: str, *, minimum: int = 0) -> tuple[int, ...]:
        items = self._get(key, MISSING)
        ok = (
            isinstance(items, list)
            and items
            and all(isinstance(i, int) and not isinstance(i, bool) and i >= minimum for i in items)
        )
        if not ok:
            raise self.fail(key, f"a non-empty list of whole numbers >= {minimum}", items)
        return tuple(items)  # type: ignore[arg-type]

    def texts(self, key: str, default: object = MISSING) -> tuple[str, ...]:
        items = self._get(key, default)
        if not isinstance(items, list) or not all(isinstance(i, str) and i for i in items):
            raise self.fail(key, "a list of texts", items)
        return tuple(items)

    def table(self, key: str) -> ProtocolTable:
        value = self._get(key, MISSING)
        if not isinstance(value, dict):
            raise self.fail(key, "a table", value)
        return ProtocolTable(self.file_name, value, self._field(key))

    def opt_table(self, key: str) -> ProtocolTable | None:
        return self.table(key) if key in self.data else None

    def tables(self, key: str, *, required: bool = True) -> list[ProtocolTable]:
        value = self._get(key, MISSING if required else [])
        if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
            raise self.fail(key, "a list of tables ([[...]])", value)
        if required and not value:
            raise self.fail(key, "at least one entry", value)
        return [
            ProtocolTable(self.file_name, v, f"{self._field(key)}[{i}]")
            for i, v in enumerate(value)
        ]

    def choice(self, key: str, options: tuple[str, ...]) -> str:
        value = self.text(key)
        if value not in options:
            raise self.fail(key, "one of " + ", ".join(options), value)
        return value

    def source(self) -> str:
        """Every rule table names where it comes from."""
        return self.text("source")

    def check(self, ok: bool, key: str, expected: str, got: object) -> None:
        if not ok:
            raise self.fail(key, expected, got)
