"""Input channels of the Rasa server, hardened against malformed requests."""

# Rasa imports this package for credentials.yml, in every server process: install our measured
# speed-ups of Rasa internals there (see bot/rasa_patches.py). FAO_RASA_PATCHES=0 leaves Rasa stock
# (the benchmark's baseline).
import os  # noqa: E402

from bot.privacy import logs  # noqa: E402

# Always (not a speed-up): no user message or personal data in Rasa's warnings and log lines.
logs.install()

if os.environ.get("FAO_RASA_PATCHES", "1") != "0":
    from bot import rasa_patches  # noqa: F401
