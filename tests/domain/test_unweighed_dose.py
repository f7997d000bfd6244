"""A fixed dose planned with no weight on file (issue 12)."""

from __future__ import annotations

import pytest

from clinic_app.domain.dosing import calculate_dose
from clinic_app.domain.errors import InvalidInput
from clinic_app.domain.protocols import load_protocol
from clinic_app.domain.unweighed_dose import fixed_dose_without_weight


@pytest.mark.parametrize("protocol_id", ["vedolizumab", "anifrolumab"])
def test_a_fixed_dose_prepares_the_same_whatever_the_weight(protocol_id):
    protocol = load_protocol(protocol_id)
    plan = fixed_dose_without_weight(protocol, fixed_mg=300)
    for kg in ("41", "72.4", "149"):
        weighed = calculate_dose(protocol, kg, fixed_mg=300)
        assert (
            weighed.dose_mg,
            weighed.vials,
            weighed.bag_volume_ml,
            weighed.final_volume_ml,
            weighed.rate_ml_per_h,
            weighed.duration_min,
        ) == (
            plan.dose_mg,
            plan.vials,
            plan.bag_volume_ml,
            plan.final_volume_ml,
            plan.rate_ml_per_h,
            plan.duration_min,
        )


@pytest.mark.parametrize("protocol_id", ["infliximab", "tocilizumab"])
def test_a_weight_based_protocol_needs_a_weight(protocol_id):
    with pytest.raises(InvalidInput) as refused:
        fixed_dose_without_weight(load_protocol(protocol_id), fixed_mg=300)
    assert refused.value.field == "weight"
