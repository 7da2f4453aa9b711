"""Audit: the history of records users edit, rendered for people (who, when, what: old → new)."""
