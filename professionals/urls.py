from django.urls import path

import config.http  # noqa: F401 (registers the <id:…> converter)
from professionals import views

app_name = "professionals"
urlpatterns = [
    path("", views.professional_list, name="list"),
    path("<id:pk>/", views.professional_detail, name="detail"),
]
