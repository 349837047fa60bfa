from django.urls import path

from . import views

app_name = "study"
urlpatterns = [
    path("", views.campaign_list, name="campaign_list"),
    path("documents/", views.document_list, name="document_list"),
    path("documents/new/", views.document_create, name="document_create"),
    path("documents/<int:pk>/", views.document_detail, name="document_detail"),
    path("documents/<int:pk>/edit/", views.document_edit, name="document_edit"),
    path("documents/<int:pk>/bookmark/", views.document_bookmark, name="document_bookmark"),
    path("campaigns/new/", views.campaign_create, name="campaign_create"),
    path("campaigns/<int:pk>/", views.campaign_detail, name="campaign_detail"),
    path("campaigns/<int:pk>/edit/", views.campaign_edit, name="campaign_edit"),
    path("campaigns/<int:pk>/members/", views.campaign_members, name="campaign_members"),
    path("campaigns/<int:pk>/export.xlsx", views.campaign_export_xlsx, name="campaign_export_xlsx"),
    path("campaigns/<int:pk>/export.docx", views.campaign_export_docx, name="campaign_export_docx"),
    path("campaigns/<int:pk>/sessions/new/", views.session_create, name="session_create"),
    path("campaigns/<int:pk>/my-report/", views.report_mine, name="report_mine"),
    path("sessions/<int:pk>/", views.session_detail, name="session_detail"),
    path("sessions/<int:pk>/publish/", views.session_publish, name="session_publish"),
    path("reports/", views.report_list, name="report_list"),
    path("reports/<int:pk>/", views.report_detail, name="report_detail"),
    path("plans/", views.plan_list, name="plan_list"),
    path("plans/mine/", views.plan_mine, name="plan_mine"),
    path("plans/<int:pk>/", views.plan_detail, name="plan_detail"),
]
