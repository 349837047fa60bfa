"""The reporter's secret: shown once with the tracking code, kept only as a hash, and asked for before the
citizen's own actions (rate, report again) and files. The tracking code alone only reads the public answer.
"""

from __future__ import annotations

import secrets

from django.contrib.auth.hashers import check_password, make_password

from .models import Feedback

ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"  # as the tracking code: no 0/O, 1/I/L
SESSION_KEY = "citizens.proof.{code}"


def new_secret() -> str:
    """10 random characters (31^10 ≈ 8·10^14), shown as ABCDE-FGHJK."""
    raw = "".join(secrets.choice(ALPHABET) for _ in range(10))
    return f"{raw[:5]}-{raw[5:]}"


def normalize(value: str) -> str:
    raw = "".join(ch for ch in (value or "").upper() if ch.isalnum())
    return f"{raw[:5]}-{raw[5:]}" if len(raw) == 10 else ""


def hash_secret(secret: str) -> str:
    return make_password(normalize(secret))


def is_reporter(feedback: Feedback, secret: str) -> bool:
    """Whether `secret` is the one given to the reporter of `feedback` (False for items without one)."""
    secret = normalize(secret)
    if not secret or not feedback.reporter_secret_hash:
        return False
    return check_password(secret, feedback.reporter_secret_hash)


def remember(session, feedback: Feedback) -> None:
    """This browser proved to be the reporter's: do not ask again in this session."""
    session[SESSION_KEY.format(code=feedback.code)] = True


def proven(session, feedback: Feedback) -> bool:
    return bool(session.get(SESSION_KEY.format(code=feedback.code)))
