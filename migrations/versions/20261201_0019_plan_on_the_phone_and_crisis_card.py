"""my plan in my pocket: keep the plan on this phone; the crisis card's lines; the team's number

Revision ID: 0019
Revises: 0015
Create Date: 2026-12-01 18:00:00
"""

from alembic import op
import sqlalchemy as sa


revision = '0019'
down_revision = '0015'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('preferences', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('keep_on_phone', sa.Boolean(), nullable=False, server_default=sa.false())
        )
    with op.batch_alter_table('preferences', schema=None) as batch_op:
        batch_op.alter_column('keep_on_phone', server_default=None)
    with op.batch_alter_table('cases', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('crisis_card_hidden', sa.String(length=120), nullable=False, server_default='')
        )
    with op.batch_alter_table('cases', schema=None) as batch_op:
        batch_op.alter_column('crisis_card_hidden', server_default=None)
    with op.batch_alter_table('teams', schema=None) as batch_op:
        batch_op.add_column(sa.Column('phone', sa.String(length=40), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('teams', schema=None) as batch_op:
        batch_op.drop_column('phone')
    with op.batch_alter_table('cases', schema=None) as batch_op:
        batch_op.drop_column('crisis_card_hidden')
    with op.batch_alter_table('preferences', schema=None) as batch_op:
        batch_op.drop_column('keep_on_phone')
