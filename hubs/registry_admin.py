"""Staff screens for what the registries bring: suggestions to accept or refuse, and duplicate hubs to merge.

Suggestions: city editors see all; hub managers those about their hubs. Duplicates and merges: city editors.
"""

from django.contrib import admin, messages
from django.core.exceptions import FieldDoesNotExist, PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from config.roles import is_city_editor
from hubs import duplicates, registry, services
from hubs.models import Hub, RegistryRefresh, RegistrySuggestion


@admin.register(RegistryRefresh)
class RegistryRefreshAdmin(admin.ModelAdmin):
    """The monthly refreshes' reports, read by city editors (the digest links here)."""

    list_display = ["finished_at", "registry", "succeeded", "summary"]
    list_filter = ["registry", "succeeded"]

    def has_view_permission(self, request, obj=None):
        return is_city_editor(request.user)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(RegistrySuggestion)
class RegistrySuggestionAdmin(admin.ModelAdmin):
    list_display = ["record_name", "field_label", "current", "value", "source", "extracted_on", "status"]
    list_filter = ["status", "source"]
    list_select_related = ["hub", "professional"]
    ordering = ["-extracted_on", "pk"]
    actions = ["accept", "refuse"]
    readonly_fields = [f.name for f in RegistrySuggestion._meta.fields]

    @admin.display(description=_("fiche"))
    def record_name(self, suggestion):
        return suggestion.record

    @admin.display(description=_("champ"))
    def field_label(self, suggestion):
        model = type(suggestion.record)
        try:
            return capfirst(model._meta.get_field(suggestion.field.removesuffix("_id")).verbose_name)
        except FieldDoesNotExist:
            return suggestion.field

    def get_queryset(self, request):
        suggestions = super().get_queryset(request)
        return suggestions if is_city_editor(request.user) else suggestions.filter(hub__managers=request.user)

    def has_add_permission(self, request):
        return False  # only imports suggest

    def has_delete_permission(self, request, obj=None):
        return False  # decided, not deleted: a refusal keeps the import from suggesting it again

    @admin.action(
        description=_("Accepter : la valeur du registre remplace la valeur actuelle"), permissions=["change"]
    )
    def accept(self, request, queryset):
        self.decide(request, queryset, accept=True)

    @admin.action(description=_("Refuser : garder la valeur actuelle"), permissions=["change"])
    def refuse(self, request, queryset):
        self.decide(request, queryset, accept=False)

    def decide(self, request, queryset, *, accept):
        pending = queryset.filter(status=RegistrySuggestion.Status.PENDING)
        mine = pending.decidable_by(request.user)
        count = 0
        for suggestion in mine.select_related("hub", "professional"):
            registry.decide(suggestion, accept=accept, user=request.user)
            count += 1
        self.message_user(
            request, _("%(count)d suggestion(s) traitée(s).") % {"count": count}, messages.SUCCESS
        )
        if left := pending.exclude(pk__in=mine.values("pk")).count():
            self.message_user(
                request,
                _(
                    "%(count)d suggestion(s) laissée(s) aux éditeurs de la ville : elles portent sur des champs que vous ne modifiez pas."
                )
                % {"count": left},
                messages.WARNING,
            )


def duplicates_view(model_admin, request):
    if not is_city_editor(request.user):
        raise PermissionDenied
    context = {
        **model_admin.admin_site.each_context(request),
        "opts": Hub._meta,
        "title": _("Lieux peut-être en double"),
        "pairs": duplicates.candidate_pairs(),
    }
    return TemplateResponse(request, "admin/hubs/hub/duplicates.html", context)


def merge_view(model_admin, request, keep_id, remove_id):
    if not is_city_editor(request.user):
        raise PermissionDenied
    keep, remove = get_object_or_404(Hub, pk=keep_id), get_object_or_404(Hub, pk=remove_id)
    if keep.pk == remove.pk:
        raise PermissionDenied
    if request.method == "POST":
        services.merge_hubs(
            keep=keep,
            remove=remove,
            user=request.user,
            move_managers=request.POST.get("move_managers") == "yes",
        )
        model_admin.message_user(
            request,
            _("« %(removed)s » est fusionné dans « %(kept)s ».")
            % {"removed": remove.name, "kept": keep.name},
        )
        return redirect("admin:hubs_hub_change", keep.pk)
    context = {
        **model_admin.admin_site.each_context(request),
        "opts": Hub._meta,
        "title": _("Fusionner deux lieux"),
        "keep": keep,
        "remove": remove,
        "remove_managers": remove.managers.exclude(pk__in=keep.managers.values("pk")).order_by("username"),
        "moving": {
            "memberships": remove.memberships.count(),
            "fundings": remove.fundings.count(),
            "services": remove.services.count(),
            "corrections": remove.corrections.count(),
        },
    }
    return TemplateResponse(request, "admin/hubs/hub/merge.html", context)
