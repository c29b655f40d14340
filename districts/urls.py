from django.urls import path

from districts import views

app_name = "districts"
urlpatterns = [
    path("", views.territory_list, name="list"),
    path("<slug:slug>/", views.territory_detail, name="detail"),
]
