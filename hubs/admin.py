from functools import partial

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.db.models import F
from django.http import HttpResponseRedirect
from django.urls import path, reverse
from django.utils import formats
from django.utils.translation import gettext_lazy as _
from import_export.admin import ImportExportModelAdmin
from leaflet.admin import LeafletGeoAdmin

from config.history import GuardedHistoryAdmin
from config.roles import is_city_editor
from config.spreadsheet import import_formats
from hubs import notices, registry_admin, services
from hubs.models import EDITOR_ONLY_FIELDS, Closure, CorrectionRequest, Hub, OpeningHours, Service
from hubs.resources import HubResource
from professionals.models import Membership


class HubChildInline(admin.TabularInline):
    """Hours, closures, memberships: editable by whoever may edit the hub."""

    extra = 0

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and (obj is None or obj.editable_by(request.user))

    def has_add_permission(self, request, obj=None):
        return super().has_add_permission(request, obj) and (obj is None or obj.editable_by(request.user))

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and (obj is None or obj.editable_by(request.user))


class OpeningHoursInline(HubChildInline):
    model = OpeningHours


class ClosureInline(HubChildInline):
    model = Closure


class MembershipInline(HubChildInline):
    model = Membership
    autocomplete_fields = ["professional"]


class HubAdminForm(forms.ModelForm):
    """Carries the version the editor started from: a save on top of someone else's is refused."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Hub
        exclude = ["search_text"]  # noqa: DJ006 (the admin fieldsets choose and order the fields)

    def clean(self):
        data = super().clean()
        if self.instance.pk is not None:
            try:
                services.check_version(self.instance, expected_version=data.get("version"))
            except services.VersionConflict as conflict:
                raise forms.ValidationError(str(conflict), code="conflict") from None
        return data


class ToVerifyFilter(admin.SimpleListFilter):
    title = _("vérification")
    parameter_name = "verification"

    def lookups(self, request, model_admin):
        return [
            ("stale", _("À vérifier (plus de %(days)d jours)") % {"days": settings.STALE_AFTER_DAYS}),
            ("review", _("À relire : créés par un registre, pas encore publiés")),
        ]

    def queryset(self, request, queryset):
        if self.value() == "stale":  # pharmacies are kept by their own registry, not checked by the city
            return queryset.stale().exclude(kind=Hub.Kind.PHARMACY)
        if self.value() == "review":
            return queryset.awaiting_review()
        return queryset


@admin.register(Hub)
class HubAdmin(ImportExportModelAdmin, GuardedHistoryAdmin, LeafletGeoAdmin):
    change_list_template = "admin/hubs/hub/change_list.html"  # the duplicates; import-export adds its buttons
    form = HubAdminForm
    resource_classes = [HubResource]
    formats = import_formats()
    list_display = ["name", "kind", "status", "territory", "published", "last_verified_on", "is_demo"]
    ordering = ["name", "pk"]  # the models have no default order: lists and pages stay stable
    list_filter = [
        ToVerifyFilter,
        "kind",
        "status",
        "published",
        "tiers_payant",
        "accepting_new_patients",
        "is_demo",
    ]
    search_fields = ["name", "city", "street", "postcode", "finess"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["territory"]
    filter_horizontal = ["services", "supporters", "managers"]
    actions = ["mark_verified"]
    never_restored = frozenset(services.NEVER_RESTORED)
    inlines = [OpeningHoursInline, ClosureInline, MembershipInline]  # fundings: in each programme
    fieldsets = [
        (None, {"fields": ["name", "slug", "kind", "status", "published", "description", "version"]}),
        (_("Adresse et position"), {"fields": ["street", "postcode", "city", "location", "territory", "territory_set_by_hand"]}),
        (_("Contact et rendez-vous"), {"fields": ["phone", "email", "website", "booking_url", "booking_by_phone_only"]}),
        (
            _("Accueil"),
            {"fields": ["services", "tiers_payant", ("accepting_new_patients", "accepting_as_of"), "languages"]},
        ),
        (
            _("Accessibilité"),
            {"fields": ["wheelchair_access", "entrance", "accessible_parking", "accessible_toilets", "hearing_loop", "staff_trained", "acceslibre_url"]},
        ),
        (
            _("Reconnaissance, sources et responsables"),
            {
                "fields": [
                    "ars_recognised", "participatory", "opened_on", "supporters", "finess", "siret", "managers",
                    ("last_verified_on", "verified_by"), "source", "source_url", "is_demo",
                ]
            },
        ),
    ]  # fmt: skip

    def get_queryset(self, request):
        hubs = super().get_queryset(request)
        return hubs if is_city_editor(request.user) else hubs.filter(managers=request.user)

    def _get_obj_does_not_exist_redirect(self, request, opts, object_id):
        # Django says "doesn't exist, perhaps deleted?": for a manager, it is most often a hub that is not theirs.
        self.message_user(
            request,
            _(
                "Ce lieu n'existe pas, ou vous n'en êtes pas gestionnaire : voici ceux que vous pouvez modifier."
            ),
            messages.WARNING,
        )
        return HttpResponseRedirect(reverse("admin:hubs_hub_changelist"))

    def get_readonly_fields(self, request, obj=None):
        # The verification date is set only by "marquer comme vérifié", never by an ordinary save.
        readonly = ["last_verified_on", "verified_by"]
        return readonly if is_city_editor(request.user) else readonly + sorted(EDITOR_ONLY_FIELDS)

    def get_ordering(self, request):
        if (
            request.GET.get("verification") == "stale"
        ):  # the longest unchecked first, the never checked before all
            return [F("last_verified_on").asc(nulls_first=True), "name", "pk"]
        return super().get_ordering(request)

    def get_prepopulated_fields(self, request, obj=None):
        return self.prepopulated_fields if is_city_editor(request.user) else {}

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and (obj is None or obj.editable_by(request.user))

    def has_add_permission(self, request):
        return super().has_add_permission(request) and is_city_editor(request.user)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and is_city_editor(request.user)

    def get_actions(self, request):
        actions = super().get_actions(request)
        return {
            name: action
            for name, action in actions.items()
            if name != "delete_selected" or is_city_editor(request.user)
        }

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "managers":
            kwargs["queryset"] = (
                get_user_model().objects.filter(is_staff=True, is_active=True).order_by("username")
            )
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change):
        services.save_hub(
            obj, expected_version=form.cleaned_data.get("version") if change else None, user=request.user
        )

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        form.instance.refresh_search_text()

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        # The form's check passed, then someone saved in the meantime: the transaction rolled back.
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except services.VersionConflict as conflict:
            self.message_user(request, str(conflict), messages.ERROR)
            return HttpResponseRedirect(request.path)

    def get_urls(self):
        own = [
            path(
                "duplicates/",
                self.admin_site.admin_view(partial(registry_admin.duplicates_view, self)),
                name="hubs_hub_duplicates",
            ),
            path(
                "merge/<int:keep_id>/<int:remove_id>/",
                self.admin_site.admin_view(partial(registry_admin.merge_view, self)),
                name="hubs_hub_merge",
            ),
        ]
        return own + super().get_urls()

    def has_verify_permission(self, request):
        return is_city_editor(request.user)

    @admin.action(description=_("Marquer comme vérifié aujourd'hui"), permissions=["verify"])
    def mark_verified(self, request, queryset):
        count = services.mark_verified(queryset, user=request.user)
        self.message_user(
            request, _("%(count)d lieu(x) marqué(s) comme vérifié(s).") % {"count": count}, messages.SUCCESS
        )

    # History: restores go through the version check and bring back hours and closures too.

    def apply_restore(self, request, obj, record, concrete, m2m, form_data):
        try:
            expected = int(form_data.get("version") or 0)
        except ValueError:
            expected = 0
        services.restore_hub(
            obj, record=record, fields=concrete, m2m=m2m, expected_version=expected, user=request.user
        )

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        try:
            return super().history_form_view(request, object_id, version_id, extra_context)
        except services.VersionConflict as conflict:
            self.message_user(request, str(conflict), messages.ERROR)
            return HttpResponseRedirect(request.path)

    def extra_restore_context(self, request, obj, record):
        moment = services.end_of_version(record)
        if moment is None:
            return {"current_version": obj.version, "children_changes": []}
        now, then = services.children_now(obj), services.children_as_of(obj, moment)
        return {"current_version": obj.version, "children_changes": children_rows(now, then)}

    def set_history_delta_changes(self, request, historical_records, foreign_keys_are_objs=True):
        super().set_history_delta_changes(request, historical_records, foreign_keys_are_objs)
        records = list(historical_records)
        if not records:
            return
        timeline = services.ChildrenTimeline(records[0].instance)
        for newer, older in zip(records, records[1:], strict=False):
            rows = children_rows(timeline.after_version(older), timeline.after_version(newer))
            if rows:
                newer.history_delta_changes = [
                    *getattr(newer, "history_delta_changes", []),
                    *({"field": r["label"], "old": r["now"], "new": r["then"]} for r in rows),
                ]


def children_rows(now: services.Children, then: services.Children) -> list[dict]:
    """Hours and closures that differ, as rows of the restore table (now → then)."""
    rows = []
    if now.hours != then.hours:
        rows.append(
            {"label": _("Horaires d'ouverture"), "now": _hours(now.hours), "then": _hours(then.hours)}
        )
    if now.closures != then.closures:
        rows.append(
            {
                "label": _("Fermetures exceptionnelles"),
                "now": _closures(now.closures),
                "then": _closures(then.closures),
            }
        )
    return rows


def _hours(hours) -> str:
    days = dict(OpeningHours._meta.get_field("weekday").flatchoices)
    return "; ".join(f"{days[d]} {o:%H:%M}–{c:%H:%M}" for d, o, c in sorted(hours)) or "—"


def _closures(closures) -> str:
    return (
        "; ".join(
            f"{formats.date_format(a, 'SHORT_DATE_FORMAT')}–{formats.date_format(b, 'SHORT_DATE_FORMAT')}"
            + (f" ({reason})" if reason else "")
            for a, b, reason in sorted(closures)
        )
        or "—"
    )


@admin.register(Service)
class ServiceAdmin(admin.ModelAdmin):
    list_display = ["name", "category", "profession"]
    ordering = ["name", "pk"]  # the models have no default order: lists and pages stay stable
    list_filter = ["category"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(CorrectionRequest)
class CorrectionRequestAdmin(admin.ModelAdmin):
    list_display = ["hub", "created_at", "status", "short_message", "contact"]
    ordering = ["-created_at", "pk"]  # the models have no default order: lists and pages stay stable
    list_filter = ["status", "created_at"]
    search_fields = ["hub__name", "message"]
    readonly_fields = ["hub", "message", "contact", "notify", "created_at", "handled_by"]
    fields = ["hub", "message", "contact", "notify", "created_at", "status", "note", "handled_by"]

    @admin.display(description=_("message"))
    def short_message(self, obj):
        return obj.message[:80]

    def get_queryset(self, request):
        requests = super().get_queryset(request).select_related("hub")
        return requests if is_city_editor(request.user) else requests.filter(hub__managers=request.user)

    def has_add_permission(self, request):
        return False  # requests come from the public form

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and (
            obj is None or obj.hub.editable_by(request.user)
        )

    def save_model(self, request, obj, form, change):
        obj.handled_by = request.user
        super().save_model(request, obj, form, change)
        notices.report_closed(obj)  # once, if the resident asked and it is now handled or set aside
