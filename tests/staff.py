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
    """Signed in with both factors, as after the code step (tests of that step sign in by the form)."""
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    client.force_login(user)
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    device = device or TOTPDevice.objects.create(user=user, name="test", confirmed=True)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
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
