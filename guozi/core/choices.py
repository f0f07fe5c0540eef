from django.db import models
from django.utils.translation import gettext_lazy as _


class OrganizationKind(models.TextChoices):
    GOVERNMENT = "government", _("Government office")
    DEPARTMENT = "department", _("Department")
    ENTERPRISE = "enterprise", _("Enterprise")


class DataScope(models.TextChoices):
    """How far a role reaches. Ordered from widest to narrowest (see ``SCOPE_ORDER``)."""

    ALL = "all", _("All organisations")
    SUBTREE = "subtree", _("Own organisation and its descendants")
    OWN = "own", _("Own organisation")
    SELF = "self", _("Own records only")


#: Widest first; when several roles grant an action the widest scope wins.
SCOPE_ORDER = [DataScope.ALL, DataScope.SUBTREE, DataScope.OWN, DataScope.SELF]


class ChangeAction(models.TextChoices):
    CREATE = "create", _("Created")
    UPDATE = "update", _("Updated")
    DELETE = "delete", _("Deleted")
    SUBMIT = "submit", _("Submitted")
    RETURN = "return", _("Returned")
    APPROVE = "approve", _("Approved")


class ChangeSource(models.TextChoices):
    WEB = "web", _("Web")
    API = "api", _("API")
    IMPORT = "import", _("Import")
    COMMAND = "command", _("Command")


class SeparatedRole(models.TextChoices):
    """The three administrator duties no account may combine (三权分立, GB/T 22239-2019 8.1.5)."""

    SYSADMIN = "sysadmin", _("System administrator")
    SECADMIN = "secadmin", _("Security administrator")
    AUDITOR = "auditor", _("Auditor")


class SecurityLabel(models.IntegerChoices):
    """A record's sensitivity and a user's clearance (GB/T 22239-2019 8.1.4.2 g, 安全标记).

    A user reads a labelled record only if their clearance is at least its label;
    the security administrator sets both (8.1.5.3).
    """

    PUBLIC = 0, _("Public")
    INTERNAL = 1, _("Internal")
    SENSITIVE = 2, _("Sensitive")
