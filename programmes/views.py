from django.core.paginator import Paginator
from django.db import models
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone

from config import geo
from config.spreadsheet import csv_response
from programmes.filters import ProgrammeFilter
from programmes.forms import ProjectForm
from programmes.models import Beneficiary, SupportProgramme

PAGE_SIZE = 20
PROJECT_FIELDS = {"for_territory", "for_hub", "for_beneficiary"}


def matching_programmes(form: ProjectForm):
    programmes = (
        SupportProgramme.objects.open_on(timezone.localdate())
        .applying_to(form.territory())
        .for_listing()
        .nearest_deadline_first()
    )
    beneficiary = form.cleaned_data.get("for_beneficiary")
    return programmes.filter(beneficiaries=beneficiary) if beneficiary else programmes


def programme_list(request):
    """The catalogue; or, when a project is described, the open programmes for it (and a link to the rest)."""
    asked = PROJECT_FIELDS & set(request.GET)
    project = ProjectForm(request.GET if asked else None)
    context = {"project": project, "filter": None, "page": None, "matches": None}
    if asked:
        if project.is_valid():
            context["matches"] = list(matching_programmes(project)[: PAGE_SIZE + 1])
            context["all_matches"] = project.catalogue_query()
        return render(
            request, "programmes/programme_list.html", context, status=200 if project.is_valid() else 400
        )
    programme_filter = ProgrammeFilter(request.GET, queryset=SupportProgramme.objects.for_listing())
    context["filter"] = programme_filter
    if programme_filter.is_valid():
        context["page"] = Paginator(programme_filter.qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request, "programmes/programme_list.html", context, status=200 if programme_filter.is_valid() else 400
    )


def programme_detail(request, slug):
    programme = get_object_or_404(
        SupportProgramme.objects.for_listing().prefetch_related(
            models.Prefetch("beneficiaries", Beneficiary.objects.order_by("code", "pk"))
        ),
        slug=slug,
    )
    fundings = programme.fundings.public().select_related("hub").order_by("-year", "hub__name", "pk")
    outlines = list(programme.territories.filter(boundary__isnull=False).order_by("name", "pk"))
    map_data = geo.feature_collection(
        [
            geo.feature(geo.outline(t.boundary), {"name": t.name, "url": t.get_absolute_url()})
            for t in outlines
        ]
    )
    context = {"programme": programme, "fundings": fundings, "map_data": map_data if outlines else None}
    return render(request, "programmes/programme_detail.html", context)


CSV_COLUMNS = [
    "Nom", "Financeurs", "Types de soutien", "Bénéficiaires", "Montant maximal (€)", "Budget total (€)",
    "Période du budget", "Début", "Fin", "Date limite", "Statut", "Territoires", "Lien", "Source",
]  # fmt: skip
EXPORTED_NAMES = [
    ("funders", "name"),
    ("support_types", "code"),
    ("beneficiaries", "code"),
    ("territories", "name"),
]


def programme_export(request):
    programme_filter = ProgrammeFilter(request.GET, queryset=SupportProgramme.objects.all())
    if not programme_filter.is_valid():
        return HttpResponse(
            "Filtres invalides : "
            + "; ".join(f"{k} : {' '.join(v)}" for k, v in programme_filter.errors.items()),
            status=400,
            content_type="text/plain; charset=utf-8",
        )
    programmes = programme_filter.qs
    names = {relation: programmes.names_of(relation, field) for relation, field in EXPORTED_NAMES}
    rows = (
        [
            p.name,
            *(", ".join(names[relation][p.pk]) for relation in ["funders", "support_types", "beneficiaries"]),
            p.max_amount if p.max_amount is not None else "",
            p.total_budget if p.total_budget is not None else "",
            p.budget_period,
            p.starts_on or "",
            p.ends_on or "",
            p.application_deadline or "",
            p.status.label,
            ", ".join(names["territories"][p.pk]),
            p.url,
            p.source,
        ]
        for p in programmes
    )
    return csv_response("programmes.csv", [CSV_COLUMNS, *rows])
