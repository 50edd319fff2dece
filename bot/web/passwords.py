"""Operator password hashing with scrypt (memory-hard, in the standard library) and a random salt, and
the rule a new password must meet.

Stored as ``scrypt$n$r$p$salt$hash`` so the cost can be raised later without breaking old hashes.
The rule (``password_problem``) is a small, offline cousin of zxcvbn: at least 12 characters, not a
common password or a common word with digits and symbols around it, not one character or keyboard/
alphabet run repeated, not the operator's name, and enough different characters.
"""
from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from typing import Optional

N, R, P = 2**14, 8, 1
SALT_BYTES = 16
KEY_BYTES = 32
MIN_LENGTH = 12
MIN_DISTINCT = 6
SCHEME = "scrypt"
# The most common passwords and the words people build them from (leaked-password lists, plus this office).
COMMON_WORDS = frozenset("""
password passw0rd p@ssw0rd passwort motdepasse mima woaini iloveyou admin administrator root operator user guest
welcome letmein qwerty qwertyuiop asdfgh asdfghjkl zxcvbn zxcvbnm monkey dragon master shadow sunshine princess
football baseball superman batman trustno1 whatever freedom starwars computer internet secret changeme default
login abc abcdef abcdefg abcdefgh abc123 china beijing shanghai zhongguo waishi waiban fao foreign affairs office
district hotline apec visa
""".split())
_SEQUENCES = ("abcdefghijklmnopqrstuvwxyz", "01234567890", "qwertyuiop", "asdfghjkl", "zxcvbnm", "1qaz2wsx3edc4rfv5tgb6yhn")
_AROUND = re.compile(r"^[\W\d_]*(.*?)[\W\d_]*$")


class WeakPassword(ValueError):
    """The password is too weak to protect an operator account (the message says why)."""


def _is_run(text: str) -> bool:
    """One character, or a stretch of the alphabet, digits or a keyboard row (either direction), repeated."""
    if len(set(text)) <= 2:
        return True
    for sequence in _SEQUENCES:
        for candidate in (sequence, sequence[::-1]):
            doubled = candidate * 3
            if all(text[i:i + 4] in doubled for i in range(0, max(len(text) - 3, 1))):
                return True
    return False


def password_problem(password: str, name: Optional[str] = None) -> Optional[str]:
    """Why `password` may not protect an operator account, or None when it may."""
    if len(password) < MIN_LENGTH:
        return f"the password needs at least {MIN_LENGTH} characters"
    folded = password.lower()
    core = _AROUND.match(folded).group(1)  # type: ignore[union-attr]
    parts = [part for part in re.split(r"[\W\d_]+", core) if part]
    if folded in COMMON_WORDS or "".join(parts) in COMMON_WORDS or all(part in COMMON_WORDS for part in parts):
        return "the password is a common word or password"
    if _is_run(folded):
        return "the password is a repeated character or a keyboard or alphabet sequence"
    if len(set(password)) < MIN_DISTINCT:
        return f"the password needs at least {MIN_DISTINCT} different characters"
    name_parts = [part for part in re.split(r"[\W_]+", (name or "").lower()) if len(part) >= 3]
    if any(part in folded for part in name_parts) or (name and len(name) >= 3 and name.lower() in folded):
        return "the password may not contain the operator's name"
    return None


def _derive(password: str, salt: bytes, n: int, r: int, p: int) -> bytes:
    return hashlib.scrypt(password.encode("utf-8"), salt=salt, n=n, r=r, p=p, dklen=KEY_BYTES,
                          maxmem=256 * 1024 * 1024)


def hash_password(password: str, name: Optional[str] = None) -> str:
    """The stored form of a new password; WeakPassword when it breaks the rule."""
    problem = password_problem(password, name)
    if problem:
        raise WeakPassword(problem)
    salt = secrets.token_bytes(SALT_BYTES)
    key = _derive(password, salt, N, R, P)
    return f"{SCHEME}${N}${R}${P}${salt.hex()}${key.hex()}"


def verify_password(password: str, stored: str) -> bool:
    """Constant-time comparison; a malformed stored hash never matches."""
    try:
        scheme, n, r, p, salt, key = stored.split("$")
        if scheme != SCHEME:
            return False
        derived = _derive(password, bytes.fromhex(salt), int(n), int(r), int(p))
    except ValueError:
        return False
    return hmac.compare_digest(derived, bytes.fromhex(key))


# Compared against when the operator name is unknown, so a wrong name costs as long as a wrong password.
DUMMY_HASH = f"{SCHEME}${N}${R}${P}${'00' * SALT_BYTES}${'00' * KEY_BYTES}"
