"""languages: the languages a reviewer reads, translations checked string by string, a
language approved when every string is checked; an interpreter in communication needs; a
message staff ask to be read to the family member in their language

Revision ID: 0026
Revises: 0023
Create Date: 2026-12-01 18:00:00
"""

from alembic import op
import sqlalchemy as sa


revision = '0026'
down_revision = '0023'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('reviewer_languages',
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('language', sa.String(length=8), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_reviewer_languages_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('user_id', 'language', name=op.f('pk_reviewer_languages'))
    )
    op.create_table('string_checks',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('language', sa.String(length=8), nullable=False),
    sa.Column('english_hash', sa.String(length=64), nullable=False),
    sa.Column('translation_hash', sa.String(length=64), nullable=False),
    sa.Column('checked_by_id', sa.Integer(), nullable=False),
    sa.Column('checked_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['checked_by_id'], ['users.id'], name=op.f('fk_string_checks_checked_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_string_checks')),
    sa.UniqueConstraint('language', 'english_hash', 'translation_hash', name=op.f('uq_string_checks_language'))
    )
    with op.batch_alter_table('string_checks', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_string_checks_language'), ['language'], unique=False)

    op.create_table('language_approvals',
    sa.Column('language', sa.String(length=8), nullable=False),
    sa.Column('catalogue_digest', sa.String(length=64), nullable=False),
    sa.Column('approved_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('language', 'catalogue_digest', name=op.f('pk_language_approvals'))
    )
    with op.batch_alter_table('communication_needs', schema=None) as batch_op:
        batch_op.add_column(sa.Column('interpreter', sa.Boolean(), nullable=False, server_default=sa.false()))
    with op.batch_alter_table('communication_needs', schema=None) as batch_op:
        batch_op.alter_column('interpreter', server_default=None)
    with op.batch_alter_table('messages', schema=None) as batch_op:
        batch_op.add_column(sa.Column('read_to_in', sa.String(length=8), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('messages', schema=None) as batch_op:
        batch_op.drop_column('read_to_in')
    with op.batch_alter_table('communication_needs', schema=None) as batch_op:
        batch_op.drop_column('interpreter')
    op.drop_table('language_approvals')
    with op.batch_alter_table('string_checks', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_string_checks_language'))
    op.drop_table('string_checks')
    op.drop_table('reviewer_languages')
