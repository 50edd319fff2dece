"""Personal data kept out of storage and logs: redaction of tracker events, client keys."""
