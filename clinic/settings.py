"""Myoplan settings: one file, configured from environment variables (see .env.example)."""

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from dotenv import load_dotenv

BASE_DIR = Path(__file__).resolve().parent.parent

# A .env file beside manage.py, if there is one (`make setup` writes a development one). What is
# already in the environment wins, so a process manager's settings and the tests' are kept.
load_dotenv(BASE_DIR / ".env", override=False)


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    if value.lower() in {"1", "true", "yes", "on"}:
        return True
    if value.lower() in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be 0 or 1, got {value!r}")


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, got {value!r}") from None


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG")
SECRET_KEY = env_str("SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off")
    SECRET_KEY = "insecure-development-key-only-used-with-DEBUG=1"

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "bootstrap",
    "crispy_forms",
    "crispy_bootstrap5",
    "records",  # before simple_history: its history commands refuse clinical records
    "simple_history",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "csp",
    "patients",
    "triggerpoints",
    "plans",
    "accounts",
    "audit",
    "portal",
    "demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # HTML compressed before it leaves (static files come precompressed from WhiteNoise; PDFs
    # and ZIPs are compressed inside already, common.middleware). BREACH:
    # Django pads each compressed response with random bytes, the CSRF token is masked afresh
    # on every response, and the session cookie is SameSite=Lax, so another site cannot make a
    # browser send the many signed-in requests the attack needs.
    "common.middleware.GZipUncompressedMiddleware",
    "csp.middleware.CSPMiddleware",
    "accounts.middleware.PrivateResponseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "accounts.middleware.IdleTimeoutMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "accounts.middleware.TwoFactorMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "audit.middleware.AccessLogMiddleware",
    # Last, as django-axes asks: turns a lockout into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "clinic.urls"
WSGI_APPLICATION = "clinic.wsgi.application"

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
                "accounts.context_processors.idle_clock",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(env_str("CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "patients.User"
# django-axes first: it refuses a locked-out account or address before any password check.
AUTHENTICATION_BACKENDS = ["axes.backends.AxesStandaloneBackend", "patients.auth.ClinicUserBackend"]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    # Offline: Django's 20,000 common passwords and the clinic's or site's name, each with
    # digits or symbols added (Summer2026!, Clinic2026, Myoplan1).
    {"NAME": "accounts.validators.GuessablePasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "en-gb"
TIME_ZONE = env_str("TIME_ZONE", "Europe/London")

# The admin's history pages show past versions but never restore one: a revert would bypass the
# version check and the clinic scoping of the patient pages.
SIMPLE_HISTORY_REVERT_DISABLED = True

# Seconds a plan PDF may take to render before the page says so (never a worker timeout).
PDF_RENDER_SECONDS = int(env_str("PDF_RENDER_SECONDS", "20"))

# Years a record is kept after the patient's last visit before it may be anonymised (UK NHS
# records guidance: 8 years for adults).
RECORD_RETENTION_YEARS = int(env_str("RECORD_RETENTION_YEARS", "8"))
# The patient's plan link (portal app): weeks it lasts (a newer issued version closes it
# sooner), and the limits on guessing: wrong tokens or years of birth from one address in an
# hour, and wrong years of birth for one link over its life, before further tries are refused.
PORTAL_LINK_WEEKS = env_int("PORTAL_LINK_WEEKS", 12)
PORTAL_ADDRESS_FAILURES = env_int("PORTAL_ADDRESS_FAILURES", 20)
PORTAL_LINK_FAILURES = env_int("PORTAL_LINK_FAILURES", 5)

# Email (the plan link): the console under DEBUG, SMTP otherwise (see .env.example).
EMAIL_BACKEND = env_str("EMAIL_BACKEND") or (
    "django.core.mail.backends.console.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend"
)
EMAIL_HOST = env_str("EMAIL_HOST") or "localhost"
EMAIL_PORT = env_int("EMAIL_PORT", 587)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", default=True)
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 10)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL") or "Myoplan <no-reply@localhost>"

# English only. Django's en_GB catalogue translates English into the same English (month
# names with a context), so with translation off every page reads the same, without a lookup
# of the active language for each date, URL and value drawn (3–8% of a page's Python calls,
# bench/profile_pages.py). Dates keep the en_GB formats (LANGUAGE_CODE). A clinic that needs
# another language turns this on with django.middleware.locale.LocaleMiddleware.
USE_I18N = False
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
# Hashed, compressed names in production; plain names under DEBUG and in tests (STATIC_MANIFEST=0),
# where live_server serves files straight from the finders.
STATIC_MANIFEST = env_bool("STATIC_MANIFEST", default=not DEBUG)
# Stored files (issued plans' PDFs) hold patient data: they are served only through the app's
# own views, after its access checks, never from a public URL. On the file system under
# MEDIA_ROOT by default; with several app servers, MEDIA_ROOT on a shared volume, or an
# S3-compatible store (pip install 'django-storages[s3]', then set S3_BUCKET and, for a store
# other than AWS, S3_ENDPOINT_URL; credentials from the usual AWS_ACCESS_KEY_ID and
# AWS_SECRET_ACCESS_KEY environment variables).
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(BASE_DIR / "media")))
S3_BUCKET = env_str("S3_BUCKET")
DEFAULT_STORAGE = (
    {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": S3_BUCKET,
            "endpoint_url": env_str("S3_ENDPOINT_URL") or None,
            "region_name": env_str("S3_REGION") or None,
            "default_acl": "private",
            "querystring_auth": True,
            "file_overwrite": False,
        },
    }
    if S3_BUCKET
    else {"BACKEND": "django.core.files.storage.FileSystemStorage"}
)
STORAGES = {
    "default": DEFAULT_STORAGE,
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if STATIC_MANIFEST
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# Shared by every app server: the cache lives in the database (table django_cache, made by
# migrate), or in Redis when REDIS_URL is set (pip install redis). Nothing another process
# needs is kept in one process's memory; what a process keeps for itself is named by a version
# read from the database on each request (the catalogue and the rankings drawn from it,
# triggerpoints.cache) or by its whole content (charts, common.kept), so it is never stale.
REDIS_URL = env_str("REDIS_URL")
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
    if REDIS_URL
    else {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "django_cache"}
}
# Sessions in the database, read once per request by their key, the same on every server and
# ended everywhere at sign-out. With the cache in the database too, cached_db would read the
# cache table instead: the same one query, and two writes per change. With Redis it saves that
# query, so it is used then. Not signed cookies: a session in a cookie cannot be ended by the
# server (sign-out on one server, the idle timeout, a password change must end it everywhere).
SESSION_ENGINE = (
    "django.contrib.sessions.backends.cached_db"
    if REDIS_URL
    else "django.contrib.sessions.backends.db"
)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", default=not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
# The longest a login lasts, idle or not ("keep me signed in" keeps it across browser restarts
# for this long; otherwise the session ends when the browser closes).
SESSION_COOKIE_AGE = env_int("SESSION_COOKIE_AGE", 8 * 60 * 60)
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
# Signed out after this many seconds without a request; the page warns a little before.
SESSION_IDLE_TIMEOUT = env_int("SESSION_IDLE_TIMEOUT", 30 * 60)
SESSION_IDLE_WARNING = env_int("SESSION_IDLE_WARNING", 2 * 60)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
BEHIND_HTTPS_PROXY = env_bool("BEHIND_HTTPS_PROXY")
if BEHIND_HTTPS_PROXY:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = True
    SECURE_REDIRECT_EXEMPT = [r"^health/$"]  # load balancers check over plain HTTP
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 60 * 60 * 24 * 365)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", default=True)

# Content-Security-Policy (django-csp): our own files only; no inline script or style anywhere.
# Bootstrap's CSS draws a few icons from data: URIs. PDFs are rendered on the server.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}
# Browser features no page of Myoplan uses.
PERMISSIONS_POLICY = (
    "accelerometer=(), camera=(), display-capture=(), geolocation=(), gyroscope=(), "
    "magnetometer=(), microphone=(), midi=(), payment=(), usb=()"
)

# Login protection (django-axes, database-backed so it holds across app servers): after
# AXES_FAILURE_LIMIT failed logins for one username, or from one address, further logins are
# refused for LOGIN_LOCKOUT_MINUTES, or until a clinic admin unlocks the account.
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = env_int("LOGIN_LOCKOUT_MINUTES", 30) / 60  # hours
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
# Not reset by a successful login: that would let someone with one valid account wipe the
# failures their address has run up against others. Failures expire after the cool-off.
AXES_RESET_ON_SUCCESS = False
AXES_LOCKOUT_CALLABLE = "accounts.views.locked_out"
AXES_CLIENT_IP_CALLABLE = "accounts.client.client_ip"
AXES_ENABLE_ACCESS_FAILURE_LOG = True
# Access-log rows (who viewed what) are committed without waiting for the disk on PostgreSQL,
# as audit.middleware.record_read explains; 1 makes them wait like every other write.
ACCESS_LOG_SYNCHRONOUS = env_bool("ACCESS_LOG_SYNCHRONOUS", default=False)
AXES_VERBOSE = False

# Two-factor (django-otp): TOTP apps and single-use recovery codes.
OTP_TOTP_ISSUER = "Myoplan"
RECOVERY_CODE_COUNT = 10

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    # No plan-link token in any log line (portal/logs.py).
    "filters": {"plan_links": {"()": "portal.logs.RedactPlanLinks"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "filters": ["plan_links"]}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    # WeasyPrint logs every rendering step at INFO.
    "loggers": {
        "weasyprint.progress": {"level": "WARNING"},
        # django-axes logs every login at INFO; failures and lockouts come at WARNING.
        "axes": {"level": "WARNING"},
        # Django's own default config gives "django" a console handler too; without this
        # every line would print twice (once there, once at the root).
        "django": {
            "handlers": ["console"],
            "level": env_str("LOG_LEVEL", "INFO"),
            "propagate": False,
        },
    },
}
