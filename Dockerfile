# monitor as a service: `docker compose up -d`, or
#   docker run -d -v monitor-storage:/app/storage --env-file monitor.env monitor
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

WORKDIR /app

COPY pyproject.toml README.md constraints.txt ./
COPY monitor ./monitor
# exact versions from constraints.txt: the same image next month
RUN pip install --no-cache-dir -c constraints.txt . \
    && useradd --uid 10001 --user-group --no-create-home --shell /usr/sbin/nologin monitor \
    && mkdir -p /app/storage \
    && chown monitor:monitor /app/storage

COPY config ./config

USER 10001:10001
VOLUME ["/app/storage"]

# the CLI checks that the database opens and the scheduler ticked recently (no curl needed)
HEALTHCHECK --interval=30s --timeout=10s --start-period=30s --retries=3 \
    CMD ["monitor", "healthcheck"]

# monitor handles SIGTERM itself (also as PID 1): it abandons an in-flight poll and exits
STOPSIGNAL SIGTERM
CMD ["monitor", "run"]
