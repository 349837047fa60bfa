"""Import wizard views (placeholder, being built)."""

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse


@login_required
def member_import(request):
    return HttpResponse("import")
