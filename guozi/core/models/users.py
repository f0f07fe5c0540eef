from typing import Any, ClassVar

from django.contrib.auth.models import AbstractUser, Group, UserManager
from django.db import models
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from guozi.core.choices import DataScope, SecurityLabel, SeparatedRole
from guozi.core.models.base import Versioned
from guozi.core.scope import ScopedQuerySet


class Role(Group):
    """A role: a group of permissions together with how far it reaches (its data scope)."""

    code = models.SlugField(_("code"), max_length=50, unique=True)
    scope = models.CharField(_("data scope"), max_length=20, choices=DataScope.choices)
    description = models.CharField(_("description"), max_length=200, blank=True)
    separated_duty = models.CharField(
        _("separated duty"),
        max_length=20,
        choices=SeparatedRole.choices,
        blank=True,
        help_text=_("System, security and audit administration: no account may hold two of them."),
    )

    # Role's own manager, so that queries return roles rather than plain groups.
    objects: ClassVar[models.Manager["Role"]] = models.Manager()  # type: ignore[assignment]

    class Meta:
        verbose_name = _("role")
        verbose_name_plural = _("roles")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class GuoziUserManager(UserManager.from_queryset(ScopedQuerySet)):  # type: ignore[misc]
    def get_by_natural_key(self, username: str | None) -> "User":
        # Usernames are unique regardless of case (GB/T 22239-2019 8.1.4.1 a).
        return self.get(username__iexact=username)

    def create_superuser(self, *args: Any, **kwargs: Any) -> "User":
        # 三权分立 (GB/T 22239-2019 8.1.4.2 d): no account holds every right; the database refuses one too.
        raise ValueError(
            "Guozi has no superuser: give an account the system administrator, security administrator "
            "or auditor role instead (guozi edit / the user pages)."
        )


class User(Versioned, AbstractUser):
    """A person who signs in: belongs to one organisation and holds roles."""

    full_name = models.CharField(_("full name"), max_length=50, blank=True)
    organization = models.ForeignKey(
        "core.Organization",
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="users",
    )
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    must_change_password = models.BooleanField(
        _("must change password"),
        default=False,
        help_text=_("Set for an initial password: the next sign-in leads to the password change first."),
    )
    clearance = models.PositiveSmallIntegerField(
        _("clearance"),
        choices=SecurityLabel.choices,
        default=SecurityLabel.INTERNAL,
        editable=False,
        help_text=_("The highest security label this user may read; set by the security administrator."),
    )
    password_changed_at = models.DateTimeField(
        _("password changed at"),
        null=True,
        blank=True,
        editable=False,
        help_text=_("When the password was last set; after PASSWORD_MAX_AGE_DAYS it must be changed."),
    )

    objects: ClassVar[GuoziUserManager] = GuoziUserManager()

    scope_organization: ClassVar[str] = "organization"
    scope_owner: ClassVar[str | None] = "pk"

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["username"]
        constraints = [
            models.UniqueConstraint(
                Lower("username"),
                name="core_user_username_ci_unique",
                violation_error_message=_("A user with that username already exists."),
            ),
            # No superuser, whatever writes the row (三权分立: the three administrators' rights stay apart).
            models.CheckConstraint(
                condition=models.Q(is_superuser=False),
                name="core_user_no_superuser",
                violation_error_message=_("No account may be a superuser: use the administrator roles."),
            ),
        ]

    def __str__(self) -> str:
        return self.full_name or self.username

    def get_absolute_url(self) -> str:
        return reverse("core:user_detail", args=[self.pk])

    @property
    def roles(self) -> models.QuerySet[Role]:
        return Role.objects.filter(user=self)

    def holds_duty(self, duty: SeparatedRole) -> bool:
        """Whether this active account holds one of the three administrators' duties (三权分立)."""
        return self.is_active and self.roles.filter(separated_duty=duty).exists()


class PasswordHistory(models.Model):
    """One password a user has had: its hash, kept so that it is not chosen again.

    Per user, the current password and the ``PASSWORD_HISTORY`` before it are kept;
    older ones are deleted when a new password is set.
    """

    user = models.ForeignKey(User, verbose_name=_("user"), on_delete=models.CASCADE, related_name="password_history")
    password = models.CharField(_("password hash"), max_length=128)
    created_at = models.DateTimeField(_("set at"), auto_now_add=True)

    class Meta:
        verbose_name = _("password history entry")
        verbose_name_plural = _("password history")
        ordering = ["-id"]

    def __str__(self) -> str:
        return f"{self.user_id} {self.created_at:%Y-%m-%d}"
