"""what each carer sees, item by item: staff mark a plan item sensitive, and the young person
chooses for each parent or carer whether they see it

Revision ID: 0024
Revises: 0027
Create Date: 2026-12-01 17:30:00
"""

from alembic import op
import sqlalchemy as sa


revision = '0024'
down_revision = '0027'
branch_labels = None
depends_on = None


def upgrade() -> None:
    for table in ('plan_items', 'plan_draft_items'):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(
                sa.Column('sensitive', sa.Boolean(), nullable=False, server_default=sa.false())
            )
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.alter_column('sensitive', server_default=None)
    with op.batch_alter_table('case_carers', schema=None) as batch_op:
        batch_op.add_column(sa.Column('hidden_items', sa.Text(), nullable=False, server_default=''))
    with op.batch_alter_table('case_carers', schema=None) as batch_op:
        batch_op.alter_column('hidden_items', server_default=None)


def downgrade() -> None:
    with op.batch_alter_table('case_carers', schema=None) as batch_op:
        batch_op.drop_column('hidden_items')
    for table in ('plan_draft_items', 'plan_items'):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_column('sensitive')
