# The action server: rasa-sdk with our actions (actions/) and the backend client (bot/backend/client.py).
# Hardened by rasa_sdk_plugins/ (malformed calls get 4xx). No model, no Rasa: rasa-sdk alone.
#   docker build -f deploy/docker/actions.Dockerfile -t fao-assistant/actions:<version> .
FROM python:3.10-slim

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PYTHONPATH=/app

WORKDIR /app
COPY requirements.lock /tmp/requirements.lock
RUN pip install -c /tmp/requirements.lock rasa-sdk==3.6.2 aiohttp PyYAML opencc-python-reimplemented \
    && useradd --no-create-home --uid 10001 fao

COPY --chown=10001:10001 actions/ actions/
# The actions use bot/ (backend client, language and topic helpers; no jieba, spaCy or Rasa) and config/office.yml.
COPY --chown=10001:10001 bot/ bot/
COPY --chown=10001:10001 config/ config/
COPY --chown=10001:10001 rasa_sdk_plugins/ rasa_sdk_plugins/

USER 10001
EXPOSE 5055
# BACKEND_URL and BACKEND_SERVICE_TOKEN come from the environment (ConfigMap and Secret).
CMD ["python", "-m", "rasa_sdk", "--actions", "actions", "--port", "5055"]
