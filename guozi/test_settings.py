"""Settings for the test suite: the real settings, with a fixed key and a fast hasher."""

import os

os.environ.setdefault("SECRET_KEY", "guozi-test-suite-key-" + "x" * 40)
os.environ.setdefault("GUOZI_FIELD_KEY", "0123456789abcdeffedcba9876543210")  # the GB/T 32907 example key

# The one star import in Guozi: Django settings layer by re-exporting every name.
from guozi.settings import *  # noqa: F403

# Argon2 is deliberately slow; tests hash many passwords.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

# The live test server speaks plain HTTP on 127.0.0.1; production keeps Secure cookies.
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = False
SESSION_COOKIE_NAME, CSRF_COOKIE_NAME = "sessionid", "csrftoken"
SECURE_SSL_REDIRECT = False
SECURE_HSTS_SECONDS = 0
