"""Input channels of the Rasa server, hardened against malformed requests."""

# Rasa imports this package for credentials.yml, in every server process: install our measured
# speed-ups of Rasa internals there (see bot/rasa_patches.py).
from bot import rasa_patches  # noqa: E402,F401
