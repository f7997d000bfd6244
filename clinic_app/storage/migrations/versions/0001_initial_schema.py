"""Initial schema: nurses, patients and their records, courses, visits, reactions, audit.

Revision ID: 0001
Revises: (none)
Create Date: 2026-11-22
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from clinic_app.storage.types import UTCDateTime

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "audit_chain_head",
        sa.Column("id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("last_id", sa.Integer(), nullable=False),
        sa.Column("last_hash", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_chain_head")),
    )
    op.bulk_insert(
        sa.table(
            "audit_chain_head",
            sa.column("id", sa.Integer),
            sa.column("last_id", sa.Integer),
            sa.column("last_hash", sa.String),
        ),
        [{"id": 1, "last_id": 0, "last_hash": "0" * 64}],
    )
    op.create_table(
        "nurses",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("username", sa.String(length=64), nullable=False),
        sa.Column("display_name", sa.String(length=120), nullable=False),
        sa.Column("password_hash", sa.String(length=255), nullable=False),
        sa.Column("pin_hash", sa.String(length=255), nullable=True),
        sa.Column("is_active", sa.Boolean(), nullable=False),
        sa.Column("is_admin", sa.Boolean(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_nurses")),
        sa.UniqueConstraint("username", name=op.f("uq_nurses_username")),
    )
    op.create_table(
        "audit_log",
        sa.Column("id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("at", UTCDateTime(), nullable=False),
        sa.Column("actor_id", sa.Integer(), nullable=True),
        sa.Column("table_name", sa.String(length=64), nullable=False),
        sa.Column("record_id", sa.Integer(), nullable=False),
        sa.Column(
            "action",
            sa.Enum("insert", "update", "void", name="auditaction", native_enum=False, length=10),
            nullable=False,
        ),
        sa.Column("changes", sa.JSON(), nullable=False),
        sa.Column("prev_hash", sa.String(length=64), nullable=False),
        sa.Column("row_hash", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(
            ["actor_id"], ["nurses.id"], name=op.f("fk_audit_log_actor_id_nurses")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_log")),
    )
    with op.batch_alter_table("audit_log", schema=None) as batch_op:
        batch_op.create_index(
            "ix_audit_log_table_name_record_id", ["table_name", "record_id"], unique=False
        )

    op.create_table(
        "patients",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column(
            "mrn",
            sa.String(length=40).with_variant(sa.VARCHAR(length=40, collation="C"), "postgresql"),
            nullable=False,
        ),
        sa.Column("family_name", sa.String(length=120), nullable=False),
        sa.Column("given_names", sa.String(length=120), nullable=False),
        sa.Column(
            "family_key",
            sa.String(length=120).with_variant(sa.VARCHAR(length=120, collation="C"), "postgresql"),
            nullable=False,
        ),
        sa.Column(
            "given_key",
            sa.String(length=120).with_variant(sa.VARCHAR(length=120, collation="C"), "postgresql"),
            nullable=False,
        ),
        sa.Column("date_of_birth", sa.Date(), nullable=False),
        sa.Column(
            "sex",
            sa.Enum("female", "male", "other", "unknown", name="sex", native_enum=False, length=20),
            nullable=False,
        ),
        sa.Column("phone", sa.String(length=40), nullable=True),
        sa.Column("email", sa.String(length=200), nullable=True),
        sa.Column("address", sa.Text(), nullable=True),
        sa.Column("notes", sa.Text(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("voided_at", UTCDateTime(), nullable=True),
        sa.Column("voided_by_id", sa.Integer(), nullable=True),
        sa.Column("void_reason", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["voided_by_id"], ["nurses.id"], name=op.f("fk_patients_voided_by_id_nurses")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_patients")),
        sa.UniqueConstraint("mrn", name=op.f("uq_patients_mrn")),
    )
    with op.batch_alter_table("patients", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_patients_date_of_birth"), ["date_of_birth"], unique=False
        )
        batch_op.create_index(
            "ix_patients_family_key_given_key", ["family_key", "given_key"], unique=False
        )
        batch_op.create_index(
            "ix_patients_given_key_family_key", ["given_key", "family_key"], unique=False
        )

    op.create_table(
        "allergies",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("patient_id", sa.Integer(), nullable=False),
        sa.Column("substance", sa.String(length=200), nullable=False),
        sa.Column("reaction", sa.Text(), nullable=True),
        sa.Column("severity", sa.String(length=40), nullable=True),
        sa.Column("noted_on", sa.Date(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("voided_at", UTCDateTime(), nullable=True),
        sa.Column("voided_by_id", sa.Integer(), nullable=True),
        sa.Column("void_reason", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["patient_id"], ["patients.id"], name=op.f("fk_allergies_patient_id_patients")
        ),
        sa.ForeignKeyConstraint(
            ["voided_by_id"], ["nurses.id"], name=op.f("fk_allergies_voided_by_id_nurses")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_allergies")),
    )
    with op.batch_alter_table("allergies", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_allergies_patient_id"), ["patient_id"], unique=False)

    op.create_table(
        "diagnoses",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("patient_id", sa.Integer(), nullable=False),
        sa.Column("description", sa.String(length=200), nullable=False),
        sa.Column("code", sa.String(length=40), nullable=True),
        sa.Column("diagnosed_on", sa.Date(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("voided_at", UTCDateTime(), nullable=True),
        sa.Column("voided_by_id", sa.Integer(), nullable=True),
        sa.Column("void_reason", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["patient_id"], ["patients.id"], name=op.f("fk_diagnoses_patient_id_patients")
        ),
        sa.ForeignKeyConstraint(
            ["voided_by_id"], ["nurses.id"], name=op.f("fk_diagnoses_voided_by_id_nurses")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_diagnoses")),
    )
    with op.batch_alter_table("diagnoses", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_diagnoses_patient_id"), ["patient_id"], unique=False)

    op.create_table(
        "screening_results",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("patient_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("taken_on", sa.Date(), nullable=False),
        sa.Column(
            "outcome",
            sa.Enum(
                "negative",
                "positive",
                "indeterminate",
                name="screeningoutcome",
                native_enum=False,
                length=20,
            ),
            nullable=False,
        ),
        sa.Column("valid_until", sa.Date(), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("voided_at", UTCDateTime(), nullable=True),
        sa.Column("voided_by_id", sa.Integer(), nullable=True),
        sa.Column("void_reason", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["patient_id"], ["patients.id"], name=op.f("fk_screening_results_patient_id_patients")
        ),
        sa.ForeignKeyConstraint(
            ["voided_by_id"], ["nurses.id"], name=op.f("fk_screening_results_voided_by_id_nurses")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_screening_results")),
    )
    with op.batch_alter_table("screening_results", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_screening_results_patient_id"), ["patient_id"], unique=False
        )

    op.create_table(
        "treatment_courses",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("patient_id", sa.Integer(), nullable=False),
        sa.Column("protocol_id", sa.String(length=40), nullable=False),
        sa.Column("indication_id", sa.String(length=60), nullable=False),
        sa.Column(
            "dosing_mode",
            sa.Enum("mg_per_kg", "fixed", name="dosingmode", native_enum=False, length=20),
            nullable=False,
        ),
        sa.Column("dose_mg_per_kg", sa.Numeric(precision=7, scale=3), nullable=True),
        sa.Column("fixed_dose_mg", sa.Numeric(precision=8, scale=2), nullable=True),
        sa.Column("prescriber", sa.String(length=120), nullable=False),
        sa.Column("start_date", sa.Date(), nullable=False),
        sa.Column(
            "status",
            sa.Enum(
                "active",
                "on_hold",
                "stopped",
                "completed",
                name="coursestatus",
                native_enum=False,
                length=20,
            ),
            nullable=False,
        ),
        sa.Column("notes", sa.Text(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("voided_at", UTCDateTime(), nullable=True),
        sa.Column("voided_by_id", sa.Integer(), nullable=True),
        sa.Column("void_reason", sa.Text(), nullable=True),
        sa.CheckConstraint(
            "(dosing_mode = 'mg_per_kg' AND dose_mg_per_kg IS NOT NULL AND fixed_dose_mg IS NULL)"
            " OR (dosing_mode = 'fixed' AND fixed_dose_mg IS NOT NULL"
            " AND dose_mg_per_kg IS NULL)",
            name=op.f("ck_treatment_courses_one_dose_order"),
        ),
        sa.ForeignKeyConstraint(
            ["patient_id"], ["patients.id"], name=op.f("fk_treatment_courses_patient_id_patients")
        ),
        sa.ForeignKeyConstraint(
            ["voided_by_id"], ["nurses.id"], name=op.f("fk_treatment_courses_voided_by_id_nurses")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_treatment_courses")),
    )
    with op.batch_alter_table("treatment_courses", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_treatment_courses_patient_id"), ["patient_id"], unique=False
        )

    op.create_table(
        "weight_measurements",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("patient_id", sa.Integer(), nullable=False),
        sa.Column("weight_kg", sa.Numeric(precision=6, scale=2), nullable=False),
        sa.Column("measured_at", UTCDateTime(), nullable=False),
        sa.Column(
            "kind",
            sa.Enum("actual", "estimated", name="weightkind", native_enum=False, length=20),
            nullable=False,
        ),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("voided_at", UTCDateTime(), nullable=True),
        sa.Column("voided_by_id", sa.Integer(), nullable=True),
        sa.Column("void_reason", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["patient_id"], ["patients.id"], name=op.f("fk_weight_measurements_patient_id_patients")
        ),
        sa.ForeignKeyConstraint(
            ["voided_by_id"], ["nurses.id"], name=op.f("fk_weight_measurements_voided_by_id_nurses")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_weight_measurements")),
    )
    with op.batch_alter_table("weight_measurements", schema=None) as batch_op:
        batch_op.create_index(
            "ix_weight_measurements_patient_id_measured_at",
            ["patient_id", "measured_at"],
            unique=False,
        )

    op.create_table(
        "appointments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("course_id", sa.Integer(), nullable=False),
        sa.Column("dose_number", sa.Integer(), nullable=False),
        sa.Column("due_date", sa.Date(), nullable=False),
        sa.Column("starts_at", UTCDateTime(), nullable=True),
        sa.Column("chair", sa.String(length=40), nullable=True),
        sa.Column(
            "status",
            sa.Enum(
                "planned",
                "booked",
                "done",
                "missed",
                "cancelled",
                name="appointmentstatus",
                native_enum=False,
                length=20,
            ),
            nullable=False,
        ),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("voided_at", UTCDateTime(), nullable=True),
        sa.Column("voided_by_id", sa.Integer(), nullable=True),
        sa.Column("void_reason", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["course_id"],
            ["treatment_courses.id"],
            name=op.f("fk_appointments_course_id_treatment_courses"),
        ),
        sa.ForeignKeyConstraint(
            ["voided_by_id"], ["nurses.id"], name=op.f("fk_appointments_voided_by_id_nurses")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_appointments")),
    )
    with op.batch_alter_table("appointments", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_appointments_course_id"), ["course_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_appointments_due_date"), ["due_date"], unique=False)
        batch_op.create_index(batch_op.f("ix_appointments_starts_at"), ["starts_at"], unique=False)

    op.create_table(
        "interval_changes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("course_id", sa.Integer(), nullable=False),
        sa.Column("from_dose_number", sa.Integer(), nullable=False),
        sa.Column("interval_weeks", sa.Integer(), nullable=False),
        sa.Column("ordered_by", sa.String(length=120), nullable=False),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("voided_at", UTCDateTime(), nullable=True),
        sa.Column("voided_by_id", sa.Integer(), nullable=True),
        sa.Column("void_reason", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["course_id"],
            ["treatment_courses.id"],
            name=op.f("fk_interval_changes_course_id_treatment_courses"),
        ),
        sa.ForeignKeyConstraint(
            ["voided_by_id"], ["nurses.id"], name=op.f("fk_interval_changes_voided_by_id_nurses")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_interval_changes")),
    )
    with op.batch_alter_table("interval_changes", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_interval_changes_course_id"), ["course_id"], unique=False
        )

    op.create_table(
        "infusion_visits",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("patient_id", sa.Integer(), nullable=False),
        sa.Column("course_id", sa.Integer(), nullable=False),
        sa.Column("appointment_id", sa.Integer(), nullable=True),
        sa.Column("nurse_id", sa.Integer(), nullable=False),
        sa.Column(
            "status",
            sa.Enum(
                "checked_in",
                "infusing",
                "observation",
                "completed",
                "stopped",
                "cancelled",
                name="visitstatus",
                native_enum=False,
                length=20,
            ),
            nullable=False,
        ),
        sa.Column("weight_kg_used", sa.Numeric(precision=6, scale=2), nullable=True),
        sa.Column("weight_id", sa.Integer(), nullable=True),
        sa.Column("dose_plan", sa.JSON(none_as_null=True), nullable=True),
        sa.Column("started_at", UTCDateTime(), nullable=True),
        sa.Column("ended_at", UTCDateTime(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("voided_at", UTCDateTime(), nullable=True),
        sa.Column("voided_by_id", sa.Integer(), nullable=True),
        sa.Column("void_reason", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["appointment_id"],
            ["appointments.id"],
            name=op.f("fk_infusion_visits_appointment_id_appointments"),
        ),
        sa.ForeignKeyConstraint(
            ["course_id"],
            ["treatment_courses.id"],
            name=op.f("fk_infusion_visits_course_id_treatment_courses"),
        ),
        sa.ForeignKeyConstraint(
            ["nurse_id"], ["nurses.id"], name=op.f("fk_infusion_visits_nurse_id_nurses")
        ),
        sa.ForeignKeyConstraint(
            ["patient_id"], ["patients.id"], name=op.f("fk_infusion_visits_patient_id_patients")
        ),
        sa.ForeignKeyConstraint(
            ["voided_by_id"], ["nurses.id"], name=op.f("fk_infusion_visits_voided_by_id_nurses")
        ),
        sa.ForeignKeyConstraint(
            ["weight_id"],
            ["weight_measurements.id"],
            name=op.f("fk_infusion_visits_weight_id_weight_measurements"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_infusion_visits")),
    )
    with op.batch_alter_table("infusion_visits", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_infusion_visits_appointment_id"), ["appointment_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_infusion_visits_course_id"), ["course_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_infusion_visits_patient_id"), ["patient_id"], unique=False
        )

    op.create_table(
        "checklist_entries",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("visit_id", sa.Integer(), nullable=False),
        sa.Column("item_key", sa.String(length=80), nullable=False),
        sa.Column("value", sa.Text(), nullable=False),
        sa.Column("recorded_at", UTCDateTime(), nullable=False),
        sa.Column("nurse_id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("voided_at", UTCDateTime(), nullable=True),
        sa.Column("voided_by_id", sa.Integer(), nullable=True),
        sa.Column("void_reason", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["nurse_id"], ["nurses.id"], name=op.f("fk_checklist_entries_nurse_id_nurses")
        ),
        sa.ForeignKeyConstraint(
            ["visit_id"],
            ["infusion_visits.id"],
            name=op.f("fk_checklist_entries_visit_id_infusion_visits"),
        ),
        sa.ForeignKeyConstraint(
            ["voided_by_id"], ["nurses.id"], name=op.f("fk_checklist_entries_voided_by_id_nurses")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_checklist_entries")),
    )
    with op.batch_alter_table("checklist_entries", schema=None) as batch_op:
        batch_op.create_index(
            "ix_checklist_entries_visit_id_item_key", ["visit_id", "item_key"], unique=False
        )

    op.create_table(
        "infusion_events",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("visit_id", sa.Integer(), nullable=False),
        sa.Column("at", UTCDateTime(), nullable=False),
        sa.Column(
            "kind",
            sa.Enum(
                "pause",
                "resume",
                "rate_change",
                "stop",
                name="infusioneventkind",
                native_enum=False,
                length=20,
            ),
            nullable=False,
        ),
        sa.Column("rate_ml_per_h", sa.Numeric(precision=7, scale=2), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("nurse_id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("voided_at", UTCDateTime(), nullable=True),
        sa.Column("voided_by_id", sa.Integer(), nullable=True),
        sa.Column("void_reason", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["nurse_id"], ["nurses.id"], name=op.f("fk_infusion_events_nurse_id_nurses")
        ),
        sa.ForeignKeyConstraint(
            ["visit_id"],
            ["infusion_visits.id"],
            name=op.f("fk_infusion_events_visit_id_infusion_visits"),
        ),
        sa.ForeignKeyConstraint(
            ["voided_by_id"], ["nurses.id"], name=op.f("fk_infusion_events_voided_by_id_nurses")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_infusion_events")),
    )
    with op.batch_alter_table("infusion_events", schema=None) as batch_op:
        batch_op.create_index("ix_infusion_events_visit_id_at", ["visit_id", "at"], unique=False)

    op.create_table(
        "product_lots",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("visit_id", sa.Integer(), nullable=False),
        sa.Column("product", sa.String(length=120), nullable=False),
        sa.Column("lot_number", sa.String(length=60), nullable=False),
        sa.Column("expiry_date", sa.Date(), nullable=False),
        sa.Column("vials", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("voided_at", UTCDateTime(), nullable=True),
        sa.Column("voided_by_id", sa.Integer(), nullable=True),
        sa.Column("void_reason", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["visit_id"],
            ["infusion_visits.id"],
            name=op.f("fk_product_lots_visit_id_infusion_visits"),
        ),
        sa.ForeignKeyConstraint(
            ["voided_by_id"], ["nurses.id"], name=op.f("fk_product_lots_voided_by_id_nurses")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_product_lots")),
    )
    with op.batch_alter_table("product_lots", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_product_lots_visit_id"), ["visit_id"], unique=False)

    op.create_table(
        "reactions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("patient_id", sa.Integer(), nullable=False),
        sa.Column("visit_id", sa.Integer(), nullable=True),
        sa.Column("onset_at", UTCDateTime(), nullable=False),
        sa.Column("signs", sa.JSON(), nullable=False),
        sa.Column("ctcae_term", sa.String(length=120), nullable=False),
        sa.Column("grade", sa.Integer(), nullable=False),
        sa.Column("ctcae_version", sa.String(length=10), nullable=False),
        sa.Column("actions", sa.Text(), nullable=True),
        sa.Column("outcome", sa.Text(), nullable=True),
        sa.Column("nurse_id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("voided_at", UTCDateTime(), nullable=True),
        sa.Column("voided_by_id", sa.Integer(), nullable=True),
        sa.Column("void_reason", sa.Text(), nullable=True),
        sa.CheckConstraint("grade BETWEEN 1 AND 5", name=op.f("ck_reactions_grade_1_to_5")),
        sa.ForeignKeyConstraint(
            ["nurse_id"], ["nurses.id"], name=op.f("fk_reactions_nurse_id_nurses")
        ),
        sa.ForeignKeyConstraint(
            ["patient_id"], ["patients.id"], name=op.f("fk_reactions_patient_id_patients")
        ),
        sa.ForeignKeyConstraint(
            ["visit_id"], ["infusion_visits.id"], name=op.f("fk_reactions_visit_id_infusion_visits")
        ),
        sa.ForeignKeyConstraint(
            ["voided_by_id"], ["nurses.id"], name=op.f("fk_reactions_voided_by_id_nurses")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_reactions")),
    )
    with op.batch_alter_table("reactions", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_reactions_patient_id"), ["patient_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_reactions_visit_id"), ["visit_id"], unique=False)

    op.create_table(
        "vital_signs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("visit_id", sa.Integer(), nullable=False),
        sa.Column("measured_at", UTCDateTime(), nullable=False),
        sa.Column("phase", sa.String(length=30), nullable=True),
        sa.Column("systolic_mmhg", sa.Integer(), nullable=True),
        sa.Column("diastolic_mmhg", sa.Integer(), nullable=True),
        sa.Column("heart_rate_bpm", sa.Integer(), nullable=True),
        sa.Column("temperature_c", sa.Numeric(precision=4, scale=1), nullable=True),
        sa.Column("respiratory_rate", sa.Integer(), nullable=True),
        sa.Column("spo2_percent", sa.Integer(), nullable=True),
        sa.Column("nurse_id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("voided_at", UTCDateTime(), nullable=True),
        sa.Column("voided_by_id", sa.Integer(), nullable=True),
        sa.Column("void_reason", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["nurse_id"], ["nurses.id"], name=op.f("fk_vital_signs_nurse_id_nurses")
        ),
        sa.ForeignKeyConstraint(
            ["visit_id"],
            ["infusion_visits.id"],
            name=op.f("fk_vital_signs_visit_id_infusion_visits"),
        ),
        sa.ForeignKeyConstraint(
            ["voided_by_id"], ["nurses.id"], name=op.f("fk_vital_signs_voided_by_id_nurses")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_vital_signs")),
    )
    with op.batch_alter_table("vital_signs", schema=None) as batch_op:
        batch_op.create_index(
            "ix_vital_signs_visit_id_measured_at", ["visit_id", "measured_at"], unique=False
        )

    op.create_table(
        "contraindication_flags",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("patient_id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=60), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("source", sa.String(length=40), nullable=False),
        sa.Column("reaction_id", sa.Integer(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("voided_at", UTCDateTime(), nullable=True),
        sa.Column("voided_by_id", sa.Integer(), nullable=True),
        sa.Column("void_reason", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["patient_id"],
            ["patients.id"],
            name=op.f("fk_contraindication_flags_patient_id_patients"),
        ),
        sa.ForeignKeyConstraint(
            ["reaction_id"],
            ["reactions.id"],
            name=op.f("fk_contraindication_flags_reaction_id_reactions"),
        ),
        sa.ForeignKeyConstraint(
            ["voided_by_id"],
            ["nurses.id"],
            name=op.f("fk_contraindication_flags_voided_by_id_nurses"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_contraindication_flags")),
    )
    with op.batch_alter_table("contraindication_flags", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_contraindication_flags_patient_id"), ["patient_id"], unique=False
        )

    op.create_table(
        "reaction_medications",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("reaction_id", sa.Integer(), nullable=False),
        sa.Column("drug", sa.String(length=120), nullable=False),
        sa.Column("dose", sa.Numeric(precision=10, scale=3), nullable=True),
        sa.Column("dose_unit", sa.String(length=20), nullable=True),
        sa.Column("route", sa.String(length=30), nullable=True),
        sa.Column("given_at", UTCDateTime(), nullable=False),
        sa.Column("nurse_id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("voided_at", UTCDateTime(), nullable=True),
        sa.Column("voided_by_id", sa.Integer(), nullable=True),
        sa.Column("void_reason", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["nurse_id"], ["nurses.id"], name=op.f("fk_reaction_medications_nurse_id_nurses")
        ),
        sa.ForeignKeyConstraint(
            ["reaction_id"],
            ["reactions.id"],
            name=op.f("fk_reaction_medications_reaction_id_reactions"),
        ),
        sa.ForeignKeyConstraint(
            ["voided_by_id"],
            ["nurses.id"],
            name=op.f("fk_reaction_medications_voided_by_id_nurses"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_reaction_medications")),
    )
    with op.batch_alter_table("reaction_medications", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_reaction_medications_reaction_id"), ["reaction_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("reaction_medications", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_reaction_medications_reaction_id"))

    op.drop_table("reaction_medications")
    with op.batch_alter_table("contraindication_flags", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_contraindication_flags_patient_id"))

    op.drop_table("contraindication_flags")
    with op.batch_alter_table("vital_signs", schema=None) as batch_op:
        batch_op.drop_index("ix_vital_signs_visit_id_measured_at")

    op.drop_table("vital_signs")
    with op.batch_alter_table("reactions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_reactions_visit_id"))
        batch_op.drop_index(batch_op.f("ix_reactions_patient_id"))

    op.drop_table("reactions")
    with op.batch_alter_table("product_lots", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_product_lots_visit_id"))

    op.drop_table("product_lots")
    with op.batch_alter_table("infusion_events", schema=None) as batch_op:
        batch_op.drop_index("ix_infusion_events_visit_id_at")

    op.drop_table("infusion_events")
    with op.batch_alter_table("checklist_entries", schema=None) as batch_op:
        batch_op.drop_index("ix_checklist_entries_visit_id_item_key")

    op.drop_table("checklist_entries")
    with op.batch_alter_table("infusion_visits", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_infusion_visits_patient_id"))
        batch_op.drop_index(batch_op.f("ix_infusion_visits_course_id"))
        batch_op.drop_index(batch_op.f("ix_infusion_visits_appointment_id"))

    op.drop_table("infusion_visits")
    with op.batch_alter_table("interval_changes", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_interval_changes_course_id"))

    op.drop_table("interval_changes")
    with op.batch_alter_table("appointments", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_appointments_starts_at"))
        batch_op.drop_index(batch_op.f("ix_appointments_due_date"))
        batch_op.drop_index(batch_op.f("ix_appointments_course_id"))

    op.drop_table("appointments")
    with op.batch_alter_table("weight_measurements", schema=None) as batch_op:
        batch_op.drop_index("ix_weight_measurements_patient_id_measured_at")

    op.drop_table("weight_measurements")
    with op.batch_alter_table("treatment_courses", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_treatment_courses_patient_id"))

    op.drop_table("treatment_courses")
    with op.batch_alter_table("screening_results", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_screening_results_patient_id"))

    op.drop_table("screening_results")
    with op.batch_alter_table("diagnoses", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_diagnoses_patient_id"))

    op.drop_table("diagnoses")
    with op.batch_alter_table("allergies", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_allergies_patient_id"))

    op.drop_table("allergies")
    with op.batch_alter_table("patients", schema=None) as batch_op:
        batch_op.drop_index("ix_patients_given_key_family_key")
        batch_op.drop_index("ix_patients_family_key_given_key")
        batch_op.drop_index(batch_op.f("ix_patients_date_of_birth"))

    op.drop_table("patients")
    with op.batch_alter_table("audit_log", schema=None) as batch_op:
        batch_op.drop_index("ix_audit_log_table_name_record_id")

    op.drop_table("audit_log")
    op.drop_table("nurses")
    op.drop_table("audit_chain_head")
