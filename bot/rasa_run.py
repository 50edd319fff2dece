"""`rasa` with the HTTP API token taken from the environment instead of the command line.

Rasa 3.6 reads the API token only from `--auth-token`, so anyone on the machine who runs `ps` would
see it. `python -m bot.rasa_run run ...` adds `--auth-token $RASA_API_TOKEN` to the arguments inside
the process (the process list keeps showing the command without it) and refuses to start the API
without a token.
"""
from __future__ import annotations

import os
import sys
from typing import List

TOKEN_ENV = "RASA_API_TOKEN"


def rasa_arguments(argv: List[str], token: str) -> List[str]:
    """Rasa's CLI arguments with the token appended when the API is enabled; ValueError without a token."""
    if "--auth-token" in argv:
        raise ValueError("pass the token in $RASA_API_TOKEN, not on the command line")
    if "--enable-api" not in argv:
        return list(argv)
    if not token:
        raise ValueError(f"the Rasa HTTP API is only started with a token: set ${TOKEN_ENV}")
    return [*argv, "--auth-token", token]


def main() -> None:
    try:
        arguments = rasa_arguments(sys.argv[1:], os.environ.get(TOKEN_ENV, ""))
    except ValueError as error:
        sys.exit(f"error: {error}")
    from rasa.__main__ import main as rasa_main

    sys.argv = ["rasa", *arguments]
    rasa_main()


if __name__ == "__main__":
    main()
