"""Input channels of the Rasa server, hardened against malformed requests."""
