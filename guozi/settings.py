"""Django settings for Guozi, read from the environment.

With nothing set, Guozi runs in development mode on SQLite in the project folder.
Every setting a deployment may change is an environment variable; a wrong value
stops start-up with one line that names the variable (see ``guozi.config``).
"""

from pathlib import Path

from guozi.config import SettingError, env_bool, env_database, env_list, env_proxy_ssl_header, env_secret_key, env_str

BASE_DIR = Path(__file__).resolve().parent
#: The project folder: where the default SQLite database lives.
PROJECT_DIR = Path(env_str("GUOZI_HOME", str(BASE_DIR.parent)))

DEBUG = env_bool("DEBUG", default=False)
SECRET_KEY = env_secret_key("SECRET_KEY", debug=DEBUG)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", default=[])

DATABASES = {"default": env_database("DATABASE_URL", default_sqlite=PROJECT_DIR / "guozi.sqlite3")}
if env_str("DATABASE_REPLICA_URL", "").strip():
    # A read replica of the primary (docs/scaling.md): dashboards and exports read from it
    # through guozi.core.routers. Tests never get a database of their own for it (MIRROR).
    DATABASES["replica"] = env_database("DATABASE_REPLICA_URL", default_sqlite=PROJECT_DIR / "guozi.sqlite3")
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
DATABASE_ROUTERS = ["guozi.core.routers.ReplicaRouter"]
#: Guozi's own records on disk, beside the default database: the restore-drill log (drills.jsonl).
STATE_DIR = Path(env_str("GUOZI_STATE_DIR", str(PROJECT_DIR / "state")))

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_filters",
    "django_tables2",
    "django_htmx",
    "tree_queries",
    "ninja",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "guozi.core",
    "guozi.enterprises",
    "guozi.supervision",
    "guozi.funds",
    "guozi.assets",
    "guozi.reports",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # CSP, Permissions-Policy and Cache-Control: no-store; outside WhiteNoise so
    # even static files carry the policy (they keep their own caching).
    "guozi.core.middleware.SecurityHeadersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "guozi.core.middleware.ChineseFirstMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    # Refusals, exports, downloads and audit reading, from every response (core.audit).
    "guozi.core.audit.AuditMiddleware",
    "guozi.core.security.IdleTimeoutMiddleware",
    "guozi.core.security.AbsoluteSessionLifetimeMiddleware",
    # The second factor comes before anything else, the password change included.
    "guozi.core.security.SecondFactorRequiredMiddleware",
    "guozi.core.security.PasswordChangeRequiredMiddleware",
    # Default deny: every route needs a login unless its view is marked
    # login_not_required (GB/T 22239-2019 8.1.4.2 a).
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
]

ROOT_URLCONF = "guozi.urls"
WSGI_APPLICATION = "guozi.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "guozi.core.menu.menu",
            ],
        },
    },
]

AUTH_USER_MODEL = "core.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 8}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "guozi.core.security.CharacterClassValidator"},
    {"NAME": "guozi.core.security.PasswordHistoryValidator"},
]
AUTHENTICATION_BACKENDS = ["guozi.core.security.LockoutBackend"]

#: 等保 2.0 level the installation is built to (GB/T 22239-2019): 3, or 2 to relax the
#: level-3 controls below to their level-2 / OWASP ASVS defaults. Each control's own
#: variable, when set, overrides the level's default (docs/security.md).
_level = env_str("SECURITY_LEVEL", "3").strip()
if _level not in {"2", "3"}:
    raise SettingError("SECURITY_LEVEL", f"expected 2 or 3, got {_level!r}")
SECURITY_LEVEL = int(_level)
#: Roles whose accounts need a second factor (TOTP) after the password (8.1.4.1 d, level 3 only):
#: the three administrators by default; the everyday accounts sign in with a password.
OTP_REQUIRED_ROLES = env_list(
    "OTP_REQUIRED_ROLES", default=["sysadmin", "secadmin", "auditor"] if SECURITY_LEVEL >= 3 else []
)
#: A password older than this many days must be changed (8.1.4.1 a 定期更换); 0 never expires
#: (OWASP ASVS 4.0.3 2.1.10 advises against periodic change; the level-2 default).
PASSWORD_MAX_AGE_DAYS = int(env_str("PASSWORD_MAX_AGE_DAYS", "90" if SECURITY_LEVEL >= 3 else "0"))
#: A new password may be neither the current one nor any of the this many before it.
PASSWORD_HISTORY = int(env_str("PASSWORD_HISTORY", "5"))
#: Shown with the account name in the person's authenticator app.
OTP_TOTP_ISSUER = "国资监管平台"
# One throttle only: wrong codes count toward the sign-in lockout in the login log
# (LOCKOUT_FAILURES), not django-otp's per-device delays, which would refuse a right
# code without saying why.
OTP_TOTP_THROTTLE_FACTOR = 0
OTP_STATIC_THROTTLE_FACTOR = 0
#: Lock an account after this many consecutive failed sign-ins, for this long (SECURITY.md defaults).
LOCKOUT_FAILURES = int(env_str("LOCKOUT_FAILURES", "5"))
LOCKOUT_MINUTES = int(env_str("LOCKOUT_MINUTES", "30"))
#: Audit records stay at least this long (网络安全法 第21条: six months); `guozi audit purge` refuses younger ones.
AUDIT_RETENTION_DAYS = int(env_str("AUDIT_RETENTION_DAYS", "180"))
if AUDIT_RETENTION_DAYS < 180:
    raise SettingError("AUDIT_RETENTION_DAYS", f"must be at least 180 (网络安全法 第21条), got {AUDIT_RETENTION_DAYS}")
#: A session ends this long after sign-in, active or not (the idle timeout is SESSION_COOKIE_AGE).
SESSION_ABSOLUTE_HOURS = int(env_str("SESSION_ABSOLUTE_HOURS", "12"))

# Idle timeout of 30 minutes (GB/T 22239-2019 8.1.4.1 b): the session's expiry slides with
# the requests, renewed at most once a minute rather than written on every request
# (core.security.IdleTimeoutMiddleware): a session ends 29 to 30 minutes after its last request.
SESSION_COOKIE_AGE = 30 * 60
#: Django's database sessions, the row read by a query compiled once (core.sessions).
SESSION_ENGINE = "guozi.core.sessions"
SESSION_IDLE_REFRESH_SECONDS = 60
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", default=not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = "Asia/Shanghai"
USE_TZ = True

STATIC_URL = "/static/"
# Only needed by a deployment that serves collected files from elsewhere.
STATIC_ROOT = env_str("STATIC_ROOT", "") or None
# Static files are served from the installed package: no CDN, no collectstatic
# needed on an intranet host (whitenoise reads the app folders directly).
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# API lists page at 50 by default; a client may ask for up to 1000 rows a page.
NINJA_PAGINATION_MAX_PER_PAGE_SIZE = 1000

DJANGO_TABLES2_TEMPLATE = "django_tables2/bootstrap5.html"
DJANGO_TABLES2_TABLE_ATTRS = {"class": "table table-sm table-hover align-middle"}

X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

#: Content-Security-Policy, sent by ``core.middleware.SecurityHeadersMiddleware``.
#: Script only from Guozi's own static files: no inline script, no eval (htmx's
#: eval features are off in base.html's htmx-config). Style attributes are allowed
#: (style-src-attr): ECharts' tooltips and a few progress bars set them, and an
#: attribute cannot load or run anything; <style> elements stay forbidden. data:
#: images are Bootstrap's inline SVG icons (select arrows, close buttons).
CONTENT_SECURITY_POLICY = {
    "default-src": ["'self'"],
    "script-src": ["'self'"],
    "style-src": ["'self'"],
    "style-src-attr": ["'unsafe-inline'"],
    "img-src": ["'self'", "data:"],
    "font-src": ["'self'"],
    "connect-src": ["'self'"],
    "object-src": ["'none'"],
    "base-uri": ["'self'"],
    "form-action": ["'self'"],
    "frame-ancestors": ["'none'"],
}

# HTTPS (GB/T 22239-2019 8.1.4.1 c, 8.1.4.8 a): on unless DEBUG. TLS (or TLCP) ends at
# the intranet gateway; it must tell Guozi the original scheme in a header it
# overwrites on every request, named in SECURE_PROXY_SSL_HEADER (e.g.
# "X-Forwarded-Proto"), or every request looks like plain HTTP and redirects forever.
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=not DEBUG)
SECURE_PROXY_SSL_HEADER = env_proxy_ssl_header("SECURE_PROXY_SSL_HEADER")
SECURE_HSTS_SECONDS = int(env_str("SECURE_HSTS_SECONDS", "0" if DEBUG else str(365 * 24 * 3600)))
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", default=False)
SILENCED_SYSTEM_CHECKS = [
    # security.W021 asks for HSTS preload. Browsers' preload list holds public
    # domains only; an intranet host name cannot be on it, and announcing
    # "preload" would be meaningless (SECURITY.md SEC-WEB-01: documented silence).
    "security.W021",
]
# __Host- cookies are bound to this host and path "/" and must be Secure: no
# sibling host on the intranet can set or overwrite them (OWASP ASVS 5.0 §3.3.1).
SESSION_COOKIE_NAME = "__Host-sessionid" if SESSION_COOKIE_SECURE else "sessionid"
CSRF_COOKIE_NAME = "__Host-csrftoken" if CSRF_COOKIE_SECURE else "csrftoken"

# Reminders go out by email only where SMTP is configured (EMAIL_HOST); in-app always.
EMAIL_HOST = env_str("EMAIL_HOST", "")
EMAIL_PORT = int(env_str("EMAIL_PORT", "25") or 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", default=False)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "guozi@localhost")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "WARNING")},
}

#: The institution running this installation, shown on the sign-in page.
SITE_OWNER = env_str("GUOZI_SITE_OWNER", "咸宁市人民政府国有资产监督管理委员会")

#: The password every demo account gets; ``guozi serve`` refuses to start while
#: any active account still has it.
DEMO_PASSWORD = "Guozi@2025"  # noqa: S105  # nosec B105 # public by design: printed by `guozi demo`

#: SM4-GCM keys for secrets kept in the database (8.1.4.8 b: the TOTP device keys), 32 hex each;
#: never in the database. Old keys still open values until ``guozi otp_rekey`` seals them anew.
#: Read when used, so commands that touch no such secret run without it; ``guozi serve`` and
#: ``guozi.wsgi`` refuse to start without a key when DEBUG is off (core.field_encryption).
FIELD_KEY = env_str("GUOZI_FIELD_KEY", "")
FIELD_KEYS_OLD = env_list("GUOZI_FIELD_KEYS_OLD", default=[])
