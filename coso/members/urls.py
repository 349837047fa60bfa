from django.urls import include, path

from . import views

app_name = "members"
urlpatterns = [
    path("", views.member_list, name="list"),
    path("<int:pk>/", views.member_detail, name="detail"),
    # Import and export (coso.members.importing) share the "members" namespace.
    path("import/", include("coso.members.importing.urls")),
]
