"""who sees help requests: the writer's sharing choice, one open request per case, suggestions
stored once per client key

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-01 16:50:00

Requests already written by young people stay private to them and the team (shared = false);
a carer's request was always meant for the family, so it is stored shared.
"""

from alembic import op
import sqlalchemy as sa


revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('help_requests', schema=None) as batch_op:
        batch_op.add_column(sa.Column('part_of_id', sa.Integer(), nullable=True))
        batch_op.add_column(
            sa.Column('shared', sa.Boolean(), nullable=False, server_default=sa.false())
        )
        batch_op.create_index(batch_op.f('ix_help_requests_part_of_id'), ['part_of_id'], unique=False)
        batch_op.create_foreign_key(
            batch_op.f('fk_help_requests_part_of_id_help_requests'), 'help_requests', ['part_of_id'], ['id']
        )
    with op.batch_alter_table('help_requests', schema=None) as batch_op:
        batch_op.alter_column('shared', server_default=None)
    op.execute(
        "UPDATE help_requests SET shared = true WHERE author_id IN "
        "(SELECT id FROM users WHERE role <> 'young_person')"
    )
    with op.batch_alter_table('plan_suggestions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('client_key', sa.String(length=64), nullable=True))
        batch_op.create_unique_constraint(
            batch_op.f('uq_plan_suggestions_author_id'), ['author_id', 'client_key']
        )


def downgrade() -> None:
    with op.batch_alter_table('plan_suggestions', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_plan_suggestions_author_id'), type_='unique')
        batch_op.drop_column('client_key')
    with op.batch_alter_table('help_requests', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_help_requests_part_of_id_help_requests'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_help_requests_part_of_id'))
        batch_op.drop_column('shared')
        batch_op.drop_column('part_of_id')
