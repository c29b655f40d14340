from django.conf import settings
from django.http import JsonResponse
from django.shortcuts import render
from django.urls import reverse

from access import what_if
from access.forms import WhatIfForm
from districts.map_data import DISTANCE_CLASSES


def what_if_page(request):
    """/acces/?lat=…&lng=…&gps=N, or ?around=<territory>&gps=N: linkable, printable, and the same as the API."""
    form = WhatIfForm(request.GET or None, initial={"gps": 2})
    # The map opens on the city the portal serves; a territory's squares are drawn when one is chosen.
    map_data = {"home": [settings.HOME["lat"], settings.HOME["lng"]], "source": None}
    context = {"form": form, "distance_classes": DISTANCE_CLASSES, "map_data": map_data}
    if form.is_bound and form.is_valid():
        point, territory, gps = form.point(), form.cleaned_data["around"], form.cleaned_data["gps"]
        if point:
            context["answer"] = what_if.answer(lat=point[0], lng=point[1], gps=gps, territory=territory)
        elif territory:
            context["complete"] = what_if.complete_for_gps(territory)
            context["sites"] = what_if.best_sites(
                territory, gps=gps, complete=context["complete"] is not None
            )
            context["territory"] = territory
        if territory:
            map_data["source"] = reverse("districts:cells", args=[territory.slug])
    status = 400 if form.is_bound and not form.is_valid() else 200
    return render(request, "access/what_if.html", context, status=status)


def what_if_api(request):
    """The what-if answer as JSON: /api/v1/access/what-if?lat=…&lng=…&gps=N (or ?around=…: the best sites)."""
    form = WhatIfForm(request.GET)
    if not form.is_valid() or not (form.point() or form.cleaned_data["around"]):
        errors = (
            form.errors.get_json_data() if form.errors else {"lat": [{"message": "lat and lng, or around"}]}
        )
        return JsonResponse({"errors": errors}, status=400)
    gps, territory = form.cleaned_data["gps"], form.cleaned_data["around"]
    if form.point():
        lat, lng = form.point()
        return JsonResponse(what_if.answer(lat=lat, lng=lng, gps=gps, territory=territory).as_dict())
    complete = what_if.complete_for_gps(territory)
    return JsonResponse(
        {
            "territory": territory.slug,
            "gps": gps,
            "directory_complete_according_to": complete.source if complete else None,
            "sites": what_if.best_sites(territory, gps=gps, complete=complete is not None),
        }
    )
