from django.urls import path

from portal import views

# No namespace: "home" and "healthz" are the site's own names.
urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
]
