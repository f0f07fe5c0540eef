"""Secrets stored in the database, encrypted with SM4-GCM (GB/T 22239-2019 8.1.4.8 b; SECURITY.md SEC-CRY-02).

The key comes from the environment, never the database: ``GUOZI_FIELD_KEY`` (32 hex, an
SM4 key of 128 bits). A stored value names its key by a key id, so keys rotate: set the
new key, move the old one to ``GUOZI_FIELD_KEYS_OLD`` (comma-separated), run
``guozi otp_rekey --actor secadmin``, then drop the old key. With DEBUG on and no key set a
development key is derived from ``SECRET_KEY``; with DEBUG off the server refuses to start
without one (``guozi serve``, ``guozi.wsgi``).

Guarantee: :func:`open_bytes` returns the plain value only if the stored value is unaltered,
was sealed for the same place (the associated data) and its key is configured; otherwise
:class:`~guozi.core.sm4.SealError`.
"""

from __future__ import annotations

import base64
import hashlib

from django.conf import settings

from guozi.config import SettingError
from guozi.core import sm4
from guozi.core.sm4 import SealError

KEY_ENV = "GUOZI_FIELD_KEY"
OLD_KEYS_ENV = "GUOZI_FIELD_KEYS_OLD"
PREFIX = "sm4$"
_PURPOSE = b"guozi-field-key-id"
#: Stored key ids are shortened to fit django-otp's 80-character key column (sealed TOTP keys).
_ID_CHARS = 8


def _parse(name: str, raw: str) -> bytes:
    try:
        key = bytes.fromhex(raw.strip())
    except ValueError:
        key = b""
    if len(key) != sm4.KEY_BYTES:
        raise SettingError(name, "must be 32 hexadecimal characters (an SM4 key of 128 bits)")
    return key


def current_key() -> bytes:
    """The key new values are sealed with; refuses (``SettingError``) without one unless DEBUG."""
    raw = settings.FIELD_KEY
    if raw:
        return _parse(KEY_ENV, raw)
    if settings.DEBUG:
        # Development only: stable across restarts, unlike a random key, so a dev database stays readable.
        return hashlib.new("sm3", b"guozi-development-field-key\x00" + settings.SECRET_KEY.encode()).digest()[:16]
    raise SettingError(KEY_ENV, "must be set when DEBUG is off (32 hexadecimal characters, an SM4 key)")


def key_id(key: bytes) -> str:
    return sm4.key_id(key, _PURPOSE)[:_ID_CHARS]


def _keys() -> dict[str, bytes]:
    found = {key_id(key): key for key in (_parse(OLD_KEYS_ENV, raw) for raw in settings.FIELD_KEYS_OLD)}
    current = current_key()
    found[key_id(current)] = current
    return found


def is_sealed(stored: str) -> bool:
    return stored.startswith(PREFIX)


def stored_key_id(stored: str) -> str:
    return stored.removeprefix(PREFIX).split("$", 1)[0]


def seal_bytes(plain: bytes, where: str) -> str:
    """``plain`` sealed with the current key for ``where`` (a value moved elsewhere will not open)."""
    key = current_key()
    body = base64.urlsafe_b64encode(sm4.seal(key, plain, where.encode())).decode().rstrip("=")
    return f"{PREFIX}{key_id(key)}${body}"


def open_bytes(stored: str, where: str) -> bytes:
    if not is_sealed(stored):
        raise SealError("not an encrypted value")
    ident, _, body = stored.removeprefix(PREFIX).partition("$")
    key = _keys().get(ident)
    if key is None:
        raise SealError(f"sealed with key id {ident}, which is not configured ({KEY_ENV}, {OLD_KEYS_ENV})")
    try:
        sealed = base64.urlsafe_b64decode(body + "=" * (-len(body) % 4))
    except ValueError as exc:
        raise SealError("not an encrypted value") from exc
    return sm4.unseal(key, sealed, where.encode())
