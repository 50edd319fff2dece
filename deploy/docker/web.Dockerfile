# The website with the chat widget and the operator console (bot/web). socket.io-client is installed
# from npm at build time (bot/web/package-lock.json) and served by the app, never from a CDN.
#   docker build -f deploy/docker/web.Dockerfile -t fao-assistant/web:<version> .
FROM node:20-slim AS widget-libraries
WORKDIR /web
COPY bot/web/package.json bot/web/package-lock.json ./
RUN npm ci --omit=dev

FROM python:3.10-slim
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PYTHONPATH=/app SQLALCHEMY_SILENCE_UBER_WARNING=1 WEB_HOST=0.0.0.0 WEB_PORT=8080 WEB_COOKIE_SECURE=true

WORKDIR /app
COPY requirements.lock /tmp/requirements.lock
RUN pip install -c /tmp/requirements.lock sanic==21.12.2 SQLAlchemy psycopg2-binary aiohttp Jinja2 PyYAML opencc-python-reimplemented \
    && useradd --no-create-home --uid 10001 fao

COPY --chown=10001:10001 bot/ bot/
COPY --chown=10001:10001 domain/ domain/
COPY --chown=10001:10001 --from=widget-libraries /web/node_modules bot/web/node_modules

USER 10001
EXPOSE 8080
CMD ["python", "-m", "bot.web"]
