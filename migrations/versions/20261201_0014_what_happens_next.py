"""what happens next: appointments, notes after them, things I want to say, reminder choices
and private calendar feeds

Revision ID: 0014
Revises: 0022
Create Date: 2026-12-01 17:10:00
"""

from alembic import op
import sqlalchemy as sa


revision = '0014'
down_revision = "0022"
branch_labels = None
depends_on = None

KINDS = ('key_worker_visit', 'cetr', 'ehcp_review', 'school', 'doctor', 'hospital', 'camhs',
         'adult_services', 'other')
HOW = ('in_person', 'phone', 'video')


def upgrade() -> None:
    op.create_table(
        'appointments',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('case_id', sa.Integer(), nullable=False),
        sa.Column('kind', sa.Enum(*KINDS, name='appointment_kind', native_enum=False,
                                  create_constraint=True, length=16), nullable=False),
        sa.Column('title', sa.String(length=120), nullable=True),
        sa.Column('starts_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('ends_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('how', sa.Enum(*HOW, name='attendance', native_enum=False,
                                 create_constraint=True, length=9), nullable=False),
        sa.Column('place', sa.Text(), nullable=True),
        sa.Column('who', sa.Text(), nullable=True),
        sa.Column('what_happens', sa.Text(), nullable=True),
        sa.Column('what_to_bring', sa.Text(), nullable=True),
        sa.Column('carers_see', sa.Boolean(), nullable=False),
        sa.Column('author_id', sa.Integer(), nullable=False),
        sa.Column('client_key', sa.String(length=64), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('changed_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('was_starts_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('was_place', sa.Text(), nullable=True),
        sa.Column('cancelled_at', sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(['case_id'], ['cases.id'], name=op.f('fk_appointments_case_id_cases'), ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['author_id'], ['users.id'], name=op.f('fk_appointments_author_id_users')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_appointments')),
        sa.UniqueConstraint('author_id', 'client_key', name=op.f('uq_appointments_author_id')),
    )
    op.create_index(op.f('ix_appointments_case_id'), 'appointments', ['case_id'], unique=False)
    op.create_index(op.f('ix_appointments_starts_at'), 'appointments', ['starts_at'], unique=False)
    op.create_table(
        'appointment_notes',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('appointment_id', sa.Integer(), nullable=False),
        sa.Column('author_id', sa.Integer(), nullable=False),
        sa.Column('words', sa.Text(), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['appointment_id'], ['appointments.id'], name=op.f('fk_appointment_notes_appointment_id_appointments'), ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['author_id'], ['users.id'], name=op.f('fk_appointment_notes_author_id_users')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_appointment_notes')),
        sa.UniqueConstraint('appointment_id', name=op.f('uq_appointment_notes_appointment_id')),
    )
    op.create_table(
        'things_to_say',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('appointment_id', sa.Integer(), nullable=False),
        sa.Column('author_id', sa.Integer(), nullable=False),
        sa.Column('words', sa.Text(), nullable=False),
        sa.Column('shared', sa.Boolean(), nullable=False),
        sa.Column('shared_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['appointment_id'], ['appointments.id'], name=op.f('fk_things_to_say_appointment_id_appointments'), ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['author_id'], ['users.id'], name=op.f('fk_things_to_say_author_id_users')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_things_to_say')),
        sa.UniqueConstraint('appointment_id', 'author_id', name=op.f('uq_things_to_say_appointment_id')),
    )
    op.create_index(op.f('ix_things_to_say_appointment_id'), 'things_to_say', ['appointment_id'], unique=False)
    op.create_table(
        'reminder_choices',
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('day_before', sa.Boolean(), nullable=False),
        sa.Column('morning', sa.Boolean(), nullable=False),
        sa.Column('hour_before', sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_reminder_choices_user_id_users'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('user_id', name=op.f('pk_reminder_choices')),
    )
    op.create_table(
        'calendar_feeds',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('token_hash', sa.String(length=64), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_calendar_feeds_user_id_users'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_calendar_feeds')),
        sa.UniqueConstraint('token_hash', name=op.f('uq_calendar_feeds_token_hash')),
        sa.UniqueConstraint('user_id', name=op.f('uq_calendar_feeds_user_id')),
    )


def downgrade() -> None:
    op.drop_table('calendar_feeds')
    op.drop_table('reminder_choices')
    op.drop_index(op.f('ix_things_to_say_appointment_id'), table_name='things_to_say')
    op.drop_table('things_to_say')
    op.drop_table('appointment_notes')
    op.drop_index(op.f('ix_appointments_starts_at'), table_name='appointments')
    op.drop_index(op.f('ix_appointments_case_id'), table_name='appointments')
    op.drop_table('appointments')
