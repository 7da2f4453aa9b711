"""WSGI entry point (``gunicorn opora.web.wsgi`` or any WSGI server)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "opora.web.core.settings")
application = get_wsgi_application()
