"""The mark a reaction leaves on the pump event it caused, so the report can find it again."""

from __future__ import annotations


def pump_marker(reaction_id: int) -> str:
    """The text a pause or stop recorded for a reaction carries in its note: "(reaction 12"
    (followed by ")" or by ": <term> grade <n>)")."""
    return f"(reaction {reaction_id}"
