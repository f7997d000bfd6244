"""Load and validate the checklist templates in ``resources/checklists/*.toml``.

``pre_infusion.toml`` holds the checks before the start (identity, allergies, weight, baseline
vitals, the screening questions, the anaphylaxis kit, premedication after a previous reaction);
``discharge.toml`` the checks before the patient goes home. Each item names its source. A
yes/no item may name the answer that blocks (``blocking_answer``) and what to do then
(``action``, e.g. "Do not start: call the prescriber"). An item may be limited to some drugs
(``protocols = ["infliximab"]``, shipped protocol ids): e.g. the demyelinating-disease and
heart-failure questions are infliximab contraindications (seed 000), not every drug's, and the
question on new or worsening neurological signs (progressive multifocal leukoencephalopathy) is
vedolizumab's, before each dose (US label). A drug's own wording of a shared item (e.g. the live
vaccine question: contraindicated for infliximab, a caution for vedolizumab) comes from its
protocol's ``[pre_check_notes]``. A malformed file fails with :class:`ProtocolError` naming the
file, the field and what was expected.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from enum import StrEnum
from functools import cache
from typing import Any

from clinic_app.domain.errors import ProtocolError
from clinic_app.domain.protocols import protocol_ids
from clinic_app.resource_files import resource_path

SCHEMA_VERSION = 1
YES = "yes"
NO = "no"
NOT_APPLICABLE = "not_applicable"
PREVIOUS_REACTION = "previous_reaction"
PRIOR_REACTION_PREMEDICATION = "prior_reaction_premedication"
_CODE = re.compile(r"[a-z][a-z0-9_]*")
_ITEM_KEYS = frozenset({
    "code", "text", "kind", "required", "blocking_answer", "action", "allow_not_applicable",
    "unit", "when", "protocol_detail", "protocols", "source",
})


class ItemKind(StrEnum):
    """How an item is answered: a tick, yes/no, a typed value, or a set of vital signs."""

    TICK = "tick"
    YES_NO = "yes_no"
    VALUE = "value"
    VITALS = "vitals"


@dataclass(frozen=True)
class TemplateItem:
    """One item of a template.

    ``when`` = ``"previous_reaction"`` includes the item only for a patient who reacted before;
    ``protocol_detail`` = ``"prior_reaction_premedication"`` appends the protocol's text;
    ``protocols`` (empty: every drug) limits the item to those protocol ids.
    """

    code: str
    text: str
    kind: ItemKind
    required: bool
    blocking_answer: str | None
    action: str | None
    allow_not_applicable: bool
    unit: str | None
    when: str | None
    protocol_detail: str | None
    source: str
    protocols: tuple[str, ...] = ()

    def applies_to(self, protocol_id: str) -> bool:
        """True when the item is asked at a visit of this protocol."""
        return not self.protocols or protocol_id in self.protocols

    @property
    def answers(self) -> tuple[str, ...]:
        """The answers a yes/no item accepts (empty for other kinds)."""
        if self.kind is not ItemKind.YES_NO:
            return ()
        return (YES, NO, NOT_APPLICABLE) if self.allow_not_applicable else (YES, NO)


@dataclass(frozen=True)
class ChecklistTemplate:
    """A named, versioned list of items with its source."""

    name: str
    version: str
    source: str
    items: tuple[TemplateItem, ...]
    file_name: str


@dataclass(frozen=True)
class ChecklistTemplates:
    """The templates a visit's checklist is built from."""

    pre_infusion: ChecklistTemplate
    discharge: ChecklistTemplate


def _fail(file_name: str, field: str, expected: str, got: object) -> ProtocolError:
    return ProtocolError(file_name, field, expected, repr(got))


def _text(data: dict[str, Any], key: str, file_name: str, path: str) -> str:
    value = data.get(key)
    if not isinstance(value, str) or not value.strip():
        raise _fail(file_name, f"{path}{key}", "a non-empty text", value)
    return value.strip()


def _opt_text(data: dict[str, Any], key: str, file_name: str, path: str) -> str | None:
    return _text(data, key, file_name, path) if key in data else None


def _flag(data: dict[str, Any], key: str, default: bool, file_name: str, path: str) -> bool:
    value = data.get(key, default)
    if not isinstance(value, bool):
        raise _fail(file_name, f"{path}{key}", "true or false", value)
    return value


def _protocols(data: dict[str, Any], file_name: str, path: str) -> tuple[str, ...]:
    """The optional ``protocols`` list: shipped protocol ids, at least one, each once."""
    if "protocols" not in data:
        return ()
    value = data["protocols"]
    known = protocol_ids()
    if (not isinstance(value, list) or not value or len(set(map(str, value))) != len(value)
            or not all(isinstance(v, str) and v in known for v in value)):
        raise _fail(file_name, f"{path}protocols",
                    "a list of shipped protocol ids, each once: " + ", ".join(known), value)
    return tuple(value)


def _choice(value: str | None, options: tuple[str, ...], file_name: str, field: str) -> None:
    if value is not None and value not in options:
        raise _fail(file_name, field, "one of " + ", ".join(options), value)


def _item(data: dict[str, Any], file_name: str, path: str) -> TemplateItem:
    unknown = sorted(set(data) - _ITEM_KEYS)
    if unknown:
        raise _fail(file_name, f"{path}{unknown[0]}", "a known key: " + ", ".join(
            sorted(_ITEM_KEYS)), unknown[0])
    code = _text(data, "code", file_name, path)
    if not _CODE.fullmatch(code):
        raise _fail(file_name, f"{path}code", "lower-case letters, digits and _", code)
    kind_text = _text(data, "kind", file_name, path)
    _choice(kind_text, tuple(k.value for k in ItemKind), file_name, f"{path}kind")
    item = TemplateItem(
        code=code, text=_text(data, "text", file_name, path), kind=ItemKind(kind_text),
        required=_flag(data, "required", True, file_name, path),
        blocking_answer=_opt_text(data, "blocking_answer", file_name, path),
        action=_opt_text(data, "action", file_name, path),
        allow_not_applicable=_flag(data, "allow_not_applicable", False, file_name, path),
        unit=_opt_text(data, "unit", file_name, path),
        when=_opt_text(data, "when", file_name, path),
        protocol_detail=_opt_text(data, "protocol_detail", file_name, path),
        source=_text(data, "source", file_name, path),
        protocols=_protocols(data, file_name, path),
    )
    _check_item(item, file_name, path)
    return item


def _check_item(item: TemplateItem, file_name: str, path: str) -> None:
    """Cross-field rules: blocking answers and options only where they make sense."""
    if item.blocking_answer is not None and item.kind is not ItemKind.YES_NO:
        raise _fail(file_name, f"{path}blocking_answer", "only on a yes_no item",
                    item.blocking_answer)
    _choice(item.blocking_answer, item.answers, file_name, f"{path}blocking_answer")
    if (item.blocking_answer is None) != (item.action is None):
        raise _fail(file_name, f"{path}action",
                    "an action exactly when there is a blocking_answer", item.action)
    if item.allow_not_applicable and item.kind is not ItemKind.YES_NO:
        raise _fail(file_name, f"{path}allow_not_applicable", "only on a yes_no item", True)
    if item.unit is not None and item.kind is not ItemKind.VALUE:
        raise _fail(file_name, f"{path}unit", "only on a value item", item.unit)
    _choice(item.when, (PREVIOUS_REACTION,), file_name, f"{path}when")
    _choice(item.protocol_detail, (PRIOR_REACTION_PREMEDICATION,), file_name,
            f"{path}protocol_detail")


def parse_checklist_template(text: str, file_name: str) -> ChecklistTemplate:
    """Build a validated template from TOML text; ``file_name`` is used in errors."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ProtocolError(file_name, "(file)", "valid TOML", str(exc)) from None
    if data.get("schema_version") != SCHEMA_VERSION:
        raise _fail(file_name, "schema_version", str(SCHEMA_VERSION), data.get("schema_version"))
    raw_items = data.get("items")
    if not isinstance(raw_items, list) or not raw_items or not all(
            isinstance(i, dict) for i in raw_items):
        raise _fail(file_name, "items", "at least one [[items]] table", raw_items)
    items = tuple(_item(d, file_name, f"items[{i}].") for i, d in enumerate(raw_items))
    codes = [i.code for i in items]
    for code in codes:
        if codes.count(code) > 1:
            raise _fail(file_name, "items.code", "codes used once each", code)
    return ChecklistTemplate(
        name=_text(data, "name", file_name, ""), version=_text(data, "version", file_name, ""),
        source=_text(data, "source", file_name, ""), items=items, file_name=file_name,
    )


@cache
def load_checklist_template(name: str) -> ChecklistTemplate:
    """Load ``resources/checklists/<name>.toml``."""
    file = resource_path("checklists", f"{name}.toml")
    if not file.is_file():
        raise ProtocolError(f"{name}.toml", "(file)", "a shipped checklist template", name)
    return parse_checklist_template(file.read_text(encoding="utf-8"), file.name)


def load_checklist_templates() -> ChecklistTemplates:
    """The shipped pre-infusion and discharge templates."""
    return ChecklistTemplates(pre_infusion=load_checklist_template("pre_infusion"),
                              discharge=load_checklist_template("discharge"))
