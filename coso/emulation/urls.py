from django.urls import path

from . import views

app_name = "emulation"
urlpatterns = [
    path("", views.movement_list, name="movement_list"),
    path("new/", views.movement_create, name="movement_create"),
    path("<int:pk>/", views.movement_detail, name="movement_detail"),
    path("<int:pk>/export/", views.movement_export, name="movement_export"),
    path("<int:pk>/sign/", views.covenant_sign, name="covenant_sign"),
    path("<int:pk>/scores/<int:org>/<int:year>/", views.scorecard, name="scorecard"),
    path("awards/", views.award_list, name="award_list"),
    path("awards/new/", views.award_create, name="award_create"),
]
