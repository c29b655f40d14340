from collections import defaultdict

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class StaffLanguage(models.Model):
    """The language a member of staff reads the site in: set by their invitation, then by each sign-in."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, primary_key=True, related_name="staff_language"
    )
    language = models.CharField(_("langue"), max_length=8, choices=settings.LANGUAGES)

    class Meta:
        verbose_name = _("langue d'un membre de l'équipe")
        verbose_name_plural = _("langues des membres de l'équipe")

    def __str__(self):
        return self.language


def remember_language(user, language: str) -> None:
    if language in dict(settings.LANGUAGES):
        StaffLanguage.objects.update_or_create(user=user, defaults={"language": language})


def addresses_by_language(users) -> dict[str, list[str]]:
    """The active users' addresses, grouped by the language each reads (the site's default when unknown)."""
    grouped = defaultdict(list)
    rows = users.filter(is_active=True).exclude(email="").values_list("email", "staff_language__language")
    for email, language in rows:
        grouped[language or settings.LANGUAGE_CODE].append(email)
    return dict(grouped)
