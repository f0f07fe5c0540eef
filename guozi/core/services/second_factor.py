"""Second-factor devices: enrolment with backup codes, and the security administrator's reset.

GB/T 22239-2019 8.1.4.1 d (level 3): password plus a dynamic code (TOTP, RFC 6238, from
django-otp). The change log records that a device was bound or removed, never its key
or codes (``changes.SECRET_FIELDS``). TOTP is HMAC-SHA1: enough for 等保 8.1.4.1 d at most
evaluators, not for 密评 (GB/T 39786-2021), which wants an SM3-based token (GM/T 0021).
"""

from __future__ import annotations

import hashlib
import time
from binascii import unhexlify

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from guozi.core import field_encryption
from guozi.core.changes import Origin, record_change
from guozi.core.choices import ChangeAction, SeparatedRole
from guozi.core.models import User
from guozi.core.sm4 import SealError

#: How many single-use backup codes an enrolment hands out.
BACKUP_CODES = 10
#: PBKDF2-SM3 rounds of a stored backup code: about 0.1 s a check, while trying every
#: 40-bit code of one account offline would take some 10^17 SM3 compressions.
BACKUP_CODE_ROUNDS = 100_000
_BOUND = "（已绑定动态口令）"
_NONE = "（未绑定）"


def has_device(user: User) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


# --- the device key at rest: SM4-GCM (8.1.4.8 b, SEC-CRY-02) ---------------------------------


def _where(user_id: int | None) -> str:
    """The associated data: a sealed key copied onto another account's device does not open."""
    return f"otp_totp.totpdevice.key:user={user_id}"


def totp_key_seal(key: str, user_id: int) -> str:
    """A hex TOTP key as stored: its 20 bytes sealed (77 characters, within django-otp's 80)."""
    stored = field_encryption.seal_bytes(unhexlify(key.encode()), _where(user_id))
    if len(stored) > TOTPDevice._meta.get_field("key").max_length:
        raise ValueError("a TOTP key longer than 20 bytes does not fit the key column once sealed")
    return stored


def totp_bin_key(device: TOTPDevice) -> bytes:
    """The device's key for django-otp (``TOTPDevice.bin_key``, replaced in ``CoreConfig.ready``).

    A stored key must be sealed; only a device not yet saved (the QR code shown during
    enrolment) holds its key in plain. An altered, moved or unreadable key raises
    ``SealError``: the code is then refused, never checked against a key of someone's choosing.
    """
    if field_encryption.is_sealed(device.key):
        return field_encryption.open_bytes(device.key, _where(device.user_id))
    if device.pk is None:
        return unhexlify(device.key.encode())
    raise SealError("a stored TOTP key is not encrypted")


def totp_keys_rekey(*, actor: User, origin: Origin) -> int:
    """Seal every stored TOTP key with the current key (after a rotation, or keys stored in plain).

    Each device is re-read and written in one transaction; a key that does not open (altered,
    or under a key no longer configured) stops the whole run and nothing is written. Returns how
    many keys were sealed anew. Only the security administrator may (8.1.5.3).
    """
    if not actor.holds_duty(SeparatedRole.SECADMIN):
        raise PermissionDenied(_("Only the security administrator re-encrypts second-factor keys."))
    current = field_encryption.key_id(field_encryption.current_key())
    changed = 0
    with transaction.atomic():
        for device in TOTPDevice.objects.select_for_update().order_by("pk"):
            if field_encryption.is_sealed(device.key) and field_encryption.stored_key_id(device.key) == current:
                continue
            plain = totp_bin_key(device) if field_encryption.is_sealed(device.key) else unhexlify(device.key)
            device.key = field_encryption.seal_bytes(plain, _where(device.user_id))
            device.save(update_fields=["key"])
            changed += 1
        if changed:
            record_change(
                actor=actor,
                origin=origin,
                action=ChangeAction.UPDATE,
                instance=actor,
                before={"second_factor_keys": "—"},
                after={"second_factor_keys": f"{changed} re-encrypted, key id {current}"},
            )
    return changed


def backup_code_digest(user_id: int, code: str) -> str:
    """What is kept of a backup code (8.1.4.8 b): never the code, but 16 hex characters (the
    width of django-otp's token column) of its PBKDF2-SM3, salted by the account.

    No key is involved, so a rotation of ``GUOZI_FIELD_KEY`` leaves the codes working; the
    rounds, not a secret, make the 40-bit codes costly to recover from a stolen database.
    """
    normal = code.strip().replace(" ", "").lower()
    salt = f"guozi-backup-code:{user_id}".encode()
    return hashlib.pbkdf2_hmac("sm3", normal.encode(), salt, BACKUP_CODE_ROUNDS)[:8].hex()


def _totp_matches(key: str, token: str) -> int | None:
    """The time step ``token`` belongs to, within one step either way, or None."""
    token = token.strip().replace(" ", "")
    if not (token.isdigit() and len(token) == 6):
        return None
    totp = TOTP(unhexlify(key.encode()), step=30, t0=0, digits=6)
    totp.time = time.time()
    if not totp.verify(int(token), tolerance=1):
        return None
    return int(totp.t())


def second_factor_enrol(*, actor: User, origin: Origin, key: str, token: str) -> list[str]:
    """Bind a TOTP device with ``key`` to the actor's own account, proved by a right ``token``.

    Returns the backup codes, which exist in plain form only in this answer. An account
    that already has a device cannot bind another: only the security administrator's
    reset frees it (else whoever learns the password could replace the device).
    """
    step = _totp_matches(key, token)
    if step is None:
        raise ValidationError({"token": _("The code is wrong. Check the time on your phone and try again.")})
    with transaction.atomic():
        # Locks the account row: two enrolments at once cannot both pass the check below.
        User.objects.select_for_update().filter(pk=actor.pk).first()
        if has_device(actor):
            raise PermissionDenied(_("A second factor is already bound to this account."))
        TOTPDevice.objects.filter(user=actor).delete()  # unconfirmed leftovers
        StaticDevice.objects.filter(user=actor).delete()
        # last_t: the code just shown cannot be replayed at the next sign-in.
        TOTPDevice.objects.create(
            user=actor, name="TOTP", key=totp_key_seal(key, actor.pk), confirmed=True, last_t=step
        )
        backup = StaticDevice.objects.create(user=actor, name="backup", confirmed=True)
        codes = [StaticToken.random_token() for _ in range(BACKUP_CODES)]
        digests = [StaticToken(device=backup, token=backup_code_digest(actor.pk, code)) for code in codes]
        StaticToken.objects.bulk_create(digests)
        record_change(
            actor=actor,
            origin=origin,
            action=ChangeAction.UPDATE,
            instance=actor,
            before={"second_factor": _NONE},
            after={"second_factor": _BOUND, "backup_codes": BACKUP_CODES},
        )
    return codes


def second_factor_reset(*, actor: User, origin: Origin, user: User) -> bool:
    """The security administrator removes an account's devices and backup codes (lost phone).

    The account enrols anew at its next sign-in; sessions verified with the old device
    lose their verification at their next request. Returns whether there was anything
    to remove. 三权分立: only the security administrator may (8.1.5.3).
    """
    if not actor.holds_duty(SeparatedRole.SECADMIN):
        raise PermissionDenied(_("Only the security administrator resets second factors."))
    with transaction.atomic():
        had = has_device(user)
        removed = TOTPDevice.objects.filter(user=user).delete()[0] + StaticDevice.objects.filter(user=user).delete()[0]
        if removed:
            record_change(
                actor=actor,
                origin=origin,
                action=ChangeAction.UPDATE,
                instance=user,
                before={"second_factor": _BOUND if had else _NONE},
                after={"second_factor": _NONE},
            )
    return bool(removed)
