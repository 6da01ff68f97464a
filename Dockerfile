# syntax=docker/dockerfile:1
# Multi-stage build: wheels are built in the first stage; the runtime image has no compiler.
# The base image is pinned (Python patch release and Debian release); to pin it by digest as
# well, build with --build-arg PYTHON_IMAGE=python:3.11.11-slim-bookworm@sha256:<digest>.
ARG PYTHON_IMAGE=python:3.11.11-slim-bookworm
FROM ${PYTHON_IMAGE} AS build
WORKDIR /src
COPY pyproject.toml README.md ./
COPY bot ./bot
COPY handlers ./handlers
RUN pip wheel --no-cache-dir --wheel-dir /wheels .

FROM ${PYTHON_IMAGE}
RUN useradd --create-home --uid 10001 strikebot \
    && mkdir -p /data && chown strikebot:strikebot /data
COPY --from=build /wheels /wheels
RUN pip install --no-cache-dir /wheels/*.whl && rm -rf /wheels
COPY config.example.toml /etc/strikebot/config.toml
USER strikebot
WORKDIR /data
# the SQLite file lives on this volume (use STRIKEBOT_DATABASE_URL for PostgreSQL)
VOLUME ["/data"]
ENV STRIKEBOT_CONFIG=/etc/strikebot/config.toml \
    STRIKEBOT_DATABASE_URL=sqlite+aiosqlite:////data/strikebot.sqlite3 \
    STRIKEBOT_SERVER_LISTEN=0.0.0.0:9108 \
    PYTHONUNBUFFERED=1
# /healthz and /metrics (Prometheus)
EXPOSE 9108
HEALTHCHECK --interval=60s --timeout=5s --start-period=60s --retries=3 \
    CMD python -c "import sys,urllib.request; sys.exit(urllib.request.urlopen('http://127.0.0.1:9108/healthz', timeout=4).status != 200)" || exit 1
# STRIKEBOT_TELEGRAM_TOKEN must be given at run time: docker run -e STRIKEBOT_TELEGRAM_TOKEN=...
# STRIKEBOT_SERVER_LISTEN (above) overrides [server] listen: the HEALTHCHECK needs /healthz.
# Backups: docker exec strikebot strikebot db backup /data/backup-$(date +%F).sqlite3
ENTRYPOINT ["strikebot"]
CMD ["run"]
