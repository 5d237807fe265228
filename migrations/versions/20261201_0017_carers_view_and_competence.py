"""what each carer sees: sections a young person keeps from a carer; competence under 16

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-01 17:15:00
"""

from alembic import op
import sqlalchemy as sa


revision = '0017'
down_revision = '0016'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('case_carers', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('hidden_sections', sa.String(length=120), nullable=False, server_default='')
        )
    with op.batch_alter_table('case_carers', schema=None) as batch_op:
        batch_op.alter_column('hidden_sections', server_default=None)
    with op.batch_alter_table('cases', schema=None) as batch_op:
        batch_op.add_column(sa.Column('competent_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('competent_reason', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('competent_by_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f('fk_cases_competent_by_id_users'), 'users', ['competent_by_id'], ['id']
        )


def downgrade() -> None:
    with op.batch_alter_table('cases', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_cases_competent_by_id_users'), type_='foreignkey')
        batch_op.drop_column('competent_by_id')
        batch_op.drop_column('competent_reason')
        batch_op.drop_column('competent_at')
    with op.batch_alter_table('case_carers', schema=None) as batch_op:
        batch_op.drop_column('hidden_sections')
