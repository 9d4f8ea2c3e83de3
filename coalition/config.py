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
DEFAULT_PSEUDONYM_SECRET = "dev-only-pseudonym-secret"  # noqa: S105 - refused in production
LANGUAGES = ("fr", "nl", "en")
LOG_FORMATS = ("text", "json")
LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")


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
    public_url = env.get("PUBLIC_URL", "http://127.0.0.1:5000").rstrip("/")
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
        # hide_parameters: a failed statement's error (and its log line) never shows the
        # values it carried (e-mail addresses, hashes, bodies). No `pool_pre_ping`: a
        # connection is pinged only after a pause (`coalition.database`).
        "SQLALCHEMY_ENGINE_OPTIONS": {"hide_parameters": True},
        "INSTANCE_PATH": str(instance),
        # Search: tantivy folder by default, Elasticsearch when a URL is given.
        "SEARCH_BACKEND": env.get(
            "SEARCH_BACKEND", "elasticsearch" if elasticsearch_url else "tantivy"
        ),
        "ELASTICSEARCH_URL": elasticsearch_url,
        "SEARCH_INDEX_PATH": env.get("SEARCH_INDEX_PATH", str(instance / "search-index")),
        "SEARCH_INDEX_PREFIX": env.get("SEARCH_INDEX_PREFIX", "programmes"),
        #: how long a web process keeps its counts of searches near a place before it writes
        #: them, in one short transaction (0: at once, a write per search)
        "SEARCH_DEMAND_FLUSH_SECONDS": float(env.get("SEARCH_DEMAND_FLUSH_SECONDS") or 10),
        #: run the background worker (outbox indexer, deliveries, purges) in the web process
        "WORKER_THREAD": _bool(env.get("WORKER_THREAD"), default=platform_env == "development"),
        "REDIS_URL": redis_url,
        "RATELIMIT_STORAGE_URI": redis_url or "memory://",
        "RATELIMIT_ENABLED": _bool(env.get("RATELIMIT_ENABLED"), default=True),
        "RATELIMIT_HEADERS_ENABLED": True,
        # Redis down (a restart, a failover) must not answer 500: the limits are kept in
        # each process's memory until Redis answers again, and an error of the limiter's
        # storage lets the request through rather than failing it (`make soak` restarts Redis).
        "RATELIMIT_IN_MEMORY_FALLBACK_ENABLED": True,
        "RATELIMIT_SWALLOW_ERRORS": True,
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
        #: the session cookie only over https: always in production, and wherever the
        #: platform's address is https; off for plain-http development (`make run`), where a
        #: Secure cookie would never come back and no one could sign in
        "SESSION_COOKIE_SECURE": _bool(
            env.get("SESSION_COOKIE_SECURE"),
            default=platform_env == "production" or public_url.startswith("https://"),
        ),
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
        # Mentor interests (coalition/mentors/).
        #: a volunteer's interest is deleted this many months after its last change
        "MENTOR_INTEREST_RETENTION_MONTHS": _int(env.get("MENTOR_INTEREST_RETENTION_MONTHS"), 12),
        #: interests sent per address (every attempt counts)
        "MENTOR_INTEREST_RATE_LIMIT": env.get(
            "MENTOR_INTEREST_RATE_LIMIT", "10 per hour;50 per day"
        ),
        #: interests stored per e-mail address (each one mails an acknowledgement there)
        "MENTOR_INTEREST_EMAIL_RATE_LIMIT": env.get(
            "MENTOR_INTEREST_EMAIL_RATE_LIMIT", "3 per day"
        ),
        #: an interest form sent sooner than this after it was shown is refused (seconds)
        "MENTOR_INTEREST_MIN_SECONDS": _int(env.get("MENTOR_INTEREST_MIN_SECONDS"), 3),
        #: an interest form shown longer ago than this is shown again to send (seconds)
        "MENTOR_INTEREST_FORM_MAX_AGE": _int(env.get("MENTOR_INTEREST_FORM_MAX_AGE"), 86400),
        #: the editors are reminded of an interest still new after this many days
        "MENTOR_REMINDER_AFTER_DAYS": _int(env.get("MENTOR_REMINDER_AFTER_DAYS"), 7),
        # Referrals (federation/referrals/).
        #: the secret the referral pseudonyms are keyed with (HKDF per organisation); held
        #: outside the database, required in production
        "PSEUDONYM_SECRET": env.get("PSEUDONYM_SECRET") or DEFAULT_PSEUDONYM_SECRET,
        #: the id kept beside each pseudonym made with PSEUDONYM_SECRET (change it on rotation)
        "PSEUDONYM_KEY_ID": env.get("PSEUDONYM_KEY_ID", "k1"),
        #: older secrets still recognised after a rotation: "k0=secret,k-1=secret"
        "PSEUDONYM_PREVIOUS_SECRETS": env.get("PSEUDONYM_PREVIOUS_SECRETS", ""),
        #: a referral request unanswered this many days is cancelled (reason `expired`)
        "REFERRAL_EXPIRY_DAYS": _int(env.get("REFERRAL_EXPIRY_DAYS"), 14),
        #: an ended referral's content is purged this many days after its end
        "REFERRAL_RETENTION_DAYS": _int(env.get("REFERRAL_RETENTION_DAYS"), 90),
        #: the same sender's referral of the same person to the same programme is refused
        #: within this many days
        "REFERRAL_DUPLICATE_DAYS": _int(env.get("REFERRAL_DUPLICATE_DAYS"), 30),
        # Languages.
        "LANGUAGES": LANGUAGES,
        "BABEL_DEFAULT_LOCALE": "fr",
        "BABEL_DEFAULT_TIMEZONE": "Europe/Brussels",
        "BABEL_TRANSLATION_DIRECTORIES": ";".join(
            str(PROJECT_ROOT / part / "translations")
            for part in ("coalition", "search", "federation", "policy_briefs")
        ),
        # Who runs the platform: the legal notice, the privacy notice's controller, the
        # contact for privacy requests and accessibility feedback (examples by default).
        "OPERATOR_NAME": env.get("OPERATOR_NAME", "Mentoring coalition (example operator)"),
        "OPERATOR_ADDRESS": env.get(
            "OPERATOR_ADDRESS", "Rue de l'Exemple 1, 1000 Brussels, Belgium"
        ),
        #: the operator's enterprise number (KBO/BCE), shown in the legal notice when set
        "OPERATOR_ENTERPRISE_NUMBER": env.get("OPERATOR_ENTERPRISE_NUMBER", ""),
        "CONTACT_EMAIL": env.get("CONTACT_EMAIL", "contact@mentoring.example"),
        #: the public address of the platform, used in feeds, tokens and mails
        "PUBLIC_URL": public_url,
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
        # Observability (coalition/observability/).
        #: "text" (one readable line per record) or "json" (one JSON object per line)
        "LOG_FORMAT": env.get("LOG_FORMAT", "text").strip().lower(),
        "LOG_LEVEL": env.get("LOG_LEVEL", "INFO").strip().upper(),
        #: INFO lines (a request's line) are written in batches at most this many seconds
        #: apart, warnings and errors at once (0: every line at once, as in development)
        "LOG_BATCH_SECONDS": float(
            env.get("LOG_BATCH_SECONDS") or (0.5 if platform_env == "production" else 0)
        ),
        #: the bearer token /metrics asks for; without one it answers loopback callers only
        "METRICS_TOKEN": env.get("METRICS_TOKEN", ""),
        #: prometheus-client's multi-process folder (gunicorn.conf.py sets it for its workers)
        "PROMETHEUS_MULTIPROC_DIR": env.get("PROMETHEUS_MULTIPROC_DIR", ""),
        #: `flask worker` serves its own /metrics and /healthz on this port (0: it does not)
        "WORKER_METRICS_PORT": _int(env.get("WORKER_METRICS_PORT"), 0),
        "WORKER_METRICS_HOST": env.get("WORKER_METRICS_HOST", "127.0.0.1"),
        #: seconds a readiness check (search engine, Redis) may take before it counts as down
        "READINESS_TIMEOUT_SECONDS": float(env.get("READINESS_TIMEOUT_SECONDS") or 2),
        #: reverse proxies in front of the platform whose X-Forwarded-For/-Proto/-Host it
        #: trusts (0: none; the headers are ignored)
        "TRUSTED_PROXIES": _int(env.get("TRUSTED_PROXIES"), 0),
    }


def server_settings(env: dict[str, str] | None = None) -> dict[str, Any]:
    """The gunicorn settings that gunicorn.conf.py applies (it explains each one), and the
    platform's settings its hooks look at."""
    env = dict(os.environ if env is None else env)
    platform = load_config(env)
    return {
        "bind": env.get("GUNICORN_BIND", "127.0.0.1:8000"),
        "workers": _int(env.get("WEB_CONCURRENCY"), 2),
        "threads": _int(env.get("GUNICORN_THREADS"), 4),
        "timeout": _int(env.get("GUNICORN_TIMEOUT"), 30),
        "graceful_timeout": _int(env.get("GUNICORN_GRACEFUL_TIMEOUT"), 30),
        "keepalive": _int(env.get("GUNICORN_KEEPALIVE"), 5),
        "forwarded_allow_ips": env.get("FORWARDED_ALLOW_IPS", "127.0.0.1,::1"),
        "loglevel": env.get("GUNICORN_LOG_LEVEL", "info"),
        "malloc_arena_max": _int(env.get("MALLOC_ARENA_MAX"), 2),
        **{
            key: platform[key]
            for key in ("PROMETHEUS_MULTIPROC_DIR", "LOG_FORMAT", "PUBLIC_URL", "TRUSTED_PROXIES")
        },
    }


def check_config(config: dict[str, Any]) -> None:
    """Refuse a configuration that is unsafe for production.

    :raise ConfigurationError: production mode with the development secret key; an
        unknown log format or level.
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
        if not config.get("SESSION_COOKIE_SECURE", True):
            raise ConfigurationError("SESSION_COOKIE_SECURE cannot be turned off in production.")
        pseudonym_secret = config.get("PSEUDONYM_SECRET") or ""
        if pseudonym_secret == DEFAULT_PSEUDONYM_SECRET or len(pseudonym_secret) < 32:
            raise ConfigurationError(
                "PSEUDONYM_SECRET must be set to a random value of at least 32 characters "
                "in production (it keys the referral pseudonyms; keep it out of the database)."
            )
    if config.get("LOG_FORMAT", "text") not in LOG_FORMATS:
        raise ConfigurationError(f"LOG_FORMAT must be one of {', '.join(LOG_FORMATS)}.")
    if config.get("LOG_LEVEL", "INFO") not in LOG_LEVELS:
        raise ConfigurationError(f"LOG_LEVEL must be one of {', '.join(LOG_LEVELS)}.")
