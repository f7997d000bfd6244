"""The shape of a drug protocol, as loaded from ``resources/protocols/<drug>.toml``.

Every rule carries the ``source`` it was taken from (label, seed document or clinic setting), so a
nurse or pharmacist can see why the app says what it says. The values themselves live in the TOML
files; nothing clinical is hard-coded here. The loader in :mod:`clinic_app.domain.protocols`
validates the files and builds these frozen objects.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

from clinic_app.domain.lab_rules import LabRules
from clinic_app.domain.units import plain


class DosingMode(StrEnum):
    """How the dose is ordered: by body weight or as a fixed amount."""

    MG_PER_KG = "mg_per_kg"
    FIXED = "fixed"


@dataclass(frozen=True)
class ProductGtin:
    """A GS1 product code (GTIN) printed on the carton of a product, entered by the clinic."""

    gtin: str
    note: str


@dataclass(frozen=True)
class Product:
    """One vial presentation of the drug and how it is made ready to draw up."""

    name: str
    vial_mg: Decimal
    volume_ml: Decimal
    concentration_mg_per_ml: Decimal
    form: str
    reconstitute_with: str | None
    reconstitution_ml: Decimal | None
    source: str
    gtins: tuple[ProductGtin, ...] = ()


@dataclass(frozen=True)
class SmallPatientBag:
    """A smaller bag used below a body weight (e.g. tocilizumab: 50 mL under 30 kg)."""

    below_kg: Decimal
    bag_ml: Decimal
    source: str


@dataclass(frozen=True)
class Preparation:
    """Dilution of the drug into the infusion bag."""

    diluent: str
    bag_sizes_ml: tuple[Decimal, ...]
    min_concentration_mg_per_ml: Decimal
    max_concentration_mg_per_ml: Decimal
    withdraw_drug_volume: bool
    in_line_filter: str
    flush_ml: Decimal
    stability: str
    small_patient_bag: SmallPatientBag | None
    source: str


@dataclass(frozen=True)
class WeightBand:
    """A weight-dependent mg/kg dose and, when the label sets one, its own label maximum
    (tocilizumab pJIA: 10 mg/kg under 30 kg, 8 mg/kg at or above). ``below_kg`` None means
    'and above'; ``from_kg`` is the previous band's ``below_kg`` (None for the first band)."""

    below_kg: Decimal | None
    mg_per_kg: Decimal
    label_max_mg_per_kg: Decimal | None = None
    from_kg: Decimal | None = None

    @property
    def text(self) -> str:
        """The band in words: "under 30 kg", "at 30 kg or more", "30 to under 50 kg"."""
        if self.below_kg is None:
            return "any weight" if self.from_kg is None else f"at {plain(self.from_kg)} kg or more"
        if self.from_kg is None:
            return f"under {plain(self.below_kg)} kg"
        return f"{plain(self.from_kg)} to under {plain(self.below_kg)} kg"


@dataclass(frozen=True)
class Indication:
    """Per-indication defaults and limits that override the drug-level ones.

    The label maximum in mg/kg is the weight band's when the bands carry one, else the
    indication's own ``label_max_mg_per_kg`` (infliximab: 5 mg/kg for ulcerative colitis, 10 mg/kg
    for Crohn's loss of response; US label), else the drug's (the caller falls back to it).
    """

    id: str
    name: str
    mg_per_kg: Decimal | None
    fixed_mg: Decimal | None
    weight_bands: tuple[WeightBand, ...]
    label_max_mg_per_kg: Decimal | None
    per_infusion_max_mg: Decimal | None
    maintenance_interval_weeks: int | None
    source: str

    def band_for(self, weight_kg: Decimal) -> WeightBand | None:
        """The weight band this weight falls in (None when the indication has no bands)."""
        for band in self.weight_bands:
            if band.below_kg is None or weight_kg < band.below_kg:
                return band
        return None

    def default_mg_per_kg(self, weight_kg: Decimal) -> Decimal | None:
        """The labelled mg/kg for this weight (weight bands first, then the flat value)."""
        band = self.band_for(weight_kg)
        return band.mg_per_kg if band is not None else self.mg_per_kg

    @property
    def banded_label_max(self) -> bool:
        """True when the label maximum depends on the weight band."""
        return any(b.label_max_mg_per_kg is not None for b in self.weight_bands)

    def label_max_for(self, weight_kg: Decimal | None) -> Decimal | None:
        """The indication's label maximum in mg/kg at this weight (None: the drug's applies).

        With weight-banded maxima and no weight known (an order written before the patient was
        weighed) the highest band maximum is returned: the band is checked again at each dose.
        """
        if not self.banded_label_max:
            return self.label_max_mg_per_kg
        if weight_kg is None:
            return max(b.label_max_mg_per_kg for b in self.weight_bands
                       if b.label_max_mg_per_kg is not None)
        band = self.band_for(weight_kg)
        return None if band is None else band.label_max_mg_per_kg


@dataclass(frozen=True)
class Dosing:
    """Dose rules: the mode, the labelled range, the override threshold and the hard ceiling.

    mg/kg mode uses the ``*_mg_per_kg`` fields; fixed mode uses the ``*_mg`` fields.
    """

    mode: DosingMode
    min_mg_per_kg: Decimal | None
    label_max_mg_per_kg: Decimal | None
    hard_ceiling_mg_per_kg: Decimal | None
    fixed_mg: Decimal | None
    label_max_mg: Decimal | None
    hard_ceiling_mg: Decimal | None
    per_infusion_max_mg: Decimal | None
    indications: tuple[Indication, ...]
    source: str
    # How many days old a dosing weight may be for this drug (None: the clinic setting only).
    max_weight_age_days: int | None = None

    def indication(self, indication_id: str) -> Indication:
        """The indication with this id; :class:`KeyError` names the known ones."""
        for item in self.indications:
            if item.id == indication_id:
                return item
        known = ", ".join(i.id for i in self.indications)
        raise KeyError(f"unknown indication {indication_id!r}; known: {known}")


@dataclass(frozen=True)
class TitrationStep:
    """One step of a graduated infusion; ``minutes`` None means 'until the bag is empty'."""

    rate_ml_per_h: Decimal
    minutes: int | None


@dataclass(frozen=True)
class ShortenedInfusion:
    """An optional faster infusion (clinic setting, off by default)."""

    duration_min: int
    after_tolerated_doses: int
    max_mg_per_kg: Decimal | None
    source: str


@dataclass(frozen=True)
class Administration:
    """How long the infusion runs, and the graduated table used after a reaction."""

    duration_min: int
    shortened: ShortenedInfusion | None
    titration: tuple[TitrationStep, ...]
    titration_source: str
    source: str


@dataclass(frozen=True)
class Schedule:
    """When doses are due and how far a booking may move.

    ``induction_offsets_weeks`` are counted from dose 1 (e.g. 0, 2, 6); after the last one doses
    come every ``maintenance_interval_weeks``. Booking windows are days before/after the due date.
    """

    induction_offsets_weeks: tuple[int, ...]
    maintenance_interval_weeks: int
    allowed_intervals_weeks: tuple[int, ...]
    induction_window_before_days: int
    induction_window_after_days: int
    maintenance_window_before_days: int
    maintenance_window_after_days: int
    min_spacing_days: int
    review_gap_weeks: int | None
    review_gap_text: str
    missed_dose_text: str
    source: str


@dataclass(frozen=True)
class ObservationRule:
    """Observation after the infusion, in minutes, from a dose number on."""

    from_dose: int
    minutes: int


@dataclass(frozen=True)
class Monitoring:
    """Vitals during the infusion (minutes of infusing time) and observation after it."""

    vitals_minutes: tuple[int, ...]
    vitals_after_rate_change_min: int | None
    vitals_at_end: bool
    observation: tuple[ObservationRule, ...]
    observation_vitals_every_min: int | None
    source: str

    def observation_minutes(self, dose_number: int) -> int:
        """Minutes of observation after this dose (the last rule that applies wins)."""
        minutes = 0
        for rule in self.observation:
            if dose_number >= rule.from_dose:
                minutes = rule.minutes
        return minutes


@dataclass(frozen=True)
class ScreeningRequirement:
    """A test that must be on file (and in date) before a dose."""

    kind: str
    name: str
    valid_days: int | None
    before: str  # "course" (before dose 1) or "each_dose"
    positive_action: str
    source: str


@dataclass(frozen=True)
class Contraindication:
    """A condition that forbids the drug (``absolute``), calls for care with it (``caution``:
    the nurse acknowledges), or leaves the decision to the prescriber (``prescriber_decision``:
    a reason is recorded, e.g. infliximab in pregnancy, which current labels do not
    contraindicate). ``advice`` is the label's advice shown with it (e.g. live vaccines for an
    infant exposed in utero)."""

    code: str
    text: str
    severity: str
    source: str
    advice: str | None = None


@dataclass(frozen=True)
class PreCheck:
    """A drug-specific item added to the pre-infusion checklist (e.g. tocilizumab labs)."""

    code: str
    text: str
    blocking: bool
    source: str


@dataclass(frozen=True)
class PreCheckNote:
    """The drug's own words for a shared pre-infusion item (protocol ``[pre_check_notes]``),
    keyed by the item's ``code``: added to the item's action (or its text when it has none).
    The text is what the nurse reads; where it comes from stays in ``source``."""

    code: str
    text: str
    source: str


@dataclass(frozen=True)
class ReactionRules:
    """Reactions to watch for, what the nurse is told, and what a reaction changes next time.

    ``guidance`` is shown with every graded reaction, ``mild_moderate_guidance`` with grades 1
    and 2 only. ``acute_window_minutes`` is the drug's own acute-reaction window after the end of
    the infusion, apart from its observation period (seed 000: 2 hours for infliximab;
    tocilizumab label: 24 hours). A severe hypersensitivity (anaphylaxis, or an infusion related
    or allergic reaction of ``hypersensitivity_min_grade`` or more) activates the absolute
    contraindication ``hypersensitivity_contraindication`` (a code in
    ``Protocol.contraindications``) when ``hypersensitivity_contraindicates``. After a mild or
    moderate infusion reaction every drug has a premedication (``prior_reaction_premedication``)
    and review path.
    """

    watch_acute: tuple[str, ...]
    watch_delayed: tuple[str, ...]
    guidance: str
    mild_moderate_guidance: str
    acute_window_minutes: int
    acute_window_source: str
    hypersensitivity_contraindicates: bool
    hypersensitivity_contraindication: str | None
    hypersensitivity_min_grade: int
    prior_reaction_premedication: str
    prior_reaction_titration: bool
    source: str


@dataclass(frozen=True)
class Protocol:
    """Everything the app knows about giving one drug, with a source for each rule."""

    id: str
    drug: str
    brands: tuple[str, ...]
    version: str
    region: str
    route: str
    products: tuple[Product, ...]
    preparation: Preparation
    dosing: Dosing
    administration: Administration
    schedule: Schedule
    monitoring: Monitoring
    screening: tuple[ScreeningRequirement, ...]
    contraindications: tuple[Contraindication, ...]
    pre_checks: tuple[PreCheck, ...]
    reactions: ReactionRules
    file_name: str
    pre_check_notes: tuple[PreCheckNote, ...] = ()
    #: The label's laboratory rules (tocilizumab), or None (:mod:`clinic_app.domain.lab_rules`).
    lab_rules: LabRules | None = None

    def pre_check_note(self, code: str) -> str | None:
        """The drug's own note for a pre-infusion template item (e.g. infliximab surgery timing)."""
        return next((n.text for n in self.pre_check_notes if n.code == code), None)

    @property
    def is_weight_based(self) -> bool:
        """True when the order is in mg/kg."""
        return self.dosing.mode is DosingMode.MG_PER_KG
