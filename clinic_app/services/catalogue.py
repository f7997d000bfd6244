"""The shipped protocols, loaded once per process, and the codes they define.

Protocols are read-only resources, so caching them is safe; the services look up screening kinds
and contraindication codes here to refuse a typo before it reaches the record.
"""

from __future__ import annotations

from functools import cache

from clinic_app.domain.errors import InvalidInput, ProtocolError
from clinic_app.domain.protocol_model import Protocol
from clinic_app.domain.protocols import load_all_protocols, load_protocol, protocol_ids


@cache
def protocol(protocol_id: str) -> Protocol:
    """The protocol with this id (cached); :class:`InvalidInput` on ``protocol_id`` if unknown."""
    try:
        return load_protocol(protocol_id)
    except ProtocolError:
        known = ", ".join(protocol_ids())
        raise InvalidInput(
            "protocol_id", f"No protocol {protocol_id!r}; the shipped ones are: {known}."
        ) from None


@cache
def _all() -> tuple[Protocol, ...]:
    return tuple(load_all_protocols())


@cache
def screening_kinds() -> dict[str, str]:
    """Every screening kind a protocol asks for, with its name (e.g. "tb": "TB screening")."""
    return {req.kind: req.name for p in _all() for req in p.screening}


@cache
def contraindication_codes() -> dict[str, str]:
    """Every contraindication code the protocols list, with its text."""
    return {c.code: c.text for p in _all() for c in p.contraindications}
