"""what not to do: a part of the Red section (shown on the crisis card)

Revision ID: 0023
Revises: 0025
Create Date: 2026-12-02 10:00:00

Parts are stored as text with a CHECK constraint listing them, so a new part changes the
constraint on the three tables that hold parts. It comes after 0025 (written before it, merged
after), so the parts it allows include the moving-on parts 0025 added.
"""

from alembic import op


revision = '0023'
down_revision = '0025'
branch_labels = None
depends_on = None

# Every part there is after 0025 (moving to adult services), in the models' order.
BEFORE = ('likes', 'important', 'support', 'communication', 'goal', 'at-18', 'new-team', 'keep',
          'keeps-well', 'signs', 'helps', 'to-do', 'call', 'person', 'action')
AFTER = (*BEFORE[:BEFORE.index('to-do') + 1], 'not-to-do', *BEFORE[BEFORE.index('to-do') + 1:])
# table: the constraint's name (the enum's name in the models)
TABLES = {'plan_items': 'plan_part', 'plan_draft_items': 'plan_part',
          'plan_suggestions': 'suggestion_part'}


def _allow(parts: tuple[str, ...]) -> None:
    listed = ", ".join(f"'{p}'" for p in parts)
    for table, name in TABLES.items():
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_constraint(op.f(f'ck_{table}_{name}'), type_='check')
            batch_op.create_check_constraint(op.f(f'ck_{table}_{name}'), f"part IN ({listed})")


def upgrade() -> None:
    _allow(AFTER)


def downgrade() -> None:
    op.execute("DELETE FROM plan_items WHERE part = 'not-to-do'")
    op.execute("DELETE FROM plan_draft_items WHERE part = 'not-to-do'")
    op.execute("DELETE FROM plan_suggestions WHERE part = 'not-to-do'")
    _allow(BEFORE)
