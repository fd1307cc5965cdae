"""A small HTTP client for tests against pytest-django's live server, as a browser would use it:
a real session cookie, the CSRF token from the page, forms read back from the HTML with the
values the server filled in. The standard library only (urllib), so each thread has its own
connection and cookies."""

import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from email.message import Message
from html.parser import HTMLParser
from http.cookies import SimpleCookie

from django.conf import settings
from django.test import Client

from patients.models import User


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):  # noqa: ANN002, ANN003, ANN201
        return None  # a 302 is the answer we want to see, not a page to follow


@dataclass
class Response:
    status: int
    text: str
    location: str = ""


@dataclass
class Form:
    action: str
    fields: list[tuple[str, str]] = field(default_factory=list)

    def data(self, **changes: str) -> list[tuple[str, str]]:
        """The form's values as the browser would send them, with `changes` replacing (or
        adding) single-valued fields."""
        kept = [(name, value) for name, value in self.fields if name not in changes]
        return kept + list(changes.items())


class _FormParser(HTMLParser):
    """Every <form method=post> with the values it would submit as rendered (text inputs,
    hidden inputs, checked boxes and radios, selected options, textareas)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.forms: list[Form] = []
        self._form: Form | None = None
        self._select: str | None = None
        self._select_first: str | None = None
        self._select_chosen = False
        self._textarea: str | None = None
        self._text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form" and a.get("method", "get").lower() == "post":
            self._form = Form(action=a.get("action", ""))
            self.forms.append(self._form)
        if self._form is None:
            return
        name = a.get("name")
        if tag == "input" and name:
            kind = a.get("type", "text").lower()
            if kind in {"submit", "button", "image", "file", "reset"}:
                return
            if kind in {"checkbox", "radio"} and "checked" not in a:
                return
            self._form.fields.append((name, a.get("value", "on" if kind == "checkbox" else "")))
        elif tag == "select" and name:
            self._select, self._select_first, self._select_chosen = name, None, False
        elif tag == "option" and self._select is not None:
            value = a.get("value", "")
            if self._select_first is None:
                self._select_first = value
            if "selected" in a:
                self._form.fields.append((self._select, value))
                self._select_chosen = True
        elif tag == "textarea" and name:
            self._textarea, self._text = name, []

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._form = None
        elif tag == "select" and self._select is not None and self._form is not None:
            if not self._select_chosen and self._select_first is not None:
                self._form.fields.append((self._select, self._select_first))
            self._select = None
        elif tag == "textarea" and self._textarea is not None and self._form is not None:
            self._form.fields.append((self._textarea, "".join(self._text).lstrip("\n")))
            self._textarea = None

    def handle_data(self, data: str) -> None:
        if self._textarea is not None:
            self._text.append(data)


class LiveUser:
    """One logged-in browser: its own cookie jar and connections."""

    def __init__(self, base_url: str, user: User) -> None:
        self.base_url = base_url
        self.user, self.clinic = user, user.clinic
        client = Client()
        client.force_login(user)  # the conftest's version: second factor done too
        # Cookies kept by hand: the standard cookie jar treats a bare "localhost" specially.
        session = settings.SESSION_COOKIE_NAME
        self.cookies = {session: client.cookies[session].value}
        self.opener = urllib.request.build_opener(_NoRedirect())

    def _open(self, request: urllib.request.Request) -> Response:
        request.add_header("Cookie", "; ".join(f"{k}={v}" for k, v in self.cookies.items()))
        try:
            with self.opener.open(request, timeout=60) as reply:
                self._keep(reply.headers)
                return Response(reply.status, reply.read().decode())
        except urllib.error.HTTPError as reply:  # 3xx (not followed), 4xx, 5xx
            self._keep(reply.headers)
            body = reply.read().decode(errors="replace")
            return Response(reply.code, body, reply.headers.get("Location", ""))

    def _keep(self, headers: Message) -> None:
        for header in headers.get_all("Set-Cookie") or []:
            cookie = SimpleCookie(header)
            for name, morsel in cookie.items():
                self.cookies[name] = morsel.value

    def get(self, path: str) -> Response:
        return self._open(urllib.request.Request(self.base_url + path))

    def form(self, path: str, action: str | None = None) -> Form:
        """The POST form on the page at `path` whose action is `action` (default: the page)."""
        page = self.get(path)
        assert page.status == 200, (path, page.status)
        parser = _FormParser()
        parser.feed(page.text)
        wanted = path if action is None else action
        for form in parser.forms:
            if (form.action or path) == wanted:
                return form
        raise AssertionError(f"no form posting to {wanted} on {path}")

    def post(self, path: str, data: list[tuple[str, str]]) -> Response:
        token = self.cookies[settings.CSRF_COOKIE_NAME]
        body = urllib.parse.urlencode([*data, ("csrfmiddlewaretoken", token)]).encode()
        request = urllib.request.Request(self.base_url + path, data=body, method="POST")
        request.add_header("Content-Type", "application/x-www-form-urlencoded")
        request.add_header("Referer", self.base_url + path)
        return self._open(request)
