"""The patient's words for what to watch for at home (resources/handout.toml)."""

from __future__ import annotations

import pytest

from clinic_app.domain.errors import ProtocolError
from clinic_app.domain.handout_words import handout_words, parse_handout_words
from clinic_app.domain.protocols import load_protocol
from clinic_app.domain.reactions import SignKind, all_signs
from clinic_app.resource_files import resource_path

SHIPPED = resource_path("handout.toml").read_text(encoding="utf-8")


def test_every_delayed_sign_of_the_catalogue_has_the_patients_words() -> None:
    delayed = {s.code for s in all_signs() if s.kind is SignKind.DELAYED}
    words = handout_words()
    assert set(words.delayed_signs) == delayed
    for code in delayed:
        catalogue_label = next(s.label for s in all_signs() if s.code == code)
        assert words.delayed_signs[code].label != catalogue_label


def test_a_drug_lists_its_delayed_signs_then_its_own_then_infection() -> None:
    words = handout_words()
    labels = [s.label for s in words.signs_to_watch(load_protocol("vedolizumab"))]
    assert labels == ["Joint pain", "Skin rash", "New confusion, weakness or problems seeing",
                      "Signs of infection"]
    assert [s.label for s in words.signs_to_watch(load_protocol("tocilizumab"))] == [
        "Skin rash", "Signs of infection"]


def test_a_catalogue_sign_without_plain_words_is_refused() -> None:
    start = SHIPPED.index("[delayed_signs.myalgia]")
    end = SHIPPED.index("[delayed_signs.joint_stiffness]")
    with pytest.raises(ProtocolError) as refused:
        parse_handout_words(SHIPPED[:start] + SHIPPED[end:])
    assert refused.value.field == "delayed_signs"
    assert "myalgia" in refused.value.expected


def test_signs_for_a_drug_that_is_not_shipped_are_refused() -> None:
    broken = SHIPPED.replace("[[drug_signs.vedolizumab]]", "[[drug_signs.natalizumab]]")
    with pytest.raises(ProtocolError, match=r"drug_signs\.natalizumab"):
        parse_handout_words(broken)


def test_every_text_names_its_source() -> None:
    broken = SHIPPED.replace('source = "Sign catalogue \'myalgia\'', 'note = "Sign catalogue', 1)
    with pytest.raises(ProtocolError, match=r"delayed_signs\.myalgia\.source"):
        parse_handout_words(broken)
