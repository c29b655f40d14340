import os

import pytest
from django.core.management import call_command
from playwright.sync_api import sync_playwright
from pytest_django.live_server_helper import LiveServer

# Playwright's sync API runs an event loop in this thread; the ORM calls the tests make are still synchronous.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]


@pytest.fixture(scope="session")
def browser():
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture(scope="session")
def _reading_server(django_db_setup, django_db_blocker):
    # One server for the whole session over the demo the session loaded once. On SQLite it shares the test's
    # in-memory connection; on PostgreSQL it has its own and sees only what is committed, the demo.
    with django_db_blocker.unblock():
        server = LiveServer("localhost")
    server._live_server_modified_settings.enable()
    yield server
    server._live_server_modified_settings.disable()
    server.stop()


@pytest.fixture
def site(_reading_server, db):
    """The demo, served, for tests in which the browser only reads: no reload, each test rolled back."""
    return _reading_server


@pytest.fixture
def demo_server(live_server):
    """For tests whose browser writes (sign-ins, edits): a database emptied after each test, so the demo is
    loaded again for each one, without the 351 pharmacies (tests/hubs covers the pharmacy layer)."""
    call_command("load_demo", "--without-pharmacies", verbosity=0)
    return live_server


@pytest.fixture
def page(browser):
    context = browser.new_context(locale="fr-FR", timezone_id="Europe/Paris")
    page = context.new_page()
    page.console_errors = []
    page.on("console", lambda message: message.type == "error" and page.console_errors.append(message.text))
    page.on("pageerror", lambda error: page.console_errors.append(str(error)))
    yield page
    context.close()
