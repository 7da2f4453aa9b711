"""The programmes' records in the administration (read and corrected there by a superuser)."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from opora.web.programmes import models

for model in (models.RiskProfile, models.DocumentCampaign, models.ProgramDocument,
              models.DocumentVersion, models.Roadmap, models.Measure, models.ReviewCampaign,
              models.ReviewItem, models.ReviewAssignment, models.Rubric):
    admin.site.register(model, SimpleHistoryAdmin)
