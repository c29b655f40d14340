from django.urls import path

from hubs import views

app_name = "hubs"
urlpatterns = [
    path("", views.hub_list, name="list"),
    path("<slug:slug>/", views.hub_detail, name="detail"),
]
