"""Personal data kept out of the Rasa server's logs and warnings.

Rasa 3.6 warns with the whole user message when an `/intent{...}` message names entities the domain
does not have ("Failed to parse arguments in line '/greet{"phone": "138..."}'"), through
``rasa.shared.utils.io.raise_warning``, which writes to stderr (the service log). `install` wraps that
function so such warnings name the problem without the message, masks personal data in every other
warning, and adds a logging filter that masks it in every log record of the process.
"""
from __future__ import annotations

import functools
import logging
import re
from typing import Any

from bot.privacy.redaction import mask_personal_data

_MESSAGE_ECHO = re.compile(r"^Failed to parse arguments in line '.*?'\. ", re.DOTALL)
_INSTALLED = "_fao_redacted"


def redact_warning(message: str) -> str:
    """A Rasa warning without the user's message (when it quotes one) and without personal data."""
    if _MESSAGE_ECHO.match(message):
        return "Failed to parse the arguments of an /intent{...} message (its text is not logged); " \
               "unknown entities were ignored."
    return mask_personal_data(message)


class PersonalDataFilter(logging.Filter):
    """Masks phone, passport and ID-card numbers and e-mail addresses in the formatted message."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except (TypeError, ValueError):
            return True
        masked = mask_personal_data(message)
        if masked != message:
            record.msg, record.args = masked, None
        return True


def install() -> None:
    """Wrap Rasa's warning helper and filter the root logger's handlers (idempotent)."""
    import rasa.shared.utils.io as rasa_io

    original = rasa_io.raise_warning
    if not getattr(original, _INSTALLED, False):

        @functools.wraps(original)
        def raise_warning(message: str, *args: Any, **kwargs: Any) -> None:
            original(redact_warning(str(message)), *args, **kwargs)

        setattr(raise_warning, _INSTALLED, True)
        rasa_io.raise_warning = raise_warning
    for handler in logging.getLogger().handlers:
        if not any(isinstance(existing, PersonalDataFilter) for existing in handler.filters):
            handler.addFilter(PersonalDataFilter())
