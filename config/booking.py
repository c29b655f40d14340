"""Where a resident books a hub or a professional: an https link whose platform the page names before the
resident leaves the site (Doctolib, Maiia…), or "by phone only"."""

from urllib.parse import urlsplit

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

# The booking platforms residents know by name; anything else is "a booking site".
PLATFORMS = {
    "doctolib.fr": "Doctolib",
    "maiia.com": "Maiia",
    "keldoc.com": "Keldoc",
    "qare.fr": "Qare",
    "mondocteur.fr": "MonDocteur",
}


def host(url: str) -> str:
    hostname = (urlsplit(url).hostname or "").lower()
    return hostname.removeprefix("www.")


def validate_booking_url(value: str) -> None:
    """https only: no javascript:, data: or plain http: link is offered to a resident."""
    parts = urlsplit(value)
    if parts.scheme.lower() != "https" or not parts.hostname or parts.username or parts.password:
        raise ValidationError(
            _("Un lien de prise de rendez-vous commence par https:// suivi d'un nom de site."),
            code="booking_url",
        )


def platform(url: str, *, own_site: str = "") -> str:
    """The name shown on the booking action: a known platform, the place's own site, or a booking site."""
    found = host(url)
    for domain, name in PLATFORMS.items():
        if found == domain or found.endswith("." + domain):
            return name
    if own_site and found == host(own_site):
        return str(_("le site du lieu"))
    return str(_("un site de prise de rendez-vous"))


class Bookable(models.Model):
    """The two booking fields, shared by hubs and professionals."""

    booking_url = models.URLField(
        _("prise de rendez-vous en ligne"),
        max_length=500,
        blank=True,
        validators=[validate_booking_url],
        help_text=_(
            "Adresse https:// de la page de prise de rendez-vous (Doctolib, Maiia, Keldoc, site du lieu…)."
        ),
    )
    booking_by_phone_only = models.BooleanField(_("rendez-vous par téléphone uniquement"), default=False)

    class Meta:
        abstract = True
        constraints = [
            models.CheckConstraint(
                condition=models.Q(booking_url="") | models.Q(booking_by_phone_only=False),
                name="%(class)s_booking_link_or_phone_only",
            )
        ]

    def clean(self):
        super().clean()
        if self.booking_url and self.booking_by_phone_only:
            raise ValidationError(
                {
                    "booking_by_phone_only": _(
                        "Un lieu avec un lien de prise de rendez-vous ne prend pas que par téléphone."
                    )
                }
            )

    @property
    def booking_host(self) -> str:
        return host(self.booking_url)

    def booking_platform(self) -> str:
        """Empty without a link (as the API gives it)."""
        return platform(self.booking_url, own_site=getattr(self, "website", "")) if self.booking_url else ""
