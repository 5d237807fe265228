"""listening and learning: feedback (Ask Listen Do), "How are we doing?" answers, service gaps

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-01 17:10:00
"""

from alembic import op
import sqlalchemy as sa


revision = '0015'
down_revision = '0014'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('feedback',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.Enum('good', 'idea', 'complaint', name='feedback_kind', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('words', sa.Text(), nullable=False),
    sa.Column('shared', sa.Boolean(), nullable=False),
    sa.Column('language', sa.String(length=8), nullable=False),
    sa.Column('client_key', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('looked_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('looked_by_id', sa.Integer(), nullable=True),
    sa.Column('what_we_did', sa.Text(), nullable=True),
    sa.Column('reply', sa.Text(), nullable=True),
    sa.Column('done_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('done_by_id', sa.Integer(), nullable=True),
    sa.Column('themes', sa.String(length=200), nullable=False),
    sa.ForeignKeyConstraint(['author_id'], ['users.id'], name=op.f('fk_feedback_author_id_users')),
    sa.ForeignKeyConstraint(['case_id'], ['cases.id'], name=op.f('fk_feedback_case_id_cases'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['done_by_id'], ['users.id'], name=op.f('fk_feedback_done_by_id_users')),
    sa.ForeignKeyConstraint(['looked_by_id'], ['users.id'], name=op.f('fk_feedback_looked_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_feedback')),
    sa.UniqueConstraint('author_id', 'client_key', name=op.f('uq_feedback_author_id'))
    )
    with op.batch_alter_table('feedback', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_feedback_author_id'), ['author_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_feedback_case_id'), ['case_id'], unique=False)

    op.create_table('survey_answers',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=False),
    sa.Column('at_closing', sa.Boolean(), nullable=False),
    sa.Column('skipped', sa.Boolean(), nullable=False),
    sa.Column('listened', sa.Integer(), nullable=True),
    sa.Column('know_contact', sa.Integer(), nullable=True),
    sa.Column('better', sa.Integer(), nullable=True),
    sa.Column('comment', sa.Text(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['author_id'], ['users.id'], name=op.f('fk_survey_answers_author_id_users')),
    sa.ForeignKeyConstraint(['case_id'], ['cases.id'], name=op.f('fk_survey_answers_case_id_cases'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_survey_answers'))
    )
    with op.batch_alter_table('survey_answers', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_survey_answers_author_id'), ['author_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_survey_answers_case_id'), ['case_id'], unique=False)

    op.create_table('service_gaps',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('need', sa.Enum('autism_camhs', 'respite', 'school_place', 'social_care', 'housing', 'adult_services', 'speech_therapy', 'other', name='need', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('noted_on', sa.Date(), nullable=False),
    sa.Column('added_by_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['added_by_id'], ['users.id'], name=op.f('fk_service_gaps_added_by_id_users')),
    sa.ForeignKeyConstraint(['case_id'], ['cases.id'], name=op.f('fk_service_gaps_case_id_cases'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_service_gaps'))
    )
    with op.batch_alter_table('service_gaps', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_service_gaps_case_id'), ['case_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('service_gaps', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_service_gaps_case_id'))
    op.drop_table('service_gaps')
    with op.batch_alter_table('survey_answers', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_survey_answers_case_id'))
        batch_op.drop_index(batch_op.f('ix_survey_answers_author_id'))
    op.drop_table('survey_answers')
    with op.batch_alter_table('feedback', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_feedback_case_id'))
        batch_op.drop_index(batch_op.f('ix_feedback_author_id'))
    op.drop_table('feedback')
