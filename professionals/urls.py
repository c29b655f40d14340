from django.urls import path

from professionals import views

app_name = "professionals"
urlpatterns = [
    path("", views.professional_list, name="list"),
    path("<int:pk>/", views.professional_detail, name="detail"),
]
