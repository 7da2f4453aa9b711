"""URLs of the signed-in user's own account, under ``account/``: changing the password."""

from django.contrib.auth import views as auth_views
from django.urls import path

urlpatterns = [
    path("password/", auth_views.PasswordChangeView.as_view(
        template_name="accounts/password_change.html", success_url="/account/password/done/"),
        name="password_change"),
    path("password/done/", auth_views.PasswordChangeDoneView.as_view(
        template_name="accounts/password_change_done.html"), name="password_change_done"),
]
