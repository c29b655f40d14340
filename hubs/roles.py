"""The two staff roles and what each may touch.

- City editors edit and publish every record, manage programmes and territories.
- Hub managers edit only the hubs they are attached to: hub details, hours, closures, services and
  memberships. Their edits go live at once (see README, "Editing"); every change is in the history.
"""

from django.apps import apps
from django.contrib.auth.management import create_permissions
from django.contrib.auth.models import Group, Permission

CITY_EDITORS = "Éditeurs de la ville"
HUB_MANAGERS = "Gestionnaires de lieux"
PORTAL_APPS = ["districts", "professionals", "hubs", "programmes"]
HUB_MANAGER_PERMISSIONS = [
    "hubs.view_hub",
    "hubs.change_hub",
    "hubs.view_service",
    "professionals.view_professional",
    "hubs.view_correctionrequest",
    "hubs.change_correctionrequest",
    *(f"{app}.{action}_{model}" for app, model in [("hubs", "openinghours"), ("hubs", "closure"), ("professionals", "membership")]
      for action in ("view", "add", "change", "delete")),
]  # fmt: skip


def ensure_groups(**kwargs) -> None:
    """Create or refresh both groups; runs after every migrate."""
    for label in PORTAL_APPS:
        create_permissions(apps.get_app_config(label), verbosity=0)
    editors, _ = Group.objects.get_or_create(name=CITY_EDITORS)
    editors.permissions.set(Permission.objects.filter(content_type__app_label__in=PORTAL_APPS))
    managers, _ = Group.objects.get_or_create(name=HUB_MANAGERS)
    wanted = [p.split(".") for p in HUB_MANAGER_PERMISSIONS]
    managers.permissions.set(
        [Permission.objects.get(content_type__app_label=app, codename=codename) for app, codename in wanted]
    )


def is_city_editor(user) -> bool:
    if not (user.is_active and user.is_staff):
        return False
    if not hasattr(user, "_is_city_editor"):
        user._is_city_editor = user.is_superuser or user.groups.filter(name=CITY_EDITORS).exists()
    return user._is_city_editor


def can_edit_hub(user, hub) -> bool:
    if is_city_editor(user):
        return True
    return bool(
        user.is_active and user.is_staff and hub is not None and hub.managers.filter(pk=user.pk).exists()
    )
