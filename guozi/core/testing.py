"""Helpers for tests of every app: demo users and organisations by name, logged-in clients."""

from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp.util import random_hex

from guozi.core.models import Organization, User
from guozi.core.security import second_factor_required
from guozi.core.services.second_factor import totp_key_seal


def user(username: str) -> User:
    return User.objects.get(username=username)


def org(short_name: str) -> Organization:
    return Organization.objects.get(short_name=short_name)


def client_for(username: str) -> Client:
    """A client signed in as ``username``, with the second factor given where the account needs one."""
    client = Client()
    account = user(username)
    client.force_login(account)
    if second_factor_required(account):
        device = TOTPDevice.objects.filter(user=account, confirmed=True).first()
        if device is None:
            key = totp_key_seal(random_hex(20), account.pk)
            device = TOTPDevice.objects.create(user=account, name="TOTP", key=key, confirmed=True)
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()
    return client


def require_office() -> None:
    """Skip a test that opens files in LibreOffice when it is not installed; fail instead where
    CI requires it (``GUOZI_REQUIRE_OFFICE=1``), so a missing office suite never passes as a skip."""
    import os
    import shutil

    import pytest

    if shutil.which("soffice") is None:
        if os.environ.get("GUOZI_REQUIRE_OFFICE") == "1":
            pytest.fail("GUOZI_REQUIRE_OFFICE=1 but LibreOffice (soffice) is not installed")
        pytest.skip("LibreOffice not installed (apt-get install libreoffice-writer-nogui libreoffice-calc-nogui)")
