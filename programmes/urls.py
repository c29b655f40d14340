from django.urls import path

from programmes import views

app_name = "programmes"
urlpatterns = [
    path("", views.programme_list, name="list"),
    path("<slug:slug>/", views.programme_detail, name="detail"),
]
