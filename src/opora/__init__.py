"""Опора — информационно-аналитическая система работы со школами с низкими результатами.

Package layout (see ``docs/architecture.md``):

- ``opora.schemas``  — the normalised tables every component exchanges (Arrow schemas);
- ``opora.catalog``  — procedures, subjects, school kinds and their Russian names;
- ``opora.formats``  — readers of real files into normalised tables plus problems;
- ``opora.demo``     — the synthetic data generator with ground truth;
- ``opora.engine``   — the analytics (no Django);
- ``opora.web``      — the Django project;
- ``opora.cli``      — the ``opora`` command.
"""

__version__ = "0.1.0"
