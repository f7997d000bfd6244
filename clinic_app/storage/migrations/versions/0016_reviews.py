"""Response reviews (issue 13, "Response reviews").

Revision ID: 0016_reviews
Revises: 0015_tdm
Create Date: 2026-12-05

The new table ``response_reviews`` keeps the prescriber's decision at a course's response review
(continue, stop or other; who decided, the day and a note) as a clinical record: versioned,
audited, voided with a reason; one decision in force per course and checkpoint week.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from clinic_app.storage.types import UTCDateTime

revision = "0016_reviews"
down_revision = "0015_tdm"
branch_labels = None
depends_on = None

IN_FORCE = "voided_at IS NULL"


def upgrade() -> None:
    op.create_table(
        "response_reviews",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("course_id", sa.Integer(), nullable=False),
        sa.Column("checkpoint_week", sa.Integer(), nullable=False),
        sa.Column("dose_number", sa.Integer(), nullable=False),
        sa.Column(
            "decision",
            sa.Enum(
                "continue", "stop", "other", name="reviewdecision", native_enum=False, length=20
            ),
            nullable=False,
        ),
        sa.Column("prescriber", sa.String(length=120), nullable=False),
        sa.Column("decided_on", sa.Date(), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("voided_at", UTCDateTime(), nullable=True),
        sa.Column("voided_by_id", sa.Integer(), nullable=True),
        sa.Column("void_reason", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["course_id"],
            ["treatment_courses.id"],
            name=op.f("fk_response_reviews_course_id_treatment_courses"),
        ),
        sa.ForeignKeyConstraint(
            ["voided_by_id"], ["nurses.id"], name=op.f("fk_response_reviews_voided_by_id_nurses")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_response_reviews")),
    )
    with op.batch_alter_table("response_reviews", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_response_reviews_course_id"), ["course_id"], unique=False
        )
        batch_op.create_index(
            "uq_response_reviews_course_week",
            ["course_id", "checkpoint_week"],
            unique=True,
            sqlite_where=sa.text(IN_FORCE),
            postgresql_where=sa.text(IN_FORCE),
        )


def downgrade() -> None:
    with op.batch_alter_table("response_reviews", schema=None) as batch_op:
        batch_op.drop_index("uq_response_reviews_course_week")
        batch_op.drop_index(batch_op.f("ix_response_reviews_course_id"))
    op.drop_table("response_reviews")
