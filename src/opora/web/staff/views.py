"""Pages of a school's staff: the list with its two indicators, a teacher's page, the teacher's
form, leaving, and the history of changes.

Reading a school's staff is ``Action.SEE_STAFF`` (the school, its curator, its municipality's
coordinator and methodists, its region's staff); editing it is ``EDIT_STAFF`` (the school's
administrator and the coordinator); a teacher's development records are ``EDIT_DEVELOPMENT``
(those two and the municipality's methodists) — :mod:`opora.web.staff.views_development`.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from opora.web.accounts.scope import Action, Viewer
from opora.web.schools.models import School
from opora.web.staff import selectors
from opora.web.staff.dynamics import dynamics_by_teacher, school_dynamics
from opora.web.staff.forms import TeacherEndForm, TeacherForm, put_errors, today
from opora.web.staff.models import Teacher
from opora.web.staff.services import teacher_end, teacher_save

STAFF_READERS = ("Состав педагогов школы видят руководитель школы, её куратор, муниципальный "
                 "координатор, методисты муниципалитета и региональный координатор.")
STAFF_EDITORS = "Состав педагогов изменяют руководитель школы и муниципальный координатор."
HISTORY_READERS = "История изменений доступна муниципальному координатору."


def staff_school(request: HttpRequest, pk: int) -> tuple[Viewer, School]:
    """The viewer and a school whose staff they may read (404 / 403 otherwise)."""
    viewer = Viewer.of(request.user)
    school = viewer.school(pk)
    viewer.require(Action.SEE_STAFF, school, STAFF_READERS)
    return viewer, school


def school_teacher(school: School, teacher_pk: int) -> Teacher:
    """A teacher of ``school`` (the school already checked); 404 for anyone else's."""
    try:
        return Teacher.objects.get(pk=teacher_pk, school=school)
    except Teacher.DoesNotExist:
        raise Http404("Педагог не найден") from None


@login_required
@require_GET
def staff_list(request: HttpRequest, pk: int) -> HttpResponse:
    """«Педагоги школы»: who works there today (or everyone, with those who left), each with
    the last diagnostic's dynamics; the school's shares with their numerators and denominators."""
    viewer, school = staff_school(request, pk)
    show_left = request.GET.get("all") == "1"
    working = list(selectors.school_teachers(school))
    shown = list(selectors.school_teachers(school, include_left=True)) if show_left else working
    dynamics = dynamics_by_teacher(t.pk for t in shown)
    courses = selectors.course_counts([t.pk for t in shown])
    rows = [{"teacher": t, "dynamics": dynamics.get(t.pk), "diagnosed": t.pk in dynamics,
             "courses": courses.get(t.pk, 0)} for t in shown]
    return render(request, "staff/list.html", {
        "school": school, "rows": rows, "show_left": show_left,
        "summary": school_dynamics(working, dynamics),
        "may_edit": viewer.may(Action.EDIT_STAFF, school),
        "may_develop": viewer.may(Action.EDIT_DEVELOPMENT, school),
        "may_see_history": viewer.may(Action.SEE_SCHOOL_HISTORY, school)})


@login_required
@require_GET
def teacher_page(request: HttpRequest, pk: int, teacher_pk: int) -> HttpResponse:
    """A teacher: the record, diagnostics with their domains, the dynamics, routes, courses."""
    viewer, school = staff_school(request, pk)
    teacher = school_teacher(school, teacher_pk)
    development = selectors.teacher_development(teacher)
    return render(request, "staff/teacher.html", {
        "school": school, "teacher": teacher, **development,
        "may_edit": viewer.may(Action.EDIT_STAFF, school),
        "may_develop": viewer.may(Action.EDIT_DEVELOPMENT, school),
        "may_see_history": viewer.may(Action.SEE_SCHOOL_HISTORY, school)})


def _edit_school(request: HttpRequest, pk: int) -> School:
    viewer, school = staff_school(request, pk)
    viewer.require(Action.EDIT_STAFF, school, STAFF_EDITORS)
    return school


@login_required
@require_http_methods(["GET", "POST"])
def teacher_new(request: HttpRequest, pk: int) -> HttpResponse:
    school = _edit_school(request, pk)
    return _teacher_form(request, school, Teacher(school=school, active_from=today()))


@login_required
@require_http_methods(["GET", "POST"])
def teacher_edit(request: HttpRequest, pk: int, teacher_pk: int) -> HttpResponse:
    school = _edit_school(request, pk)
    return _teacher_form(request, school, school_teacher(school, teacher_pk))


def _teacher_form(request: HttpRequest, school: School, teacher: Teacher) -> HttpResponse:
    is_new = teacher.pk is None
    form = TeacherForm(request.POST or None, instance=teacher)
    if request.method == "POST" and form.is_valid():
        try:
            saved = teacher_save(teacher=form.instance, user=request.user)
        except ValidationError as refused:
            put_errors(form, refused)
        else:
            messages.success(request, f"{'Педагог добавлен' if is_new else 'Изменения сохранены'}"
                                      f": {saved.name}.")
            return redirect("staff-teacher", pk=school.pk, teacher_pk=saved.pk)
    return render(request, "staff/teacher_form.html", {
        "school": school, "teacher": teacher, "form": form, "is_new": is_new})


@login_required
@require_http_methods(["GET", "POST"])
def teacher_leave(request: HttpRequest, pk: int, teacher_pk: int) -> HttpResponse:
    """«Завершить работу»: the record stays with the date of leaving."""
    school = _edit_school(request, pk)
    teacher = school_teacher(school, teacher_pk)
    form = TeacherEndForm(request.POST or None, initial={"active_to": today()})
    if request.method == "POST" and form.is_valid():
        try:
            teacher_end(teacher=teacher, user=request.user, on=form.cleaned_data["active_to"])
        except ValidationError as refused:
            put_errors(form, refused)
        else:
            messages.success(request, f"{teacher.name}: работа в школе завершена "
                                      f"{teacher.active_to:%d.%m.%Y}; запись сохранена.")
            return redirect("staff", pk=school.pk)
    return render(request, "staff/teacher_leave.html", {
        "school": school, "teacher": teacher, "form": form})


@login_required
@require_GET
def teacher_history(request: HttpRequest, pk: int, teacher_pk: int) -> HttpResponse:
    """Every change of the teacher's record and development records: the coordinator's."""
    viewer, school = staff_school(request, pk)
    viewer.require(Action.SEE_SCHOOL_HISTORY, school, HISTORY_READERS)
    teacher = school_teacher(school, teacher_pk)
    return render(request, "audit/history.html", {
        "school": school, "entries": selectors.teacher_history(teacher),
        "title": f"История изменений: {teacher.name}"})
