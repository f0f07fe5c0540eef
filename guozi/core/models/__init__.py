from guozi.core.models.attachments import Attachment
from guozi.core.models.audit import AuditEvent, AuditEventKind
from guozi.core.models.changes import ChangeRecord, LoginRecord
from guozi.core.models.imports import ImportBatch
from guozi.core.models.organizations import Organization
from guozi.core.models.users import PasswordHistory, Role, User

__all__ = [
    "Attachment",
    "AuditEvent",
    "AuditEventKind",
    "ChangeRecord",
    "ImportBatch",
    "LoginRecord",
    "Organization",
    "PasswordHistory",
    "Role",
    "User",
]
