"""Load and validate drug protocols from ``resources/protocols/*.toml``.

A malformed file fails with :class:`ProtocolError` naming the file, the field and what was
expected, so a pharmacist editing a protocol sees at once what to fix. Cross-field rules are
checked too (e.g. a label maximum above the hard ceiling, or a graduated table that would run
faster than the labelled minimum duration).
"""

from __future__ import annotations

import tomllib
from collections.abc import Callable
from decimal import Decimal
from functools import cache
from typing import TypeVar

from clinic_app.domain.errors import ProtocolError
from clinic_app.domain.gs1_codes import gtin_is_valid
from clinic_app.domain.lab_rules_toml import parse_lab_rules
from clinic_app.domain.protocol_model import (
    Administration,
    Contraindication,
    Dosing,
    DosingMode,
    Indication,
    Monitoring,
    ObservationRule,
    PreCheck,
    PreCheckNote,
    Preparation,
    Product,
    ProductGtin,
    Protocol,
    ReactionRules,
    Schedule,
    ScreeningRequirement,
    ShortenedInfusion,
    SmallPatientBag,
    TitrationStep,
    WeightBand,
)
from clinic_app.domain.protocol_table import ProtocolTable as _Table
from clinic_app.resource_files import resource_path

SCHEMA_VERSION = 1
CONTRAINDICATION_SEVERITIES = ("absolute", "caution", "prescriber_decision")
_T = TypeVar("_T")


def _products(root: _Table) -> tuple[Product, ...]:
    products = []
    for t in root.tables("products"):
        vial_mg, volume = t.decimal("vial_mg"), t.decimal("volume_ml")
        conc = t.decimal("concentration_mg_per_ml")
        t.check(vial_mg == volume * conc, "concentration_mg_per_ml",
                f"vial_mg / volume_ml = {vial_mg / volume}", conc)
        products.append(Product(
            name=t.text("name"), vial_mg=vial_mg, volume_ml=volume,
            concentration_mg_per_ml=conc, form=t.choice("form", ("powder", "solution")),
            reconstitute_with=t.opt_text("reconstitute_with"),
            reconstitution_ml=t.opt_decimal("reconstitution_ml"), source=t.source(),
            gtins=_gtins(t),
        ))
    concs = {p.concentration_mg_per_ml for p in products}
    root.check(len(concs) == 1, "products", "vials of one concentration", sorted(concs))
    return tuple(sorted(products, key=lambda p: p.vial_mg, reverse=True))


def _gtins(product: _Table) -> tuple[ProductGtin, ...]:
    """The carton codes of a product (``[[products.gtins]]``): valid GS1 check digit required."""
    gtins = []
    for t in product.tables("gtins", required=False):
        code = t.text("gtin")
        t.check(gtin_is_valid(code), "gtin", "8, 12, 13 or 14 digits with a valid GS1 check digit",
                repr(code))
        gtins.append(ProductGtin(gtin=code, note=t.opt_text("note") or ""))
    return tuple(gtins)


def _preparation(root: _Table) -> Preparation:
    t = root.table("preparation")
    small = t.opt_table("small_patient_bag")
    low = t.decimal("min_concentration_mg_per_ml", positive=False)
    high = t.decimal("max_concentration_mg_per_ml")
    t.check(low < high, "max_concentration_mg_per_ml", f"more than {low}", high)
    return Preparation(
        diluent=t.text("diluent"), bag_sizes_ml=tuple(sorted(t.decimals("bag_sizes_ml"))),
        min_concentration_mg_per_ml=low, max_concentration_mg_per_ml=high,
        withdraw_drug_volume=t.boolean("withdraw_drug_volume"),
        in_line_filter=t.text("in_line_filter"),
        flush_ml=t.decimal("flush_ml", 0, positive=False), stability=t.text("stability"),
        small_patient_bag=None if small is None else SmallPatientBag(
            below_kg=small.decimal("below_kg"), bag_ml=small.decimal("bag_ml"),
            source=small.source()),
        source=t.source(),
    )


def _weight_bands(t: _Table) -> tuple[WeightBand, ...]:
    """The indication's weight bands: every band but the last has ``below_kg`` (strictly
    increasing), the last is open-ended; band label maxima are given on every band or none,
    each at least the band's dose."""
    tables = t.tables("weight_bands", required=False)
    bands: list[WeightBand] = []
    for i, b in enumerate(tables):
        below, last = b.opt_decimal("below_kg"), i == len(tables) - 1
        if last:
            b.check(below is None, "below_kg", "no below_kg on the last band (it covers every "
                                               "weight from the band before it up)", below)
        else:
            b.check(below is not None, "below_kg",
                    "a weight limit (only the last band is open-ended)", None)
        previous = bands[-1].below_kg if bands else None
        b.check(below is None or previous is None or below > previous, "below_kg",
                f"more than the band before it ({previous})", below)
        band = WeightBand(below_kg=below, mg_per_kg=b.decimal("mg_per_kg"),
                          label_max_mg_per_kg=b.opt_decimal("label_max_mg_per_kg"),
                          from_kg=previous)
        if band.label_max_mg_per_kg is not None:
            b.check(band.mg_per_kg <= band.label_max_mg_per_kg, "mg_per_kg",
                    f"at most the band's label maximum ({band.label_max_mg_per_kg})",
                    band.mg_per_kg)
        bands.append(band)
    if any(b.label_max_mg_per_kg is not None for b in bands):
        for i, band in enumerate(bands):
            t.check(band.label_max_mg_per_kg is not None,
                    f"weight_bands[{i}].label_max_mg_per_kg",
                    "a label maximum on every weight band when one band has one", None)
        t.check("label_max_mg_per_kg" not in t.data, "label_max_mg_per_kg",
                "no indication-wide label maximum when the weight bands carry their own",
                t.data.get("label_max_mg_per_kg"))
    return tuple(bands)


def _indication(t: _Table, mode: DosingMode, drug_max: Decimal | None,
                ceiling: Decimal | None) -> Indication:
    bands = _weight_bands(t)
    ind = Indication(
        id=t.text("id"), name=t.text("name"), mg_per_kg=t.opt_decimal("mg_per_kg"),
        fixed_mg=t.opt_decimal("fixed_mg"), weight_bands=bands,
        label_max_mg_per_kg=t.opt_decimal("label_max_mg_per_kg"),
        per_infusion_max_mg=t.opt_decimal("per_infusion_max_mg"),
        maintenance_interval_weeks=t.opt_integer("maintenance_interval_weeks", minimum=1),
        source=t.source(),
    )
    if mode is DosingMode.MG_PER_KG:
        t.check(ind.mg_per_kg is not None or bool(bands), "mg_per_kg",
                "a default mg/kg or weight_bands for a mg/kg protocol", None)
        _check_indication_maxima(t, ind, drug_max, ceiling)
    return ind


def _check_indication_maxima(t: _Table, ind: Indication, drug_max: Decimal | None,
                             ceiling: Decimal | None) -> None:
    """An indication's label maximum (its own or its bands') is within the hard ceiling, and
    its labelled default dose is not above it."""
    if ceiling is not None:
        for i, band in enumerate(ind.weight_bands):
            top = band.label_max_mg_per_kg
            t.check(top is None or top <= ceiling, f"weight_bands[{i}].label_max_mg_per_kg",
                    f"at most the hard ceiling ({ceiling})", top)
        own = ind.label_max_mg_per_kg
        t.check(own is None or own <= ceiling, "label_max_mg_per_kg",
                f"at most the hard ceiling ({ceiling})", own)
    top = ind.label_max_mg_per_kg or drug_max
    if ind.mg_per_kg is not None and top is not None:
        t.check(ind.mg_per_kg <= top, "mg_per_kg",
                f"at most the label maximum for the indication ({top})", ind.mg_per_kg)


def _check_drug_limits(t: _Table, mode: DosingMode) -> None:
    """The drug's own range: min <= label max <= hard ceiling (mg/kg), or fixed dose <= label
    max <= hard ceiling (mg); each required for its mode."""
    if mode is DosingMode.MG_PER_KG:
        keys = ("min_mg_per_kg", "label_max_mg_per_kg", "hard_ceiling_mg_per_kg")
        kind, names = "a mg/kg protocol", "min_mg_per_kg <= label_max_mg_per_kg"
    else:
        keys = ("fixed_mg", "label_max_mg", "hard_ceiling_mg")
        kind, names = "a fixed-dose protocol", "fixed_mg <= label_max_mg"
    values = [t.opt_decimal(key) for key in keys]
    for key, value in zip(keys, values, strict=True):
        t.check(value is not None, key, f"a number > 0 for {kind}", None)
    low, high, ceiling = values
    assert low is not None and high is not None and ceiling is not None
    t.check(low <= high <= ceiling, keys[2], f"{names} <= hard ceiling ({low}, {high})", ceiling)


def _dosing(root: _Table) -> Dosing:
    t = root.table("dosing")
    mode = DosingMode(t.choice("mode", tuple(m.value for m in DosingMode)))
    _check_drug_limits(t, mode)
    drug_max = t.opt_decimal("label_max_mg_per_kg")
    ceiling = t.opt_decimal("hard_ceiling_mg_per_kg")
    return Dosing(
        mode=mode, min_mg_per_kg=t.opt_decimal("min_mg_per_kg"),
        label_max_mg_per_kg=drug_max, hard_ceiling_mg_per_kg=ceiling,
        fixed_mg=t.opt_decimal("fixed_mg"), label_max_mg=t.opt_decimal("label_max_mg"),
        hard_ceiling_mg=t.opt_decimal("hard_ceiling_mg"),
        per_infusion_max_mg=t.opt_decimal("per_infusion_max_mg"),
        indications=tuple(_indication(i, mode, drug_max, ceiling)
                          for i in t.tables("indications")),
        source=t.source(),
        max_weight_age_days=t.opt_integer("max_weight_age_days", minimum=1),
    )


def _administration(root: _Table) -> Administration:
    t = root.table("administration")
    short = t.opt_table("shortened")
    steps = tuple(
        TitrationStep(rate_ml_per_h=s.decimal("rate_ml_per_h"),
                      minutes=s.opt_integer("minutes", minimum=1))
        for s in t.tables("titration", required=False)
    )
    for i, step in enumerate(steps[:-1]):
        t.check(step.minutes is not None, f"titration[{i}].minutes",
                "a duration (only the last step may run to the end)", None)
    if steps:
        t.check(steps[-1].minutes is None, f"titration[{len(steps) - 1}].minutes",
                "no duration on the last step (it runs until the bag is empty)",
                steps[-1].minutes)
    return Administration(
        duration_min=t.integer("duration_min", minimum=1),
        shortened=None if short is None else ShortenedInfusion(
            duration_min=short.integer("duration_min", minimum=1),
            after_tolerated_doses=short.integer("after_tolerated_doses"),
            max_mg_per_kg=short.opt_decimal("max_mg_per_kg"), source=short.source()),
        titration=steps,
        titration_source=t.text("titration_source") if steps else "",
        source=t.source(),
    )


def _schedule(root: _Table) -> Schedule:
    t = root.table("schedule")
    offsets = t.integers("induction_offsets_weeks")
    t.check(offsets[0] == 0 and list(offsets) == sorted(set(offsets)), "induction_offsets_weeks",
            "strictly increasing weeks starting at 0", list(offsets))
    interval = t.integer("maintenance_interval_weeks", minimum=1)
    allowed = t.integers("allowed_intervals_weeks", minimum=1)
    t.check(interval in allowed, "allowed_intervals_weeks",
            f"a list that includes the maintenance interval {interval}", list(allowed))
    spacing = t.integer("min_spacing_days", minimum=1)
    t.check(spacing <= 7 * min(allowed), "min_spacing_days",
            "no more than the shortest allowed interval", spacing)
    review = t.opt_integer("review_gap_weeks", minimum=1)
    return Schedule(
        induction_offsets_weeks=offsets, maintenance_interval_weeks=interval,
        allowed_intervals_weeks=tuple(sorted(allowed)),
        induction_window_before_days=t.integer("induction_window_before_days"),
        induction_window_after_days=t.integer("induction_window_after_days"),
        maintenance_window_before_days=t.integer("maintenance_window_before_days"),
        maintenance_window_after_days=t.integer("maintenance_window_after_days"),
        min_spacing_days=spacing, review_gap_weeks=review,
        review_gap_text=t.text("review_gap_text") if review else "",
        missed_dose_text=t.text("missed_dose_text"), source=t.source(),
    )


def _monitoring(root: _Table) -> Monitoring:
    t = root.table("monitoring")
    rules = tuple(sorted(
        (ObservationRule(from_dose=o.integer("from_dose", minimum=1),
                         minutes=o.integer("minutes")) for o in t.tables("observation")),
        key=lambda r: r.from_dose,
    ))
    t.check(rules[0].from_dose == 1, "observation", "a rule from dose 1", rules[0].from_dose)
    vitals = t.integers("vitals_minutes")
    t.check(list(vitals) == sorted(set(vitals)), "vitals_minutes",
            "strictly increasing minutes", list(vitals))
    return Monitoring(
        vitals_minutes=vitals,
        vitals_after_rate_change_min=t.opt_integer("vitals_after_rate_change_min", minimum=1),
        vitals_at_end=t.boolean("vitals_at_end"), observation=rules,
        observation_vitals_every_min=t.opt_integer("observation_vitals_every_min", minimum=1),
        source=t.source(),
    )


def _many(root: _Table, key: str, build: Callable[[_Table], _T]) -> tuple[_T, ...]:
    return tuple(build(t) for t in root.tables(key, required=False))


def _screening(t: _Table) -> ScreeningRequirement:
    return ScreeningRequirement(
        kind=t.text("kind"), name=t.text("name"),
        valid_days=t.opt_integer("valid_days", minimum=1),
        before=t.choice("before", ("course", "each_dose")),
        positive_action=t.text("positive_action"), source=t.source(),
    )


def _contraindication(t: _Table) -> Contraindication:
    return Contraindication(code=t.text("code"), text=t.text("text"),
                            severity=t.choice("severity", CONTRAINDICATION_SEVERITIES),
                            source=t.source(), advice=t.opt_text("advice"))


def _pre_check(t: _Table) -> PreCheck:
    return PreCheck(code=t.text("code"), text=t.text("text"),
                    blocking=t.boolean("blocking"), source=t.source())


def _pre_check_notes(root: _Table) -> tuple[PreCheckNote, ...]:
    """Drug-specific notes added to the shared pre-infusion items, keyed by the item's code:
    ``[pre_check_notes.<code>]`` with the ``text`` the nurse reads and its ``source``."""
    notes = root.opt_table("pre_check_notes")
    if notes is None:
        return ()
    return tuple(PreCheckNote(code=code, text=note.text("text"), source=note.source())
                 for code in sorted(notes.data) for note in (notes.table(code),))


_CTCAE_GRADES = (1, 5)


def _reactions(root: _Table) -> ReactionRules:
    t = root.table("reactions")
    min_grade = t.integer("hypersensitivity_min_grade", minimum=_CTCAE_GRADES[0])
    t.check(min_grade <= _CTCAE_GRADES[1], "hypersensitivity_min_grade", "a CTCAE grade, 1 to 5",
            min_grade)
    return ReactionRules(
        watch_acute=t.texts("watch_acute"), watch_delayed=t.texts("watch_delayed", []),
        guidance=t.text("guidance"), mild_moderate_guidance=t.text("mild_moderate_guidance"),
        acute_window_minutes=t.integer("acute_window_minutes"),
        acute_window_source=t.text("acute_window_source"),
        hypersensitivity_contraindicates=t.boolean("hypersensitivity_contraindicates"),
        hypersensitivity_contraindication=t.opt_text("hypersensitivity_contraindication"),
        hypersensitivity_min_grade=min_grade,
        prior_reaction_premedication=t.text("prior_reaction_premedication"),
        prior_reaction_titration=t.boolean("prior_reaction_titration"), source=t.source(),
    )


def parse_protocol(text: str, file_name: str) -> Protocol:
    """Build a validated :class:`Protocol` from TOML text; ``file_name`` is used in errors."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ProtocolError(file_name, "(file)", "valid TOML", str(exc)) from None
    root = _Table(file_name, data)
    version = root.integer("schema_version")
    root.check(version == SCHEMA_VERSION, "schema_version", str(SCHEMA_VERSION), version)
    protocol = Protocol(
        id=root.text("id"), drug=root.text("drug"), brands=root.texts("brands", []),
        version=root.text("version"), region=root.text("region"), route=root.text("route"),
        products=_products(root), preparation=_preparation(root), dosing=_dosing(root),
        administration=_administration(root), schedule=_schedule(root),
        monitoring=_monitoring(root), screening=_many(root, "screening", _screening),
        contraindications=_many(root, "contraindications", _contraindication),
        pre_checks=_many(root, "pre_checks", _pre_check), reactions=_reactions(root),
        file_name=file_name, pre_check_notes=_pre_check_notes(root),
        lab_rules=parse_lab_rules(root),
    )
    _check_titration_duration(root, protocol)
    _check_hypersensitivity_contraindication(root, protocol)
    return protocol


def _check_hypersensitivity_contraindication(root: _Table, protocol: Protocol) -> None:
    """A severe hypersensitivity that contraindicates the drug must name one of its absolute
    codes."""
    rules = protocol.reactions
    absolute = [c.code for c in protocol.contraindications if c.severity == "absolute"]
    if rules.hypersensitivity_contraindicates or rules.hypersensitivity_contraindication:
        root.check(rules.hypersensitivity_contraindicates,
                   "reactions.hypersensitivity_contraindicates",
                   "true when reactions.hypersensitivity_contraindication is given", False)
        root.check(rules.hypersensitivity_contraindication in absolute,
                   "reactions.hypersensitivity_contraindication",
                   "the code of an absolute contraindication in this file: " + ", ".join(absolute),
                   rules.hypersensitivity_contraindication)


def _check_titration_duration(root: _Table, protocol: Protocol) -> None:
    """A graduated table must not run the reference bag faster than the labelled minimum."""
    steps = protocol.administration.titration
    if not steps:
        return
    volume = protocol.preparation.bag_sizes_ml[0]
    minutes = Decimal(0)
    for step in steps[:-1]:
        assert step.minutes is not None
        step_volume = min(volume, step.rate_ml_per_h * step.minutes / 60)
        volume -= step_volume
        minutes += step_volume * 60 / step.rate_ml_per_h
    minutes += volume * 60 / steps[-1].rate_ml_per_h
    root.check(minutes >= protocol.administration.duration_min, "administration.titration",
               f"a table that runs a {protocol.preparation.bag_sizes_ml[0]} mL bag over at least "
               f"{protocol.administration.duration_min} min",
               f"{minutes.quantize(Decimal(1))} min")


def protocol_ids() -> list[str]:
    """The ids of all shipped protocols, sorted."""
    folder = resource_path("protocols")
    return sorted(p.name.removesuffix(".toml") for p in folder.iterdir()
                  if p.name.endswith(".toml"))


@cache
def load_protocol(protocol_id: str) -> Protocol:
    """Load ``resources/protocols/<protocol_id>.toml``; unknown ids name the shipped ones."""
    if protocol_id not in protocol_ids():
        raise ProtocolError(f"{protocol_id}.toml", "(file)",
                            "one of the shipped protocols: " + ", ".join(protocol_ids()),
                            protocol_id)
    file = resource_path("protocols", f"{protocol_id}.toml")
    protocol = parse_protocol(file.read_text(encoding="utf-8"), file.name)
    if protocol.id != protocol_id:
        raise ProtocolError(file.name, "id", f"{protocol_id!r} (the file name)", protocol.id)
    return protocol


def load_all_protocols() -> list[Protocol]:
    """Every shipped protocol, validated, in id order."""
    return [load_protocol(pid) for pid in protocol_ids()]
