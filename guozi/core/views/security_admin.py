"""The security administrator's own interface (安全管理, GB/T 22239-2019 8.1.5.3).

Accounts (lockout, second factor, clearance) and the security labels of the labelled
documents, for the holder of the security administrator's duty only. Every page is a
``ScopedView`` with ``duty = SECADMIN``: rows come from ``restrict(user, "view")`` like any
page, so an account or document outside the administrator's scope answers 404, and to
anyone without the duty every row answers 404 and the lists 403. Every action is a POST
(CSRF-checked by Django's middleware) that calls the service which validates, writes and
records it: ``security.unlock`` (login log), ``second_factor_reset`` and ``clearance_set``
(change log), ``label_set`` (change log).
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.apps import apps
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.http import HttpRequest, HttpResponse, HttpResponseBase, HttpResponseRedirect
from django.shortcuts import render
from django.urls import URLPattern, path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_otp.plugins.otp_totp.models import TOTPDevice

from guozi.core.audit import client_of
from guozi.core.changes import Origin
from guozi.core.choices import SecurityLabel, SeparatedRole
from guozi.core.models import User
from guozi.core.models.base import Labelled
from guozi.core.security import is_locked, locked_usernames, unlock
from guozi.core.services.labels import clearance_set, label_set
from guozi.core.services.second_factor import second_factor_reset
from guozi.core.views.generic import ObjectViews, ScopedView
from guozi.core.views.registry import UserViews


class LabelForm(forms.Form):
    label = forms.TypedChoiceField(
        label=gettext_lazy("security label"), choices=SecurityLabel.choices, coerce=int, required=True
    )


def _refused(request: HttpRequest, error: ValidationError | PermissionDenied) -> None:
    text = " ".join(error.messages) if isinstance(error, ValidationError) else str(error)
    messages.error(request, text or _("Not allowed."))


class SecurityView(ScopedView):
    duty = SeparatedRole.SECADMIN


class AccountListView(SecurityView):
    """The accounts in the administrator's scope: lockout, second factor, clearance."""

    route_kind = "list"

    def get(self, request: HttpRequest) -> HttpResponse:
        self.require_permission()
        # Every account in scope on one page: a city's accounts are hundreds, not a ledger's millions.
        scoped = self.scoped()
        accounts = list(scoped.select_related("organization").order_by("organization__name", "username"))
        locked = locked_usernames(account.username for account in accounts)
        # A subquery, not a list of ids: no limit on bound parameters however many accounts.
        devices = TOTPDevice.objects.filter(user__in=scoped.values("pk"), confirmed=True)
        bound = set(devices.values_list("user_id", flat=True))
        rows = [
            {"account": a, "locked": a.username.lower() in locked, "second_factor": a.pk in bound} for a in accounts
        ]
        context = {"rows": rows, "labels": SecurityLabel.choices, "documents": labelled_pages(), "me": self.actor.pk}
        return render(request, "core/security_accounts.html", context)


class AccountActionView(SecurityView):
    """One action on one account, POST only; back to the accounts page with what happened."""

    def post(self, request: HttpRequest, pk: int) -> HttpResponseBase:
        account: User = self.get_object()
        try:
            done = self.perform(request, account)
        except (ValidationError, PermissionDenied) as error:
            _refused(request, error)
        else:
            if done:
                messages.success(request, done)
        return HttpResponseRedirect(reverse("core:security_accounts"))

    def perform(self, request: HttpRequest, account: User) -> str:
        raise NotImplementedError


class UnlockView(AccountActionView):
    def perform(self, request: HttpRequest, account: User) -> str:
        if not is_locked(account.username):
            messages.info(request, _("%(user)s is not locked.") % {"user": account})
            return ""
        unlock(actor=self.actor, username=account.username, ip=client_of(request)[0])
        return _("%(user)s is unlocked.") % {"user": account}


class SecondFactorResetView(AccountActionView):
    def perform(self, request: HttpRequest, account: User) -> str:
        if not second_factor_reset(actor=self.actor, origin=Origin.web(request), user=account):
            messages.info(request, _("%(user)s has no second factor.") % {"user": account})
            return ""
        return _("%(user)s's second factor is removed: a new one is bound at the next sign-in.") % {"user": account}


class ClearanceView(AccountActionView):
    def perform(self, request: HttpRequest, account: User) -> str:
        form = LabelForm(request.POST)
        if not form.is_valid():
            raise ValidationError(_("Choose a clearance."))
        clearance = SecurityLabel(form.cleaned_data["label"])
        clearance_set(actor=self.actor, origin=Origin.web(request), user=account, clearance=clearance)
        return _("%(user)s's clearance is now %(label)s.") % {"user": account, "label": clearance.label}


# --- labelled documents ----------------------------------------------------------------------


def labelled_models() -> list[type[models.Model]]:
    """Every model whose rows carry a security label (evidence files, generated reports)."""
    return sorted(
        (model for model in apps.get_models() if issubclass(model, Labelled)), key=lambda m: m._meta.label_lower
    )


def _key(model: type[models.Model]) -> str:
    return f"{model._meta.app_label}_{model._meta.model_name}"


def labelled_pages() -> list[dict[str, Any]]:
    return [
        {"name": model._meta.verbose_name_plural, "url": reverse(f"core:security_labels_{_key(model)}")}
        for model in labelled_models()
    ]


class LabelListView(SecurityView):
    """The documents of one labelled model in scope, each with its label and a form to change it.

    Only what identifies a document is shown (name, organisation, date): labelling needs no
    more, and reading a file stays with its record's own page and scope.
    """

    route_kind = "list"
    #: Newest first, a page at a time; ``?before=<id>`` is the next page (a keyset, no count).
    per_page = 100

    def get(self, request: HttpRequest) -> HttpResponse:
        self.require_permission()
        model = self.views.model
        organisation = model.scope_organization  # type: ignore[attr-defined]
        documents = self.scoped().select_related(organisation).order_by("-pk")
        before = request.GET.get("before", "")
        if before.isdigit():
            documents = documents.filter(pk__lt=int(before))
        page = list(documents[: self.per_page + 1])
        more = len(page) > self.per_page
        page = page[: self.per_page]
        context = {
            "set_url": reverse(f"core:security_label_{_key(model)}", args=[0]).removesuffix("0/"),
            "verbose_name_plural": model._meta.verbose_name_plural,
            "documents": [(d, getattr(d, organisation)) for d in page],
            "labels": SecurityLabel.choices,
            "pages": labelled_pages(),
            "next_before": page[-1].pk if more else None,
        }
        return render(request, "core/security_labels.html", context)


class LabelSetView(SecurityView):
    def post(self, request: HttpRequest, pk: int) -> HttpResponseBase:
        document = self.get_object()
        form = LabelForm(request.POST)
        try:
            if not form.is_valid():
                raise ValidationError(_("Choose a security label."))
            label = SecurityLabel(form.cleaned_data["label"])
            label_set(actor=self.actor, origin=Origin.web(request), instance=document, label=label)
        except (ValidationError, PermissionDenied) as error:
            _refused(request, error)
        else:
            done = _("%(document)s is now %(label)s.") % {"document": document, "label": label.label}
            messages.success(request, done)
        return HttpResponseRedirect(reverse(f"core:security_labels_{_key(self.views.model)}"))


def _declaration(model: type[models.Model]) -> type[ObjectViews]:
    """A page declaration naming only the model: the route inventory reads the model from it."""
    return type(f"{model.__name__}LabelViews", (ObjectViews,), {"model": model})


def security_urls() -> list[URLPattern]:
    """The routes of the security administrator's interface, under ``core:security_*``."""
    users = UserViews
    patterns = [
        path("security/accounts/", AccountListView.as_view(views=users), name="security_accounts"),
        path("security/accounts/<int:pk>/unlock/", UnlockView.as_view(views=users), name="security_unlock"),
        path(
            "security/accounts/<int:pk>/second-factor/reset/",
            SecondFactorResetView.as_view(views=users),
            name="security_otp_reset",
        ),
        path("security/accounts/<int:pk>/clearance/", ClearanceView.as_view(views=users), name="security_clearance"),
    ]
    for model in labelled_models():
        views, key = _declaration(model), _key(model)
        patterns += [
            path(f"security/labels/{key}/", LabelListView.as_view(views=views), name=f"security_labels_{key}"),
            path(f"security/labels/{key}/<int:pk>/", LabelSetView.as_view(views=views), name=f"security_label_{key}"),
        ]
    return patterns
