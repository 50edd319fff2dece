"""Verification codes (last 4 characters of a passport or phone number) kept only as salted scrypt hashes.

The code space is tiny, so the hash alone cannot stop an offline guess; what it buys is that a leaked
database or log does not hand out the codes directly. The online defence is the lockout in lookups.py.
"""
from __future__ import annotations

import hashlib
import hmac
import os
import re
import unicodedata
from typing import Optional

CODE_LENGTH = 4
_CODE = re.compile(rf"[0-9A-Z]{{{CODE_LENGTH}}}")
_N, _R, _P, _DKLEN = 2**14, 8, 1, 32
SCHEME = f"scrypt${_N}${_R}${_P}"


def normalize_code(text: object) -> Optional[str]:
    """The code as compared (ASCII, upper case, no spaces), or None unless it is exactly 4 letters or digits."""
    if not isinstance(text, str):
        return None
    code = "".join(unicodedata.normalize("NFKC", text).split()).upper()
    return code if _CODE.fullmatch(code) else None


def _derive(code: str, salt: bytes, scheme: str) -> bytes:
    _, n, r, p = scheme.split("$")
    return hashlib.scrypt(code.encode(), salt=salt, n=int(n), r=int(r), p=int(p), dklen=_DKLEN)


def hash_code(code: str) -> tuple[str, str]:
    """A fresh (salt_hex, hash) pair for a normalized code; the hash names its scheme so it can change later."""
    salt = os.urandom(16)
    return salt.hex(), f"{SCHEME}${_derive(code, salt, SCHEME).hex()}"


def verify_code(code: str, salt_hex: str, stored: str) -> bool:
    """Whether `code` matches the stored hash; constant-time comparison of the derived keys."""
    normalized = normalize_code(code)
    if normalized is None:
        return False
    scheme, _, digest = stored.rpartition("$")
    return hmac.compare_digest(_derive(normalized, bytes.fromhex(salt_hex), scheme).hex(), digest)
