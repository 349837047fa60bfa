"""Root URL configuration."""

from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import include, path

from coso.api.api import api

urlpatterns = [
    path("", include("coso.core.urls")),
    path("accounts/", include("coso.accounts.urls")),
    path("orgs/", include("coso.orgs.urls")),
    path("members/", include("coso.members.urls")),
    path("notifications/", include("coso.notifications.urls")),
    path("meetings/", include("coso.meetings.urls")),
    path("study/", include("coso.study.urls")),
    path("citizens/", include("coso.citizens.urls")),
    path("commitments/", include("coso.commitments.urls")),
    path("reviews/", include("coso.reviews.urls")),
    path("inspection/", include("coso.inspection.urls")),
    path("emulation/", include("coso.emulation.urls")),
    path("api/v1/", api.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
]
if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
