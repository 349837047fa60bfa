from django.urls import path

from . import views

app_name = "commitments"
urlpatterns = [
    path("", views.hard_task_list, name="list"),
    path("export/", views.hard_task_export, name="export"),
    path("new/", views.hard_task_create, name="create"),
    path("<int:pk>/", views.hard_task_detail, name="detail"),
    path("<int:pk>/edit/", views.hard_task_edit, name="edit"),
    path("<int:pk>/updates/new/", views.hard_task_update_create, name="update_create"),
    path("<int:pk>/<slug:action>/", views.hard_task_transition, name="transition"),
    path("updates/<int:pk>/evidence/", views.hard_task_evidence, name="evidence"),
]
