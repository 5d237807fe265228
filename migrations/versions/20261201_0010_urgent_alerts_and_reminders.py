"""urgent alerts, acknowledgements, escalation settings, amber answers, check-in reminders

Revision ID: 0010
Revises: 0007
Create Date: 2026-12-01 16:30:00
"""

from alembic import op
import sqlalchemy as sa


revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('alerts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('source', sa.String(length=20), nullable=False),
    sa.Column('source_id', sa.Integer(), nullable=False),
    sa.Column('raised_by_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('starts_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('out_of_hours', sa.Boolean(), nullable=False),
    sa.Column('level', sa.Integer(), nullable=False),
    sa.Column('acknowledged_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('acknowledged_by_id', sa.Integer(), nullable=True),
    sa.Column('contact_by', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['case_id'], ['cases.id'], name=op.f('fk_alerts_case_id_cases'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['raised_by_id'], ['users.id'], name=op.f('fk_alerts_raised_by_id_users')),
    sa.ForeignKeyConstraint(['acknowledged_by_id'], ['users.id'], name=op.f('fk_alerts_acknowledged_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_alerts')),
    sa.UniqueConstraint('source', 'source_id', name=op.f('uq_alerts_source'))
    )
    with op.batch_alter_table('alerts', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_alerts_case_id'), ['case_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_alerts_created_at'), ['created_at'], unique=False)

    op.create_table('alert_notices',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('alert_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('email', sa.String(length=254), nullable=True),
    sa.Column('reason', sa.String(length=20), nullable=False),
    sa.Column('told_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['alert_id'], ['alerts.id'], name=op.f('fk_alert_notices_alert_id_alerts'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_alert_notices_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_alert_notices'))
    )
    with op.batch_alter_table('alert_notices', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_alert_notices_alert_id'), ['alert_id'], unique=False)

    op.create_table('helped_answers',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('entry_id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('item_key', sa.String(length=32), nullable=False),
    sa.Column('answer', sa.String(length=10), nullable=False),
    sa.Column('answered_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['entry_id'], ['journal_entries.id'], name=op.f('fk_helped_answers_entry_id_journal_entries'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['case_id'], ['cases.id'], name=op.f('fk_helped_answers_case_id_cases'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_helped_answers')),
    sa.UniqueConstraint('entry_id', 'item_key', name=op.f('uq_helped_answers_entry_id'))
    )
    with op.batch_alter_table('helped_answers', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_helped_answers_entry_id'), ['entry_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_helped_answers_case_id'), ['case_id'], unique=False)

    with op.batch_alter_table('teams', schema=None) as batch_op:
        batch_op.add_column(sa.Column('duty_email', sa.String(length=254), nullable=True))
        batch_op.add_column(sa.Column('escalate_manager_minutes', sa.Integer(), nullable=False, server_default='30'))
        batch_op.add_column(sa.Column('escalate_team_minutes', sa.Integer(), nullable=False, server_default='60'))

    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('on_duty', sa.Boolean(), nullable=False, server_default=sa.false()))
        batch_op.add_column(sa.Column('on_leave', sa.Boolean(), nullable=False, server_default=sa.false()))

    with op.batch_alter_table('preferences', schema=None) as batch_op:
        batch_op.add_column(sa.Column('reminder_times', sa.String(length=11), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('quiet_from', sa.Time(), nullable=True))
        batch_op.add_column(sa.Column('quiet_until', sa.Time(), nullable=True))

    with op.batch_alter_table('outbox', schema=None) as batch_op:
        batch_op.add_column(sa.Column('to_email', sa.String(length=254), nullable=True))
        batch_op.add_column(sa.Column('topic', sa.String(length=20), nullable=True))
        batch_op.alter_column('user_id', existing_type=sa.Integer(), nullable=True)


def downgrade() -> None:
    with op.batch_alter_table('outbox', schema=None) as batch_op:
        batch_op.alter_column('user_id', existing_type=sa.Integer(), nullable=False)
        batch_op.drop_column('topic')
        batch_op.drop_column('to_email')

    with op.batch_alter_table('preferences', schema=None) as batch_op:
        batch_op.drop_column('quiet_until')
        batch_op.drop_column('quiet_from')
        batch_op.drop_column('reminder_times')

    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_column('on_leave')
        batch_op.drop_column('on_duty')

    with op.batch_alter_table('teams', schema=None) as batch_op:
        batch_op.drop_column('escalate_team_minutes')
        batch_op.drop_column('escalate_manager_minutes')
        batch_op.drop_column('duty_email')

    with op.batch_alter_table('helped_answers', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_helped_answers_case_id'))
        batch_op.drop_index(batch_op.f('ix_helped_answers_entry_id'))
    op.drop_table('helped_answers')
    with op.batch_alter_table('alert_notices', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_alert_notices_alert_id'))
    op.drop_table('alert_notices')
    with op.batch_alter_table('alerts', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_alerts_created_at'))
        batch_op.drop_index(batch_op.f('ix_alerts_case_id'))
    op.drop_table('alerts')
