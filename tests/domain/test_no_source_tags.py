"""Nurse- and patient-facing text never carries source tags such as "(seed 000)" or
"(seed 001, label)": where a rule comes from stays in the data's ``source`` fields and in the
clinical reference, not in what the nurse reads at the chair (issue 10).

Checked: every text value of every shipped TOML file (protocols with their pre-check notes,
screening and contraindication texts, checklist templates, the reaction catalogue, CTCAE text and
guidance, the handout's words, the clinic settings) except the ``source`` fields; every item of
every protocol's checklist as built (template text with the drug's note appended); and every
string the code itself writes (docstrings aside).
"""

from __future__ import annotations

import ast
import re
import tomllib
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from clinic_app.domain.checklist_templates import load_checklist_templates
from clinic_app.domain.checklists import build_checklist
from clinic_app.domain.infusion_timeline import InfusionTimeline
from clinic_app.domain.protocols import load_all_protocols

REPO = Path(__file__).resolve().parents[2]
SOURCE_TAG = re.compile(
    r"\bseed \d"  # the seed documents ("seed 000") are never named to the nurse
    r"|\blabel \d"  # a label section number ("label 2.10")
    r"|\((?:\s*(?:seed \d+|(?:US |EU )?label(?: \d+(?:\.\d+)*)?|(?:EU )?SmPC"
    r"|clinical reference)\s*[,;]?)+\)",  # "(label)", "(seed 000, label)", "(EU SmPC)"
    re.IGNORECASE)


def _is_source(key: str) -> bool:
    return key == "source" or key.endswith("_source")


def _texts(value: object, path: str) -> Iterator[tuple[str, str]]:
    """(dotted path, text) for every string in a parsed TOML value, sources left out."""
    if isinstance(value, dict):
        for key, item in value.items():
            if not _is_source(key):
                yield from _texts(item, f"{path}.{key}")
    elif isinstance(value, list):
        for i, item in enumerate(value):
            yield from _texts(item, f"{path}[{i}]")
    elif isinstance(value, str):
        yield path, value


def _tagged(pairs: Iterator[tuple[str, str]]) -> list[str]:
    return [f"{where}: {text!r}" for where, text in pairs if SOURCE_TAG.search(text)]


@pytest.mark.parametrize("text", ["Live vaccines are contraindicated (seed 000).",
                                  "Heart failure is a contraindication (seed 000, label).",
                                  "Restart with premedication (label 2.10).",
                                  "Observe 2 hours (EU SmPC).", "As in seed 001, a rash"])
def test_the_pattern_catches_the_tags_the_nurse_must_not_see(text: str) -> None:
    assert SOURCE_TAG.search(text)


@pytest.mark.parametrize("text", ["Confirmed against the order and the bag label",
                                  "300 mg (label maximum 300 mg)", "Region: US label"])
def test_the_pattern_leaves_plain_words_alone(text: str) -> None:
    assert not SOURCE_TAG.search(text)


@pytest.mark.parametrize("file", sorted((REPO / "resources").rglob("*.toml")),
                         ids=lambda f: f.relative_to(REPO / "resources").as_posix())
def test_no_shipped_text_but_a_source_field_names_its_source(file: Path) -> None:
    data = tomllib.loads(file.read_text(encoding="utf-8"))
    assert _tagged(_texts(data, file.name)) == []


def test_no_checklist_item_as_built_for_any_drug_carries_a_source_tag() -> None:
    start = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
    templates = load_checklist_templates()
    for protocol in load_all_protocols():
        timeline = InfusionTimeline(volume_ml=protocol.preparation.bag_sizes_ml[0],
                                    steps=[(protocol.preparation.bag_sizes_ml[0] * 2, None)],
                                    started_at=start)
        checklist = build_checklist(protocol=protocol, dose_number=1, templates=templates,
                                    timeline=timeline, previous_reaction=True)
        shown = ((f"{protocol.id} {item.key}", f"{item.text} {item.action or ''}")
                 for item in checklist.items)
        assert _tagged(shown) == [], protocol.id


def _code_strings(file: Path) -> Iterator[tuple[str, str]]:
    """The string constants of a module (f-string parts included), docstrings left out."""
    tree = ast.parse(file.read_text(encoding="utf-8"))
    docstrings = {
        id(node.body[0].value) for node in ast.walk(tree)
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef)
        and node.body and isinstance(node.body[0], ast.Expr)
        and isinstance(node.body[0].value, ast.Constant)
    }
    for node in ast.walk(tree):
        if (isinstance(node, ast.Constant) and isinstance(node.value, str)
                and id(node) not in docstrings):
            yield f"{file.relative_to(REPO)}:{node.lineno}", node.value


def test_no_text_the_code_writes_carries_a_source_tag() -> None:
    files = sorted((REPO / "clinic_app").rglob("*.py"))
    found = [hit for file in files for hit in _tagged(_code_strings(file))]
    assert found == []
