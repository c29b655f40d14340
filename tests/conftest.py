import pytest
from django.conf import settings
from django.core.management import call_command


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Every test starts from the demo directory (real boundaries, the seeds' hubs)."""
    with django_db_blocker.unblock():
        call_command("load_demo", verbosity=0)


@pytest.fixture(autouse=True)
def fast_passwords(settings):
    # Production hashes with PBKDF2 (a second of work per password, on purpose); tests make hundreds of accounts.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def default_language():
    """A request to /en/ leaves English active in the thread (LocaleMiddleware does not switch back): the next
    test's `reverse()` would give /en/ addresses."""
    from django.utils import translation

    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def files_in_tmp(settings, tmp_path):
    """What commands write (open-data files, downloaded registries, backups) goes to the test's own folder."""
    settings.EXPORTS_DIR = tmp_path / "exports"
    settings.REGISTRY_DIR = tmp_path / "registries"
    settings.BACKUP_DIR = tmp_path / "backups"


@pytest.fixture(autouse=True)
def plain_static_files(settings):
    # The manifest storage needs collectstatic; tests read files straight from static/.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture
def staff_client(client, django_user_model):
    from tests.staff import logged_in

    user = django_user_model.objects.create_superuser("agent", "agent@example.org", "a-long-passphrase-42")
    return logged_in(client, user)


@pytest.fixture
def admin_client(client, admin_user):
    """pytest-django's, with the second factor the admin asks of a superuser."""
    from tests.staff import logged_in

    return logged_in(client, admin_user)


@pytest.fixture
def bounded_get(client, django_assert_max_num_queries):
    """GET a page once to fill the shared cache, then again within `most` queries, asserting a 200."""

    def get(url, params=None, *, most):
        client.get(url, params or {})
        with django_assert_max_num_queries(most, info=url):
            response = client.get(url, params or {})
        assert response.status_code == 200, (url, response.status_code)
        return response

    return get


@pytest.fixture
def editor():
    from tests.staff import account

    return account("editrice", "--role", "city-editor")


@pytest.fixture
def manager():
    from tests.staff import BLOSNE, account

    return account("coordinatrice", "--role", "hub-manager", "--hub", BLOSNE)


@pytest.fixture
def no_role(django_user_model):
    from tests.staff import PASSWORD

    return django_user_model.objects.create_user("stagiaire", password=PASSWORD, is_staff=True)


@pytest.fixture
def outbox(settings):
    """Mail as the queue sends it (run_scheduled), caught in Django's test outbox; links to the public site."""
    from django.core import mail

    settings.POST_OFFICE = {
        **settings.POST_OFFICE,
        "BACKENDS": {"default": "django.core.mail.backends.locmem.EmailBackend"},
    }
    settings.SITE_URL = "https://sante.example.org"
    mail.outbox.clear()
    return mail.outbox
