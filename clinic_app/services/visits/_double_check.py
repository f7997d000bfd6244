"""The independent double check: a second nurse signs the dose plan and the prepared bag.

Rules (:mod:`clinic_app.domain.double_check`; clinic setting ``[double_check]`` per protocol):

- the second nurse signs with her own user name and password, checked by the accounts service
  (:func:`clinic_app.services.accounts.sign_in`: the same lock after too many wrong passwords),
  not with the session of the nurse at the workstation; the nurse signed in may not sign her
  own work (refused with a clear message, before any password is checked);
- she confirms she checked independently; the dose plan and the bag are signed apart, before the
  start, each with the time and the fingerprint of the plan she saw; a signature for another
  plan (weight or dose changed since) no longer counts;
- the start gate (:func:`require_double_check`) refuses the start while the clinic requires the
  check and the dose plan or the bag is not signed for the plan as it is; "optional" shows it
  as not done and lets the start go on; "off" does not ask and refuses a signature;
- a signature made in error is voided with a reason, by the rules of every voided record.
"""

from __future__ import annotations

from clinic_app.domain.double_check import (
    CHECKED_THINGS,
    SHORT_NAMES,
    DoubleCheckMode,
    Signature,
    check_states,
    plan_fingerprint,
    start_refusal,
)
from clinic_app.domain.errors import InvalidInput
from clinic_app.services.accounts import sign_in
from clinic_app.services.context import ServiceContext
from clinic_app.services.errors import ActionNotAllowed, NotSignedIn, SignInFailed
from clinic_app.services.patients import nurse_names, void_record, voiding
from clinic_app.services.visits._rules import local_hm, require_status
from clinic_app.services.visits._state import LoadedVisit, load_visit
from clinic_app.services.visits.dto import DoubleCheckEntry, DoubleCheckStatus
from clinic_app.storage.models import DoubleCheck, Nurse, VisitStatus
from clinic_app.storage.unit_of_work import UnitOfWork

ATTEST_TEXT = "I have independently checked the {what}"


class DoubleCheckMissing(ActionNotAllowed):
    """The clinic requires the second nurse's check and something is not signed for the plan
    as it is; ``missing`` names what ("dose_plan", "bag")."""

    def __init__(self, message: str, missing: tuple[str, ...]) -> None:
        self.missing = missing
        super().__init__(message)


def mode_of(ctx: ServiceContext, loaded: LoadedVisit) -> DoubleCheckMode:
    """The clinic's mode for the visit's protocol."""
    return ctx.settings.double_check.mode_for(loaded.protocol.id)


def _entries(uow: UnitOfWork, visit_id: int, fingerprint: str) -> tuple[DoubleCheckEntry, ...]:
    rows = sorted(uow.double_checks.list_by(visit_id=visit_id, include_voided=True),
                  key=lambda r: (r.signed_at, r.id))  # fmt: skip
    ids = [n for r in rows for n in (r.nurse_id, r.first_nurse_id, r.voided_by_id)]
    names = nurse_names(uow.session, ids)
    return tuple(
        DoubleCheckEntry(
            id=r.id, version=r.version, what=r.what, what_text=SHORT_NAMES.get(r.what, r.what),
            nurse=names.get(r.nurse_id, ""), first_nurse=names.get(r.first_nurse_id, ""),
            signed_at=r.signed_at, counts=r.plan_fingerprint == fingerprint,
            voided=voiding(r, names),
        )
        for r in rows
    )  # fmt: skip


def double_check_status(ctx: ServiceContext, uow: UnitOfWork,
                        loaded: LoadedVisit) -> DoubleCheckStatus:  # fmt: skip
    """The visit's double check: the mode, where the dose plan and the bag stand, the
    signatures."""
    fingerprint = plan_fingerprint(loaded.snapshot.plan)
    rows = uow.double_checks.list_by(visit_id=loaded.visit.id)
    names = nurse_names(uow.session, [r.nurse_id for r in rows])
    signatures = [Signature(r.what, names.get(r.nurse_id, ""), r.signed_at, r.plan_fingerprint)
                  for r in rows]  # fmt: skip
    return DoubleCheckStatus(
        mode=mode_of(ctx, loaded).value,
        states=check_states(signatures, fingerprint),
        entries=_entries(uow, loaded.visit.id, fingerprint),
    )


def require_double_check(ctx: ServiceContext, uow: UnitOfWork, loaded: LoadedVisit) -> None:
    """The start gate: when the clinic requires the check, the dose plan and the bag are
    signed for the plan as it is; :class:`DoubleCheckMissing` (nothing written) otherwise."""
    status = double_check_status(ctx, uow, loaded)
    refusal = start_refusal(mode_of(ctx, loaded), status.states)
    if refusal is not None:
        missing = tuple(s.what for s in status.states if not s.signed)
        raise DoubleCheckMissing(refusal, missing)


def _what(value: str) -> str:
    if value not in CHECKED_THINGS:
        raise InvalidInput("what", "Choose what the second nurse checked: the dose plan or "
                                   "the bag.")  # fmt: skip
    return value


def _refuse_own_account(uow: UnitOfWork, nurse_id: int, username: str) -> None:
    """The nurse signed in may not be her own second nurse."""
    me = uow.session.get(Nurse, nurse_id)
    if me is not None and username.strip().casefold() == me.username:
        raise InvalidInput(
            "username",
            f"You are signed in as {me.display_name} ({me.username}): the independent check is "
            "made by a second nurse, who signs with her own user name and password.",
        )


def _inputs(what: str, username: str, secret: str, attested: bool) -> str:
    chosen = _what(what)
    if not isinstance(username, str) or not username.strip():
        raise InvalidInput("username", "The second nurse's user name is required.")
    if not isinstance(secret, str) or not secret:
        raise InvalidInput("secret", "The second nurse's password is required.")
    if attested is not True:
        words = ATTEST_TEXT.format(what=SHORT_NAMES[chosen])
        raise InvalidInput("attested", f"The second nurse confirms the check: tick '{words}'.")
    return chosen


def _refuse_signing(ctx: ServiceContext, uow: UnitOfWork, loaded: LoadedVisit,
                    what: str) -> None:  # fmt: skip
    require_status(loaded, (VisitStatus.CHECKED_IN,), "sign the double check")
    if mode_of(ctx, loaded) is DoubleCheckMode.OFF:
        raise ActionNotAllowed(f"The second nurse check is off for {loaded.protocol.drug} in "
                               "this clinic's settings.")  # fmt: skip
    state = next(s for s in double_check_status(ctx, uow, loaded).states if s.what == what)
    if state.signed and state.at is not None:
        raise ActionNotAllowed(f"The {SHORT_NAMES[what]} was already checked by {state.by} at "
                               f"{local_hm(ctx, state.at)}.")  # fmt: skip


def sign_double_check(ctx: ServiceContext, *, visit_id: int, what: str, username: str,
                      secret: str, attested: bool) -> DoubleCheckStatus:  # fmt: skip
    """A second nurse signs ``what`` ("dose_plan" or "bag") of the visit with her own
    ``username`` and password ``secret``, having ticked that she checked independently
    (``attested``). Returns the visit's double check as it now stands.

    Refused: blank or unknown fields (:class:`InvalidInput`), the nurse signed in as her own
    second nurse (:class:`InvalidInput` on "username"), a wrong user name or password or a
    locked or disabled account (:class:`SignInFailed`, counted like any sign-in), a visit not
    before its start, the check off for the protocol, or ``what`` already signed for this plan
    (:class:`ActionNotAllowed`)."""
    if ctx.nurse_id is None:
        raise NotSignedIn("Sign in to record the second nurse's check.")
    chosen = _inputs(what, username, secret, attested)
    with ctx.read_only() as uow:
        _refuse_own_account(uow, ctx.nurse_id, username)
        _refuse_signing(ctx, uow, load_visit(ctx, uow, visit_id), chosen)
    try:
        second = sign_in(ctx, username=username, secret=secret)
    except SignInFailed as exc:
        raise SignInFailed(f"Second nurse: {exc}") from None
    if second.id == ctx.nurse_id:
        raise InvalidInput("username", "The independent check is made by a second nurse, not "
                                       "by the nurse signed in.")  # fmt: skip
    with ctx.unit_of_work() as uow:
        loaded = load_visit(ctx, uow, visit_id, for_update=True)
        _refuse_signing(ctx, uow, loaded, chosen)
        uow.double_checks.add(DoubleCheck(
            visit_id=visit_id, what=chosen, nurse_id=second.id, first_nurse_id=ctx.nurse_id,
            signed_at=ctx.now(), plan_fingerprint=plan_fingerprint(loaded.snapshot.plan),
        ))  # fmt: skip
        uow.commit()
        return double_check_status(ctx, uow, loaded)


def void_double_check(ctx: ServiceContext, *, double_check_id: int, reason: str,
                      expected_version: int | None = None) -> DoubleCheckEntry:  # fmt: skip
    """Void a second nurse's signature made in error, with a reason (the row and its audit
    history stay), by the rules of every voided record
    (:func:`clinic_app.services.patients.void_record`)."""
    if not (reason or "").strip():
        raise InvalidInput("reason", "Give the reason to void this check (e.g. signed for the "
                                     "wrong visit).")  # fmt: skip
    void_record(ctx, kind="double_check", record_id=double_check_id, reason=reason,
                expected_version=expected_version)  # fmt: skip
    with ctx.read_only() as uow:
        row = uow.double_checks.get(double_check_id)
        loaded = load_visit(ctx, uow, row.visit_id)
        entries = _entries(uow, row.visit_id, plan_fingerprint(loaded.snapshot.plan))
        return next(e for e in entries if e.id == row.id)
