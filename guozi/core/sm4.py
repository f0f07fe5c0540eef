"""SM4-GCM (GB/T 32907-2016 block cipher in GCM mode), the one implementation backups and fields use.

``cryptography`` (OpenSSL) does the cipher; this module fixes the parameters once: a
128-bit key, a fresh 96-bit IV per message, a 128-bit tag, associated data that binds a
ciphertext to where it belongs. Keys are named by :func:`key_id`, never stored.
"""

from __future__ import annotations

import hashlib
import os
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

KEY_BYTES = 16
IV_BYTES = 12
TAG_BYTES = 16


class SealError(ValueError):
    """A sealed value could not be opened: altered, moved, or sealed with a key not configured."""


def key_id(key: bytes, purpose: bytes) -> str:
    """A fingerprint that names the key without revealing it: SM3 over a label and the key, 16 hex."""
    digest = hashlib.new("sm3")
    digest.update(purpose + b"\x00" + key)
    return digest.hexdigest()[:16]


def encryptor(key: bytes, iv: bytes, associated: bytes) -> Any:
    """A streaming SM4-GCM encryptor (``update``/``finalize``, then ``.tag``)."""
    cipher = Cipher(algorithms.SM4(key), modes.GCM(iv)).encryptor()
    cipher.authenticate_additional_data(associated)
    return cipher


def decryptor(key: bytes, iv: bytes, tag: bytes, associated: bytes) -> Any:
    """A streaming SM4-GCM decryptor; ``finalize`` raises ``InvalidTag`` on any alteration."""
    cipher = Cipher(algorithms.SM4(key), modes.GCM(iv, tag)).decryptor()
    cipher.authenticate_additional_data(associated)
    return cipher


def seal(key: bytes, plain: bytes, associated: bytes) -> bytes:
    """IV, ciphertext and tag of ``plain`` in one piece (a short value such as a field)."""
    iv = os.urandom(IV_BYTES)
    cipher = encryptor(key, iv, associated)
    body = cipher.update(plain) + cipher.finalize()
    return iv + body + cipher.tag


def unseal(key: bytes, sealed: bytes, associated: bytes) -> bytes:
    """The plain value of :func:`seal`'s output; :class:`SealError` if it or ``associated`` was altered."""
    if len(sealed) < IV_BYTES + TAG_BYTES:
        raise SealError("too short to be an SM4-GCM value")
    iv, body, tag = sealed[:IV_BYTES], sealed[IV_BYTES:-TAG_BYTES], sealed[-TAG_BYTES:]
    cipher = decryptor(key, iv, tag, associated)
    try:
        return bytes(cipher.update(body) + cipher.finalize())
    except InvalidTag as exc:
        raise SealError("SM4-GCM authentication failed: the value was altered or belongs elsewhere") from exc
