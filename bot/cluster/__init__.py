"""`make cluster`: the production profile on one machine (2 Rasa + 2 action servers behind nginx, PostgreSQL, Redis)."""
