"""Staff are told, not expected to look: mail queued (django-post-office), sent by run_scheduled, never twice."""

import datetime
import socket
from io import StringIO

import pytest
import time_machine
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from hubs import notices
from hubs.models import CorrectionRequest, Hub
from portal.management.commands.run_scheduled import claim
from tests.staff import BLOSNE, SABOURAUD, hub, logged_in

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("outbox")]


def scheduled() -> str:
    out = StringIO()
    call_command("run_scheduled", stdout=out)
    return out.getvalue()


def report(client, slug=BLOSNE, **fields):
    return client.post(reverse("hubs:report", args=[slug]), {"message": "Le téléphone a changé.", **fields})


def reports_mail(outbox):
    return [m for m in outbox if "signale une erreur" in m.subject]


def test_a_report_reaches_the_hubs_managers_by_mail_with_a_link_to_it(client, manager, editor, outbox):
    manager.email, editor.email = "coordinatrice@example.org", "editrice@example.org"
    manager.save(), editor.save()
    assert report(client).status_code == 302
    assert outbox == []  # queued, not sent in the resident's request
    assert "mail: 1 sent" in scheduled()
    (sent,) = reports_mail(outbox)
    assert (
        sent.to == ["coordinatrice@example.org"] and "Centre de santé communautaire du Blosne" in sent.subject
    )
    correction = CorrectionRequest.objects.get()
    assert f"https://sante.example.org/admin/hubs/correctionrequest/{correction.pk}/change/" in sent.body
    assert sent.alternatives and "<blockquote>" in sent.alternatives[0][0]
    scheduled()
    assert len(reports_mail(outbox)) == 1  # never twice


def test_a_report_on_a_hub_without_managers_goes_to_the_city_editors(client, editor, outbox):
    editor.email = "editrice@example.org"
    editor.save()
    report(client, SABOURAUD)
    scheduled()
    assert [m.to for m in reports_mail(outbox)] == [["editrice@example.org"]]


def test_a_resident_who_asked_hears_once_when_it_is_handled(client, editor, outbox):
    refused = report(client, notify="on", contact="pas une adresse")
    assert refused.status_code == 400 and "adresse électronique" in refused.content.decode()
    report(client, notify="on", contact="habitante@example.org", HTTP_ACCEPT_LANGUAGE="fr")
    correction = CorrectionRequest.objects.get()
    url = reverse("admin:hubs_correctionrequest_change", args=[correction.pk])
    logged_in(client, editor)
    client.post(url, {"status": "IN_PROGRESS", "note": ""})
    client.post(url, {"status": "DONE", "note": "Numéro corrigé, merci."})
    client.post(url, {"status": "DONE", "note": "Numéro corrigé, merci !"})
    scheduled()
    to_resident = [m for m in outbox if m.to == ["habitante@example.org"]]
    assert (
        len(to_resident) == 1
        and "est corrigée" in to_resident[0].body
        and "Numéro corrigé" in to_resident[0].body
    )


def test_freshness_reminder_at_180_days_then_a_confirmation_by_the_hub(client, manager, outbox):
    manager.email = "coordinatrice@example.org"
    manager.save()
    Hub.objects.filter(slug=BLOSNE).update(last_verified_on=datetime.date(2026, 1, 5))
    with time_machine.travel(datetime.datetime(2026, 6, 30, 9, tzinfo=datetime.UTC)):  # 176 days
        scheduled()
        assert not [m for m in outbox if "toujours juste" in m.subject]
    with time_machine.travel(datetime.datetime(2026, 7, 5, 9, tzinfo=datetime.UTC)):  # 181 days
        scheduled()
        scheduled()  # queued by the daily job, sent by the next call
        (reminder,) = [m for m in outbox if "toujours juste" in m.subject]
        assert reminder.to == ["coordinatrice@example.org"] and "5 janvier 2026" in reminder.body
        link = next(word for word in reminder.body.split() if "/confirmer/" in word).removeprefix(
            "https://sante.example.org"
        )
        scheduled()
    assert len([m for m in outbox if "toujours juste" in m.subject]) == 1  # the daily job ran once that day
    with time_machine.travel(datetime.datetime(2026, 7, 6, 9, tzinfo=datetime.UTC)):
        scheduled()  # the next day: the same check, no second reminder
        assert len([m for m in outbox if "toujours juste" in m.subject]) == 1
        assert (
            client.get(link).status_code == 200 and hub().confirmed_by_hub_on is None
        )  # a look changes nothing
        assert client.post(link).status_code == 200
    assert hub().confirmed_by_hub_on == datetime.date(2026, 7, 6) and hub().last_verified_on == datetime.date(
        2026, 1, 5
    )


def test_a_forged_or_expired_confirmation_link_changes_nothing(client):
    blosne = hub()
    token = notices.confirmation_token(blosne)
    forged = client.post(reverse("hubs:confirm", args=[BLOSNE, token[:-3] + "abc"]))
    assert forged.status_code == 400 and "ne fonctionne plus" in forged.content.decode()
    other = client.post(reverse("hubs:confirm", args=[SABOURAUD, token]))
    assert other.status_code == 400
    with time_machine.travel(timezone.now() + datetime.timedelta(days=31)):
        assert client.post(reverse("hubs:confirm", args=[BLOSNE, token])).status_code == 400
    assert hub().confirmed_by_hub_on is None


def test_a_weekly_digest_to_editors_once_a_week(client, editor, outbox):
    editor.email = "editrice@example.org"
    editor.save()
    report(client)

    def digests():
        return [m for m in outbox if "cette semaine" in m.subject and m.to == ["editrice@example.org"]]

    with time_machine.travel(datetime.datetime(2026, 12, 7, 9, tzinfo=datetime.UTC)):
        scheduled()
        scheduled()
    assert len(digests()) == 1 and "1 signalements d'habitants ouverts" in digests()[0].body
    assert "https://sante.example.org/admin/hubs/correctionrequest/" in digests()[0].body
    with time_machine.travel(datetime.datetime(2026, 12, 10, 9, tzinfo=datetime.UTC)):
        scheduled()
    assert len(digests()) == 1
    with time_machine.travel(datetime.datetime(2026, 12, 15, 9, tzinfo=datetime.UTC)):
        scheduled()
        scheduled()  # the queue is sent at the next call
    assert len(digests()) == 2


def test_an_empty_week_sends_no_digest():
    CorrectionRequest.objects.all().delete()
    Hub.objects.update(last_verified_on=timezone.localdate())
    Hub.objects.filter(status=Hub.Status.CLOSED).update(status=Hub.Status.OPEN)
    from hubs.models import RegistrySuggestion

    RegistrySuggestion.objects.all().delete()
    from unittest import mock

    with mock.patch("hubs.duplicates.candidate_pairs", return_value=[]):
        assert notices.digest(timezone.localdate()) is False


def test_two_runs_at_once_claim_a_job_once_and_a_missed_day_catches_up():
    now = timezone.now()
    assert claim("purge-test", datetime.timedelta(days=1), now)
    assert not claim("purge-test", datetime.timedelta(days=1), now)  # the other run, at the same moment
    from portal.models import ScheduledJob

    ScheduledJob.objects.filter(name="purge-test").update(
        running_until=None, last_done=now - datetime.timedelta(days=3)
    )
    assert claim("purge-test", datetime.timedelta(days=1), now)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_through_a_real_smtp_server_that_is_down_then_back(client, manager, settings):
    from aiosmtpd.controller import Controller

    class Inbox:
        def __init__(self):
            self.messages = []

        async def handle_DATA(self, server, session, envelope):
            self.messages.append(envelope)
            return "250 OK"

    port = free_port()
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_USE_TLS, settings.EMAIL_TIMEOUT = (
        "127.0.0.1",
        port,
        False,
        5,
    )
    settings.POST_OFFICE = {
        **settings.POST_OFFICE,
        "BACKENDS": {"default": "django.core.mail.backends.smtp.EmailBackend"},
    }
    manager.email = "coordinatrice@example.org"
    manager.save()
    assert report(client).status_code == 302  # the server is down: the report is saved all the same
    assert "1 to retry" in scheduled() and CorrectionRequest.objects.count() == 1
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        with time_machine.travel(timezone.now() + datetime.timedelta(minutes=16)):  # after the retry interval
            assert "0 failed, 0 to retry" in scheduled()
    finally:
        controller.stop()
    reports = [m for m in inbox.messages if b"signale une erreur" in m.content]
    assert len(reports) == 1 and reports[0].rcpt_tos == ["coordinatrice@example.org"]
