"""A password check that needs no network: what is left of the password once digits and
symbols are taken away must not be a common password, the site's name, the clinic's name or a
word of it, or a word every clinic uses. Refuses Clinic2026, Summer2026!, Myoplan1 and
HarbourPhysio99 (for Harbour Physio's staff) alike."""

import re
from functools import cache
from typing import Any

from django.contrib.auth.password_validation import CommonPasswordValidator
from django.core.exceptions import ValidationError

SITE_WORDS = frozenset(
    {
        "myoplan",
        "clinic",
        "physio",
        "physiotherapy",
        "therapy",
        "therapist",
        "massage",
        "health",
        "patient",
        "welcome",
        "password",
        "admin",
    }
)


@cache
def _common_passwords() -> frozenset[str]:
    return frozenset(CommonPasswordValidator().passwords)


def _letters(text: str) -> str:
    return re.sub(r"[^a-z]", "", text.lower())


def guessable_words(clinic_name: str = "") -> set[str]:
    words = set(SITE_WORDS)
    if clinic_name:
        parts = [_letters(part) for part in clinic_name.split()]
        words.update(part for part in parts if len(part) >= 4)
        words.add("".join(parts))
    return words


class GuessablePasswordValidator:
    def validate(self, password: str, user: Any = None) -> None:
        stem = _letters(password)
        if not stem:
            return  # all digits: NumericPasswordValidator speaks to that
        clinic = getattr(user, "clinic", None) if user is not None and user.clinic_id else None
        if stem in guessable_words(clinic.name if clinic else "") or stem in _common_passwords():
            raise ValidationError(
                "This password is too easy to guess: it is a common word or name with "
                "numbers or symbols added.",
                code="password_guessable",
            )

    def get_help_text(self) -> str:
        return (
            "Your password can't be a common word or name (the clinic's, or Myoplan's) with "
            "numbers or symbols added."
        )
