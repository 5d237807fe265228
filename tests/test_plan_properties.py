"""Property: whatever sequence of changes people make, no version is ever changed afterwards,
changes wait in the draft (the family's version stays as it was), every share makes exactly one
new version that holds the draft (none when nothing differs), and the order within each part
stays sound."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from webapp.models import SECTION_PARTS, Section, User, Words
from webapp.services import plans
from webapp.services.plans import ItemDraft

PAIRS = [(s, p) for s, parts in SECTION_PARTS.items() for p in parts if s is not Section.ACTIONS]

operations = st.lists(
    st.one_of(
        st.tuples(
            st.just("add"),
            st.sampled_from(PAIRS),
            # What a form can deliver: forms.fields.strip removes control characters.
            st.text(st.characters(blacklist_categories=("Cs", "Cc")), min_size=1, max_size=20),
        ),
        st.tuples(st.just("move"), st.integers(0, 50), st.booleans()),
        st.tuples(st.just("remove"), st.integers(0, 50)),
        st.tuples(st.just("share")),
    ),
    min_size=1,
    max_size=10,
)


def _snapshot_items(items) -> list[tuple]:
    return sorted((i.key, i.section, i.part, i.position, i.text) for i in items)


def _snapshot(version) -> list[tuple]:
    return _snapshot_items(version.items)


@settings(
    max_examples=25,
    deadline=None,
    derandomize=True,  # the same examples on every run, so CI is repeatable
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(ops=operations)
def test_versions_are_append_only(app, ops):
    from webapp.extensions import db

    with app.app_context():
        kim = db.session.query(User).filter_by(email="kim@example.org").one()
        plan = plans.plan_for_case(1)
        newest = plans.latest_version(plan).number
        before = {n: _snapshot(plans.version_by_number(plan, n)) for n in range(1, newest + 1)}
        for op in ops:
            latest = plans.latest_version(plan)
            editing = plans.editing_items(plan)
            keys = sorted(i.key for i in editing)
            base = plans.revision(plan)
            if op[0] == "add":
                (section, part), text = op[1], op[2]
                draft = ItemDraft(section=section, part=part, text=text, words=Words.KEY_WORKER)
                new = plans.add_item(plan, base, kim, draft).items
                assert len(new) == len(editing) + 1
            elif op[0] == "move" and keys:
                key = keys[op[1] % len(keys)]
                new = plans.move_item(plan, base, kim, key, op[2]).items
                assert sorted(i.key for i in new) == keys
            elif op[0] == "remove" and keys:
                key = keys[op[1] % len(keys)]
                new = plans.remove_item(plan, base, kim, key).items
                assert key not in {i.key for i in new}
            elif op[0] == "share":
                differs = plans.change_codes(latest.items, editing) != ""
                wanted = _snapshot_items(editing)
                shared = plans.share_changes(plan, base, kim)
                assert (shared is not None) == differs
                if shared is not None:
                    assert shared.number == latest.number + 1
                    assert _snapshot(shared) == wanted
                    before[shared.number] = wanted
                assert plans.open_draft(plan) is None
                continue
            else:
                continue
            assert plans.latest_version(plan).number == latest.number  # the family's is unchanged
            assert plans.revision(plan) == base + 1
            groups = {}
            for item in new:
                groups.setdefault((item.section, item.part), []).append(item.position)
            for positions in groups.values():
                assert len(positions) == len(set(positions))
        for number, snapshot in before.items():
            db.session.expire_all()
            assert _snapshot(plans.version_by_number(plan, number)) == snapshot
