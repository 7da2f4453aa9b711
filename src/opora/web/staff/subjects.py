"""The subjects a teacher may teach (kept here for the apps that import them from the staff
app; the definitions live in :mod:`opora.teaching`, which the template reader shares)."""

from opora.teaching import TEACHING_SUBJECT_NAMES, subject_from_text, subject_name

__all__ = ["TEACHING_SUBJECT_NAMES", "subject_from_text", "subject_name"]
