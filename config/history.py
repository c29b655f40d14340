"""History pages and restores that follow the admin's own rules.

django-simple-history's pages load a record from the history table, check the *view* permission only and
save whatever form is posted: a hub manager could overwrite any hub. Here the record must be one the user
may see through the admin's `get_queryset`, a restore needs the change permission on it (before and after
the old values are applied), and only the fields the user may edit come back. A restore is a confirmation
page listing what will change, then one POST: no form of old values that could be altered on the way.
"""

from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import FieldDoesNotExist, PermissionDenied, ValidationError
from django.db import models, transaction
from django.db.models.constants import LOOKUP_SEP
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import formats
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from simple_history.admin import SimpleHistoryAdmin
from simple_history.template_utils import HistoricalRecordContextHelper

EMPTY = "—"


def display_value(field, value) -> str:
    """A value as people read it: choice labels, Oui/Non, dates in French, '—' for nothing."""
    if isinstance(value, list):  # many-to-many rows, already objects
        return ", ".join(str(v) for v in value) or EMPTY
    if value is None or value == "" or getattr(value, "pk", False) is None:
        return EMPTY
    if type(value).__name__ == "DeletedObject":  # simple-history's stand-in for a row deleted since
        return _("(supprimé)")
    if field is not None and field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return _("Oui") if value else _("Non")
    if hasattr(value, "geom_type"):
        return f"{value.y:.5f}, {value.x:.5f}" if value.geom_type == "Point" else value.geom_type
    return value if isinstance(value, str) else str(formats.localize(value))


class LabelledHistoryHelper(HistoricalRecordContextHelper):
    """Field labels and readable values instead of PHONE, YES, None and "Deleted utilisateur (pk=None)"."""

    hidden_fields: frozenset = frozenset()

    def context_for_delta_changes(self, delta):
        return [
            {
                "field": capfirst(self.model._meta.get_field(change.field).verbose_name),
                "old": self._display(change.field, change.old),
                "new": self._display(change.field, change.new),
            }
            for change in delta.changes
            if change.field not in self.hidden_fields and change.field != "version"
        ]

    def _display(self, name, value):
        field = self.model._meta.get_field(name)
        if isinstance(field, models.ManyToManyField):
            target = field.m2m_reverse_field_name()
            value = [row[target] for row in value]
        return display_value(field, value)


class GuardedHistoryAdmin(SimpleHistoryAdmin):
    object_history_form_template = "admin/history_restore.html"

    # Which of the user's editable fields a restore brings back: concrete and many-to-many fields that
    # the history tracks. A model admin may narrow it further.
    never_restored: frozenset = frozenset({"id", "version"})

    def hidden_fields(self, request) -> frozenset:
        """Fields this user may not read (e.g. a planned retirement year): not in forms, history or filters."""
        return frozenset(self.get_exclude(request) or ())

    def lookup_allowed(self, lookup, value, request=None):
        # The admin lets lists (and exports, which reuse them) be narrowed by any of the model's own fields,
        # shown or not: `?planned_retirement_year=2028` would list who retires in 2028. A filter reads a field.
        if request is not None and lookup.split(LOOKUP_SEP, 1)[0] in self.hidden_fields(request):
            return False
        return super().lookup_allowed(lookup, value, request)

    def visible_object(self, request, object_id):
        if not self.has_view_or_change_permission(request):
            raise PermissionDenied
        obj = self.get_object(request, unquote(object_id))
        if obj is None:
            raise Http404(_("Cette fiche n'existe pas ou vous n'y avez pas accès."))
        return obj

    def history_view(self, request, object_id, extra_context=None):
        obj = self.visible_object(request, object_id)
        if not self.has_change_permission(request, obj) and not self.has_view_permission(request, obj):
            raise PermissionDenied
        return super().history_view(request, str(obj.pk), extra_context)

    def get_historical_record_context_helper(self, request, historical_record):
        helper = LabelledHistoryHelper(self.model, historical_record)
        helper.hidden_fields = self.hidden_fields(request)
        return helper

    def restorable_fields(self, request, obj) -> tuple[list[str], list[str]]:
        """(concrete fields, many-to-many fields) the user may edit and the history keeps."""
        editable = set(admin.utils.flatten_fieldsets(self.get_fieldsets(request, obj)))
        editable -= set(self.get_readonly_fields(request, obj)) | self.never_restored
        history_model = self.model.history.model
        tracked_m2m = {f.name for f in getattr(history_model, "_history_m2m_fields", [])}
        concrete, m2m = [], []
        for name in sorted(editable):
            try:
                field = self.model._meta.get_field(name)
            except FieldDoesNotExist:
                continue
            if field.many_to_many:
                if name in tracked_m2m:
                    m2m.append(name)
            elif field.concrete:
                try:
                    history_model._meta.get_field(name)
                except FieldDoesNotExist:
                    continue
                concrete.append(name)
        return concrete, m2m

    def restore_changes(self, request, obj, record, concrete, m2m) -> list[dict]:
        """What the restore would change, as rows of a table: field, value now, value in that version."""
        rows = []
        for name in concrete:
            field = self.model._meta.get_field(name)
            now, then = getattr(obj, field.attname), getattr(record, field.attname)
            if now != then:
                rows.append(self._row(field, getattr(obj, name), self._old_value(record, field)))
        for name in m2m:
            field = self.model._meta.get_field(name)
            target = field.m2m_reverse_field_name()
            then = [getattr(row, target) for row in getattr(record, name).all()]
            now = list(getattr(obj, name).all())
            if {o.pk for o in now} != {o.pk for o in then}:
                rows.append(self._row(field, now, then))
        return rows

    @staticmethod
    def _old_value(record, field):
        if field.is_relation:
            pk = getattr(record, field.attname)
            return None if pk is None else field.related_model._default_manager.filter(pk=pk).first()
        return getattr(record, field.name)

    @staticmethod
    def _row(field, now, then):
        return {
            "label": capfirst(field.verbose_name),
            "now": display_value(field, now),
            "then": display_value(field, then),
        }

    def apply_restore(self, request, obj, record, concrete, m2m, form_data) -> None:
        """Put the old values back. Hubs override this to go through their version check."""
        for name in concrete:
            attname = self.model._meta.get_field(name).attname
            setattr(obj, attname, getattr(record, attname))
        if not self.has_change_permission(request, obj):
            raise PermissionDenied  # the old values point somewhere the user may not edit
        obj.full_clean()
        obj._history_user = request.user
        obj.save()
        for name in m2m:
            target = self.model._meta.get_field(name).m2m_reverse_field_name()
            getattr(obj, name).set([getattr(row, f"{target}_id") for row in getattr(record, name).all()])

    def extra_restore_context(self, request, obj, record) -> dict:
        return {}

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        obj = self.visible_object(request, object_id)
        record = get_object_or_404(obj.history.all(), history_id=unquote(version_id))
        may_restore = self.has_change_permission(request, obj)
        if not (may_restore or self.has_view_permission(request, obj)):
            raise PermissionDenied
        concrete, m2m = self.restorable_fields(request, obj)
        opts = self.model._meta
        change_url = reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk])
        if request.method == "POST":
            if not may_restore:
                raise PermissionDenied
            try:
                with transaction.atomic():
                    self.apply_restore(request, obj, record, concrete, m2m, request.POST)
            except ValidationError as exc:
                messages.error(
                    request, _("Cette version ne peut pas être restaurée : %s") % " ".join(exc.messages)
                )
            else:
                self.log_change(
                    request, obj, _("Version du %s restaurée.") % formats.localize(record.history_date)
                )
                messages.success(request, _("La version a été restaurée. Tout reste dans l'historique."))
                return HttpResponseRedirect(change_url)
            obj = self.visible_object(request, object_id)  # the failed restore changed nothing
        context = {
            **self.admin_site.each_context(request),
            "title": _("Restaurer une version : %s") % obj,
            "opts": opts,
            "original": obj,
            "record": record,
            "changes": self.restore_changes(request, obj, record, concrete, m2m),
            "may_restore": may_restore,
            "change_url": change_url,
            "history_url": reverse(f"admin:{opts.app_label}_{opts.model_name}_history", args=[obj.pk]),
            **self.extra_restore_context(request, obj, record),
            **(extra_context or {}),
        }
        request.current_app = self.admin_site.name
        return TemplateResponse(request, self.object_history_form_template, context)
