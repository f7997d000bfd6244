"""Everything ``clinic-app db verify-audit`` checks, and what each check proves (issue 11,
item 9):

1. **the chain** (:func:`.audit_chain.verify_audit`): no audit row was altered, removed or
   reordered, and the head matches the last row;
2. **the signature** (:mod:`.audit_key`): the head was signed with the clinic's key, so the
   chain was not rehashed, cut or rewound by someone without the key, and no write since it was
   first signed came from a program without the key (``unsigned_at``);
3. **the records** (:mod:`.audit_replay`): every clinical row says what its audit rows say, so
   no weight, name or void was changed with an SQL tool.

What it does not prove: that someone holding both the database and the key file (the operating
system account running the program, or an administrator of the computer) did not rewrite
history, nor that a whole database was not replaced by an older copy that was signed with the
same key. The chain heads printed on the day list and written beside each backup are the
outside record against which a replaced or rewound database can be compared.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from clinic_app.storage.audit_chain import (
    HEAD_ID,
    AuditReport,
    ChainHead,
    head_verifies,
    verify_audit,
)
from clinic_app.storage.audit_key import fingerprint
from clinic_app.storage.audit_replay import RecordsReport, verify_records
from clinic_app.storage.models import AuditChainHead


@dataclass(frozen=True)
class AuditCheck:
    """The three checks: chain, signature (None: not checked, no key) and records."""

    chain: AuditReport
    head: ChainHead
    signature_problem: str | None
    signature_checked: bool
    records: RecordsReport

    @property
    def ok(self) -> bool:
        """True when every check that ran found nothing."""
        return self.chain.ok and self.signature_problem is None and self.records.ok

    @property
    def problems(self) -> tuple[str, ...]:
        """Every problem found, most severe first."""
        found = [] if self.chain.ok else [f"the audit chain is broken: {self.chain.problem}"]
        if self.signature_problem:
            found.append(self.signature_problem)
        return (*found, *self.records.problems)


def chain_head(session: Session) -> ChainHead:
    """The stored chain head (position, hash, signature)."""
    row = session.execute(
        select(AuditChainHead.last_id, AuditChainHead.last_hash, AuditChainHead.head_mac,
               AuditChainHead.key_id, AuditChainHead.unsigned_at)
        .where(AuditChainHead.id == HEAD_ID)).one()
    return ChainHead(*row)


def signature_problem(head: ChainHead, key: bytes) -> str | None:
    """What is wrong with the head's signature under ``key`` (None: it verifies)."""
    if head.key_id is None:
        return ("the audit chain head was never signed: open the clinic once with the program "
                "so that it signs the head")
    if head.key_id != fingerprint(key):
        return (f"the audit chain head is signed with another key ({head.key_id}; this key is "
                f"{fingerprint(key)}): use the clinic's key file")
    if head.head_mac is None:
        return ("the last change to the audit trail was written without the clinic's key "
                "(by another program, or the head was rewritten)")
    if not head_verifies(head, key):
        return ("the audit chain head's signature does not match: the chain was rehashed, "
                "cut or rewound outside the program")
    if head.unsigned_at is not None:
        return (f"at entry {head.unsigned_at} the chain head did not verify when the program "
                "extended it (written without the key, with another key, or altered); the "
                "entries after it are signed")
    return None


def check_audit(session: Session, key: bytes | None) -> AuditCheck:
    """Run the three checks (the signature only with ``key``)."""
    head = chain_head(session)
    return AuditCheck(
        chain=verify_audit(session), head=head,
        signature_problem=None if key is None else signature_problem(head, key),
        signature_checked=key is not None, records=verify_records(session))
