"""plan drafts: staff changes wait here until the key worker shares them as one version

Revision ID: 0021
Revises: 0020
Create Date: 2026-12-01 18:00:00
"""

from alembic import op
import sqlalchemy as sa


revision = '0021'
down_revision = '0020'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('plan_drafts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('plan_id', sa.Integer(), nullable=False),
    sa.Column('revision', sa.Integer(), nullable=False),
    sa.Column('base_number', sa.Integer(), nullable=True),
    sa.Column('updated_by_id', sa.Integer(), nullable=True),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['plan_id'], ['plans.id'], name=op.f('fk_plan_drafts_plan_id_plans'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['updated_by_id'], ['users.id'], name=op.f('fk_plan_drafts_updated_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_plan_drafts')),
    sa.UniqueConstraint('plan_id', name=op.f('uq_plan_drafts_plan_id'))
    )
    op.create_table('plan_draft_items',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('draft_id', sa.Integer(), nullable=False),
    sa.Column('key', sa.String(length=32), nullable=False),
    sa.Column('section', sa.Enum('about-me', 'goals', 'green', 'amber', 'red', 'who-helps', 'actions', name='plan_section', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('part', sa.Enum('likes', 'important', 'support', 'communication', 'goal', 'keeps-well', 'signs', 'helps', 'to-do', 'call', 'person', 'action', name='plan_part', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('words', sa.Enum('young_person', 'carer', 'key_worker', name='plan_words', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('picture', sa.String(length=40), nullable=True),
    sa.Column('picture_alt', sa.String(length=120), nullable=True),
    sa.Column('private', sa.Boolean(), nullable=False),
    sa.Column('owner', sa.String(length=120), nullable=True),
    sa.Column('due', sa.Date(), nullable=True),
    sa.Column('status', sa.Enum('not_started', 'in_progress', 'done', name='action_status', native_enum=False, create_constraint=True), nullable=True),
    sa.Column('cetr', sa.Boolean(), nullable=False),
    sa.Column('contact', sa.String(length=200), nullable=True),
    sa.ForeignKeyConstraint(['draft_id'], ['plan_drafts.id'], name=op.f('fk_plan_draft_items_draft_id_plan_drafts'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_plan_draft_items'))
    )
    with op.batch_alter_table('plan_draft_items', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_plan_draft_items_draft_id'), ['draft_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('plan_draft_items', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_plan_draft_items_draft_id'))
    op.drop_table('plan_draft_items')
    op.drop_table('plan_drafts')
