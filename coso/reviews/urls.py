from django.urls import path

from . import views

app_name = "reviews"
urlpatterns = [
    path("", views.cycle_list, name="cycle_list"),
    path("new/", views.cycle_create, name="cycle_create"),
    path("<int:pk>/", views.cycle_detail, name="cycle_detail"),
    path("<int:pk>/export/", views.cycle_export, name="cycle_export"),
    path("<int:pk>/summary/", views.cycle_summary, name="cycle_summary"),
    path("<int:pk>/not-rated/", views.cycle_not_rated, name="cycle_not_rated"),
    path("<int:pk>/prompts/", views.cycle_prompts, name="cycle_prompts"),
    path("r/<int:pk>/prompt/", views.review_prompt, name="review_prompt"),
    path("<int:pk>/start/", views.review_start, name="review_start"),
    path("r/<int:pk>/", views.review_detail, name="review_detail"),
    path("r/<int:pk>/edit/", views.review_edit, name="review_edit"),
    path("r/<int:pk>/rate/<slug:level>/", views.review_rate, name="review_rate"),
    path("r/<int:pk>/object/", views.review_object, name="review_object"),
    path("r/<int:pk>/form.docx", views.review_docx, name="review_docx"),
]
