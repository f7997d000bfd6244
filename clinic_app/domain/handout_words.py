"""The patient's words for what to watch for at home, from ``resources/handout.toml``.

The schedule handout is for the patient: the staff-facing sign catalogue ("Arthralgia",
"polyarthralgia, hand and face oedema") is not. Rules:

- Every delayed sign of the catalogue (:func:`clinic_app.domain.reactions.all_signs`) has plain
  words here; a catalogue sign without them is refused when the file is loaded, so the handout
  never falls back to the nurse's terms.
- A protocol's delayed signs (``[reactions] watch_delayed``) come first, then the drug's own
  signs (vedolizumab: new confusion, weakness or problems seeing, the signs of progressive
  multifocal leukoencephalopathy its US label and Medication Guide name), then the signs of
  infection (every drug here: the labels' serious infections).
- Each text has its ``source``; the source is never printed.
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from typing import Any

from clinic_app.domain.errors import ProtocolError
from clinic_app.domain.protocol_model import Protocol
from clinic_app.domain.protocols import protocol_ids
from clinic_app.domain.reactions import SignKind, all_signs
from clinic_app.resource_files import resource_path

_FILE = "handout.toml"
SCHEMA_VERSION = 1


@dataclass(frozen=True)
class PlainSign:
    """A sign in the patient's words: a short ``label`` and what it looks like."""

    label: str
    text: str
    source: str


@dataclass(frozen=True)
class HandoutWords:
    """The plain words of the handout, by delayed-sign code and by protocol id."""

    delayed_signs: Mapping[str, PlainSign]
    infection: PlainSign
    emergency_signs: str
    drug_signs: Mapping[str, tuple[PlainSign, ...]]

    def signs_to_watch(self, protocol: Protocol) -> tuple[PlainSign, ...]:
        """What a patient on this drug watches for at home, in the order of the module rules."""
        delayed = (self.delayed_signs[code] for code in protocol.reactions.watch_delayed)
        return (*delayed, *self.drug_signs.get(protocol.id, ()), self.infection)


def _text(table: dict[str, Any], key: str, where: str) -> str:
    value = table.get(key)
    if not isinstance(value, str) or not value.strip():
        raise ProtocolError(_FILE, f"{where}{key}", "a non-empty text", repr(value))
    return value.strip()


def _table(data: dict[str, Any], key: str, where: str = "") -> dict[str, Any]:
    value = data.get(key)
    if not isinstance(value, dict):
        raise ProtocolError(_FILE, f"{where}{key}", "a table", repr(value))
    return value


def _sign(table: object, where: str) -> PlainSign:
    if not isinstance(table, dict):
        raise ProtocolError(_FILE, where.rstrip("."), "a table", repr(table))
    return PlainSign(label=_text(table, "label", where), text=_text(table, "text", where),
                     source=_text(table, "source", where))


def _delayed_signs(data: dict[str, Any]) -> dict[str, PlainSign]:
    """Plain words for exactly the catalogue's delayed signs."""
    raw = _table(data, "delayed_signs")
    needed = sorted(s.code for s in all_signs() if s.kind is SignKind.DELAYED)
    if sorted(raw) != needed:
        raise ProtocolError(_FILE, "delayed_signs", "plain words for each delayed sign of the "
                            "catalogue: " + ", ".join(needed), ", ".join(sorted(raw)))
    return {code: _sign(raw[code], f"delayed_signs.{code}.") for code in needed}


def _drug_signs(data: dict[str, Any]) -> dict[str, tuple[PlainSign, ...]]:
    raw = data.get("drug_signs", {})
    if not isinstance(raw, dict):
        raise ProtocolError(_FILE, "drug_signs", "a table of protocol ids", repr(raw))
    known = protocol_ids()
    out: dict[str, tuple[PlainSign, ...]] = {}
    for drug, items in raw.items():
        if drug not in known or not isinstance(items, list) or not items:
            raise ProtocolError(_FILE, f"drug_signs.{drug}", "a list of signs under a shipped "
                                "protocol id: " + ", ".join(known), repr(items))
        out[drug] = tuple(_sign(item, f"drug_signs.{drug}[{i}].")
                          for i, item in enumerate(items))
    return out


def parse_handout_words(text: str) -> HandoutWords:
    """Validated plain words from the TOML text of ``handout.toml``."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ProtocolError(_FILE, "(file)", "valid TOML", str(exc)) from None
    if data.get("schema_version") != SCHEMA_VERSION:
        raise ProtocolError(_FILE, "schema_version", str(SCHEMA_VERSION),
                            repr(data.get("schema_version")))
    emergency = _table(data, "emergency")
    _text(emergency, "source", "emergency.")
    return HandoutWords(
        delayed_signs=_delayed_signs(data),
        infection=_sign(_table(data, "infection"), "infection."),
        emergency_signs=_text(emergency, "text", "emergency."), drug_signs=_drug_signs(data))


@cache
def handout_words() -> HandoutWords:
    """The shipped plain words (``resources/handout.toml``)."""
    return parse_handout_words(resource_path(_FILE).read_text(encoding="utf-8"))
