"""WSGI entry point (``gunicorn opora.web.wsgi`` or any WSGI server).

The address table is imported here, when the server process starts, not by its first visitor,
and so are the engine's rules and SciPy, which the what-if and the effectiveness estimate import
only when first used (so that management commands and tests that never use them start about a
second faster): about a second of one core on a quiet machine, eight under load, which the first
request of every new worker used to wait (issue 18). With ``gunicorn --preload`` all of it is
imported once, before the workers fork, and shared.
"""

import os
from importlib import import_module

from django.core.wsgi import get_wsgi_application
from django.urls import get_resolver

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "opora.web.core.settings")
application = get_wsgi_application()
get_resolver().url_patterns  # noqa: B018 — imports every view module now
for _module in ("opora.engine.whatif", "scipy.stats"):  # imported by their first use elsewhere
    import_module(_module)
