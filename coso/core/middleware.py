"""Vietnamese first: the interface language is the user's explicit choice, never the browser's guess.

Django's LocaleMiddleware follows the browser's Accept-Language, so a member whose phone is set to English
would get an English Coso without asking for it. Here the language switch (a cookie) decides; without it the
interface is Vietnamese. API clients, which have no switch, may still ask for English with Accept-Language.
"""

from __future__ import annotations

from django.conf import settings
from django.middleware.locale import LocaleMiddleware
from django.utils import translation

API_PREFIX = "/api/"


class VietnameseFirstLocaleMiddleware(LocaleMiddleware):
    def process_request(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        if chosen and translation.check_for_language(chosen) and chosen in dict(settings.LANGUAGES):
            language = chosen
        elif request.path.startswith(API_PREFIX):
            language = translation.get_language_from_request(request)
        else:
            language = settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()
