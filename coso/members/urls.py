from django.urls import include, path

from . import views
from .importing import views as importing_views

app_name = "members"
urlpatterns = [
    path("", views.member_list, name="list"),
    path("new/", views.member_create, name="create"),
    path("<int:pk>/", views.member_detail, name="detail"),
    path("<int:pk>/edit/", views.member_edit, name="edit"),
    path("<int:pk>/event/", views.member_event, name="event"),
    path("<int:pk>/transfer/", views.member_transfer, name="transfer"),
    # Import and export (coso.members.importing) share the "members" namespace.
    path("import/", include("coso.members.importing.urls")),
    path("export/", importing_views.member_export, name="export"),
]
