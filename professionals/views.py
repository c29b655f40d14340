from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, render

from config import provenance
from config.paging import CappedPaginator
from config.schema import attnames
from professionals import schema
from professionals.filters import ProfessionalFilter
from professionals.models import Membership, Professional

PAGE_SIZE = 30


def professional_list(request):
    published = Membership.objects.public().select_related("hub").defer("hub__location")
    queryset = (
        Professional.objects.public()
        .select_related("profession")
        .prefetch_related(Prefetch("memberships", queryset=published, to_attr="published_memberships"))
    )
    professional_filter = ProfessionalFilter(request.GET, queryset=queryset)
    if not professional_filter.is_valid():
        return render(
            request,
            "professionals/professional_list.html",
            {"filter": professional_filter, "page": None},
            status=400,
        )
    ranked = professional_filter.qs.by_relevance(request.GET.get("q", ""), "display_name", "pk")
    page = CappedPaginator(ranked, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request, "professionals/professional_list.html", {"filter": professional_filter, "page": page}
    )


# Keyed as provenance stores them (profession_id), labelled as professionals/schema.py says.
PUBLIC_FACTS = dict(
    zip(attnames(Professional, schema.PUBLIC_FACTS), schema.PUBLIC_FACTS.values(), strict=True)
)


def professional_detail(request, pk):
    professional = get_object_or_404(Professional.objects.public().select_related("profession"), pk=pk)
    memberships = list(professional.memberships.public().select_related("hub").order_by("hub__name", "pk"))
    return render(
        request,
        "professionals/professional_detail.html",
        {
            "professional": professional,
            "memberships": memberships,
            "sources": provenance.summary(professional, PUBLIC_FACTS),
        },
    )
