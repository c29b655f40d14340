from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, render

from professionals.models import Professional

PAGE_SIZE = 30


def professional_list(request):
    professionals = Professional.objects.active().select_related("profession").by_name()
    page = Paginator(professionals, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "professionals/professional_list.html", {"page": page})


def professional_detail(request, pk):
    professional = get_object_or_404(
        Professional.objects.active().select_related("profession").prefetch_related("memberships__hub"),
        pk=pk,
    )
    memberships = [m for m in professional.memberships.all() if m.hub.published]
    return render(
        request,
        "professionals/professional_detail.html",
        {"professional": professional, "memberships": memberships},
    )
