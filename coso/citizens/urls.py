from django.urls import path

from .views import open311, public, staff

app_name = "citizens"
urlpatterns = [
    # Public, no login: the citizen's pages.
    path("p/", public.portal, name="portal"),
    path("p/track/", public.track_lookup, name="track_lookup"),
    path("p/transparency/", public.transparency_index, name="transparency_index"),
    path("p/transparency/<str:org_code>/", public.transparency, name="transparency"),
    path("p/reception/", public.reception_calendar, name="public_reception"),
    path("p/dialogues/", public.dialogues, name="public_dialogues"),
    path("p/<str:code>/", public.track, name="track"),
    path("p/<str:code>/rate/", public.rate, name="rate"),
    path("p/<str:code>/reopen/", public.reopen, name="reopen"),
    path("p/<str:code>/files/<int:pk>/", public.public_attachment, name="public_attachment"),
    # Open311 GeoReport v2, public.
    path("open311/v2/services.json", open311.services_json, name="open311_services"),
    path("open311/v2/requests.json", open311.requests_json, name="open311_requests"),
    path("open311/v2/requests/<str:code>.json", open311.request_json_detail, name="open311_request"),
    # Staff.
    path("inbox/", staff.inbox, name="inbox"),
    path("feedback/new/", staff.feedback_new, name="feedback_new"),
    path("feedback/<int:pk>/", staff.feedback_detail, name="feedback_detail"),
    path("feedback/<int:pk>/contact/", staff.feedback_contact, name="feedback_contact"),
    path("feedback/<int:pk>/files/<int:file_pk>/", staff.attachment, name="attachment"),
    path("feedback/<int:pk>/<str:action>/", staff.feedback_act, name="feedback_act"),
    path("reception/", staff.reception_overview, name="reception_overview"),
    path("reception/<int:org_pk>/", staff.reception_calendar, name="reception_calendar"),
    path("reception/<int:org_pk>/new/", staff.reception_new, name="reception_new"),
    path("reception/day/<int:pk>/edit/", staff.reception_edit, name="reception_edit"),
    path("dialogues/", staff.dialogue_list, name="dialogue_list"),
    path("dialogues/new/", staff.dialogue_new, name="dialogue_new"),
    path("dialogues/<int:pk>/", staff.dialogue_detail, name="dialogue_detail"),
    path("dialogues/<int:pk>/edit/", staff.dialogue_edit, name="dialogue_edit"),
    path("dialogues/<int:pk>/invite/", staff.dialogue_invite, name="dialogue_invite"),
    path("routing/", staff.routing, name="routing"),
    path("routing/<int:pk>/delete/", staff.routing_delete, name="routing_delete"),
]
