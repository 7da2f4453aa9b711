"""URLs of the roles page, under ``roles/``."""

from django.urls import path

from opora.web.accounts import views

urlpatterns = [
    path("", views.roles_page, name="roles"),
    path("assign/", views.role_assign_view, name="role-assign"),
    path("<int:pk>/revoke/", views.role_revoke_view, name="role-revoke"),
    path("users/new/", views.user_create_view, name="user-create"),
]
