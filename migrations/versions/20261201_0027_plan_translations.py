"""plan items translated into a family member's language, with the English they came from

Revision ID: 0027
Revises: 0013
Create Date: 2026-12-01 18:30:00
"""

from alembic import op
import sqlalchemy as sa


revision = '0027'
down_revision = '0013'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('plan_translations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('item_key', sa.String(length=32), nullable=False),
    sa.Column('language', sa.String(length=8), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('picture_alt', sa.String(length=240), nullable=True),
    sa.Column('owner', sa.String(length=240), nullable=True),
    sa.Column('contact', sa.String(length=400), nullable=True),
    sa.Column('source_text', sa.Text(), nullable=False),
    sa.Column('source_picture_alt', sa.String(length=120), nullable=True),
    sa.Column('source_owner', sa.String(length=120), nullable=True),
    sa.Column('source_contact', sa.String(length=200), nullable=True),
    sa.Column('made_by', sa.String(length=120), nullable=False),
    sa.Column('entered_by_id', sa.Integer(), nullable=False),
    sa.Column('recorded_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['case_id'], ['cases.id'], name=op.f('fk_plan_translations_case_id_cases'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['entered_by_id'], ['users.id'], name=op.f('fk_plan_translations_entered_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_plan_translations')),
    sa.UniqueConstraint('case_id', 'item_key', 'language', name=op.f('uq_plan_translations_case_id'))
    )
    with op.batch_alter_table('plan_translations', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_plan_translations_case_id'), ['case_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('plan_translations', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_plan_translations_case_id'))
    op.drop_table('plan_translations')
