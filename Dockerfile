# syntax=docker/dockerfile:1
# Mind Quest, production image. `docker compose up` runs it with PostgreSQL, Redis and a worker.

# --- build: dependencies and collected static files ------------------------------------------------
FROM python:3.13-slim AS build
ENV PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_NO_CACHE_DIR=1 PYTHONDONTWRITEBYTECODE=1
RUN python -m venv /venv
COPY requirements.txt /tmp/requirements.txt
RUN /venv/bin/pip install -r /tmp/requirements.txt
WORKDIR /app
COPY . .
# Static files are collected (hashed and compressed) at build time; the key below only lets the
# settings load for that step and is not in the final image's environment.
RUN DEBUG=False ALLOWED_HOSTS=build \
    SECRET_KEY="collectstatic-at-build-time-$(head -c 48 /dev/urandom | od -An -tx1 | tr -d ' \n')" \
    /venv/bin/python manage.py collectstatic --noinput \
 && rm -rf .venv db.sqlite3 staticfiles/*.tmp

# --- runtime -----------------------------------------------------------------------------------------
FROM python:3.13-slim
ENV PATH=/venv/bin:$PATH \
    PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    DEBUG=False \
    TASKS_BACKEND=database \
    LOG_FORMAT=json \
    PORT=8000
RUN groupadd --system --gid 10001 mindquest \
 && useradd --system --uid 10001 --gid mindquest --home-dir /app --shell /usr/sbin/nologin mindquest
COPY --from=build /venv /venv
COPY --from=build --chown=mindquest:mindquest /app /app
WORKDIR /app
USER mindquest
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 CMD ["python", "scripts/healthcheck"]
CMD ["gunicorn", "--config", "gunicorn.conf.py", "mindquest.wsgi"]
