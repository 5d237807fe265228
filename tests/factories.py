"""Factories (factory-boy) for tests that build their own data instead of leaning on demo ids.

Use them inside `with app.app_context():`. Each object is committed, which inside a test is a
savepoint in the test's own transaction (see `_isolated` in conftest.py), so it is gone after
the test. Everyone made here signs in with the demo password (`tests.conftest.PASSWORD`).
"""

from __future__ import annotations

from datetime import time

import factory
from argon2 import PasswordHasher
from factory.alchemy import SQLAlchemyModelFactory

from webapp.extensions import db
from webapp.models import (
    Case,
    CaseCarer,
    CaseKeyWorker,
    CaseStatus,
    DsrRating,
    KeyWorkerRole,
    Preferences,
    Role,
    Team,
    User,
)
from webapp.services import demo
from webapp.services.accounts import default_preferences

# One real argon2id hash for everyone, with the tests' cheap parameters (see TEST_CONFIG).
PASSWORD_HASH = PasswordHasher(time_cost=1, memory_cost=8192).hash(demo.password())


class _Factory(SQLAlchemyModelFactory):
    class Meta:
        abstract = True
        sqlalchemy_session_factory = lambda: db.session  # noqa: E731 - the request's session
        sqlalchemy_session_persistence = "commit"


class TeamFactory(_Factory):
    class Meta:
        model = Team

    name = factory.Sequence(lambda n: f"Test Key Working Team {n}")
    area = "Testshire"
    office_days = "01234"
    office_opens = time(9, 0)
    office_closes = time(17, 0)
    crisis_line_name = "the Testshire crisis line"
    crisis_line_phone = "0800 000 0000"


class UserFactory(_Factory):
    class Meta:
        model = User

    email = factory.Sequence(lambda n: f"person{n}@factory.example.org")
    name = factory.Sequence(lambda n: f"Person {n}")
    role = Role.YOUNG_PERSON
    password_hash = PASSWORD_HASH
    active = True
    preferences = factory.LazyAttribute(lambda o: Preferences(**default_preferences(o.role)))


class YoungPersonFactory(UserFactory):
    role = Role.YOUNG_PERSON
    date_of_birth = factory.LazyFunction(lambda: demo.born_years_ago(17))


class CarerFactory(UserFactory):
    role = Role.CARER


class KeyWorkerFactory(UserFactory):
    role = Role.KEY_WORKER
    team = factory.SubFactory(TeamFactory)


class ManagerFactory(UserFactory):
    role = Role.MANAGER
    team = factory.SubFactory(TeamFactory)


class CaseFactory(_Factory):
    """An active case with a young person of 17 and no carers or key workers yet."""

    class Meta:
        model = Case

    team = factory.SubFactory(TeamFactory)
    young_person = factory.SubFactory(YoungPersonFactory)
    status = CaseStatus.ACTIVE
    dsr_rating = DsrRating.AMBER


class CaseKeyWorkerFactory(_Factory):
    class Meta:
        model = CaseKeyWorker

    case = factory.SubFactory(CaseFactory)
    user = factory.SubFactory(KeyWorkerFactory, team=factory.SelfAttribute("..case.team"))
    role = KeyWorkerRole.SENIOR


class CaseCarerFactory(_Factory):
    class Meta:
        model = CaseCarer

    case = factory.SubFactory(CaseFactory)
    user = factory.SubFactory(CarerFactory)
    relationship_to_young_person = "parent"
