"""URLs of the signed-in user's own account, under ``account/``: changing the password."""

from django.contrib.auth import views as auth_views
from django.urls import path

from opora.web.accounts.views_password import PasswordChangeView

urlpatterns = [
    path("password/", PasswordChangeView.as_view(), name="password_change"),
    path("password/done/", auth_views.PasswordChangeDoneView.as_view(
        template_name="accounts/password_change_done.html"), name="password_change_done"),
]
