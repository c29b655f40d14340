"""Staff accounts and admin forms, as the staff tests and the browser tests use them."""

from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.urls import reverse

from hubs.models import Hub

PASSWORD = "Une-phrase-de-passe-solide-42"
BLOSNE = "centre-de-sante-communautaire-du-blosne"
SABOURAUD = "espace-sante-olivier-sabouraud"


def account(username, *args):
    call_command("create_staff_account", username, "--password", PASSWORD, *args, verbosity=0)
    return get_user_model().objects.get(username=username)


def logged_in(client, user):
    client.force_login(user)
    return client


def admin_form_data(client, url):
    """An admin change form (with its inlines) as a browser would submit it unchanged."""
    response = client.get(url)
    form = response.context["adminform"].form
    data = {}
    for name, field in form.fields.items():
        value = form.initial.get(name, field.initial)
        if hasattr(value, "geojson"):
            data[name] = value.geojson
        elif isinstance(value, list | tuple | set) or (hasattr(value, "all") and not isinstance(value, str)):
            data[name] = [getattr(v, "pk", v) for v in (value.all() if hasattr(value, "all") else value)]
        else:
            data[name] = "" if value is None else getattr(value, "pk", value)
    inlines = response.context.get("inline_admin_formsets", [])
    for formset in inlines:
        management = formset.formset.management_form
        data.update({f"{management.prefix}-{k}": v for k, v in management.initial.items()})
        for inline_form in formset.formset.forms:
            for name in inline_form.fields:
                value = inline_form.instance.pk if name == "id" else inline_form.initial.get(name)
                data[f"{inline_form.prefix}-{name}"] = "" if value is None else getattr(value, "pk", value)
    return data


def hub(slug=BLOSNE):
    return Hub.objects.get(slug=slug)


def change_url(slug=BLOSNE):
    return reverse("admin:hubs_hub_change", args=[hub(slug).pk])


def hub_form(client, slug=BLOSNE):
    return admin_form_data(client, change_url(slug))
