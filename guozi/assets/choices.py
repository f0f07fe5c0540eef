from django.db import models
from django.utils.translation import gettext_lazy as _


class CertificateStatus(models.TextChoices):
    """Where an asset stands with its title certificate (权证: 不动产权证 and the like)."""

    DONE = "done", _("Certificate issued")
    MISSING = "missing", _("No certificate")
    IN_PROGRESS = "in_progress", _("Certificate in progress")
    NOT_NEEDED = "not_needed", _("No certificate needed")


#: The statuses of an asset that needs a certificate (需办证); DONE of them is 已完成.
NEEDS_CERTIFICATE = (CertificateStatus.DONE, CertificateStatus.MISSING, CertificateStatus.IN_PROGRESS)


class Utilisation(models.TextChoices):
    IN_USE = "in_use", _("In use")
    IDLE = "idle", _("Idle")
    INEFFICIENT = "inefficient", _("Inefficient")
    LEASED = "leased", _("Leased out")


class Package(models.TextChoices):
    """The disposal package an asset is sorted into: 用、售、租、融."""

    SELF_USE = "self_use", _("Self-use")
    SALE = "sale", _("Sale")
    LEASE = "lease", _("Lease")
    FINANCING = "financing", _("Financing")


class RevitalizationMethod(models.TextChoices):
    """How an idle or inefficient asset was revitalised (盘活)."""

    SELF_USE = "self_use", _("Self-use")
    SALE = "sale", _("Sale")
    LEASE = "lease", _("Lease out")
    FINANCING = "financing", _("Financing")
    JOINT_DEVELOPMENT = "joint_development", _("Joint development")
    OTHER = "other", _("Other")


class TransferKind(models.TextChoices):
    """What an ``AssetTransfer`` moved, and from whom."""

    #: 资产划转: assets from one enterprise's ledger to another's.
    ASSETS = "assets", _("Asset transfer")
    #: 企业划转: whole companies re-parented under another enterprise, their ledgers with them.
    ENTERPRISE = "enterprise", _("Enterprise transfer")
    #: 资产注入: assets of the government or its departments put into an enterprise.
    INJECTION = "injection", _("Injection")


class ImportStatus(models.TextChoices):
    """Where the import of a checked file stands (the confirm step runs in the background)."""

    CHECKED = "checked", _("Checked")
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Importing")
    DONE = "done", _("Imported")
    FAILED = "failed", _("Failed")
