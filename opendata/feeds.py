"""Feeds partners subscribe to: Atom (Django's syndication framework) and an iCalendar of deadlines.

Each holds the newest FEED_ITEMS entries, whatever the size of the directory.
"""

import datetime

import icalendar
from django.contrib.syndication.views import Feed
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import escape
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from districts.models import Territory
from hubs.models import Hub
from programmes.models import SupportProgramme, funders_by_name

FEED_ITEMS = 50
ALARM_DAYS_BEFORE = 7
PAST_DEADLINES_DAYS = 365  # last year's deadlines stay, for who plans the next round


class ProgrammesFeed(Feed):
    """New or changed support programmes: all of them, or those that apply to a territory (its parents too)."""

    feed_type = Atom1Feed

    def get_object(self, request, slug=None):
        return get_object_or_404(Territory.objects.defer("boundary"), slug=slug) if slug else None

    def title(self, territory):
        if territory is None:
            return _("Programmes de soutien : nouveautés et modifications")
        return _("Programmes de soutien pour %(name)s : nouveautés et modifications") % {
            "name": territory.name
        }

    def link(self, territory):
        return reverse("programmes:list") + (f"?territory={territory.slug}" if territory else "")

    def subtitle(self, territory):
        return _("Les programmes de soutien aux lieux de santé, du plus récemment modifié au plus ancien.")

    def items(self, territory):
        programmes = SupportProgramme.objects.prefetch_related(funders_by_name())
        if territory is not None:
            programmes = programmes.applying_to(territory)
        return programmes.order_by("-updated_at", "-pk")[:FEED_ITEMS]

    def item_title(self, programme):
        return programme.name

    def item_description(self, programme):
        funders = ", ".join(f.name for f in programme.funders.all())
        deadline = programme.application_deadline
        parts = [_("Financeurs : %(funders)s.") % {"funders": funders}] if funders else []
        if deadline:
            parts.append(_("Date limite : %(date)s.") % {"date": deadline.strftime("%d/%m/%Y")})
        # Atom summaries are HTML (type="html"): the record's text is escaped, so markup in it stays text.
        return escape(" ".join([*parts, programme.description[:500]]))

    def item_pubdate(self, programme):
        return programme.created_at

    def item_updateddate(self, programme):
        return programme.updated_at


class HubChangesFeed(Feed):
    """Hubs added, changed or removed in a territory (and everything under it), from their history."""

    feed_type = Atom1Feed
    verbs = {"+": gettext_lazy("ajouté"), "~": gettext_lazy("modifié"), "-": gettext_lazy("retiré")}

    def get_object(self, request, slug):
        return get_object_or_404(Territory.objects.defer("boundary"), slug=slug)

    def title(self, territory):
        return _("Lieux de santé %(where)s : modifications") % {"where": territory.located}

    def link(self, territory):
        return territory.get_absolute_url()

    def items(self, territory):
        # The records as they were published, of hubs still published (an unpublished hub's name appears
        # nowhere public); who made the change is not shown.
        within = Territory.objects.within(territory).values("pk")
        changes = Hub.history.filter(
            territory_id__in=within, published=True, id__in=Hub.objects.published().values("pk")
        )
        return changes.only(
            "id", "slug", "name", "kind", "street", "city", "history_type", "history_date", "history_id"
        ).order_by("-history_date", "-history_id")[:FEED_ITEMS]

    def item_title(self, record):
        return f"{record.name} — {self.verbs.get(record.history_type, '')}"

    def item_description(self, record):
        return escape(
            ", ".join(part for part in [record.get_kind_display(), record.street, record.city] if part)
        )

    def item_link(self, record):
        return reverse("hubs:detail", args=[record.slug])

    def item_guid(self, record):
        return f"hub-change-{record.history_id}"

    item_guid_is_permalink = False

    def item_pubdate(self, record):
        return record.history_date


def deadlines_calendar(request):
    """Programme deadlines as all-day events with a reminder a week before (?territory= for one territory)."""
    programmes = SupportProgramme.objects.filter(
        application_deadline__gte=timezone.localdate() - datetime.timedelta(days=PAST_DEADLINES_DAYS)
    ).prefetch_related(funders_by_name())
    if slug := request.GET.get("territory"):
        programmes = programmes.applying_to(get_object_or_404(Territory.objects.defer("boundary"), slug=slug))
    calendar = icalendar.Calendar()
    calendar.add("prodid", "-//Annuaire des lieux de santé//Dates limites//FR")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", _("Programmes de soutien : dates limites"))
    for programme in programmes.order_by("application_deadline", "pk")[: FEED_ITEMS * 4]:
        calendar.add_component(deadline_event(programme, request))
    response = HttpResponse(calendar.to_ical(), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="dates-limites.ics"'
    return response


def deadline_event(programme: SupportProgramme, request) -> icalendar.Event:
    event = icalendar.Event()
    event.add("uid", f"programme-{programme.pk}-deadline@{request.get_host()}")
    event.add("dtstamp", programme.updated_at)
    event.add("dtstart", programme.application_deadline)
    event.add("dtend", programme.application_deadline + datetime.timedelta(days=1))
    event.add("summary", _("Date limite : %(name)s") % {"name": programme.name})
    event.add("url", request.build_absolute_uri(programme.get_absolute_url()))
    funders = ", ".join(f.name for f in programme.funders.all())
    event.add("description", f"{funders}\n{request.build_absolute_uri(programme.get_absolute_url())}".strip())
    event.add("transp", "TRANSPARENT")
    alarm = icalendar.Alarm()
    alarm.add("action", "DISPLAY")
    alarm.add("description", _("Dans une semaine : %(name)s") % {"name": programme.name})
    alarm.add("trigger", datetime.timedelta(days=-ALARM_DAYS_BEFORE))
    event.add_component(alarm)
    return event
