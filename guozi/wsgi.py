import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "guozi.settings")
application = get_wsgi_application()

# No start without the key of the secrets at rest (GUOZI_FIELD_KEY; a development key only with DEBUG).
from guozi.core.field_encryption import current_key  # noqa: E402

current_key()

# Last: the app as loaded lives as long as the worker, out of the garbage collector's walk.
from guozi.core.heap import settle  # noqa: E402

settle()
