"""All models, imported here so Alembic and the app see one metadata."""

from .base import Base, utcnow
from .cases import Case, CaseCarer, CaseKeyWorker, CaseStatus, DsrRating, KeyWorkerRole, Team
from .content import ContentReview, ContentStatus, ContentVersion, ReviewDecision
from .journal import TAGS, Feeling, JournalEntry
from .messages import Conversation, ConversationRead, Message
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
from .plans import (
    SECTION_PARTS,
    ActionStatus,
    CommunicationNeeds,
    Part,
    Plan,
    PlanItem,
    PlanSuggestion,
    PlanVersion,
    Section,
    SuggestionStatus,
    Words,
)
from .push import OutboxItem, PushSubscription
from .requests import CaseClosure, ClosingReason, ContactWay, HelpRequest, Urgency

__all__ = [
    "OutboxItem",
    "PushSubscription",
    "Conversation",
    "ConversationRead",
    "Message",
    "CaseClosure",
    "ClosingReason",
    "ContactWay",
    "HelpRequest",
    "Urgency",
    "ContentReview",
    "ContentStatus",
    "ContentVersion",
    "ReviewDecision",
    "TAGS",
    "Feeling",
    "JournalEntry",
    "SECTION_PARTS",
    "ActionStatus",
    "CommunicationNeeds",
    "Part",
    "Plan",
    "PlanItem",
    "PlanSuggestion",
    "PlanVersion",
    "Section",
    "SuggestionStatus",
    "Words",
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
