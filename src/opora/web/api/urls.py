"""The API (/api/v1/) and the token pages (/account/tokens/)."""

from django.urls import path

from opora.web.api import views
from opora.web.api.main import api

api_urls = [path("", api.urls)]
token_urls = [
    path("", views.tokens, name="api-tokens"),
    path("<int:pk>/revoke/", views.token_revoke_view, name="api-token-revoke"),
]
