"""What the analysis tells the apps above it, without importing them.

``run_finished`` is sent by the worker when an analysis run is done (status ``done``), with the
run as ``run``. Apps higher in the house (the school card renders its cards ahead) connect to it
in their ``AppConfig.ready``; the analysis app never imports them (docs/architecture.md).
"""

from django.dispatch import Signal

run_finished = Signal()
#: Sent after a run is approved as an official list (``run``, ``approved_list``), after the commit:
#: the cards of its territory now show it.
list_approved = Signal()
