"""Every configuration key the platform reads, in one place.

Configuration comes from environment variables; `create_app(config=...)` may override any
key (tests do). The same code runs embedded (SQLite, tantivy, in-process limits) or
distributed (PostgreSQL, Elasticsearch, Redis): configuration alone picks the engines.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SECRET_KEY = "dev-only-not-secret"  # noqa: S105 - refused in production below
LANGUAGES = ("fr", "nl", "en")


class ConfigurationError(RuntimeError):
    """The configuration would make the platform unsafe or unable to start."""


def _bool(value: str | None, default: bool = False) -> bool:
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _int(value: str | None, default: int) -> int:
    return int(value) if value not in (None, "") else default


def database_url(url: str) -> str:
    """Normalise a database URL so that PostgreSQL URLs use the psycopg 3 driver."""
    if url.startswith("postgres://"):
        url = "postgresql://" + url[len("postgres://") :]
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url[len("postgresql://") :]
    return url


def load_config(
    env: dict[str, str] | None = None, instance_path: Path | None = None
) -> dict[str, Any]:
    """Read the platform's configuration from the environment."""
    env = dict(os.environ if env is None else env)
    instance = Path(instance_path or env.get("INSTANCE_PATH") or PROJECT_ROOT / "instance")
    platform_env = env.get("PLATFORM_ENV", "development")
    redis_url = env.get("REDIS_URL", "")
    elasticsearch_url = env.get("ELASTICSEARCH_URL", "")
    return {
        #: "development", "production" or "testing"
        "PLATFORM_ENV": platform_env,
        #: demo mode: documented demo passwords work and TOTP is optional for admins
        "DEMO_MODE": _bool(env.get("DEMO_MODE"), default=False),
        "SECRET_KEY": env.get("SECRET_KEY", DEFAULT_SECRET_KEY),
        "SQLALCHEMY_DATABASE_URI": database_url(
            env.get("DATABASE_URL") or f"sqlite:///{instance / 'platform.db'}"
        ),
        "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True},
        "INSTANCE_PATH": str(instance),
        # Search: tantivy folder by default, Elasticsearch when a URL is given.
        "SEARCH_BACKEND": env.get(
            "SEARCH_BACKEND", "elasticsearch" if elasticsearch_url else "tantivy"
        ),
        "ELASTICSEARCH_URL": elasticsearch_url,
        "SEARCH_INDEX_PATH": env.get("SEARCH_INDEX_PATH", str(instance / "search-index")),
        "SEARCH_INDEX_PREFIX": env.get("SEARCH_INDEX_PREFIX", "programmes"),
        #: run the background worker (outbox indexer, deliveries, purges) in the web process
        "WORKER_THREAD": _bool(env.get("WORKER_THREAD"), default=platform_env == "development"),
        "REDIS_URL": redis_url,
        "RATELIMIT_STORAGE_URI": redis_url or "memory://",
        "RATELIMIT_ENABLED": _bool(env.get("RATELIMIT_ENABLED"), default=True),
        "RATELIMIT_HEADERS_ENABLED": True,
        "LOGIN_RATE_LIMIT": env.get("LOGIN_RATE_LIMIT", "5 per minute;20 per hour"),
        #: per OAuth client, over the whole machine API (generous: batch syncs)
        "FEDERATION_RATE_LIMIT": env.get("FEDERATION_RATE_LIMIT", "600 per minute"),
        #: webhooks may target http:// and private/loopback addresses (development, tests)
        "WEBHOOK_ALLOW_PRIVATE": _bool(
            env.get("WEBHOOK_ALLOW_PRIVATE"), default=platform_env == "development"
        ),
        "WEBHOOK_TIMEOUT_SECONDS": _int(env.get("WEBHOOK_TIMEOUT_SECONDS"), 10),
        # Mail: "console" and "file" for development, "smtp" in production.
        "MAIL_BACKEND": env.get("MAIL_BACKEND", "file" if platform_env != "production" else "smtp"),
        "MAIL_FILE_DIR": env.get("MAIL_FILE_DIR", str(instance / "mail")),
        "MAIL_FROM": env.get("MAIL_FROM", "Mentoring coalition <no-reply@mentoring.example>"),
        "SMTP_HOST": env.get("SMTP_HOST", "localhost"),
        "SMTP_PORT": _int(env.get("SMTP_PORT"), 587),
        "SMTP_USERNAME": env.get("SMTP_USERNAME", ""),
        "SMTP_PASSWORD": env.get("SMTP_PASSWORD", ""),
        "SMTP_STARTTLS": _bool(env.get("SMTP_STARTTLS"), default=True),
        # Sessions and cookies.
        "SESSION_COOKIE_NAME": "bmp_session",
        "SESSION_COOKIE_SECURE": _bool(env.get("SESSION_COOKIE_SECURE"), default=True),
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "PERMANENT_SESSION_LIFETIME": _int(env.get("SESSION_LIFETIME_SECONDS"), 8 * 3600),
        "WTF_CSRF_TIME_LIMIT": None,
        # Argon2id cost (OWASP's minimum is 19 MiB and 2 passes); tests lower them.
        "ARGON2_TIME_COST": _int(env.get("ARGON2_TIME_COST"), 3),
        "ARGON2_MEMORY_COST": _int(env.get("ARGON2_MEMORY_COST"), 64 * 1024),
        #: org and coalition admins must use TOTP (outside demo mode); only tests turn it off
        "ADMIN_TOTP_REQUIRED": _bool(env.get("ADMIN_TOTP_REQUIRED"), default=True),
        "PASSWORD_RESET_TTL_SECONDS": _int(env.get("PASSWORD_RESET_TTL_SECONDS"), 3600),
        "INVITATION_TTL_SECONDS": _int(env.get("INVITATION_TTL_SECONDS"), 7 * 24 * 3600),
        # Languages.
        "LANGUAGES": LANGUAGES,
        "BABEL_DEFAULT_LOCALE": "fr",
        "BABEL_DEFAULT_TIMEZONE": "Europe/Brussels",
        "BABEL_TRANSLATION_DIRECTORIES": ";".join(
            str(PROJECT_ROOT / part / "translations")
            for part in ("coalition", "search", "federation", "policy_briefs")
        ),
        #: the public address of the platform, used in feeds, tokens and mails
        "PUBLIC_URL": env.get("PUBLIC_URL", "http://127.0.0.1:5000").rstrip("/"),
        "MAX_CONTENT_LENGTH": 5 * 1024 * 1024,
        # Federation (OAuth 2 authorization server).
        #: the `aud` of access tokens: this platform's machine API
        #: (default: PUBLIC_URL/federation/v1)
        "OAUTH_API_AUDIENCE": env.get("OAUTH_API_AUDIENCE", ""),
        #: lifetime of access tokens in seconds (at most 300)
        "OAUTH_ACCESS_TOKEN_LIFETIME": min(_int(env.get("OAUTH_ACCESS_TOKEN_LIFETIME"), 300), 300),
        "OAUTH_TOKEN_RATE_LIMIT": env.get("OAUTH_TOKEN_RATE_LIMIT", "1200 per minute"),
        #: algorithm of newly created signing keys: ES256 (default, fast) or RS256
        "OAUTH_SIGNING_ALG": env.get("OAUTH_SIGNING_ALG", "ES256"),
    }


def check_config(config: dict[str, Any]) -> None:
    """Refuse a configuration that is unsafe for production.

    :raise ConfigurationError: production mode with the development secret key.
    """
    if config.get("PLATFORM_ENV") == "production":
        secret = config.get("SECRET_KEY") or ""
        if secret == DEFAULT_SECRET_KEY or len(secret) < 32:
            raise ConfigurationError(
                "SECRET_KEY must be set to a random value of at least 32 characters "
                "in production (PLATFORM_ENV=production)."
            )
        if config.get("DEMO_MODE"):
            raise ConfigurationError("DEMO_MODE cannot be enabled in production.")
        if not config.get("ADMIN_TOTP_REQUIRED", True):
            raise ConfigurationError("ADMIN_TOTP_REQUIRED cannot be turned off in production.")
        if config.get("WEBHOOK_ALLOW_PRIVATE"):
            raise ConfigurationError("WEBHOOK_ALLOW_PRIVATE cannot be enabled in production.")
