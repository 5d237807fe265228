"""All models, imported here so Alembic and the app see one metadata."""

from .base import Base, utcnow
from .cases import Case, CaseCarer, CaseKeyWorker, CaseStatus, DsrRating, KeyWorkerRole, Team
from .people import (
    Colours,
    Invitation,
    Layout,
    PasswordReset,
    Preferences,
    Role,
    SignInThrottle,
    TextSize,
    User,
)

__all__ = [
    "Base",
    "Case",
    "CaseCarer",
    "CaseKeyWorker",
    "CaseStatus",
    "Colours",
    "DsrRating",
    "Invitation",
    "KeyWorkerRole",
    "Layout",
    "PasswordReset",
    "Preferences",
    "Role",
    "SignInThrottle",
    "Team",
    "TextSize",
    "User",
    "utcnow",
]
