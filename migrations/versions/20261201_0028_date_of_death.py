"""date of death: a closed case's young person has died (retention: 8 years from that day)

Revision ID: 0028
Revises: 0026
Create Date: 2026-12-06 14:10:00
"""

from alembic import op
import sqlalchemy as sa


revision = "0028"
down_revision = "0026"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("cases", schema=None) as batch_op:
        batch_op.add_column(sa.Column("died_on", sa.Date(), nullable=True))
        batch_op.add_column(sa.Column("died_recorded_by_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f("fk_cases_died_recorded_by_id_users"),
            "users",
            ["died_recorded_by_id"],
            ["id"],
        )


def downgrade() -> None:
    with op.batch_alter_table("cases", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("fk_cases_died_recorded_by_id_users"), type_="foreignkey"
        )
        batch_op.drop_column("died_recorded_by_id")
        batch_op.drop_column("died_on")
