"""The audit trail in words (issue 12)."""

from __future__ import annotations

from datetime import datetime

from clinic_app.domain.audit_words import audit_sentence, field_label

AT = datetime(2026, 12, 5, 9, 14)


def test_a_changed_weight_reads_as_a_sentence_with_label_units_nurse_and_time() -> None:
    assert audit_sentence(action="update", field="weight_kg", old="72.00", new="74",
                          nurse="Anna Nowak", at_local=AT) == \
        "Weight changed 72 kg -> 74 kg by Anna Nowak at 5 Dec 2026 09:14"


def test_a_new_value_and_an_unknown_field_read_in_words() -> None:
    assert audit_sentence(action="insert", field="substance", old=None, new="Penicillin",
                          nurse="Anna Nowak", at_local=AT) == \
        "Allergy set to Penicillin by Anna Nowak at 5 Dec 2026 09:14"
    assert field_label("not_given_reason").label == "Not given reason"
