"""SM3, the Chinese national hash (GB/T 32905-2016), for the audit hash chain and backups.

OpenSSL provides SM3 on most systems (``hashlib.new("sm3")``); where it does not
(some FIPS or trimmed builds), the pure-Python implementation below gives the same
digest, slower. Both are checked against the standard's test vectors.
"""

from __future__ import annotations

import hashlib
import struct

_IV = (0x7380166F, 0x4914B2B9, 0x172442D7, 0xDA8A0600, 0xA96F30BC, 0x163138AA, 0xE38DEE4D, 0xB0FB0E4E)
_MASK = 0xFFFFFFFF


def _rotl(x: int, n: int) -> int:
    n %= 32
    return ((x << n) | (x >> (32 - n))) & _MASK


def _p0(x: int) -> int:
    return x ^ _rotl(x, 9) ^ _rotl(x, 17)


def _p1(x: int) -> int:
    return x ^ _rotl(x, 15) ^ _rotl(x, 23)


def _compress(v: list[int], block: bytes) -> list[int]:
    w = list(struct.unpack(">16I", block))
    for j in range(16, 68):
        w.append(_p1(w[j - 16] ^ w[j - 9] ^ _rotl(w[j - 3], 15)) ^ _rotl(w[j - 13], 7) ^ w[j - 6])
    w1 = [w[j] ^ w[j + 4] for j in range(64)]
    a, b, c, d, e, f, g, h = v
    for j in range(64):
        t = 0x79CC4519 if j < 16 else 0x7A879D8A
        ss1 = _rotl((_rotl(a, 12) + e + _rotl(t, j)) & _MASK, 7)
        ss2 = ss1 ^ _rotl(a, 12)
        if j < 16:
            ff, gg = a ^ b ^ c, e ^ f ^ g
        else:
            ff, gg = (a & b) | (a & c) | (b & c), (e & f) | (~e & g)
        tt1 = (ff + d + ss2 + w1[j]) & _MASK
        tt2 = (gg + h + ss1 + w[j]) & _MASK
        a, b, c, d = tt1, a, _rotl(b, 9), c
        e, f, g, h = _p0(tt2), e, _rotl(f, 19), g
    return [x ^ y for x, y in zip(v, (a, b, c, d, e, f, g, h), strict=True)]


def sm3_pure(data: bytes) -> str:
    """SM3 in Python: the fallback, and the reference the tests hold OpenSSL to."""
    length = len(data) * 8
    padded = data + b"\x80" + b"\x00" * ((55 - len(data)) % 64) + struct.pack(">Q", length)
    v = list(_IV)
    for offset in range(0, len(padded), 64):
        v = _compress(v, padded[offset : offset + 64])
    return "".join(f"{x:08x}" for x in v)


def _openssl_available() -> bool:
    try:
        hashlib.new("sm3")
    except ValueError:
        return False
    return True


OPENSSL = _openssl_available()


def sm3_hex(data: bytes) -> str:
    """The SM3 digest of ``data`` as 64 hexadecimal characters."""
    if OPENSSL:
        return hashlib.new("sm3", data).hexdigest()
    return sm3_pure(data)
