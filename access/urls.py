from django.urls import path

from access import views

app_name = "access"
urlpatterns = [path("", views.what_if_page, name="what_if")]
