"""Deployment settings, headers and logs as production runs them."""

import json
import logging
import os
import re
import secrets
import subprocess
import sys
from datetime import timedelta
from io import StringIO
from pathlib import Path

import environ
import pytest
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from accounts.models import AuthSession
from accounts.services import auth_session_start
from mindquest.common.logging import JsonFormatter, RequestIdFilter

ROOT = Path(__file__).resolve().parents[2]

# The production variables README documents (with stand-in values).
PRODUCTION = {
    "DEBUG": "False",
    "SECRET_KEY": secrets.token_urlsafe(64),
    "ALLOWED_HOSTS": "mindquest.example.com",
    "CSRF_TRUSTED_ORIGINS": "https://mindquest.example.com",
    "DATABASE_URL": "postgres://mindquest:secret@db.internal:5432/mindquest",
    "REDIS_URL": "redis://cache.internal:6379/0",
    "EMAIL_URL": "smtp+tls://mailer:secret@smtp.example.com:587",
    "TASKS_BACKEND": "database",
}


def manage(*args: str, **env: str) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if k not in {*PRODUCTION, "DJANGO_SETTINGS_MODULE"}}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_check_deploy_is_clean_with_the_production_variables():
    result = manage("check", "--deploy", "--fail-level", "WARNING", **PRODUCTION)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"SECRET_KEY": ""}, "SECRET_KEY must be set to a secret value"),
        ({"SECRET_KEY": "django-insecure-" + "x" * 60}, "SECRET_KEY must be set to a secret value"),
        ({"SECRET_KEY": "too-short"}, "SECRET_KEY must be at least 50 random characters"),
        ({"SECRET_KEY": "   # production: 50+ random characters and then some words"}, "without spaces"),
        ({"JWT_SIGNING_KEY": "too-short"}, "JWT_SIGNING_KEY must be at least 50 random characters"),
        ({"ALLOWED_HOSTS": ""}, "ALLOWED_HOSTS must be set"),
    ],
)
def test_production_refuses_to_start_without_a_real_secret_or_hosts(changes, message):
    env = {**PRODUCTION, **changes}
    if not env["SECRET_KEY"]:
        del env["SECRET_KEY"]
    result = manage("check", **env)
    assert result.returncode != 0
    assert message in result.stderr


def test_an_empty_jwt_signing_key_signs_with_the_secret_key_not_with_nothing():
    code = "from django.conf import settings as s; print(s.SIMPLE_JWT['SIGNING_KEY'] == s.SECRET_KEY != '')"
    result = manage("shell", "-c", code, **PRODUCTION, JWT_SIGNING_KEY="")
    assert result.stdout.strip().endswith("True"), result.stdout + result.stderr


def test_production_settings_are_strict():
    result = manage(
        "shell",
        "-c",
        "from django.conf import settings as s; import json; print(json.dumps([s.DEBUG, s.SECURE_SSL_REDIRECT, "
        "s.SECURE_HSTS_SECONDS, s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SECURE_PROXY_SSL_HEADER, "
        "s.DATABASES['default']['CONN_MAX_AGE'], s.MAILERS['default']['BACKEND'], s.MAILERS['default']['OPTIONS']['host'], "
        "s.TASKS['default']['BACKEND'], s.CACHES['default']['BACKEND'], s.SESSION_ENGINE, "
        "s.DATABASES['default']['OPTIONS']]))",
        **PRODUCTION,
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout.strip().splitlines()[-1]) == [
        False,
        True,
        31536000,
        True,
        True,
        ["HTTP_X_FORWARDED_PROTO", "https"],
        600,
        "django.core.mail.backends.smtp.EmailBackend",
        "smtp.example.com",
        "django_tasks_db.DatabaseBackend",
        "mindquest.common.cache.RedisCache",
        "django.contrib.sessions.backends.cached_db",
        {"server_side_binding": True, "prepare_threshold": 2},
    ]


def test_prepared_statements_can_be_turned_off_for_an_old_pooler():
    result = manage(
        "shell",
        "-c",
        "from django.conf import settings as s; print(s.DATABASES['default'].get('OPTIONS', {}))",
        **PRODUCTION,
        DATABASE_PREPARED_STATEMENTS="False",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "{}"


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/", "/certifications", "/login", "/api/health"])
def test_every_page_carries_a_strict_content_security_policy(client, path):
    policy = client.get(path)["Content-Security-Policy"]
    assert "script-src 'self';" in policy
    assert "style-src 'self';" in policy
    assert "unsafe" not in policy
    assert "frame-ancestors 'none'" in policy


@pytest.mark.django_db
def test_the_api_docs_allow_inline_styles_only(client):
    policy = client.get("/api/docs")["Content-Security-Policy"]
    assert "style-src 'self' 'unsafe-inline'" in policy
    assert "script-src 'self';" in policy


@pytest.mark.django_db
def test_pages_have_no_inline_scripts(client, learner):
    client.force_login(learner)
    for path in ("/", "/dashboard", "/quiz/new", "/history", "/achievements", "/profile", "/certifications"):
        html = client.get(path, follow=True).text
        assert "<script>" not in html
        assert " onclick=" not in html
        assert ' style="' not in html, path


@pytest.mark.django_db
def test_every_response_carries_a_request_id_and_keeps_a_sane_one(client):
    assert len(client.get("/api/health")["X-Request-ID"]) == 32
    assert client.get("/api/health", HTTP_X_REQUEST_ID="edge-1234abcd")["X-Request-ID"] == "edge-1234abcd"
    assert client.get("/api/health", HTTP_X_REQUEST_ID="bad\nid")["X-Request-ID"] != "bad\nid"


@pytest.mark.django_db
def test_every_log_line_of_a_request_carries_its_id(learner, password):
    stream = StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(RequestIdFilter())
    handler.setFormatter(logging.Formatter("%(request_id)s %(name)s %(message)s"))
    root = logging.getLogger()
    root.addHandler(handler)
    try:
        Client().post(
            "/api/auth/login",
            {"email": "ada", "password": password},
            content_type="application/json",
            HTTP_X_REQUEST_ID="trace-0001abcd",
        )
    finally:
        root.removeHandler(handler)
    lines = stream.getvalue().splitlines()
    assert f"trace-0001abcd accounts.services login succeeded for user {learner.pk}" in lines
    assert "trace-0001abcd mindquest.request POST /api/auth/login 200" in lines


def test_json_log_lines_have_the_request_id_and_the_extras():
    from mindquest.common.logging import request_id

    token = request_id.set("abc123def456")
    try:
        record = logging.makeLogRecord(
            {
                "name": "quizzes.llm",
                "levelname": "INFO",
                "msg": "llm call",
                "llm_model": "gpt-4o-mini",
                "llm_prompt_tokens": 10,
            }
        )
        RequestIdFilter().filter(record)
        line = json.loads(JsonFormatter().format(record))
    finally:
        request_id.reset(token)
    assert line["request_id"] == "abc123def456"
    assert (line["message"], line["llm_model"], line["llm_prompt_tokens"]) == ("llm call", "gpt-4o-mini", 10)


@pytest.mark.django_db
def test_login_is_logged_without_password_or_token(client, learner, password, caplog):
    with caplog.at_level(logging.INFO):
        Client().post(
            "/api/auth/login", {"email": "ada", "password": password}, content_type="application/json"
        )
        Client().post(
            "/api/auth/login", {"email": "ada", "password": "Wrong-Pass-1"}, content_type="application/json"
        )
        client.post("/login", {"username": "ada", "password": "Wrong-Pass-2"})
    text = caplog.text
    assert f"login succeeded for user {learner.pk}" in text
    assert "login failed" in text
    assert password not in text
    assert "Wrong-Pass" not in text
    assert "eyJ" not in text  # no JWT


@pytest.mark.django_db
def test_prune_expired_deletes_ended_sessions(learner):
    old = auth_session_start(user=learner)
    live = auth_session_start(user=learner)
    AuthSession.objects.filter(pk=old.session_id).update(revoked_at=timezone.now() - timedelta(days=40))
    out = StringIO()
    call_command("prune_expired", "--days", "30", stdout=out)
    assert list(AuthSession.objects.values_list("pk", flat=True)) == [live.session_id]
    assert "1 ended API session(s) deleted." in out.getvalue()


@pytest.mark.django_db
def test_favicon_requests_go_to_the_svg_icon(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 301
    assert response.url.endswith("img/favicon.svg")


def test_every_setting_read_from_the_environment_is_listed_in_env_example():
    settings_text = (ROOT / "mindquest" / "settings.py").read_text()
    read = set(re.findall(r'env(?:\.\w+)?\(\s*"([A-Z_]+)"', settings_text))
    read |= set(re.findall(r"os\.environ\.get\(['\"]([A-Z_]+)['\"]", (ROOT / "gunicorn.conf.py").read_text()))
    listed = set(re.findall(r"^#([A-Z_]+)=", (ROOT / ".env.example").read_text(), re.MULTILINE))
    assert read - listed == set()
    assert {"SECRET_KEY", "DATABASE_URL", "OPENAI_API_KEY", "REDIS_URL"} <= read


def test_env_example_copied_to_env_changes_nothing_until_a_line_is_uncommented(monkeypatch):
    # django-environ keeps an end-of-line "# ..." as part of the value, and an empty KEY= sets an
    # empty value: a copy with either would break DEBUG, DATABASE_URL or SECRET_KEY.
    read: dict[str, str] = {}
    monkeypatch.setattr(environ.Env, "ENVIRON", read)
    text = (ROOT / ".env.example").read_text()
    environ.Env.read_env(StringIO(text))
    assert read == {}
    uncommented = re.sub(r"^#([A-Z_]+=)", r"\1", text, flags=re.MULTILINE)
    environ.Env.read_env(StringIO(uncommented))
    assert read["DEBUG"] == "True"
    assert read["DATABASE_URL"] == "sqlite:///db.sqlite3"
    assert not [key for key, value in read.items() if "#" in value or value != value.strip()]
