"""moving to adult services: a plan section (what changes at 18, the new team, what the young
person wants to keep) and actions marked as steps in moving to adult services

Revision ID: 0025
Revises: 0024
Create Date: 2026-12-01 19:00:00

The plan's section and part columns are a VARCHAR with a CHECK constraint (see enum_column), so
the new section and parts replace those constraints in every table that holds them.
"""

from alembic import op
import sqlalchemy as sa


revision = '0025'
down_revision = '0024'
branch_labels = None
depends_on = None

OLD_SECTIONS = ('about-me', 'goals', 'green', 'amber', 'red', 'who-helps', 'actions')
NEW_SECTIONS = ('about-me', 'goals', 'moving-on', 'green', 'amber', 'red', 'who-helps', 'actions')
OLD_PARTS = ('likes', 'important', 'support', 'communication', 'goal', 'keeps-well', 'signs',
             'helps', 'to-do', 'call', 'person', 'action')
NEW_PARTS = ('likes', 'important', 'support', 'communication', 'goal', 'at-18', 'new-team', 'keep',
             'keeps-well', 'signs', 'helps', 'to-do', 'call', 'person', 'action')
# table -> (name of the section constraint, name of the part constraint)
TABLES = {
    'plan_items': ('plan_section', 'plan_part'),
    'plan_draft_items': ('plan_section', 'plan_part'),
    'plan_suggestions': ('suggestion_section', 'suggestion_part'),
}


def _in(column: str, values: tuple[str, ...]) -> str:
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


def _checks(sections: tuple[str, ...], parts: tuple[str, ...]) -> None:
    for table, (section_check, part_check) in TABLES.items():
        with op.batch_alter_table(table, schema=None, recreate='auto') as batch_op:
            batch_op.drop_constraint(op.f(f'ck_{table}_{section_check}'), type_='check')
            batch_op.drop_constraint(op.f(f'ck_{table}_{part_check}'), type_='check')
            batch_op.create_check_constraint(section_check, _in('section', sections))
            batch_op.create_check_constraint(part_check, _in('part', parts))


def upgrade() -> None:
    _checks(NEW_SECTIONS, NEW_PARTS)
    for table in ('plan_items', 'plan_draft_items'):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(
                sa.Column('transition', sa.Boolean(), nullable=False, server_default=sa.false())
            )
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.alter_column('transition', server_default=None)


def downgrade() -> None:
    for table in ('plan_items', 'plan_draft_items'):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_column('transition')
    # The old constraints cannot hold the new section: going back loses what was written in it.
    for table in TABLES:
        op.execute(f"DELETE FROM {table} WHERE section = 'moving-on'")
    _checks(OLD_SECTIONS, OLD_PARTS)
