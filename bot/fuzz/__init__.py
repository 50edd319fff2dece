"""Hostile-input fuzzing of a running assistant (scripts/fuzz.py, tests/e2e/test_fuzz.py).

`messages` makes hostile chat turns, `requests` the malformed HTTP requests to every endpoint,
`chat` sends turns over REST and socket.io, `memory` reads process memory, `run` ties them
together and `tally` counts what came back.
"""
