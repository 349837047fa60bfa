"""Import wizard routes, mounted under /members/import/ in the "members" namespace."""

from django.urls import path

from . import views

urlpatterns = [
    path("", views.member_import, name="import"),
    path("template.xlsx", views.member_import_template, name="import_template"),
    path("<int:pk>/", views.member_import_detail, name="import_detail"),
    path("<int:pk>/progress/", views.member_import_progress, name="import_progress"),
    path("<int:pk>/confirm/", views.member_import_confirm, name="import_confirm"),
]
