"""The independent double check (issue 13): a second nurse signs the dose plan and the bag with
her own sign-in; the start gate; a changed plan; voiding; the audit trail."""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

import pytest
from visit_fixtures import book_first_dose, open_ready_visit

from clinic_app.domain.double_check import DoubleCheckMode, DoubleCheckSettings
from clinic_app.domain.errors import InvalidInput
from clinic_app.services.chart import patient_audit
from clinic_app.services.context import ServiceContext
from clinic_app.services.errors import ActionNotAllowed, SignInFailed
from clinic_app.services.patients.dto import PatientSummary
from clinic_app.services.visits import (
    DoubleCheckMissing,
    get_visit,
    open_visit,
    preview_dose,
    reweigh_visit,
    sign_double_check,
    snapshot_json,
    start_infusion,
    void_double_check,
)
from clinic_app.services.visits.dto import VisitDetail

if TYPE_CHECKING:  # the services' conftest (not importable beside the UI's)
    from conftest import NurseLogin

def _with_mode(ctx: ServiceContext, mode: str, **protocols: str) -> ServiceContext:
    settings = DoubleCheckSettings(
        default=DoubleCheckMode(mode),
        protocols=tuple((p, DoubleCheckMode(m)) for p, m in protocols.items()),
    )
    return replace(ctx, settings=replace(ctx.settings, double_check=settings))


def _visit(ctx: ServiceContext, patient: PatientSummary) -> VisitDetail:
    return open_ready_visit(ctx, book_first_dose(ctx, patient.id).appointment_id)


def _sign(ctx: ServiceContext, visit_id: int, nurse: NurseLogin, what: str) -> None:
    sign_double_check(ctx, visit_id=visit_id, what=what, username=nurse.username,
                      secret=nurse.password, attested=True)  # fmt: skip


def test_by_default_the_check_is_optional_shown_not_done_and_the_start_goes_on(
    ctx: ServiceContext, patient: PatientSummary
) -> None:
    visit = _visit(ctx, patient)
    assert visit.double_check.mode == "optional" and not visit.double_check.done
    assert [s.text for s in visit.double_check.states] == ["dose plan: not done", "bag: not done"]
    assert start_infusion(ctx, visit_id=visit.id).status == "infusing"


def test_required_refuses_the_start_until_both_are_signed_by_a_second_nurse(
    ctx: ServiceContext, patient: PatientSummary, second_nurse: NurseLogin
) -> None:
    strict = _with_mode(ctx, "optional", infliximab="required")
    visit = _visit(strict, patient)
    with pytest.raises(DoubleCheckMissing, match="dose plan: not done; bag: not done") as refused:
        start_infusion(strict, visit_id=visit.id)
    assert refused.value.missing == ("dose_plan", "bag")
    _sign(strict, visit.id, second_nurse, "dose_plan")
    with pytest.raises(DoubleCheckMissing, match="bag: not done"):
        start_infusion(strict, visit_id=visit.id)
    _sign(strict, visit.id, second_nurse, "bag")
    started = start_infusion(strict, visit_id=visit.id)
    assert started.status == "infusing" and started.double_check.done
    entry = started.double_check.entries[0]
    assert (entry.nurse, entry.first_nurse, entry.counts) == ("Beat Meier", "Anna Keller", True)
    assert entry.signed_at == strict.now()


def test_the_nurse_signed_in_cannot_be_her_own_second_nurse(
    ctx: ServiceContext, patient: PatientSummary, first_nurse: NurseLogin
) -> None:

    visit = _visit(ctx, patient)
    with pytest.raises(InvalidInput, match="You are signed in as Anna Keller") as refused:
        sign_double_check(ctx, visit_id=visit.id, what="dose_plan",
                          username=" AKeller ", secret=first_nurse.password,
                          attested=True)  # fmt: skip
    assert refused.value.field == "username"
    assert get_visit(ctx, visit_id=visit.id).double_check.entries == ()


def test_a_wrong_password_is_refused_and_counted_like_any_sign_in(
    ctx: ServiceContext, patient: PatientSummary, second_nurse: NurseLogin
) -> None:
    visit = _visit(ctx, patient)
    for _ in range(ctx.settings.accounts.max_failed_sign_ins):
        with pytest.raises(SignInFailed, match="Second nurse: Unknown user name or wrong"):
            sign_double_check(ctx, visit_id=visit.id, what="bag", username="bmeier",
                              secret="not her password", attested=True)  # fmt: skip
    with pytest.raises(SignInFailed, match="locked"):
        _sign(ctx, visit.id, second_nurse, "bag")
    assert get_visit(ctx, visit_id=visit.id).double_check.entries == ()


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"what": "pump"}, "what"),
        ({"username": " "}, "username"),
        ({"secret": ""}, "secret"),
        ({"attested": False}, "attested"),
    ],
)
def test_each_missing_input_is_named(
    ctx: ServiceContext,
    patient: PatientSummary,
    second_nurse: NurseLogin,
    changes: dict[str, object],
    field: str,
) -> None:
    visit = _visit(ctx, patient)
    values: dict[str, object] = {
        "what": "dose_plan",
        "username": second_nurse.username,
        "secret": second_nurse.password,
        "attested": True,
    }
    values.update(changes)
    with pytest.raises(InvalidInput) as refused:
        sign_double_check(ctx, visit_id=visit.id, **values)  # type: ignore[arg-type]
    assert refused.value.field == field


def test_signing_twice_for_the_same_plan_or_after_the_start_or_when_off_is_refused(
    ctx: ServiceContext, patient: PatientSummary, second_nurse: NurseLogin
) -> None:
    visit = _visit(ctx, patient)
    _sign(ctx, visit.id, second_nurse, "dose_plan")
    with pytest.raises(ActionNotAllowed, match="already checked by Beat Meier"):
        _sign(ctx, visit.id, second_nurse, "dose_plan")
    with pytest.raises(ActionNotAllowed, match="off for Infliximab"):
        _sign(_with_mode(ctx, "off"), visit.id, second_nurse, "bag")
    start_infusion(ctx, visit_id=visit.id)
    with pytest.raises(ActionNotAllowed):
        _sign(ctx, visit.id, second_nurse, "bag")


def test_a_changed_dose_plan_no_longer_counts_as_checked(
    ctx: ServiceContext, patient: PatientSummary, second_nurse: NurseLogin
) -> None:
    strict = _with_mode(ctx, "required")
    visit = _visit(strict, patient)
    _sign(strict, visit.id, second_nurse, "dose_plan")
    _sign(strict, visit.id, second_nurse, "bag")
    assert get_visit(strict, visit_id=visit.id).double_check.done
    assert visit.appointment_id is not None
    heavier = preview_dose(strict, appointment_id=visit.appointment_id, weight="80")
    with strict.unit_of_work() as uow:  # the weight and dose changed after the signatures
        uow.visits.get(visit.id).dose_plan = snapshot_json(heavier.plan)
        uow.commit()
    after = get_visit(strict, visit_id=visit.id).double_check
    assert not after.done and not any(e.counts for e in after.entries)
    assert after.states[0].text == (
        "dose plan: plan changed since Beat Meier checked it; check again"
    )
    with pytest.raises(DoubleCheckMissing, match="plan changed since Beat Meier checked it"):
        start_infusion(strict, visit_id=visit.id)
    _sign(strict, visit.id, second_nurse, "dose_plan")  # signed again for the new plan
    _sign(strict, visit.id, second_nurse, "bag")
    assert start_infusion(strict, visit_id=visit.id).status == "infusing"


def test_a_signature_voided_with_a_reason_no_longer_counts_and_is_in_the_audit_trail(
    ctx: ServiceContext, patient: PatientSummary, second_nurse: NurseLogin
) -> None:
    strict = _with_mode(ctx, "required")
    visit = _visit(strict, patient)
    _sign(strict, visit.id, second_nurse, "dose_plan")
    _sign(strict, visit.id, second_nurse, "bag")
    bag = get_visit(strict, visit_id=visit.id).double_check.entries[1]
    with pytest.raises(InvalidInput, match="reason"):
        void_double_check(strict, double_check_id=bag.id, reason=" ")
    voided = void_double_check(strict, double_check_id=bag.id, reason="Signed the wrong bag",
                               expected_version=bag.version)  # fmt: skip
    assert voided.voided is not None and voided.voided.reason == "Signed the wrong bag"
    with pytest.raises(DoubleCheckMissing, match="bag: not done"):
        start_infusion(strict, visit_id=visit.id)
    audit = [line for line in patient_audit(strict, patient_id=patient.id)
             if line.record == "double check"]  # fmt: skip
    assert {line.field for line in audit} >= {"what", "nurse_id", "signed_at", "void_reason"}
    assert any(line.new == "Signed the wrong bag" for line in audit)


def test_re_weighing_opens_a_new_plan_that_the_second_nurse_checks_again(
    ctx: ServiceContext, patient: PatientSummary, second_nurse: NurseLogin
) -> None:
    strict = _with_mode(ctx, "required")
    booking = book_first_dose(strict, patient.id)
    wrong = open_visit(strict, appointment_id=booking.appointment_id, weight="62.5")
    _sign(strict, wrong.id, second_nurse, "dose_plan")
    _sign(strict, wrong.id, second_nurse, "bag")
    new = reweigh_visit(strict, visit_id=wrong.id, weight="72.5", reason="Shoes and coat on")
    assert new.double_check.entries == () and not new.double_check.done
    assert [s.text for s in new.double_check.states] == ["dose plan: not done", "bag: not done"]
