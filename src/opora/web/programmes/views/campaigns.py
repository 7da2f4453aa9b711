"""Document campaign pages: the list, opening one, the coordinator's table schools × documents,
a school's upload, a document with its versions, a version's file."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET

from opora.web.accounts.scope import Action
from opora.web.programmes.forms import CampaignForm, UploadForm
from opora.web.programmes.models import ReviewItem
from opora.web.programmes.selectors.campaigns import (
    campaign_get,
    campaign_table,
    campaigns_visible,
    document_get,
)
from opora.web.programmes.services.documents import MANAGERS, campaign_create, document_upload
from opora.web.programmes.views.common import cached_body, put_errors, town_of, viewer_of


@login_required
@require_GET
def campaign_list(request: HttpRequest) -> HttpResponse:
    viewer = viewer_of(request)
    campaigns = (campaigns_visible(viewer).select_related("municipality")
                 .annotate(school_count=Count("campaign_schools", distinct=True))
                 .order_by("-deadline", "-pk"))
    return render(request, "programmes/campaigns.html", {
        "campaigns": campaigns, "may_open": viewer.may(Action.MANAGE_PROGRAMMES),
        "today": timezone.localdate()})


@login_required
def campaign_new(request: HttpRequest) -> HttpResponse:
    viewer = viewer_of(request)
    viewer.require(Action.MANAGE_PROGRAMMES, None, MANAGERS)
    town, _ = town_of(request, viewer)
    viewer.require(Action.MANAGE_PROGRAMMES, town, MANAGERS)
    schools = viewer.schools().filter(municipality=town).order_by("number", "short_name")
    form = CampaignForm(request.POST or None, schools=schools,
                        initial={"year": timezone.localdate().year})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            campaign = campaign_create(by=request.user, municipality=town, title=data["title"],
                                       year=data["year"], slots=data["slots"],
                                       schools=list(data["schools"]), deadline=data["deadline"],
                                       remind_days=data["remind_days"])
        except ValidationError as exc:
            put_errors(form, exc)
        else:
            messages.success(request, "Кампания открыта: школы видят её на своих страницах.")
            return redirect("programmes:campaign", pk=campaign.pk)
    return render(request, "programmes/campaign_form.html", {"form": form, "town": town},
                  status=400 if form.is_bound else 200)


@login_required
@require_GET
def campaign_page(request: HttpRequest, pk: int) -> HttpResponse:
    viewer = viewer_of(request)
    campaign = campaign_get(viewer, pk)

    def context() -> dict[str, Any]:
        return {"campaign": campaign,
                "table": campaign_table(viewer=viewer, campaign=campaign,
                                        today=timezone.localdate()),
                "manages": viewer.may(Action.MANAGE_PROGRAMMES, campaign.municipality)}

    return render(request, "programmes/campaign.html", {
        "campaign": campaign,
        "body": cached_body(request, "programmes/_campaign_body.html", context)})


@login_required
def upload(request: HttpRequest, pk: int, school_pk: int) -> HttpResponse:
    viewer = viewer_of(request)
    campaign = campaign_get(viewer, pk)
    school = viewer.school(school_pk)
    viewer.require(Action.EDIT_PROGRAMME, school, "Документы школы загружают её руководитель и "
                                                  "координатор муниципалитета.")
    form = UploadForm(request.POST or None, request.FILES or None, campaign=campaign,
                      initial={"slot": request.GET.get("slot")})
    if request.method == "POST" and form.is_valid():
        try:
            version = document_upload(by=request.user, campaign=campaign, school=school,
                                      slot=form.cleaned_data["slot"],
                                      upload=form.cleaned_data["file"],
                                      comment=form.cleaned_data["comment"])
        except ValidationError as exc:
            for message in exc.messages:
                form.add_error("file", message)
        else:
            messages.success(request, f"Загружено: {version.document.label}, версия "
                                      f"{version.number}.")
            return redirect("programmes:school", pk=school.pk)
    return render(request, "programmes/upload.html", {
        "campaign": campaign, "school": school, "form": form},
        status=400 if form.is_bound else 200)


@login_required
@require_GET
def document_page(request: HttpRequest, pk: int) -> HttpResponse:
    viewer = viewer_of(request)
    document = document_get(viewer, pk)
    rounds = (ReviewItem.objects.filter(document=document).select_related("campaign")
              .order_by("round", "pk"))
    return render(request, "programmes/document.html", {
        "document": document, "versions": document.versions.select_related("uploaded_by"),
        "rounds": rounds, "may_upload": viewer.may(Action.EDIT_PROGRAMME, document.school)})


@login_required
@require_GET
def version_file(request: HttpRequest, pk: int, number: int) -> FileResponse:
    document = document_get(viewer_of(request), pk)
    version = document.versions.filter(number=number).first()
    if version is None:
        raise Http404("Версия не найдена")
    return FileResponse(version.file.open("rb"), as_attachment=True,
                        filename=version.original_name)

