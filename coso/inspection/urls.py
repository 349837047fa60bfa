from django.urls import path

from . import views

app_name = "inspection"
urlpatterns = [
    path("remedies/", views.remedy_list, name="remedy_list"),
    path("remedies/<int:pk>/", views.remedy_detail, name="remedy_detail"),
    path("remedies/<int:pk>/updates/new/", views.remedy_update_create, name="remedy_update_create"),
    path("remedies/<int:pk>/<slug:action>/", views.remedy_transition, name="remedy_transition"),
    path("remedies/updates/<int:pk>/evidence/", views.remedy_evidence, name="remedy_evidence"),
    path("shortcomings/new/", views.shortcoming_create, name="shortcoming_create"),
    path("plans/", views.plan_list, name="plan_list"),
    path("plans/new/", views.plan_create, name="plan_create"),
    path("plans/<int:pk>/", views.plan_detail, name="plan_detail"),
    path("cases/", views.case_list, name="case_list"),
    path("cases/new/", views.case_create, name="case_create"),
    path("cases/<int:pk>/", views.case_detail, name="case_detail"),
    path("cases/<int:pk>/steps/", views.case_step, name="case_step"),
    path("cases/<int:pk>/findings/", views.case_finding, name="case_finding"),
    path("cases/steps/<int:pk>/document/", views.case_document, name="case_document"),
    path("discipline/", views.discipline_list, name="discipline_list"),
    path("discipline/new/", views.discipline_create, name="discipline_create"),
]
