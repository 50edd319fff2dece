#!/usr/bin/env bash
# Trains the model into models/fao-assistant.tar.gz. Make calls this only when an input changed.
set -euo pipefail
cd "$(dirname "$0")/.."
export PYTHONPATH="$PWD" RASA_TELEMETRY_ENABLED=false
start=$(date +%s)
.venv/bin/rasa train --config config.yml --domain domain.yml --data data \
  --out models --fixed-model-name fao-assistant --quiet
touch models/fao-assistant.tar.gz
echo "train: done in $(( $(date +%s) - start )) s"
