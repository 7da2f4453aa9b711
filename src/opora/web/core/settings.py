"""Django settings: SQLite by default, PostgreSQL when ``OPORA_DATABASE_URL`` says so.

Environment (all optional):

- ``OPORA_DATA_DIR``      — where the SQLite file, uploads and run results live (default ``./var``);
- ``OPORA_DATABASE_URL``  — ``postgresql://user@host:5432/db`` switches to PostgreSQL;
- ``OPORA_SECRET_KEY``    — required when ``OPORA_PRODUCTION`` is on (refuses to start without);
- ``OPORA_PRODUCTION``    — ``1`` in production: no development key;
- ``OPORA_DEBUG``         — ``1`` for development pages with tracebacks (never in production);
- ``OPORA_ALLOWED_HOSTS`` — comma-separated host names;
- ``OPORA_HTTPS``         — ``1`` behind HTTPS: secure cookies, HSTS, proxy SSL header;
- ``OPORA_STALLED_AFTER_MINUTES`` — when a background job counts as stalled (default 10);
- ``OPORA_SPARK_MASTER``  — ``spark://host:7077`` (or ``yarn``, ``k8s://…``): analysis runs are
  computed on that Spark cluster, not on the web server (docs/operations.md, «Кластер Spark»);
- ``OPORA_TRUSTED_PROXY_HEADER``, ``OPORA_TRUSTED_PROXIES`` — where the client's address is
  (behind a reverse proxy; opora.web.core.addresses).
"""

from __future__ import annotations

import hashlib
import os
import zoneinfo
from collections.abc import Mapping
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlparse

from django.core.exceptions import ImproperlyConfigured


def envbool(name: str, default: bool = False) -> bool:
    return os.environ.get(name, "1" if default else "0").strip().lower() in {"1", "true", "yes", "on"}


def envint(name: str, default: int) -> int:
    return int(os.environ.get(name, default))


BASE_DIR = Path(__file__).resolve().parent.parent  # src/opora/web: templates, static
DATA_DIR = Path(os.environ.get("OPORA_DATA_DIR", Path.cwd() / "var")).resolve()

DEBUG = envbool("OPORA_DEBUG", False)
PRODUCTION = envbool("OPORA_PRODUCTION")


def _secret_key(environ: Mapping[str, str]) -> str:
    """The key from the environment; the development key only outside production. Refusing here,
    at import, stops the server, the worker and every command before they start: an empty key
    would start and answer 500 to every request (issue 10)."""
    key = environ.get("OPORA_SECRET_KEY", "").strip()
    if key:
        return key
    if PRODUCTION:
        raise ImproperlyConfigured(
            "Опора не запущена: задан OPORA_PRODUCTION=1, но не задан OPORA_SECRET_KEY. Задайте "
            "длинную случайную строку (python3 -c \"import secrets; "
            "print(secrets.token_urlsafe(50))\") в окружении сервера, одну и ту же при каждом "
            "запуске (docs/operations.md, «Переменные окружения»).")
    return "opora-insecure-development-key-change-me"


SECRET_KEY = _secret_key(os.environ)
ALLOWED_HOSTS = [h for h in os.environ.get("OPORA_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver").split(",") if h]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "simple_history",
    "django_tasks",
    "opora.web.core.tasks_app.BackgroundTasksConfig",  # django-tasks-db, named in Russian
    "opora.web.schools",
    "opora.web.assessment",
    "opora.web.imports",
    "opora.web.accounts",
    "opora.web.context",
    "opora.web.lists",
    "opora.web.analysis",
    "opora.web.staff.apps.StaffConfig",
    "opora.web.support.apps.SupportConfig",
    "opora.web.programmes.apps.ProgrammesConfig",
    "opora.web.monitoring.apps.MonitoringConfig",
    "opora.web.decisions.apps.DecisionsConfig",
    "opora.web.card.apps.CardConfig",
    "opora.web.reports.apps.ReportsConfig",
    "ninja",  # its templates and static files: the API documentation page, no CDN
    "opora.web.api.apps.ApiConfig",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "opora.web.accounts.middleware.PasswordChangeRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "opora.web.core.security.ContentSecurityPolicyMiddleware",
]

ROOT_URLCONF = "opora.web.urls"
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
                "opora.web.accounts.context_processors.roles",
                "opora.web.core.context_processors.demo",
                "opora.web.core.context_processors.frame",
            ],
            "builtins": ["opora.web.core.numbers"],  # |num: «−12,3», «—» (web/core/numbers.py)
            "libraries": {"assets": "opora.web.core.assets"},  # {% asset %}: a kept static URL
        },
    },
]
WSGI_APPLICATION = "opora.web.wsgi.application"


def _database() -> dict[str, object]:
    url = os.environ.get("OPORA_DATABASE_URL", "")
    if url.startswith(("postgres://", "postgresql://")):
        parts = urlparse(url)
        return {
            "ENGINE": "django.db.backends.postgresql",
            "NAME": unquote(parts.path.lstrip("/")) or "opora",
            "USER": unquote(parts.username or ""),
            "PASSWORD": unquote(parts.password or ""),
            "HOST": parts.hostname or "",
            "PORT": str(parts.port or ""),
            "CONN_MAX_AGE": envint("OPORA_DB_CONN_MAX_AGE", 60),
            "TEST": {"NAME": os.environ.get("OPORA_TEST_DATABASE", "test_opora")},
        }
    return {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": DATA_DIR / "opora.sqlite3",
        "OPTIONS": {"timeout": 30, "transaction_mode": "IMMEDIATE",
                    "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"},
    }


DATABASES = {"default": _database()}

def cache_prefix(environ: Mapping[str, str]) -> str:
    """«opora-» and a digest of the database this installation uses: two installations that
    share one Redis (staging and production, two regions, a bench beside a server) never read
    each other's cached pages, role assignments or sessions — their keys name the same record
    numbers with different meanings."""
    database = environ.get("OPORA_DATABASE_URL") or str(
        Path(environ.get("OPORA_DATA_DIR") or DATA_DIR) / "opora.sqlite3")
    return "opora-" + hashlib.blake2b(database.encode(), digest_size=4).hexdigest()


def cache_settings(environ: Mapping[str, str]) -> tuple[dict[str, Any], str]:
    """The cache and the session engine for this environment.

    The cache holds rendered overviews and school cards (web/core/fragments.py) and the sign-in
    attempt counters. ``OPORA_REDIS_URL`` (production with several server processes,
    docs/operations.md): one Redis for all processes, so a part rendered by one process serves
    all, the sign-in limit is common, and sessions are read from Redis before the database
    (``cached_db``: logging out removes the session from both, for every process).
    ``OPORA_CACHE_DIR``: a directory the processes share (no Redis at hand). Neither: each
    process keeps its own cache in memory (up to 5,000 entries — every card of a region,
    compressed, is some tens of MB); enough for one process (``opora demo``).
    """
    if environ.get("OPORA_REDIS_URL"):
        # short timeouts: an unreachable Redis is skipped, not waited for (core/redis_cache.py)
        return ({"BACKEND": "opora.web.core.redis_cache.RedisCache",
                 "LOCATION": environ["OPORA_REDIS_URL"], "KEY_PREFIX": cache_prefix(environ),
                 "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 2}},
                "django.contrib.sessions.backends.cached_db")
    if environ.get("OPORA_CACHE_DIR"):
        # Django's file cache keeps 300 entries by default and then drops a third at random:
        # a region's cards alone are some thousands of parts
        return ({"BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
                 "LOCATION": environ["OPORA_CACHE_DIR"], "KEY_PREFIX": cache_prefix(environ),
                 "OPTIONS": {"MAX_ENTRIES": 20000}},
                "django.contrib.sessions.backends.db")
    return ({"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "opora",
             "OPTIONS": {"MAX_ENTRIES": 5000}}, "django.contrib.sessions.backends.db")


_CACHE, SESSION_ENGINE = cache_settings(os.environ)
CACHES = {"default": _CACHE}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
# A queued or running import or analysis run untouched this long counts as stalled (its worker
# died or none is running): pages warn, and ``opora manage reset_stalled`` / a starting worker
# marks dead ones as interrupted (opora.web.core.background).
OPORA_STALLED_AFTER_MINUTES = envint("OPORA_STALLED_AFTER_MINUTES", 10)
# Analysis runs on a Spark cluster (issue 18): a region's or a country's run is computed by the
# cluster's executors, the web server's worker only exports, drives and loads. Empty: DuckDB in the
# worker's process. Its Spark settings: OPORA_SPARK_CONF, OPORA_SPARK_CONNECT_TIMEOUT.
OPORA_SPARK_MASTER = os.environ.get("OPORA_SPARK_MASTER", "").strip()

# Applied wherever a person chooses a password (/account/password/): not like the username or
# name, at least 8 characters, not among the 20,000 common passwords, not only digits (issue 10).
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Every way in (the sign-in page, the administration's, the API) passes the one limit of failed
# attempts (opora.web.accounts.throttle), counted in the database.
AUTHENTICATION_BACKENDS = ["opora.web.accounts.backends.ThrottledModelBackend"]
# Behind a reverse proxy the client's address is in a header the proxy sets; REMOTE_ADDR is the
# proxy's. Name the header («X-Forwarded-For» or «X-Real-IP») and how many proxies stand in front
# (docs/operations.md); unset, REMOTE_ADDR is the client (no proxy, or the demo).
OPORA_TRUSTED_PROXY_HEADER = os.environ.get("OPORA_TRUSTED_PROXY_HEADER", "").strip()
OPORA_TRUSTED_PROXIES = envint("OPORA_TRUSTED_PROXIES", 1)
LOGIN_URL = "/login/"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "/login/"

LANGUAGE_CODE = "ru"
#: The users' clock and calendar: event times, «today» of a diagnostic or a deadline. Russia
#: spans eleven zones; a regional installation names its own (``Asia/Novosibirsk``).
TIME_ZONE = os.environ.get("OPORA_TIME_ZONE", "Europe/Moscow").strip() or "Europe/Moscow"
try:
    zoneinfo.ZoneInfo(TIME_ZONE)
except (zoneinfo.ZoneInfoNotFoundError, ValueError) as _bad_zone:
    raise ImproperlyConfigured(
        f"OPORA_TIME_ZONE: часовой пояс «{TIME_ZONE}» не известен; укажите его по базе IANA, "
        "например Europe/Moscow или Asia/Novosibirsk") from _bad_zone
USE_I18N = True
LOCALE_PATHS = [BASE_DIR / "locale"]  # Russian names of third-party apps' admin pages
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]
# Notifications of the annual cycle are also sent by e-mail (opora.web.decisions.notify):
# printed to the console unless a backend is named (production: SMTP with EMAIL_HOST …).
EMAIL_BACKEND = os.environ.get("OPORA_EMAIL_BACKEND",
                               "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = os.environ.get("OPORA_EMAIL_HOST", "localhost")
EMAIL_PORT = envint("OPORA_EMAIL_PORT", 25)
DEFAULT_FROM_EMAIL = os.environ.get("OPORA_EMAIL_FROM", "opora@localhost")
MEDIA_ROOT = DATA_DIR / "media"
MEDIA_URL = "/media/"

DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
OPORA_MAX_UPLOAD_BYTES = envint("OPORA_MAX_UPLOAD_BYTES", 50 * 1024 * 1024)
# files in one upload of the import page (a municipality's ВПР forms: ~500); Django refuses a
# request with more files than DATA_UPLOAD_MAX_NUMBER_FILES before the form sees it
OPORA_MAX_UPLOAD_FILES = envint("OPORA_MAX_UPLOAD_FILES", 1000)
DATA_UPLOAD_MAX_NUMBER_FILES = OPORA_MAX_UPLOAD_FILES
# set by ``opora demo``: every page says once that its schools and results are demo data
OPORA_DEMO = envbool("OPORA_DEMO", False)

SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False  # htmx reads the token from the page, not the cookie
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
if envbool("OPORA_HTTPS"):
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = True
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = 31536000

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    # a refusal (403) is one line, not a traceback: it is the permission check working
    "filters": {"one_line_refusals": {"()": "opora.web.core.security.OneLineRefusals"}},
    "handlers": {"console": {"class": "logging.StreamHandler",
                             "filters": ["one_line_refusals"]}},
    "root": {"handlers": ["console"], "level": os.environ.get("OPORA_LOG_LEVEL", "WARNING")},
    # not through Django's own «django» handlers (with DEBUG they print every traceback)
    "loggers": {"django.request": {"handlers": ["console"], "level": "WARNING",
                                   "propagate": False}},
}
