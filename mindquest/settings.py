"""Mind Quest settings: every value comes from the environment (see .env.example).

With no environment at all this is a development setup (DEBUG on, SQLite, no OpenAI key), which
is what `make run` serves. With DEBUG=False the settings refuse to load without a real
SECRET_KEY and ALLOWED_HOSTS: a production deploy never runs on a silent default.
"""

from datetime import timedelta
from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP

from mindquest import __version__

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
# An optional .env file for local overrides; real environment variables win over it.
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

# --- Core -----------------------------------------------------------------------------------------

DEBUG = env.bool("DEBUG", default=True)
ENVIRONMENT = env.str("ENVIRONMENT", default="development" if DEBUG else "production")
VERSION = __version__

# Only good for a laptop: refused below whenever DEBUG is off.
_DEVELOPMENT_SECRET_KEY = "django-insecure-mindquest-development-key-do-not-deploy"  # noqa: S105
SECRET_KEY = env.str("SECRET_KEY", default=_DEVELOPMENT_SECRET_KEY)
JWT_SIGNING_KEY = env.str("JWT_SIGNING_KEY", default="") or SECRET_KEY  # set but empty: SECRET_KEY too
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"] if DEBUG else [])

if not DEBUG:
    if SECRET_KEY == _DEVELOPMENT_SECRET_KEY or SECRET_KEY.startswith("django-insecure"):
        raise ImproperlyConfigured("SECRET_KEY must be set to a secret value when DEBUG is off.")
    for _name, _key in (("SECRET_KEY", SECRET_KEY), ("JWT_SIGNING_KEY", JWT_SIGNING_KEY)):
        # A random key has no spaces: one with spaces is a sentence (a note pasted with it, say).
        if len(_key) < 50 or len(set(_key)) < 5 or any(character.isspace() for character in _key):
            raise ImproperlyConfigured(f"{_name} must be at least 50 random characters, without spaces.")
    if not ALLOWED_HOSTS:
        raise ImproperlyConfigured("ALLOWED_HOSTS must be set when DEBUG is off.")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "rest_framework",
    "rest_framework_simplejwt",
    "rest_framework_simplejwt.token_blacklist",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "corsheaders",
    "django_htmx",
    "django_tasks_db",
    # The four apps, in their import order: each imports only those above it.
    "certifications",
    "accounts",
    "quizzes",
    "progress",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",  # static files answer here, unlogged
    "mindquest.common.middleware.RequestIdMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "corsheaders.middleware.CorsMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
]

ROOT_URLCONF = "mindquest.urls"
WSGI_APPLICATION = "mindquest.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.csp",
            ],
            # {% url %} that reverses a constant URL, or one around an id, once per process, and |date
            # that formats a day or a minute once (see the modules).
            "builtins": ["mindquest.common.urltags", "mindquest.common.datetags"],
        },
    },
]

# --- Database -------------------------------------------------------------------------------------

DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            # Take the write lock when a transaction starts, so concurrent writers queue
            # instead of failing with "database is locked" halfway through.
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
    )
else:
    # Django's PostgreSQL backend, with BEGIN and COMMIT that cost no wait of their own in a
    # pipeline (see mindquest/common/postgresql/base.py).
    DATABASES["default"]["ENGINE"] = "mindquest.common.postgresql"
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=600)
    # Off by default: a health check is one more round trip at the start of every request. A
    # connection that died (the database restarted) fails the one request that finds it, and is
    # then replaced.
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = env.bool("CONN_HEALTH_CHECKS", default=False)
    if env.bool("DATABASE_PREPARED_STATEMENTS", default=True):
        # Parameters sent apart from the statement, and a statement run twice on a connection is
        # prepared: PostgreSQL skips parsing and planning it again, which on our short statements
        # is most of their cost. Turn off behind a pooler in transaction mode older than
        # PgBouncer 1.21.
        DATABASES["default"].setdefault("OPTIONS", {}).update(
            {"server_side_binding": True, "prepare_threshold": 2}
        )

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Security (production) ----------------------------------------------------------------------

# Behind a TLS-terminating proxy or load balancer that sets X-Forwarded-Proto.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=not DEBUG)
# The container health check calls /api/health over plain HTTP from inside.
SECURE_REDIRECT_EXEMPT = [r"^api/health/?$"]
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0 if DEBUG else 31_536_000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=not DEBUG)
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=not DEBUG)
SESSION_COOKIE_SECURE = env.bool("SECURE_COOKIES", default=not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SESSION_COOKIE_HTTPONLY = True
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
X_FRAME_OPTIONS = "DENY"
CSRF_FAILURE_VIEW = "mindquest.common.views.csrf_failure"

# A strict Content Security Policy on every page: our own scripts and styles only, no inline code.
# (Swagger UI's page loosens style-src for itself; see mindquest.common.api_docs.)
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "object-src": [CSP.NONE],
}

# --- Mail -----------------------------------------------------------------------------------------

# EMAIL_URL like smtp+tls://user:password@smtp.example.com:587 ; the console in development.
_email = env.email_url("EMAIL_URL", default="consolemail://" if DEBUG else "smtp://localhost:25")
_SMTP_OPTIONS = {
    "EMAIL_HOST": "host",
    "EMAIL_PORT": "port",
    "EMAIL_HOST_USER": "username",
    "EMAIL_HOST_PASSWORD": "password",
    "EMAIL_USE_TLS": "use_tls",
    "EMAIL_USE_SSL": "use_ssl",
}
_is_smtp = _email["EMAIL_BACKEND"].endswith("smtp.EmailBackend")
MAILERS = {
    "default": {
        "BACKEND": _email["EMAIL_BACKEND"],
        "OPTIONS": {
            option: _email[key] for key, option in _SMTP_OPTIONS.items() if _email.get(key) is not None
        }
        | {"timeout": 10}
        if _is_smtp
        else {},
    }
}
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="Mind Quest <noreply@mindquest.local>")
SERVER_EMAIL = env.str("SERVER_EMAIL", default=DEFAULT_FROM_EMAIL)
ADMINS = [("Mind Quest admins", address) for address in env.list("ADMIN_EMAILS", default=[])]

# --- Cache ----------------------------------------------------------------------------------------

REDIS_URL = env.str("REDIS_URL", default="")
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "mindquest.common.cache.RedisCache", "LOCATION": REDIS_URL}}
    # Page sessions are read from Redis on every request and still written through to the database.
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
else:
    CACHES = {"default": {"BACKEND": "mindquest.common.cache.LocMemCache"}}

# --- Accounts and authentication ------------------------------------------------------------------

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = ["accounts.backends.EmailOrUsernameBackend"]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "dashboard"
LOGOUT_REDIRECT_URL = "landing"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 8},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "accounts.validators.CharacterClassesValidator"},
]

ACCESS_TOKEN_LIFETIME = timedelta(minutes=env.int("ACCESS_TOKEN_MINUTES", default=30))
REFRESH_TOKEN_LIFETIME = timedelta(days=env.int("REFRESH_TOKEN_DAYS", default=7))
# A sign-in lasts at most this long, however often its refresh token is rotated.
AUTH_SESSION_MAX_AGE = timedelta(days=env.int("AUTH_SESSION_MAX_DAYS", default=30))

SIMPLE_JWT = {
    "ACCESS_TOKEN_LIFETIME": ACCESS_TOKEN_LIFETIME,
    "REFRESH_TOKEN_LIFETIME": REFRESH_TOKEN_LIFETIME,
    "ROTATE_REFRESH_TOKENS": True,
    "BLACKLIST_AFTER_ROTATION": True,
    "UPDATE_LAST_LOGIN": False,
    "ALGORITHM": "HS256",
    "SIGNING_KEY": JWT_SIGNING_KEY,
    "AUTH_HEADER_TYPES": ("Bearer",),
    "USER_ID_FIELD": "id",
    "USER_ID_CLAIM": "user_id",
}

# --- API ------------------------------------------------------------------------------------------

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["accounts.authentication.SessionTokenAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    # JSON in (certification writes also take a plain form, as the original backend did).
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "EXCEPTION_HANDLER": "mindquest.common.api.exception_handler",
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}

SPECTACULAR_SETTINGS = {
    "TITLE": "Mind Quest API",
    "DESCRIPTION": "AWS certification practice: quizzes, grading, progress and achievements.",
    "VERSION": VERSION,
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": "/api",
    "COMPONENT_SPLIT_REQUEST": True,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "SERVE_AUTHENTICATION": [],
    "SERVE_PERMISSIONS": ["rest_framework.permissions.AllowAny"],
    "PREPROCESSING_HOOKS": ["mindquest.common.api.drop_trailing_slash_twins"],
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "mindquest.common.api.document_unsupported_media_type",
    ],
    "PATH_CONVERTER_OVERRIDES": {"id": {"type": "string", "format": "uuid"}},  # mindquest.common.converters
    "ENUM_NAME_OVERRIDES": {
        "CertificationLevelEnum": "certifications.models.Level",
        "DifficultyEnum": "quizzes.models.Difficulty",
        "QuestionTypeEnum": "quizzes.models.QuestionType",
        "QuizStatusEnum": "quizzes.models.QuizStatus",
    },
}

CORS_ALLOWED_ORIGINS = env.list("CORS_ALLOWED_ORIGINS", default=[])
CORS_URLS_REGEX = r"^/api(/.*)?$"
# Headers a client on another origin may read besides the safelisted few: the lists' total, how
# long to wait after a 429 or 503, and the id to quote in a bug report.
CORS_EXPOSE_HEADERS = ["X-Total-Count", "Retry-After", "X-Request-ID"]

# --- Background tasks -------------------------------------------------------------------------------

# "immediate" runs tasks inline after the transaction commits (development); "database" queues them
# for `manage.py db_worker` processes (production; any number of them).
TASKS_BACKEND = env.str("TASKS_BACKEND", default="immediate" if DEBUG else "database")
TASKS = {
    "default": {
        "BACKEND": {
            "immediate": "django.tasks.backends.immediate.ImmediateBackend",
            "database": "django_tasks_db.DatabaseBackend",
        }[TASKS_BACKEND]
    }
}

# --- Throttles and budget (on the shared cache) -----------------------------------------------------

# "N/period", period one of second, minute, hour, day.
LOGIN_RATE_PER_IP = env.str("LOGIN_RATE_PER_IP", default="30/hour")
LOGIN_RATE_PER_ACCOUNT = env.str("LOGIN_RATE_PER_ACCOUNT", default="10/hour")
REGISTER_RATE_PER_IP = env.str("REGISTER_RATE_PER_IP", default="10/hour")
REGISTER_RATE_PER_ACCOUNT = env.str("REGISTER_RATE_PER_ACCOUNT", default="5/hour")
QUIZ_GENERATE_RATE = env.str("QUIZ_GENERATE_RATE", default="30/hour")
# How many proxies sit in front of the app: the client address is read from X-Forwarded-For then.
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)
# Tokens the whole deployment may spend on the LLM per UTC day; 0 = no limit.
LLM_DAILY_TOKEN_BUDGET = env.int("LLM_DAILY_TOKEN_BUDGET", default=2_000_000)
# Active questions wanted in each (certification, domain, difficulty) cell; the background
# task tops cells up to this after quizzes use them.
BANK_TARGET_PER_CELL = env.int("BANK_TARGET_PER_CELL", default=30)

# --- Question generation (OpenAI or any OpenAI-compatible server) ----------------------------------

OPENAI_API_KEY = env.str("OPENAI_API_KEY", default="")  # empty: the curated bank alone serves
OPENAI_MODEL = env.str("OPENAI_MODEL", default="gpt-4o-mini")
OPENAI_BASE_URL = env.str("OPENAI_BASE_URL", default="")
OPENAI_TIMEOUT = env.float("OPENAI_TIMEOUT", default=20.0)  # seconds per request
OPENAI_MAX_RETRIES = env.int("OPENAI_MAX_RETRIES", default=1)  # the client's own retries (429, 5xx)
# How many times the shortfall left by invalid items is asked for again.
LLM_MAX_ATTEMPTS = env.int("LLM_MAX_ATTEMPTS", default=3)

# The curated question bank shipped in the repository (one JSON file per certification).
QUESTION_BANK_DIR = BASE_DIR / "question_bank"
# The fewest questions every (certification, domain, difficulty) cell of the bank should hold.
BANK_MIN_PER_CELL = env.int("BANK_MIN_PER_CELL", default=2)

# --- Internationalization -------------------------------------------------------------------------

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
# English only, and no catalog of our own: without the translation machinery, each number and
# date a page prints skips a language lookup (a dashboard page printed ~70), about a tenth of
# its CPU. Django's own messages read the same in English either way.
USE_I18N = False
USE_TZ = True

# --- Static files ---------------------------------------------------------------------------------

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
# In development (and tests) WhiteNoise serves straight from the apps' static folders;
# production serves the collected, hashed and compressed copies.
WHITENOISE_USE_FINDERS = DEBUG
WHITENOISE_AUTOREFRESH = DEBUG
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "mindquest.common.storage.StaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}

# --- Logging --------------------------------------------------------------------------------------

LOG_LEVEL = env.str("LOG_LEVEL", default="INFO")
LOG_FORMAT = env.str("LOG_FORMAT", default="plain")  # or "json": one object per line
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "mindquest.common.logging.RequestIdFilter"}},
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s [%(request_id)s] %(name)s %(message)s"},
        "json": {"()": "mindquest.common.logging.JsonFormatter"},
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": LOG_FORMAT, "filters": ["request_id"]},
    },
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    "loggers": {
        # Every request is logged once by RequestIdMiddleware; httpx's own lines would repeat the LLM's.
        "django.server": {"level": "WARNING"},
        "httpx2": {"level": "WARNING"},
        "httpx": {"level": "WARNING"},
    },
}
