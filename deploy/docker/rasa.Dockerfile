# The Rasa server: NLU + dialogue, REST and socket.io channels, HTTP API behind a token.
# Build from the repository root after `make train`:
#   docker build -f deploy/docker/rasa.Dockerfile -t fao-assistant/rasa:<model-version> .
# The trained model is baked in: one image = one model, rolled out and rolled back like any release.
FROM python:3.10-slim

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PYTHONPATH=/app RASA_TELEMETRY_ENABLED=false TF_CPP_MIN_LOG_LEVEL=2 SQLALCHEMY_SILENCE_UBER_WARNING=1 \
    HOME=/home/fao

WORKDIR /app
COPY requirements.lock /tmp/requirements.lock
# Runtime packages only (no pytest, no playwright); every version, direct or pulled in, comes from the lock.
RUN pip install -c /tmp/requirements.lock \
        rasa==3.6.21 jieba spacy spacy-lookups-data opencc-python-reimplemented \
    && useradd --create-home --home-dir /home/fao --uid 10001 fao

COPY --chown=10001:10001 bot/ bot/
COPY --chown=10001:10001 config.yml credentials.yml endpoints.production.yml ./
COPY --chown=10001:10001 domain/ domain/
COPY --chown=10001:10001 models/fao-assistant.tar.gz models/fao-assistant.tar.gz
COPY --chown=10001:10001 deploy/docker/rasa-entrypoint.sh /usr/local/bin/rasa-entrypoint.sh

USER 10001
EXPOSE 5005
ENTRYPOINT ["/usr/local/bin/rasa-entrypoint.sh"]
