#!/usr/bin/env bash
# The whole test suite (`make test`): data validation, unit and end-to-end tests, held-out NLU
# accuracy and test stories. Make has already set up .venv and trained the model.
set -euo pipefail
cd "$(dirname "$0")/.."
export PYTHONPATH="$PWD" RASA_TELEMETRY_ENABLED=false TF_CPP_MIN_LOG_LEVEL=2 SQLALCHEMY_SILENCE_UBER_WARNING=1
mkdir -p results

echo "== rasa data validate"
.venv/bin/python scripts/validate_data.py

echo "== pytest"
.venv/bin/python -m pytest tests -q -p no:cacheprovider --durations=25

echo "== held-out answers (measured 2026-12-02: en 73.5%, zh 72.2%; floor 70%, a ratchet; target 90%, see the issue 11 note)"
.venv/bin/python scripts/evaluate_heldout.py --min-accuracy 0.70 --target 0.90

echo "== test stories (zh and en)"
.venv/bin/rasa test core --model models/fao-assistant.tar.gz --stories tests/stories \
  --out results/stories --fail-on-prediction-errors --quiet
echo "test stories: all passed"
