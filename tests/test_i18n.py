"""Vietnamese is the first language: every catalog is complete, compiled, and covers every string in the code."""

from __future__ import annotations

import gettext
import os
import re
import shutil
from pathlib import Path

import pytest
from django.core.management import call_command
from django.test import Client
from django.utils import translation

from coso.core.management.commands.coso_messages import PACKAGE_DIR, catalog_dirs


def parse_po(path: Path) -> list[dict]:
    """A small .po reader: entries with msgctxt, msgid, msgid_plural, msgstr[n] and flags."""
    entries: list[dict] = []
    entry: dict = {"flags": set(), "msgstr": {}}
    key = None

    def unquote(text: str) -> str:
        return text.strip()[1:-1].encode("raw_unicode_escape").decode("unicode_escape")

    def flush():
        nonlocal entry
        if "msgid" in entry:
            entries.append(entry)
        entry = {"flags": set(), "msgstr": {}}

    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            flush()
            key = None
        elif line.startswith("#,"):
            entry["flags"].update(flag.strip() for flag in line[2:].split(","))
        elif line.startswith("#"):
            continue
        elif line.startswith("msgctxt "):
            key = "msgctxt"
            entry[key] = unquote(line[len("msgctxt ") :])
        elif line.startswith("msgid_plural "):
            key = "msgid_plural"
            entry[key] = unquote(line[len("msgid_plural ") :])
        elif line.startswith("msgid "):
            key = "msgid"
            entry[key] = unquote(line[len("msgid ") :])
        elif line.startswith("msgstr["):
            index = int(line[7 : line.index("]")])
            key = ("msgstr", index)
            entry["msgstr"][index] = unquote(line[line.index("]") + 1 :])
        elif line.startswith("msgstr "):
            key = ("msgstr", 0)
            entry["msgstr"][0] = unquote(line[len("msgstr ") :])
        elif line.startswith('"') and key is not None:
            if isinstance(key, tuple):
                entry["msgstr"][key[1]] += unquote(line)
            else:
                entry[key] += unquote(line)
    flush()
    return [e for e in entries if e["msgid"]]


def catalogs() -> list[Path]:
    return sorted(PACKAGE_DIR.glob("**/locale/vi/LC_MESSAGES/django.po"))


def untranslated(path: Path) -> list[str]:
    return [
        e["msgid"]
        for e in parse_po(path)
        if "fuzzy" in e["flags"] or not e["msgstr"] or any(not text for text in e["msgstr"].values())
    ]


def test_every_app_with_strings_has_a_vietnamese_catalog():
    assert catalogs(), "no Vietnamese catalogs found"
    with_catalog = {p.parents[3] for p in catalogs()}
    for directory, _ignore in catalog_dirs():
        if any(directory.rglob("*.html")) or directory == PACKAGE_DIR:
            assert directory in with_catalog, f"{directory} has templates but no locale/vi catalog"


@pytest.mark.parametrize("po", catalogs(), ids=lambda p: str(p.relative_to(PACKAGE_DIR)))
def test_catalog_is_complete_and_compiled(po: Path):
    missing = untranslated(po)
    assert not missing, f"{len(missing)} untranslated or fuzzy entries in {po}: {missing[:10]}"
    mo = po.with_suffix(".mo")
    assert mo.exists(), f"{mo} is missing: run compilemessages"
    with mo.open("rb") as handle:
        compiled = gettext.GNUTranslations(handle)
    for entry in parse_po(po):
        if "msgid_plural" in entry:
            continue
        if "msgctxt" in entry:
            found = compiled.pgettext(entry["msgctxt"], entry["msgid"])
        else:
            found = compiled.gettext(entry["msgid"])
        assert found == entry["msgstr"][0], (
            f"{mo} is older than {po} ({entry['msgid']!r}): run compilemessages"
        )


@pytest.mark.skipif(shutil.which("xgettext") is None, reason="GNU gettext (xgettext) is not installed")
@pytest.mark.parametrize("po", catalogs(), ids=lambda p: str(p.relative_to(PACKAGE_DIR)))
def test_no_translation_says_the_same_sentence_twice(po: Path):
    """A merge of catalogs once left "Mã truy cập mới của bạn. ... lần nữa.Mã truy cập mới của bạn. ..." on the
    token page: a sentence repeated inside one translation is always such an accident."""
    repeated = []
    for entry in parse_po(po):
        for text in entry["msgstr"].values():
            sentences = [part.strip() for part in re.split(r"[.!?]", text) if len(part.strip()) >= 20]
            if len(sentences) != len(set(sentences)):
                repeated.append(text[:90])
    assert repeated == []


def test_every_string_in_the_code_is_in_a_catalog(tmp_path):
    """Extract the strings again from a copy of the code; any string without a translation fails."""
    copy = tmp_path / "coso"
    shutil.copytree(PACKAGE_DIR, copy, ignore=shutil.ignore_patterns("__pycache__", "*.mo", "static"))
    here = os.getcwd()
    problems: dict[str, list[str]] = {}
    try:
        for directory, ignore in catalog_dirs():
            target = copy / directory.relative_to(PACKAGE_DIR)
            (target / "locale").mkdir(exist_ok=True)
            os.chdir(target)
            call_command("makemessages", locale=["vi"], no_obsolete=True, ignore_patterns=ignore, verbosity=0)
            po = target / "locale" / "vi" / "LC_MESSAGES" / "django.po"
            if po.exists():
                missing = untranslated(po)
                if missing:
                    problems[str(directory.relative_to(PACKAGE_DIR.parent))] = missing
    finally:
        os.chdir(here)
    assert not problems, (
        "strings without a Vietnamese translation (run `coso manage coso_messages`): "
        + "; ".join(f"{where}: {missing[:8]}" for where, missing in problems.items())
    )


@pytest.mark.django_db
def test_pages_are_vietnamese_by_default_and_english_on_request():
    client = Client()
    page = client.get("/accounts/login/").content.decode()
    assert "Đăng nhập" in page
    client.post("/i18n/setlang/", {"language": "en", "next": "/accounts/login/"})
    page = client.get("/accounts/login/").content.decode()
    assert "Log in" in page
    with translation.override("vi"):
        assert translation.gettext("Members") != "Members"
