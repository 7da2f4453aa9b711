"""The roles page: a coordinator manages who works with their municipality's schools.

Every action is a POST with CSRF, checks the manager's right to that role over that scope
(:meth:`~opora.web.accounts.scope.Viewer.may_grant`: 403 otherwise) and is audited.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from opora.web.accounts.forms import AssignRoleForm, NewUserForm, RoleForm
from opora.web.accounts.models import ROLE_LABELS, RoleAssignment
from opora.web.accounts.roles import assignment_get, role_history, scope_options, users_with_roles
from opora.web.accounts.scope import ROLES_A_COORDINATOR_GRANTS, Action, Viewer
from opora.web.accounts.services import role_assign, role_revoke, user_create_with_role

FORBIDDEN = ("Координатор назначает роли руководителя школы, куратора и методиста только в своём "
             "муниципалитете; роли координатора и регионального координатора назначает "
             "администратор системы.")


def _manager(request: HttpRequest) -> Any:
    Viewer.of(request.user).require(Action.MANAGE_ROLES,
                                    message="Управлять ролями может муниципальный координатор.")
    return request.user


def _page(request: HttpRequest, manager: Any, *, assign: RoleForm | None = None,
          new_user: RoleForm | None = None, status: int = 200) -> HttpResponse:
    grantable = (list(ROLE_LABELS.items()) if manager.is_superuser
                 else [(r, ROLE_LABELS[r]) for r in ROLES_A_COORDINATOR_GRANTS])
    return render(request, "accounts/roles.html", {
        "people": users_with_roles(manager), "history": role_history(manager),
        "grantable": grantable, "options": scope_options(manager),
        "assign_form": assign or AssignRoleForm(), "new_user_form": new_user or NewUserForm(),
    }, status=status)


def _check_grant(manager: Any, form: RoleForm) -> None:
    scope = form.scope()
    school = scope.get("school")
    municipality = scope.get("municipality")
    if not Viewer.of(manager).may_grant(
            role=form.cleaned_data["role"], school=school,
            municipality_id=municipality.pk if municipality is not None else None):
        raise PermissionDenied(FORBIDDEN)


@login_required
@require_GET
def roles_page(request: HttpRequest) -> HttpResponse:
    return _page(request, _manager(request))


@login_required
@require_POST
def role_assign_view(request: HttpRequest) -> HttpResponse:
    manager = _manager(request)
    form = AssignRoleForm(request.POST)
    if not form.is_valid():
        return _page(request, manager, assign=form)
    _check_grant(manager, form)
    user, role = form.cleaned_data["username"], form.cleaned_data["role"]
    if RoleAssignment.objects.filter(user=user, role=role, **form.scope()).exists():
        messages.info(request, f"У пользователя {user.get_username()} эта роль уже есть.")
    else:
        role_assign(user=user, role=role, by=manager, **form.scope())
        messages.success(request, f"Пользователю {user.get_username()} назначена роль "
                                  f"«{ROLE_LABELS[role]}».")
    return redirect("roles")


@login_required
@require_POST
def role_revoke_view(request: HttpRequest, pk: int) -> HttpResponse:
    manager = _manager(request)
    assignment = assignment_get(user=manager, pk=pk)
    if assignment is None:
        raise Http404("Назначение не найдено")
    if not Viewer.of(manager).may_grant(role=assignment.role, school=assignment.school,
                                        municipality_id=assignment.municipality_id):
        raise PermissionDenied(FORBIDDEN)
    name = assignment.user.get_username()
    role_revoke(assignment=assignment, by=manager)
    messages.success(request, f"Роль «{ROLE_LABELS[assignment.role]}» у пользователя {name} снята.")
    return redirect("roles")


@login_required
@require_POST
def user_create_view(request: HttpRequest) -> HttpResponse:
    manager = _manager(request)
    form = NewUserForm(request.POST)
    if not form.is_valid():
        return _page(request, manager, new_user=form)
    _check_grant(manager, form)
    user, password = user_create_with_role(
        username=form.cleaned_data["username"], role=form.cleaned_data["role"], by=manager,
        first_name=form.cleaned_data["first_name"], last_name=form.cleaned_data["last_name"],
        **form.scope())
    response = render(request, "accounts/user_created.html", {
        "new_user": user, "password": password, "role": ROLE_LABELS[form.cleaned_data["role"]],
        "scope": next(iter(form.scope().values()))})
    response["Cache-Control"] = "no-store"  # the password is shown once and never cached
    return response
