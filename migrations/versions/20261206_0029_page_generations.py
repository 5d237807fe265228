"""page generations: a change counter per table for the page cache

Revision ID: 0029
Revises: 0028
Create Date: 2026-12-06 23:10:00
"""

from alembic import op
import sqlalchemy as sa


revision = "0029"
down_revision = "0028"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "page_generations",
        sa.Column("name", sa.String(length=64), nullable=False),
        sa.Column("n", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_page_generations")),
    )


def downgrade() -> None:
    op.drop_table("page_generations")
