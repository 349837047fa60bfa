"""Walk every page as each demo account would: follow the links the pages offer and check what is reached.

For every account of `coso demo` (and an anonymous visitor) the walk starts at `/`, follows every same-site link
breadth-first (GET only, bounded, at most a few samples of each URL pattern), and asserts for every page:

- no server error;
- no refusal (403), missing page (404) or bounce to the log-in page reached through a link a page offered: a
  menu entry or a button the user may not use must not be shown;
- no English in the Vietnamese interface (words from a list of English words that are not Vietnamese);
- a link that carries a query string (a page number, a tab, a filter) changes what the page shows.

All problems of one account are collected and reported together. Every new page must pass this walk.
"""

from __future__ import annotations

import re
from collections import deque
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import parse_qsl, urlencode, urlsplit

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import Resolver404, resolve

from coso.accounts.models import User
from coso.demo.accounts import DEMO_ACCOUNTS
from coso.demo.loader import load_demo

MAX_PAGES = 160  # per account
SAMPLES_PER_PATTERN = 2  # the 200 member pages are one pattern: two of them are walked
QUERY_CHECKS_PER_PATTERN = 3

# Paths that are not the Vietnamese HTML interface, or that change state when followed.
SKIPPED_PREFIXES = ("/static/", "/media/", "/admin/", "/api/", "/i18n/", "/accounts/logout")
# English words that are not also Vietnamese words written without diacritics (so not "an", "in", "to", "no").
ENGLISH_WORDS = frozenset(
    """the and of is are was with for this that these those from your you please none null true false yes
    save cancel search next previous page pages field required approved submit delete edit back status date
    name select view show create update meeting meetings regular thematic member members report reports notice
    minutes draft published closed open overdue pending unassigned mine all total attendance absent present
    late excused unexcused vote votes resolution campaign document documents feedback item items reply answer
    rating review history changed added removed unknown monday tuesday wednesday thursday friday saturday
    sunday january february march april june july august september october november december login logout
    password username forbidden found error permission denied committee organization cell province commune""".split()
)
# Words of the list that are legitimately shown (product names, formats, foreign names of standards).
ALLOWED_WORDS = frozenset({"open"})  # "Open311"
ALLOWED_FRAGMENTS = ("Open311", "OpenAPI", "English")
QUERY_KEYS_NOT_CHECKED = {"next", "lang", "format", "download"}
WORD = re.compile(r"[A-Za-z]+")


@dataclass
class Page:
    links: list[tuple[str, dict]] = field(default_factory=list)
    text: list[str] = field(default_factory=list)
    main: list[str] = field(default_factory=list)
    # (name, value) pairs the page shows as in force: selected options, filled fields, the current tab's link.
    current: set[tuple[str, str]] = field(default_factory=set)


class _PageParser(HTMLParser):
    """Links, visible text (and the text of title, placeholder, aria-label and alt) and the <main> region."""

    HIDDEN = {"script", "style", "template", "code", "pre", "noscript"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.page = Page()
        self._hidden = 0
        self._english = 0
        self._stack: list[tuple[str, bool, bool]] = []
        self._in_main = 0
        self._select: str | None = None

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        english = attributes.get("lang", "").startswith("en") or "translate-ignore" in attributes.get(
            "class", ""
        )
        hidden = tag in self.HIDDEN
        if tag not in {"br", "img", "input", "meta", "link", "hr", "source", "wbr"}:
            self._stack.append((tag, hidden, english))
            self._hidden += hidden
            self._english += english
        if tag == "main":
            self._in_main += 1
        if tag == "a" and attributes.get("href"):
            self.page.links.append((attributes["href"], attributes))
            if "aria-current" in attributes or "active" in attributes.get("class", "").split():
                self.page.current.update(parse_qsl(urlsplit(attributes["href"]).query))
        if tag == "select":
            self._select = attributes.get("name")
        elif tag == "option" and self._select and "selected" in attributes:
            self.page.current.add((self._select, attributes.get("value") or ""))
        elif tag == "input" and attributes.get("name") and attributes.get("value"):
            if attributes.get("type") not in {"checkbox", "radio"} or "checked" in attributes:
                self.page.current.add((attributes["name"], attributes["value"]))
        if not self._english:
            for name in ("title", "placeholder", "aria-label", "alt"):
                if attributes.get(name):
                    self.page.text.append(attributes[name])
            if tag == "input" and attributes.get("type") in {"submit", "button"} and attributes.get("value"):
                self.page.text.append(attributes["value"])
        if self._in_main:
            self.page.main.append(f"<{tag}{state_of(attributes)}>")

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None
        while self._stack:
            name, hidden, english = self._stack.pop()
            self._hidden -= hidden
            self._english -= english
            if name == "main":
                self._in_main -= 1
            if name == tag:
                break

    def handle_data(self, data):
        if self._hidden:
            return
        if self._in_main:
            self.page.main.append(data.strip())
        if not self._english and data.strip():
            self.page.text.append(data)


INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/json\")[^>]*>", re.I)
INLINE_HANDLER = re.compile(r"<[a-z][^>]*\son[a-z]+\s*=", re.I)


def policy_problems(response, html: str) -> list[str]:
    """Issue 9 §10: every HTML page is sent with the Content-Security-Policy (no inline script allowed) and the
    usual headers, and holds nothing that policy would refuse (an inline script or event handler)."""
    problems = []
    policy = response.get("Content-Security-Policy", "")
    script_src = next((d for d in policy.split(";") if d.strip().startswith("script-src")), "")
    if not policy or "'unsafe-inline'" in script_src or "'self'" not in script_src:
        problems.append(f"Content-Security-Policy missing or allows inline script: {policy!r}")
    for header, value in (("X-Frame-Options", "DENY"), ("X-Content-Type-Options", "nosniff")):
        if response.get(header) != value:
            problems.append(f"{header} is {response.get(header)!r}, not {value!r}")
    for header in ("Referrer-Policy", "Permissions-Policy", "Cross-Origin-Opener-Policy"):
        if not response.get(header):
            problems.append(f"no {header} header")
    if INLINE_SCRIPT.search(html) or INLINE_HANDLER.search(html):
        problems.append("an inline script or event handler the policy refuses")
    return problems


def state_of(attributes: dict) -> str:
    """What a query string may legitimately change besides the text: the selected tab, option, value."""
    if attributes.get("name") == "csrfmiddlewaretoken":
        return ""
    state = [name for name in ("selected", "checked", "aria-current", "aria-selected") if name in attributes]
    if "active" in attributes.get("class", "").split():
        state.append("active")
    if attributes.get("value"):
        state.append(f"value={attributes['value']}")
    return " " + " ".join(state) if state else ""


def parse(html: str) -> Page:
    parser = _PageParser()
    parser.feed(html)
    return parser.page


def english_words(page: Page) -> list[str]:
    found = []
    for text in page.text:
        for fragment in ALLOWED_FRAGMENTS:
            text = text.replace(fragment, "")
        for word in WORD.findall(text):
            lowered = word.lower()
            if lowered in ENGLISH_WORDS and lowered not in ALLOWED_WORDS:
                found.append(word)
    return found


def main_content(page: Page) -> str:
    return " ".join(part for part in page.main if part)


def pattern_of(path: str, query: dict) -> str | None:
    try:
        match = resolve(path)
    except Resolver404:
        return None
    return f"{match.view_name}({','.join(sorted(match.kwargs))})?{','.join(sorted(query))}"


def changes_state(href: str, attributes: dict) -> bool:
    return any(
        name in attributes for name in ("hx-post", "hx-delete", "hx-put", "hx-patch", "data-method")
    ) or ("download" in attributes)


@dataclass
class Walk:
    client: Client
    authenticated: bool
    problems: list[str] = field(default_factory=list)
    visited: dict[str, Page] = field(default_factory=dict)
    per_pattern: dict[str, int] = field(default_factory=dict)
    query_checks: dict[str, int] = field(default_factory=dict)
    contents: dict[str, Page | None] = field(default_factory=dict)

    def fetch(self, url: str, source: str) -> Page | None:
        response = self.client.get(url, follow=True)
        where = f"{url} (linked from {source})"
        if response.redirect_chain:
            final = urlsplit(response.redirect_chain[-1][0]).path
            if self.authenticated and final.startswith("/accounts/login"):
                self.problems.append(f"{where}: sends a logged-in user to the log-in page")
                return None
        if response.status_code >= 500:
            self.problems.append(f"{where}: server error {response.status_code}")
            return None
        if response.status_code in {403, 404, 405}:
            self.problems.append(f"{where}: answers {response.status_code} to a link the page offered")
            return None
        if response.status_code != 200:
            self.problems.append(f"{where}: answers {response.status_code}")
            return None
        if not response.get("Content-Type", "").startswith("text/html"):
            return Page()  # a download: it answered, nothing to read
        html = response.content.decode()
        self.problems.extend(f"{where}: {problem}" for problem in policy_problems(response, html))
        page = parse(html)
        words = english_words(page)
        if words:
            self.problems.append(
                f"{where}: English text in the Vietnamese interface: {sorted(set(words))[:12]}"
            )
        return page

    def page_of(self, url: str) -> Page | None:
        if url not in self.contents:
            response = self.client.get(url)
            if response.status_code != 200 or not response.get("Content-Type", "").startswith("text/html"):
                self.contents[url] = None
            else:
                self.contents[url] = parse(response.content.decode())
        return self.contents[url]

    def check_query_link(self, path: str, query: dict, url: str, source: str, pattern: str) -> None:
        checked = {key: value for key, value in query.items() if key not in QUERY_KEYS_NOT_CHECKED}
        if not checked or self.query_checks.get(pattern, 0) >= QUERY_CHECKS_PER_PATTERN:
            return
        if set(checked) == {"page"} and checked["page"] == "1":
            return  # "first page" on page 2 is the page without a number
        self.query_checks[pattern] = self.query_checks.get(pattern, 0) + 1
        rest = {key: value for key, value in query.items() if key not in checked}
        base = path + ("?" + urlencode(rest) if rest else "")
        with_query, without_query = self.page_of(url), self.page_of(base)
        if with_query is None or without_query is None or url == source:
            return
        if main_content(with_query) == main_content(without_query):
            # The one narrow exception: the parameters are the page's defaults, which the page without them
            # shows as in force (the current tab's link, the selected option, the filled field).
            if set(checked.items()) <= without_query.current:
                return
            self.problems.append(
                f"{url} (linked from {source}): shows the same as {base}; the parameters {sorted(checked)} do nothing"
            )

    def run(self) -> None:
        queue = deque([("/", "start")])
        seen = {"/"}
        while queue and len(self.visited) < MAX_PAGES:
            url, source = queue.popleft()
            page = self.fetch(url, source)
            if page is None:
                continue
            self.visited[url] = page
            for href, attributes in page.links:
                target = self.same_site(href, url)
                if target is None or target in seen or changes_state(href, attributes):
                    continue
                parts = urlsplit(target)
                query = dict(parse_qsl(parts.query, keep_blank_values=True))
                pattern = pattern_of(parts.path, query)
                if pattern is None:
                    self.problems.append(f"{target} (linked from {url}): no such page")
                    seen.add(target)
                    continue
                if query:
                    self.check_query_link(parts.path, query, target, url, pattern)
                if self.per_pattern.get(pattern, 0) >= SAMPLES_PER_PATTERN:
                    continue
                self.per_pattern[pattern] = self.per_pattern.get(pattern, 0) + 1
                seen.add(target)
                queue.append((target, url))

    @staticmethod
    def same_site(href: str, current: str) -> str | None:
        href = href.strip()
        if not href or href.startswith(("#", "mailto:", "tel:", "javascript:", "sms:")):
            return None
        parts = urlsplit(href)
        if parts.scheme or parts.netloc:
            if parts.netloc not in {"testserver", ""}:
                return None
        path = parts.path
        if not path:
            path = urlsplit(current).path
        elif not path.startswith("/"):
            base = urlsplit(current).path.rsplit("/", 1)[0]
            path = f"{base}/{path}"
        if path.startswith(SKIPPED_PREFIXES):
            return None
        return path + (f"?{parts.query}" if parts.query else "")


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """The demo data at a small scale, loaded once for the module and removed after it."""
    with django_db_blocker.unblock():
        load_demo(scale=0.05)
        yield
        call_command("flush", interactive=False, verbosity=0)


@pytest.mark.parametrize("username", [account.username for account in DEMO_ACCOUNTS] + ["anonymous"])
def test_every_page_reached_by_a_link_works(demo, db, username):
    client = Client()
    if username != "anonymous":
        client.force_login(User.objects.get(username=username))
    walk = Walk(client=client, authenticated=username != "anonymous")

    walk.run()

    assert len(walk.visited) >= (10 if username != "anonymous" else 1), sorted(walk.visited)
    if walk.problems:
        pytest.fail(f"{username}: {len(walk.problems)} problems\n" + "\n".join(walk.problems), pytrace=False)
