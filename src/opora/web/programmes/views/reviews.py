"""Expert review pages: the campaigns and an expert's sheets, opening a campaign, its items with
aggregated scores and flagged disagreements, assigning reviewers, the coordinator's decision,
filling a sheet, the sheet as XLSX."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from opora.web.accounts.scope import Action
from opora.web.programmes.forms import AssignForm, DecisionForm, ReviewCampaignForm, SheetForm
from opora.web.programmes.models import Rubric
from opora.web.programmes.review_xlsx import item_xlsx, sheet_xlsx
from opora.web.programmes.selectors.campaigns import campaigns_visible
from opora.web.programmes.selectors.reviews import (
    assignment_get,
    campaign_items,
    item_get,
    item_results,
    my_assignments,
    review_campaign_get,
    review_campaigns_visible,
)
from opora.web.programmes.services.reviews import (
    MANAGERS,
    assignable_reviewers,
    decide,
    default_rubric,
    review_campaign_create,
    reviewer_assign,
    sheet_save,
    take_new,
)
from opora.web.programmes.views.common import (
    cached_body,
    put_errors,
    town_of,
    viewer_of,
    xlsx_response,
)


@login_required
@require_GET
def review_list(request: HttpRequest) -> HttpResponse:
    viewer = viewer_of(request)

    def context() -> dict[str, Any]:
        return {"campaigns": review_campaigns_visible(viewer).select_related("municipality",
                                                                             "rubric"),
                "sheets": my_assignments(viewer),
                "may_open": viewer.may(Action.MANAGE_PROGRAMMES),
                "may_see_rubrics": viewer.may(Action.SEE_PROGRAMMES)}

    return render(request, "programmes/reviews.html", {
        "body": cached_body(request, "programmes/_reviews_body.html", context)})


@login_required
def review_new(request: HttpRequest) -> HttpResponse:
    viewer = viewer_of(request)
    viewer.require(Action.MANAGE_PROGRAMMES, None, MANAGERS)
    town, _ = town_of(request, viewer)
    viewer.require(Action.MANAGE_PROGRAMMES, town, MANAGERS)
    rubrics = [default_rubric(), *Rubric.objects.filter(municipality=town)]
    form = ReviewCampaignForm(request.POST or None, rubrics=rubrics,
                              campaigns=campaigns_visible(viewer).filter(municipality=town))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        rubric = next(r for r in rubrics if str(r.pk) == data["rubric"])
        try:
            campaign = review_campaign_create(
                by=request.user, municipality=town, title=data["title"],
                deadline=data["deadline"], rubric=rubric,
                document_campaign=data["document_campaign"])
        except ValidationError as exc:
            put_errors(form, exc)
        else:
            messages.success(request, f"Экспертиза открыта: работ — {campaign.items.count()}.")
            return redirect("programmes:review", pk=campaign.pk)
    return render(request, "programmes/review_form.html", {"form": form, "town": town},
                  status=400 if form.is_bound else 200)


@login_required
@require_GET
def review_page(request: HttpRequest, pk: int) -> HttpResponse:
    viewer = viewer_of(request)
    campaign = review_campaign_get(viewer, pk)
    criteria = list(campaign.rubric.criteria.all())
    return render(request, "programmes/review.html", {
        "campaign": campaign, "criteria": criteria,
        "results": [item_results(item, criteria) for item in campaign_items(campaign)],
        "manages": viewer.may(Action.MANAGE_PROGRAMMES, campaign.municipality)})


@login_required
@require_POST
def review_take(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = review_campaign_get(viewer_of(request), pk)
    taken = take_new(by=request.user, campaign=campaign)
    messages.success(request, f"Добавлено на экспертизу: {taken}.")
    return redirect("programmes:review", pk=campaign.pk)


@login_required
def item_page(request: HttpRequest, pk: int) -> HttpResponse:
    viewer = viewer_of(request)
    item = item_get(viewer, pk)
    manages = viewer.may(Action.MANAGE_PROGRAMMES, item.campaign.municipality)
    criteria = list(item.campaign.rubric.criteria.all())
    results = item_results(item, criteria)
    mine = item.assignments.filter(reviewer_id=request.user.pk, withdrawn_at__isnull=True).first()
    # the school and its curator read the sheets once the coordinator has decided
    show_scores = manages or bool(item.decision) or viewer.may(Action.SEE_PROGRAMMES,
                                                                item.campaign.municipality)
    reviewers = assignable_reviewers(item.campaign.municipality) if manages else []
    return render(request, "programmes/review_item.html", {
        "item": item, "results": results, "criteria": criteria, "manages": manages,
        "mine": mine, "show_scores": show_scores,
        "assignments": item.assignments.select_related("reviewer").filter(
            withdrawn_at__isnull=True) if manages else [],
        "assign_form": AssignForm(reviewers=reviewers), "decision_form": DecisionForm()})


@login_required
@require_POST
def item_assign(request: HttpRequest, pk: int) -> HttpResponse:
    viewer = viewer_of(request)
    item = item_get(viewer, pk)
    viewer.require(Action.MANAGE_PROGRAMMES, item.campaign.municipality, MANAGERS)
    reviewers = assignable_reviewers(item.campaign.municipality)
    reviewer = next((u for u in reviewers if str(u.pk) == request.POST.get("reviewer")), None)
    if reviewer is None:
        messages.error(request, "Выберите эксперта из списка.")
        return redirect("programmes:review-item", pk=item.pk)
    try:
        reviewer_assign(by=request.user, item=item, reviewer=reviewer)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, "Эксперт назначен.")
    return redirect("programmes:review-item", pk=item.pk)


@login_required
@require_POST
def item_decide(request: HttpRequest, pk: int) -> HttpResponse:
    viewer = viewer_of(request)
    item = item_get(viewer, pk)
    viewer.require(Action.MANAGE_PROGRAMMES, item.campaign.municipality, MANAGERS)
    form = DecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Выберите решение: принять или на доработку.")
        return redirect("programmes:review-item", pk=item.pk)
    try:
        decide(by=request.user, item=item, decision=form.cleaned_data["decision"],
               comment=form.cleaned_data["comment"])
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, "Решение принято: школа видит его и комментарии экспертов.")
    return redirect("programmes:review-item", pk=item.pk)


@login_required
def sheet_page(request: HttpRequest, pk: int) -> HttpResponse:
    viewer = viewer_of(request)
    assignment = assignment_get(viewer, pk)
    criteria = list(assignment.item.campaign.rubric.criteria.all())
    scores = {s.criterion_id: s for s in assignment.scores.all()}
    initial = {"overall": assignment.overall_comment,
               **{f"score_{c.pk}": scores[c.pk].score for c in criteria if c.pk in scores},
               **{f"comment_{c.pk}": scores[c.pk].comment for c in criteria if c.pk in scores}}
    form = SheetForm(request.POST or None, criteria=criteria, initial=initial)
    editable = viewer.may(Action.REVIEW, assignment) and assignment.submitted_at is None \
        and not assignment.item.decision
    if request.method == "POST":
        if not editable:
            raise PermissionDenied("Лист заполняет назначенный эксперт, пока он не отправлен.")
        if form.is_valid():
            submit = "submit" in request.POST
            try:
                sheet_save(by=request.user, assignment=assignment, scores=form.scores(),
                           comments=form.comments(), overall=form.cleaned_data["overall"],
                           submit=submit)
            except ValidationError as exc:
                put_errors(form, exc)
            else:
                messages.success(request, "Экспертный лист отправлен." if submit else
                                 "Черновик листа сохранён.")
                return redirect("programmes:sheet", pk=assignment.pk)
    return render(request, "programmes/sheet.html", {
        "assignment": assignment, "item": assignment.item, "form": form,
        "editable": editable}, status=400 if form.is_bound else 200)


@login_required
@require_GET
def sheet_export(request: HttpRequest, pk: int) -> HttpResponse:
    assignment = assignment_get(viewer_of(request), pk)
    return xlsx_response(sheet_xlsx(assignment), f"экспертный-лист-{assignment.pk}.xlsx")


@login_required
@require_GET
def item_export(request: HttpRequest, pk: int) -> HttpResponse:
    viewer = viewer_of(request)
    item = item_get(viewer, pk)
    if not (viewer.may(Action.SEE_PROGRAMMES, item.campaign.municipality) or item.decision):
        raise PermissionDenied("Итог экспертизы доступен школе после решения координатора.")
    criteria = list(item.campaign.rubric.criteria.all())
    return xlsx_response(item_xlsx(item_results(item, criteria)),
                         f"экспертиза-{item.pk}.xlsx")

