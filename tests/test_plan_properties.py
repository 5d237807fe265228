"""Property: whatever sequence of changes people make, no version is ever changed afterwards,
every change makes exactly one new version, and the order within each part stays sound."""

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
    ),
    min_size=1,
    max_size=8,
)


def _snapshot(version) -> list[tuple]:
    return sorted((i.key, i.section, i.part, i.position, i.text) for i in version.items)


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
            keys = sorted(i.key for i in latest.items)
            if op[0] == "add":
                (section, part), text = op[1], op[2]
                draft = ItemDraft(section=section, part=part, text=text, words=Words.KEY_WORKER)
                new = plans.add_item(plan, latest.number, kim, draft, f"added:{section.value}")
                assert len(new.items) == len(latest.items) + 1
            elif op[0] == "move" and keys:
                key = keys[op[1] % len(keys)]
                new = plans.move_item(plan, latest.number, kim, key, op[2], "moved:about-me")
                assert sorted(i.key for i in new.items) == keys
            elif op[0] == "remove" and keys:
                key = keys[op[1] % len(keys)]
                new = plans.remove_item(plan, latest.number, kim, key, "removed:about-me")
                assert key not in {i.key for i in new.items}
            else:
                continue
            assert new.number == latest.number + 1
            groups = {}
            for item in new.items:
                groups.setdefault((item.section, item.part), []).append(item.position)
            for positions in groups.values():
                assert len(positions) == len(set(positions))
        for number, snapshot in before.items():
            db.session.expire_all()
            assert _snapshot(plans.version_by_number(plan, number)) == snapshot
