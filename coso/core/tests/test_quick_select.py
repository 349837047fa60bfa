"""QuickSelect writes the same select as Django's template-rendered one (coso.core.forms)."""

import re

from django import forms

from coso.core.forms import QuickSelect, bootstrap


def normalized(html: str) -> str:
    return re.sub(r">\s+<", "><", str(html).strip())


CHOICES = [
    ("", "— chọn —"),
    ("a", 'Chi bộ <khu vực> & "1"'),
    ("Nhóm", [("b", "Bí thư"), ("c", "Phó bí thư")]),
]


def test_the_markup_is_djangos_own():
    for value in ("", "a", "c", None):
        for attrs in ({}, {"class": "form-select", "required": True, "disabled": False, "data-x": 'q"uote'}):
            django_select = forms.Select(attrs=dict(attrs), choices=CHOICES).render("pick", value)
            quick = QuickSelect(attrs=dict(attrs), choices=CHOICES).render("pick", value)
            assert normalized(quick) == normalized(django_select)
    assert "&lt;khu vực&gt; &amp; &quot;1&quot;" in QuickSelect(choices=CHOICES).render("pick", "")


def test_bootstrap_gives_it_to_plain_selects_only():
    class Form(forms.Form):
        kind = forms.ChoiceField(choices=CHOICES)
        many = forms.MultipleChoiceField(choices=CHOICES)
        yes = forms.NullBooleanField()

    form = bootstrap(Form())
    assert type(form.fields["kind"].widget) is QuickSelect
    assert type(form.fields["many"].widget) is forms.SelectMultiple
    assert type(form.fields["yes"].widget) is forms.NullBooleanSelect
    assert type(Form.base_fields["kind"].widget) is forms.Select  # the declaration is untouched
    assert 'class="form-select"' in str(form["kind"])
