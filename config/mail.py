"""Mail from the portal: rendered in the recipient's language, plain text and HTML, queued by django-post-office
(retried when the server is down, logged in the admin under "Post Office"), and sent by `manage.py run_scheduled`.

`once` keys keep anything from being sent twice for the same thing (a reminder per hub and check, a digest per
week): they are kept in the rate-limit counters' table, as a count that cannot pass one.
"""

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from post_office import mail

from config.http import take

TEN_YEARS = 10 * 365 * 24 * 3600


def site_url(path: str) -> str:
    return f"{settings.SITE_URL}{path}"


def admin_url(name: str, *args, query: str = "") -> str:
    return site_url(reverse(f"admin:{name}", args=args) + (f"?{query}" if query else ""))


def first_time(key: str) -> bool:
    """True the first time this key is asked, never again (atomic: two runs at once cannot both pass)."""
    return take("once", key, limit=1, seconds=TEN_YEARS)[0]


def queue(*, to, template: str, context: dict, language: str = "", once: str = "") -> bool:
    """Queue `mail/<template>` (subject, .txt, .html) to these addresses. False when nothing was queued: no
    address, or `once` already used."""
    to = sorted({address for address in to if address})
    if not to or (once and not first_time(once)):
        return False
    with translation.override(language or settings.LANGUAGE_CODE):
        context = {**context, "site_url": settings.SITE_URL}
        subject = " ".join(render_to_string(f"mail/{template}_subject.txt", context).split())
        text = render_to_string(f"mail/{template}.txt", context)
        html = render_to_string(f"mail/{template}.html", context)
    mail.send(
        recipients=to, sender=settings.DEFAULT_FROM_EMAIL, subject=subject, message=text, html_message=html
    )
    return True
