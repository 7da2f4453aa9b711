"""Synthetic territories with assessment data and their ground truth (``docs/generator.md``)."""
