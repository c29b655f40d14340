from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from import_export.admin import ImportExportModelAdmin
from leaflet.admin import LeafletGeoAdmin
from simple_history.admin import SimpleHistoryAdmin

from hubs.models import Closure, CorrectionRequest, Hub, OpeningHours, Service
from hubs.resources import HubResource, import_formats
from hubs.roles import can_edit_hub, is_city_editor
from professionals.models import Membership
from programmes.models import Funding

MANAGER_READONLY = ["slug", "published", "managers", "territory_set_by_hand", "is_demo", "finess"]


class HubChildInline(admin.TabularInline):
    """Hours, closures, memberships: editable by whoever may edit the hub."""

    extra = 0

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and (
            obj is None or can_edit_hub(request.user, obj)
        )

    def has_add_permission(self, request, obj=None):
        return super().has_add_permission(request, obj) and (obj is None or can_edit_hub(request.user, obj))

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and (
            obj is None or can_edit_hub(request.user, obj)
        )


class OpeningHoursInline(HubChildInline):
    model = OpeningHours


class ClosureInline(HubChildInline):
    model = Closure


class MembershipInline(HubChildInline):
    model = Membership
    autocomplete_fields = ["professional"]


class FundingInline(admin.TabularInline):
    model = Funding
    extra = 0
    autocomplete_fields = ["programme"]


class HubAdminForm(forms.ModelForm):
    """Carries the version the editor started from: a save on top of someone else's is refused."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Hub
        exclude = ["search_text"]  # noqa: DJ006 (the admin fieldsets choose and order the fields)

    def clean(self):
        data = super().clean()
        if self.instance.pk is None:
            return data
        # Locked until the admin's transaction ends, so two saves cannot both pass this check.
        current = Hub.objects.select_for_update().only("version").get(pk=self.instance.pk).version
        started_from = data.get("version") or current
        if started_from != current:
            raise forms.ValidationError(conflict_message(self.instance, started_from), code="conflict")
        data["version"] = current
        return data


def conflict_message(hub, started_from: int) -> str:
    newer = list(hub.history.filter(version__gte=started_from).order_by("history_date", "history_id"))
    lines = []
    for older, record in zip(newer, newer[1:], strict=False):
        who = record.history_user or _("quelqu'un")
        changes = record.diff_against(older).changes
        fields = ", ".join(
            f"{Hub._meta.get_field(c.field).verbose_name} : « {c.old} » → « {c.new} »"
            for c in changes
            if c.field != "version"
        )
        lines.append(
            f"{who}, {timezone.localtime(record.history_date):%d/%m/%Y %H:%M} — {fields or _('horaires ou liens')}"
        )
    summary = " ; ".join(lines) or _("une autre modification")
    return _(
        "Ce lieu a été modifié par quelqu'un d'autre pendant que vous l'éditiez : %(summary)s. "
        "Rien n'a été enregistré : rechargez la page pour repartir de la version actuelle, puis refaites vos changements."
    ) % {"summary": summary}


class ToVerifyFilter(admin.SimpleListFilter):
    title = _("vérification")
    parameter_name = "verification"

    def lookups(self, request, model_admin):
        return [("stale", _("À vérifier (plus de %(days)d jours)") % {"days": settings.STALE_AFTER_DAYS})]

    def queryset(self, request, queryset):
        if self.value() == "stale":
            return queryset.stale()
        return queryset


@admin.register(Hub)
class HubAdmin(ImportExportModelAdmin, SimpleHistoryAdmin, LeafletGeoAdmin):
    form = HubAdminForm
    resource_classes = [HubResource]
    formats = import_formats()
    list_display = ["name", "kind", "status", "territory", "published", "last_verified_on", "is_demo"]
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
    history_list_display = ["version", "phone", "accepting_new_patients"]
    actions = ["mark_verified"]
    inlines = [OpeningHoursInline, ClosureInline, MembershipInline, FundingInline]
    fieldsets = [
        (None, {"fields": ["name", "slug", "kind", "status", "published", "description", "version"]}),
        (_("Adresse et position"), {"fields": ["street", "postcode", "city", "location", "territory", "territory_set_by_hand"]}),
        (_("Contact"), {"fields": ["phone", "email", "website"]}),
        (
            _("Accueil"),
            {"fields": ["services", "tiers_payant", ("accepting_new_patients", "accepting_as_of"), "wheelchair_access", "languages"]},
        ),
        (
            _("Reconnaissance, sources et responsables"),
            {
                "fields": [
                    "ars_recognised", "participatory", "opened_on", "supporters", "finess", "managers",
                    ("last_verified_on", "verified_by"), "source", "source_url", "is_demo",
                ]
            },
        ),
    ]  # fmt: skip

    def get_queryset(self, request):
        hubs = super().get_queryset(request)
        return hubs if is_city_editor(request.user) else hubs.filter(managers=request.user)

    def get_readonly_fields(self, request, obj=None):
        # The verification date is set only by "marquer comme vérifié", never by an ordinary save.
        readonly = ["last_verified_on", "verified_by"]
        return readonly if is_city_editor(request.user) else readonly + MANAGER_READONLY

    def get_prepopulated_fields(self, request, obj=None):
        return self.prepopulated_fields if is_city_editor(request.user) else {}

    def get_inlines(self, request, obj):
        return (
            self.inlines
            if is_city_editor(request.user)
            else [OpeningHoursInline, ClosureInline, MembershipInline]
        )

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and (
            obj is None or can_edit_hub(request.user, obj)
        )

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

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        # Restoring an old version is a deliberate overwrite: it starts from the current version.
        if request.method == "POST":
            data = request.POST.copy()
            data["version"] = str(Hub.objects.only("version").get(pk=object_id).version)
            request.POST = data
        return super().history_form_view(request, object_id, version_id, extra_context)

    def save_model(self, request, obj, form, change):
        if change:
            obj.version = form.cleaned_data["version"] + 1
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        form.instance.refresh_search_text()

    @admin.action(description=_("Marquer comme vérifié aujourd'hui"), permissions=["change"])
    def mark_verified(self, request, queryset):
        today = timezone.localdate()
        count = 0
        for hub in queryset:
            if can_edit_hub(request.user, hub):
                hub.last_verified_on, hub.verified_by, hub.version = today, request.user, hub.version + 1
                hub.save(update_fields=["last_verified_on", "verified_by", "version"])
                count += 1
        self.message_user(
            request, _("%(count)d lieu(x) marqué(s) comme vérifié(s).") % {"count": count}, messages.SUCCESS
        )


@admin.register(Service)
class ServiceAdmin(admin.ModelAdmin):
    list_display = ["name", "category", "profession"]
    list_filter = ["category"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(CorrectionRequest)
class CorrectionRequestAdmin(admin.ModelAdmin):
    list_display = ["hub", "created_at", "status", "short_message", "contact"]
    list_filter = ["status", "created_at"]
    search_fields = ["hub__name", "message"]
    readonly_fields = ["hub", "message", "contact", "created_at", "handled_by"]
    fields = ["hub", "message", "contact", "created_at", "status", "handled_by"]

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
            obj is None or can_edit_hub(request.user, obj.hub)
        )

    def save_model(self, request, obj, form, change):
        obj.handled_by = request.user
        super().save_model(request, obj, form, change)
