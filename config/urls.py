from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from opendata.urls import page_urlpatterns as open_data_pages
from portal.urls import page_urlpatterns as portal_pages

# Machines' addresses first (API, FHIR, feeds, health check, sitemaps: one address whatever the language),
# then the pages for people: French at /hubs/…, English at /en/hubs/… (portal.middleware picks on a first visit).
urlpatterns = [
    path("", include("portal.urls")),
    path("", include("opendata.urls")),
    path("i18n/", include("django.conf.urls.i18n")),  # the language switcher's form posts here
    # Staff reset a forgotten password by mail (Django's own views; the admin's login page links to the first).
    path("admin/password_reset/", auth_views.PasswordResetView.as_view(), name="admin_password_reset"),
    path(
        "admin/password_reset/done/", auth_views.PasswordResetDoneView.as_view(), name="password_reset_done"
    ),
    path(
        "admin/reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path("admin/reset/done/", auth_views.PasswordResetCompleteView.as_view(), name="password_reset_complete"),
    path("admin/", admin.site.urls),
    *i18n_patterns(
        path("", include(portal_pages)),
        path("", include(open_data_pages)),
        path("hubs/", include("hubs.urls")),
        path("professionals/", include("professionals.urls")),
        path("districts/", include("districts.urls")),
        path("programmes/", include("programmes.urls")),
        path("acces/", include("access.urls")),
        prefix_default_language=False,
    ),
]

handler500 = "portal.views.server_error"

admin.site.site_header = _("Annuaire des lieux de santé — administration")
admin.site.site_title = _("Lieux de santé")
