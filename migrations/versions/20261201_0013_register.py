"""the key worker's register: rating history, hospital admissions and discharges, the team's
register settings, referrals, permission to be on the register, barriers and their escalation

Revision ID: 0013
Revises: 0019
Create Date: 2026-12-01 17:10:00

Every existing case gets its first rating change: the rating it has now, from when it opened.
"""

from alembic import op
import sqlalchemy as sa


revision = '0013'
down_revision = '0019'
branch_labels = None
depends_on = None

RATINGS = ('red', 'amber', 'green', 'blue')


def upgrade() -> None:
    op.create_table('rating_changes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('rating', sa.Enum(*RATINGS, name='rating_change_rating', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('review_on', sa.Date(), nullable=True),
    sa.Column('show_family', sa.Boolean(), nullable=False),
    sa.Column('by_rule', sa.Boolean(), nullable=False),
    sa.Column('changed_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['case_id'], ['cases.id'], name=op.f('fk_rating_changes_case_id_cases'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['changed_by_id'], ['users.id'], name=op.f('fk_rating_changes_changed_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_rating_changes'))
    )
    with op.batch_alter_table('rating_changes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_rating_changes_case_id'), ['case_id'], unique=False)

    op.create_table('hospital_admissions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('admitted_on', sa.Date(), nullable=False),
    sa.Column('hospital', sa.String(length=160), nullable=False),
    sa.Column('ward', sa.String(length=160), nullable=False),
    sa.Column('phone', sa.String(length=40), nullable=False),
    sa.Column('kind', sa.Enum('formal', 'informal', name='admission_kind', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('recorded_by_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['case_id'], ['cases.id'], name=op.f('fk_hospital_admissions_case_id_cases'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['recorded_by_id'], ['users.id'], name=op.f('fk_hospital_admissions_recorded_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_hospital_admissions'))
    )
    with op.batch_alter_table('hospital_admissions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_hospital_admissions_case_id'), ['case_id'], unique=False)

    op.create_table('hospital_discharges',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('admission_id', sa.Integer(), nullable=False),
    sa.Column('discharged_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('discharged_to', sa.String(length=200), nullable=False),
    sa.Column('follow_up_due', sa.DateTime(timezone=True), nullable=False),
    sa.Column('follow_up_done_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('follow_up_done_by_id', sa.Integer(), nullable=True),
    sa.Column('recorded_by_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['admission_id'], ['hospital_admissions.id'], name=op.f('fk_hospital_discharges_admission_id_hospital_admissions'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['follow_up_done_by_id'], ['users.id'], name=op.f('fk_hospital_discharges_follow_up_done_by_id_users')),
    sa.ForeignKeyConstraint(['recorded_by_id'], ['users.id'], name=op.f('fk_hospital_discharges_recorded_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_hospital_discharges')),
    sa.UniqueConstraint('admission_id', name=op.f('uq_hospital_discharges_admission_id'))
    )
    with op.batch_alter_table('hospital_discharges', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_hospital_discharges_follow_up_due'), ['follow_up_due'], unique=False)

    op.create_table('register_settings',
    sa.Column('team_id', sa.Integer(), nullable=False),
    sa.Column('after_discharge_rating', sa.Enum(*RATINGS, name='after_discharge_rating', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('after_discharge_days', sa.Integer(), nullable=False),
    sa.Column('caseload_limit', sa.Integer(), nullable=False),
    sa.Column('transition_age', sa.Integer(), nullable=False),
    sa.Column('updated_by_id', sa.Integer(), nullable=True),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['team_id'], ['teams.id'], name=op.f('fk_register_settings_team_id_teams'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['updated_by_id'], ['users.id'], name=op.f('fk_register_settings_updated_by_id_users')),
    sa.PrimaryKeyConstraint('team_id', name=op.f('pk_register_settings'))
    )

    op.create_table('referrals',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('source', sa.Enum('dsr_meeting', 'inpatient_review', 'cetr', 'other', name='referral_source', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('source_detail', sa.String(length=200), nullable=True),
    sa.Column('referred_on', sa.Date(), nullable=False),
    sa.Column('condition', sa.Enum('learning_disability', 'autism', 'both', 'neither', name='condition', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('recorded_by_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['case_id'], ['cases.id'], name=op.f('fk_referrals_case_id_cases'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['recorded_by_id'], ['users.id'], name=op.f('fk_referrals_recorded_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_referrals'))
    )
    with op.batch_alter_table('referrals', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_referrals_case_id'), ['case_id'], unique=False)

    op.create_table('register_consents',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('given', sa.Boolean(), nullable=False),
    sa.Column('giver', sa.Enum('young_person', 'parent_or_carer', name='consent_giver', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('giver_name', sa.String(length=120), nullable=False),
    sa.Column('decided_on', sa.Date(), nullable=False),
    sa.Column('way', sa.Enum('in_person', 'phone', 'writing', name='consent_way', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('recorded_by_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['case_id'], ['cases.id'], name=op.f('fk_register_consents_case_id_cases'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['recorded_by_id'], ['users.id'], name=op.f('fk_register_consents_recorded_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_register_consents'))
    )
    with op.batch_alter_table('register_consents', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_register_consents_case_id'), ['case_id'], unique=False)

    op.create_table('barriers',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('raised_with', sa.String(length=200), nullable=False),
    sa.Column('raised_on', sa.Date(), nullable=False),
    sa.Column('recorded_by_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('closed_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['case_id'], ['cases.id'], name=op.f('fk_barriers_case_id_cases'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['recorded_by_id'], ['users.id'], name=op.f('fk_barriers_recorded_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_barriers'))
    )
    with op.batch_alter_table('barriers', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_barriers_case_id'), ['case_id'], unique=False)

    op.create_table('barrier_steps',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('barrier_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.Enum('escalated', 'outcome', name='barrier_step', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('by_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['barrier_id'], ['barriers.id'], name=op.f('fk_barrier_steps_barrier_id_barriers'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['by_id'], ['users.id'], name=op.f('fk_barrier_steps_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_barrier_steps'))
    )
    with op.batch_alter_table('barrier_steps', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_barrier_steps_barrier_id'), ['barrier_id'], unique=False)

    op.execute(
        "INSERT INTO rating_changes (case_id, rating, reason, show_family, by_rule, created_at) "
        "SELECT id, dsr_rating, 'opened', false, true, opened_at "
        "FROM cases"
    )


def downgrade() -> None:
    for table in ('barrier_steps', 'barriers', 'register_consents', 'referrals'):
        key = 'barrier_id' if table == 'barrier_steps' else 'case_id'
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_index(batch_op.f(f'ix_{table}_{key}'))
        op.drop_table(table)
    op.drop_table('register_settings')
    with op.batch_alter_table('hospital_discharges', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_hospital_discharges_follow_up_due'))
    op.drop_table('hospital_discharges')
    with op.batch_alter_table('hospital_admissions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_hospital_admissions_case_id'))
    op.drop_table('hospital_admissions')
    with op.batch_alter_table('rating_changes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_rating_changes_case_id'))
    op.drop_table('rating_changes')
