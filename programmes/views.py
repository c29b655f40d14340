from django.shortcuts import get_object_or_404, render

from programmes.models import SupportProgramme


def programme_list(request):
    programmes = SupportProgramme.objects.for_listing().nearest_deadline_first()
    return render(request, "programmes/programme_list.html", {"programmes": programmes})


def programme_detail(request, slug):
    programme = get_object_or_404(
        SupportProgramme.objects.for_listing().prefetch_related("beneficiaries", "fundings__hub"), slug=slug
    )
    fundings = sorted(programme.fundings.all(), key=lambda f: (-(f.year or 0), f.hub.name))
    return render(request, "programmes/programme_detail.html", {"programme": programme, "fundings": fundings})
