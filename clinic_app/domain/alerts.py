"""Warnings the clinical rules raise without refusing: shown to the nurse where she decides.

Each carries a stable upper-case ``code`` (tests, the store and the UI key on it) and a
plain-English ``message``. ``requires_override`` marks a warning that must not be passed without a
recorded reason (e.g. a dose above the label maximum); ``requires_ack`` one that the nurse must
acknowledge (e.g. a weight change over 10 %).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ClinicalWarning:
    """One warning: a stable code and the text shown to the nurse."""

    code: str
    message: str
    requires_override: bool = False
    requires_ack: bool = False

    def __post_init__(self) -> None:
        if not self.code or self.code != self.code.upper():
            raise ValueError(f"warning codes are upper-case, got {self.code!r}")
