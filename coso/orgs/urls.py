from django.urls import path

from . import picker, views

app_name = "orgs"
urlpatterns = [
    path("", views.tree, name="tree"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/edit/", views.edit, name="edit"),
    path("<int:pk>/new/", views.create_child, name="create_child"),
    path("<int:pk>/terms/new/", views.term_create, name="term_create"),
    path("<int:pk>/committees/new/", views.committee_create, name="committee_create"),
    path("<int:pk>/positions/new/", views.position_assign, name="position_assign"),
    path("positions/<int:pk>/end/", views.position_end, name="position_end"),
    path("restructure/", views.restructure, name="restructure"),
    path("restructure/<slug:kind>/", views.restructure_form, name="restructure_form"),
    path("restructurings/<int:pk>/", views.restructuring_detail, name="restructuring_detail"),
    path("supervision/", views.supervision, name="supervision"),
    path("pick/", picker.organization_pick, name="pick"),
    path("supervision/<int:pk>/end/", views.supervision_end, name="supervision_end"),
]
