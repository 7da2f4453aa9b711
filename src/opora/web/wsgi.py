"""WSGI entry point (``gunicorn opora.web.wsgi`` or any WSGI server).

The address table is imported here, when the server process starts, not by its first visitor:
it reaches the API, the what-if and through them the engine's rules and SciPy — about a second
of one core on a quiet machine, eight under load, which the first request of every new worker
used to wait (issue 18). With ``gunicorn --preload`` it is imported once, before the workers
fork, and shared.
"""

import os

from django.core.wsgi import get_wsgi_application
from django.urls import get_resolver

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "opora.web.core.settings")
application = get_wsgi_application()
get_resolver().url_patterns  # noqa: B018 — imports every view module now
