from django.urls import path

from programmes import views

app_name = "programmes"
urlpatterns = [
    path("", views.programme_list, name="list"),
    path("export.csv", views.programme_export, name="export"),
    path("<slug:slug>/", views.programme_detail, name="detail"),
]
