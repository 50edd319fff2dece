#!/bin/sh
# Starts the Rasa server of the production profile. Refuses to start without RASA_API_TOKEN, so the
# HTTP API is never open; browser origins are limited to FAO_CORS_ORIGINS (space-separated).
# bot.rasa_run passes the token to Rasa inside the process, so it is not in the process list.
set -eu
: "${RASA_API_TOKEN:?RASA_API_TOKEN must be set (from the Secret)}"
: "${ACTION_SERVER_TOKEN:?ACTION_SERVER_TOKEN must be set (from the Secret)}"
: "${FAO_CORS_ORIGINS:?FAO_CORS_ORIGINS must list the widget origins}"
# shellcheck disable=SC2086  # one --cors argument per origin
exec python -m bot.rasa_run run \
  --model /app/models/fao-assistant.tar.gz \
  --endpoints /app/endpoints.production.yml \
  --credentials /app/credentials.yml \
  --interface 0.0.0.0 --port "${RASA_PORT:-5005}" \
  --enable-api \
  --cors $FAO_CORS_ORIGINS
