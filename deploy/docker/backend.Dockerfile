# The application-status backend (bot/backend): Sanic + SQLAlchemy on PostgreSQL (DATABASE_URL).
#   docker build -f deploy/docker/backend.Dockerfile -t fao-assistant/backend:<version> .
FROM python:3.10-slim

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PYTHONPATH=/app SQLALCHEMY_SILENCE_UBER_WARNING=1 BACKEND_HOST=0.0.0.0 BACKEND_PORT=5080 BACKEND_SEED_DEMO=0

WORKDIR /app
COPY requirements.lock /tmp/requirements.lock
RUN pip install -c /tmp/requirements.lock sanic==21.12.2 SQLAlchemy psycopg2-binary aiohttp opencc-python-reimplemented \
    && useradd --no-create-home --uid 10001 fao

# bot/backend uses bot/settings.py and bot/nlu/text.py (reference normalisation); the rest of bot/ is small.
COPY --chown=10001:10001 bot/ bot/

USER 10001
EXPOSE 5080
# DATABASE_URL and BACKEND_SERVICE_TOKEN come from the Secret; without the token every call gets 401.
CMD ["python", "-m", "bot.backend"]
