from django.urls import path

from . import views

app_name = "orgs"
urlpatterns = [
    path("", views.tree, name="tree"),
    path("<int:pk>/", views.detail, name="detail"),
    path("restructure/", views.restructure, name="restructure"),
    path("supervision/", views.supervision, name="supervision"),
]
