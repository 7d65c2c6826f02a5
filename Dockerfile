# syntax=docker/dockerfile:1
# Production image: `docker compose up` runs it with PostgreSQL and Redis (see README).
FROM python:3.13-slim AS build
ENV PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_NO_CACHE_DIR=1
RUN python -m venv /venv
COPY requirements.txt /tmp/requirements.txt
RUN /venv/bin/pip install -r /tmp/requirements.txt

FROM python:3.13-slim
ENV PATH=/venv/bin:$PATH PYTHONUNBUFFERED=1 PYTHONDONTWRITEBYTECODE=1 DEBUG=False
RUN useradd --create-home --uid 10001 mindquest
COPY --from=build /venv /venv
WORKDIR /app
COPY --chown=mindquest . .
RUN SECRET_KEY=build-only-$(head -c 48 /dev/urandom | base64 | tr -d '/+=') ALLOWED_HOSTS=build \
    python manage.py collectstatic --noinput
USER mindquest
EXPOSE 8000
CMD ["gunicorn", "mindquest.wsgi", "--bind", "0.0.0.0:8000"]
