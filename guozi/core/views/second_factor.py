"""The second sign-in step for accounts that need one: enter the code, or enrol a device first.

``security.SecondFactorRequiredMiddleware`` sends such accounts here after the password;
these pages are the only ones (with sign-out) they reach until the code is right.
"""

from __future__ import annotations

from base64 import b32encode
from binascii import hexlify, unhexlify
from typing import Any

import django_otp
import qrcode
import qrcode.image.svg
from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render, resolve_url
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django_otp import devices_for_user
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp.util import random_hex

from guozi.core import field_encryption
from guozi.core.audit import record_event
from guozi.core.changes import Origin
from guozi.core.models import AuditEventKind, User
from guozi.core.security import is_locked, record_second_factor, second_factor_required
from guozi.core.services.second_factor import backup_code_digest, has_device, second_factor_enrol
from guozi.core.sm4 import SealError

#: The secret of a device being enrolled lives in the (server-side) session until confirmed,
#: sealed like a stored key (SM4-GCM, core.field_encryption): the session table is at rest too.
PENDING_KEY = "guozi_otp_pending_key"


def _pending_where(user: Any) -> str:
    return f"session.otp_pending_key:user={user.pk}"


def pending_key(session: Any, user: Any) -> str | None:
    """The hex key of the device ``user`` is enrolling in ``session``, if any (and it opens)."""
    sealed = session.get(PENDING_KEY)
    if not sealed:
        return None
    try:
        return hexlify(field_encryption.open_bytes(sealed, _pending_where(user))).decode()
    except SealError:
        return None  # another account's, or sealed under a key since rotated away: draw anew


def _pending_key_or_new(request: HttpRequest, me: User) -> str:
    key = pending_key(request.session, me)
    if key is None:
        key = random_hex(20)
        request.session[PENDING_KEY] = field_encryption.seal_bytes(unhexlify(key), _pending_where(me))
    return key


class CodeForm(forms.Form):
    token = forms.CharField(
        label=gettext_lazy("Verification code"),
        max_length=16,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True, "class": "form-control"}
        ),
    )


def _me(request: HttpRequest) -> User:
    return User.objects.get(pk=request.user.pk)


def _next(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return target
    return resolve_url(settings.LOGIN_REDIRECT_URL)


def _verified(request: HttpRequest) -> bool:
    return bool(request.user.is_verified())  # type: ignore[union-attr]


def _verify(request: HttpRequest, me: User, device: Any, token: str) -> bool:
    """Whether ``token`` is right for ``device``; a device key that does not decrypt counts as wrong.

    An altered or unreadable key (SM4-GCM tag, key id; core.field_encryption) is not a server
    error: the code is refused and an integrity event names the device for the auditor.
    """
    if isinstance(device, StaticDevice):
        token = backup_code_digest(me.pk, token)  # backup codes are kept as digests only
    try:
        return bool(device.verify_token(token))
    except SealError as error:
        record_event(
            AuditEventKind.INTEGRITY_CHECK,
            request=request,
            actor=me,
            success=False,
            object_repr=f"{device.persistent_id} ({me.username})",
            detail={"check": "second-factor key", "error": str(error)},
        )
        return False


@never_cache
def verify(request: HttpRequest) -> HttpResponse:
    """Ask for the 6-digit code (or a backup code). Wrong codes count toward the lockout."""
    if not second_factor_required(request.user) or _verified(request):
        return redirect(_next(request))
    me = _me(request)
    if not has_device(me):
        return redirect("otp_enrol")
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if is_locked(me.username):
            logout(request)
            messages.error(request, _("Too many failed attempts: the account is locked for a while."))
            return redirect("login")
        token = form.cleaned_data["token"].strip().replace(" ", "").lower()
        device = None
        with transaction.atomic():
            # Locked rows: the same code cannot pass twice in concurrent requests (last_t, single-use tokens).
            for candidate in devices_for_user(me, for_verify=True):
                if _verify(request, me, candidate, token):
                    device = candidate
                    break
        record_second_factor(request, me, success=device is not None)
        if device is not None:
            target = _next(request)
            request.session.cycle_key()  # a fresh session id for the now complete sign-in
            django_otp.login(request, device)
            return redirect(target)
        if is_locked(me.username):
            logout(request)
            messages.error(request, _("Too many failed attempts: the account is locked for a while."))
            return redirect("login")
        form.add_error("token", _("The code is wrong."))
    return render(request, "core/otp_verify.html", {"form": form, "next": _next(request)})


def _qr_svg(data: str) -> str:
    """The QR code as inline SVG, drawn on the server: nothing is fetched from elsewhere."""
    image = qrcode.make(data, image_factory=qrcode.image.svg.SvgPathImage, box_size=8)
    svg: bytes = image.to_string()
    # Our own markup from our own data (an otpauth URL): no user input reaches it unescaped.
    return mark_safe(svg.decode().split("?>", 1)[-1])  # noqa: S308  # nosec B308 B703 # our own SVG


@never_cache
def enrol(request: HttpRequest) -> HttpResponse:
    """Bind an authenticator app: QR code and secret, confirmed by a code; backup codes shown once."""
    if not second_factor_required(request.user):
        return redirect("home")
    me = _me(request)
    if has_device(me):
        # Replacing a device needs the security administrator's reset first.
        return redirect("otp_verify")
    key = _pending_key_or_new(request, me)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            codes = second_factor_enrol(actor=me, origin=Origin.web(request), key=key, token=form.cleaned_data["token"])
        except ValidationError as error:
            form.add_error("token", error.message_dict.get("token", error.messages))
        except PermissionDenied:
            return redirect("otp_verify")
        else:
            del request.session[PENDING_KEY]
            request.session.cycle_key()
            django_otp.login(request, TOTPDevice.objects.get(user=me, confirmed=True))
            # Shown in this answer only, never stored in a form the server can show again.
            return render(request, "core/otp_backup_codes.html", {"codes": codes, "next": _next(request)})
    device = TOTPDevice(user=me, key=key)
    secret = b32encode(unhexlify(key)).decode()
    context: dict[str, Any] = {
        "form": form,
        "qr": _qr_svg(device.config_url),
        "secret": " ".join(secret[i : i + 4] for i in range(0, len(secret), 4)),
        "next": _next(request),
    }
    return render(request, "core/otp_enrol.html", context)
