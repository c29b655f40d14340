"""The two staff roles and what each may touch (groups kept in sync by portal after every migrate).

- City editors edit and publish every record, manage programmes and territories.
- Hub managers edit only the hubs they are attached to: hub details, hours, closures, services and
  memberships. Their edits go live at once (see docs/editing-and-security.md); every change is in the history.
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
    "hubs.view_registrysuggestion",
    "hubs.change_registrysuggestion",
    *(f"{app}.{action}_{model}" for app, model in [("hubs", "openinghours"), ("hubs", "closure"), ("professionals", "membership")]
      for action in ("view", "add", "change", "delete")),
]  # fmt: skip
# Accounts (portal/admin.py narrows what editors see and grant) and lockouts.
CITY_EDITOR_EXTRA_PERMISSIONS = [
    "auth.view_user", "auth.add_user", "auth.change_user", "axes.view_accessattempt", "axes.delete_accessattempt",
]  # fmt: skip


def ensure_groups(**kwargs) -> None:
    """Create or refresh both groups; runs after every migrate."""
    for label in [*PORTAL_APPS, "auth", "axes"]:
        create_permissions(apps.get_app_config(label), verbosity=0)
    editors, _ = Group.objects.get_or_create(name=CITY_EDITORS)
    editors.permissions.set(
        [
            *Permission.objects.filter(content_type__app_label__in=PORTAL_APPS),
            *_permissions(CITY_EDITOR_EXTRA_PERMISSIONS),
        ]
    )
    managers, _ = Group.objects.get_or_create(name=HUB_MANAGERS)
    managers.permissions.set(_permissions(HUB_MANAGER_PERMISSIONS))


def _permissions(names: list[str]) -> list[Permission]:
    wanted = [name.split(".") for name in names]
    return [
        Permission.objects.get(content_type__app_label=app, codename=codename) for app, codename in wanted
    ]


def is_city_editor(user) -> bool:
    if not (user.is_active and user.is_staff):
        return False
    if not hasattr(user, "_is_city_editor"):
        user._is_city_editor = user.is_superuser or user.groups.filter(name=CITY_EDITORS).exists()
    return user._is_city_editor
