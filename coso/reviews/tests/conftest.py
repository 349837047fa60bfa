"""Reviews tests read the rules' reasons in English (the source language); one test checks the Vietnamese."""

import pytest
from django.utils import translation


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield
