"""Second-factor keys encrypted at rest with SM4-GCM (GB/T 22239-2019 8.1.4.8 b; SECURITY.md SEC-CRY-02)."""

import importlib
import json
from base64 import b32encode
from binascii import hexlify, unhexlify
from types import SimpleNamespace

import pytest
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from django.apps import apps
from django.core.management import CommandError, call_command
from django.db import connection
from django.test import Client, override_settings
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from guozi.config import SettingError
from guozi.core import field_encryption, sm4
from guozi.core.models import AuditEvent, AuditEventKind
from guozi.core.testing import user
from guozi.core.views.second_factor import pending_key

pytestmark = pytest.mark.usefixtures("demo_world")

PASSWORD = "Guozi@2025"
NEW_KEY = "00112233445566778899aabbccddeeff"


def enrol(username: str) -> str:
    """Bind a device through the pages, as the person does; returns the key their app holds (hex)."""
    client = Client()
    client.post("/accounts/login/", {"username": username, "password": PASSWORD})
    client.get("/accounts/otp/enrol/")
    key = pending_key(client.session, user(username))
    assert key is not None
    response = client.post("/accounts/otp/enrol/", {"token": f"{totp(unhexlify(key)):06d}"})
    assert response.status_code == 200
    return key


def sign_in_with_code(username: str, key: str) -> Client:
    """Password, then the code of the next time step (the enrolment used the current one)."""
    client = Client()
    client.post("/accounts/login/", {"username": username, "password": PASSWORD})
    client.post("/accounts/otp/", {"token": f"{totp(unhexlify(key), drift=1):06d}"})
    return client


def signed_in(client: Client) -> bool:
    return client.get("/").status_code == 200


def raw_keys() -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT key FROM otp_totp_totpdevice ORDER BY id")
        return [row[0] for row in cursor.fetchall()]


def test_sm4_is_the_gb_t_32907_cipher() -> None:
    # GB/T 32907-2016 Appendix A, example 1: one block.
    key = plain = bytes.fromhex("0123456789abcdeffedcba9876543210")
    block = Cipher(algorithms.SM4(key), modes.ECB()).encryptor().update(plain)  # noqa: S305  # nosec B305 # the standard's vector
    assert block.hex() == "681edf34d206965e86b3e94f536e4246"
    sealed = sm4.seal(key, b"secret", b"here")
    assert sm4.unseal(key, sealed, b"here") == b"secret"
    with pytest.raises(sm4.SealError):
        sm4.unseal(key, sealed, b"elsewhere")


def test_the_table_holds_no_plain_key_and_the_code_still_works() -> None:
    key = enrol("secadmin")
    stored = raw_keys()
    assert stored
    assert all(value.startswith("sm4$") for value in stored)
    assert not any(key in value or key.upper() in value for value in stored)
    assert signed_in(sign_in_with_code("secadmin", key))


def test_the_session_holds_no_plain_key_during_enrolment() -> None:
    client = Client()
    client.post("/accounts/login/", {"username": "auditor", "password": PASSWORD})
    page = client.get("/accounts/otp/enrol/").content.decode()
    key = pending_key(client.session, user("auditor"))
    assert key is not None
    assert b32encode(unhexlify(key)).decode()[:4] in page  # the person's app gets it from the page
    stored = json.dumps(client.session.load())  # what the session table holds, decoded
    assert key not in stored
    assert key.upper() not in stored
    assert pending_key(client.session, user("secadmin")) is None  # bound to the account


def test_a_tampered_key_refuses_the_code_and_is_reported_not_a_500() -> None:
    key = enrol("secadmin")
    device = TOTPDevice.objects.get(user=user("secadmin"))
    # One character of the ciphertext changed, in the database as an intruder would.
    body = device.key[-10:]
    altered = device.key[:-10] + ("A" if body[0] != "A" else "B") + body[1:]
    with connection.cursor() as cursor:
        cursor.execute("UPDATE otp_totp_totpdevice SET key = %s WHERE id = %s", [altered, device.pk])
    client = Client()
    client.post("/accounts/login/", {"username": "secadmin", "password": PASSWORD})
    response = client.post("/accounts/otp/", {"token": f"{totp(unhexlify(key), drift=1):06d}"})
    assert response.status_code == 200  # the form again, with "the code is wrong"
    assert not signed_in(client)
    event = AuditEvent.objects.filter(kind=AuditEventKind.INTEGRITY_CHECK).latest("id")
    assert not event.success
    assert event.actor_name == "secadmin"
    assert "SM4-GCM" in event.detail["error"]


def test_a_key_copied_onto_another_account_does_not_open() -> None:
    key = enrol("secadmin")
    enrol("auditor")
    sealed = TOTPDevice.objects.get(user=user("secadmin")).key
    TOTPDevice.objects.filter(user=user("auditor")).update(key=sealed)
    assert not signed_in(sign_in_with_code("auditor", key))


def test_rotation_re_encrypts_every_key_under_the_new_one() -> None:
    key = enrol("secadmin")
    old = field_encryption.stored_key_id(raw_keys()[0])
    current = TOTPDevice.objects.get(user=user("secadmin")).key
    with override_settings(FIELD_KEY=NEW_KEY, FIELD_KEYS_OLD=[]):
        # The new key alone cannot open the old values: no code is accepted.
        assert not signed_in(sign_in_with_code("secadmin", key))
    with override_settings(FIELD_KEY=NEW_KEY, FIELD_KEYS_OLD=["0123456789abcdeffedcba9876543210"]):
        call_command("otp_rekey", "--actor", "secadmin")
        assert (
            {field_encryption.stored_key_id(value) for value in raw_keys()}
            == {field_encryption.key_id(bytes.fromhex(NEW_KEY))}
            != {old}
        )
    with override_settings(FIELD_KEY=NEW_KEY, FIELD_KEYS_OLD=[]):
        assert TOTPDevice.objects.get(user=user("secadmin")).key != current
        assert signed_in(sign_in_with_code("secadmin", key))


def test_a_key_that_does_not_open_stops_the_rotation_and_nothing_is_written() -> None:
    enrol("secadmin")
    enrol("auditor")
    auditor = TOTPDevice.objects.get(user=user("auditor"))
    tail = "BBBB" if auditor.key.endswith("AAAA") else "AAAA"
    TOTPDevice.objects.filter(pk=auditor.pk).update(key=auditor.key[:-4] + tail)
    before = raw_keys()
    rotating = override_settings(FIELD_KEY=NEW_KEY, FIELD_KEYS_OLD=["0123456789abcdeffedcba9876543210"])
    with rotating, pytest.raises(CommandError, match="SM4-GCM"):
        call_command("otp_rekey", "--actor", "secadmin")
    assert raw_keys() == before  # the secadmin's key, sealed first, was rolled back too


def test_only_the_security_administrator_re_encrypts() -> None:
    enrol("secadmin")
    before = raw_keys()
    for username in ("sysadmin", "auditor", "chengfa"):
        with pytest.raises(CommandError, match=r"安全管理员|security administrator"):
            call_command("otp_rekey", "--actor", username)
    assert raw_keys() == before


def test_the_migration_seals_keys_stored_in_plain() -> None:
    key = enrol("secadmin")
    device = TOTPDevice.objects.get(user=user("secadmin"))
    TOTPDevice.objects.filter(pk=device.pk).update(key=key)  # as stored before this release
    migration = importlib.import_module("guozi.core.migrations.0013_seal_totp_keys")
    editor = SimpleNamespace(connection=connection)
    migration.seal(apps, editor)
    stored = TOTPDevice.objects.get(pk=device.pk)
    assert field_encryption.is_sealed(stored.key)
    assert stored.bin_key == unhexlify(key)
    migration.unseal(apps, editor)
    assert TOTPDevice.objects.get(pk=device.pk).key == hexlify(unhexlify(key)).decode()


def test_production_refuses_to_start_without_a_key() -> None:
    with override_settings(DEBUG=False, FIELD_KEY=""):
        with pytest.raises(SettingError, match="GUOZI_FIELD_KEY"):
            field_encryption.current_key()
        with pytest.raises(CommandError, match="GUOZI_FIELD_KEY"):
            call_command("serve", "--check-only")
    with override_settings(DEBUG=False, FIELD_KEY="not hex"), pytest.raises(SettingError, match="32 hexadecimal"):
        field_encryption.current_key()
    with override_settings(DEBUG=True, FIELD_KEY=""):
        assert len(field_encryption.current_key()) == 16  # a development key, derived from SECRET_KEY
