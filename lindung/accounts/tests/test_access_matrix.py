"""The access matrix, generated from the URL configuration.

Every URL pattern that `get_resolver()` knows has an entry in MATRIX, keyed by its URL name
("registry:person_detail"). An entry is a list of probes: one for GET and one for each POST
action of the URL. A probe asks the URL about an object INSIDE the demo area (village A,
Wiralaga I, Kabupaten Mesuji, Lampung) and about the same kind of object OUTSIDE it (a village
of Kabupaten Cilacap, Jawa Tengah), as every persona of conftest's `personas`, in this order:

    operator_a  head_a  operator_b  disnaker  opd  bp3mi  bp3mi_other  kp2mi  admin  anonymous

and compares each answer with the expected row, written as ten words:

    ok     200 (the page, the file, or a form shown again with its errors)
    moved  a redirect elsewhere than the login page (a write that worked, home sending a user on)
    login  the redirect of an anonymous visitor to the login page
    404    "not found or not allowed" (Lindung never says which); 400, 405 as themselves

The rows say what the security model says (DESIGN.md: a user reaches their own area and what
lies below it; a national user reaches everything; roles decide who writes), not what the code
happened to answer. Besides the status, every page or CSV a persona receives is searched for the
other side's personal data (names and NIKs of the inside and outside residents), and for the
case narrative, which only the case's need-to-know readers may see.

To add a URL: add `"app:name": [get(...), post(...), ...]` to PEOPLE (access_entries_people.py:
the site, accounts, residents, episodes, cases, privacy) or SERVICES (access_entries_services.py:
programmes, outreach, regulations, imports, reports, the API), which MATRIX joins; one probe for
GET and one for each POST action (a POST-only view still gets a GET probe: 405; `form_page()`
and `post_only()` in access_probes.py write the common pairs). `get(inside, outside,
kwargs=..., query=..., data=...)`: `inside` and `outside` are the two rows (give one row when
both sides answer the same, e.g. for a list or a create form, whose probe has no object);
`kwargs` maps the URL's arguments to the objects `_side()` (access_world.py) builds
(`{"pk": "person"}` is the inside person's pk in the inside probe, the outside person's in the
outside one; a value that is not such a key, like `"contract_ending"`, is used as it is);
`query` and `data` may name the side's values as `{village}`, `{regency}`, `{province}`,
`{nik}`, `{month}` and `{pk:<key>}`.
Write the row from the security model first, then run the module: a missing entry fails
`test_every_url_pattern_has_an_entry` with the names to add, and a wrong row fails with every
persona whose answer differed. (`MATRIX_RECORD=1 pytest -s` prints each probe's answers, to
compare with what you wrote, never to copy unread.) A row the code does not meet yet, with a
fix under way, goes in KNOWN_GAPS (a strict xfail: when the fix lands it must be removed).

The world is built once per module (one transaction, rolled back at the end) and every probe
runs in its own savepoint, rolled back after the request, so a POST never changes what the
next probe sees.
"""

from __future__ import annotations

import json
import os

import pytest
from django.db import transaction
from django.test import Client, override_settings
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from conftest import VILLAGE_A
from lindung.accounts.tests.access_entries_people import PEOPLE
from lindung.accounts.tests.access_entries_services import SERVICES
from lindung.accounts.tests.access_probes import (
    NARRATIVE,
    NEVER_NARRATIVE,
    PERSONAS,
    READERS,
    SIDES,
    Probe,
    row,
)

# The mark makes pytest-django create the test database (which it does only for the databases
# that marked tests use); each test then runs in a savepoint inside the module's transaction.
pytestmark = pytest.mark.django_db

MATRIX: dict[str, list[Probe]] = {**PEOPLE, **SERVICES}

# URLs whose rows state the security model but whose code does not meet it yet. The test runs
# and must fail (strict): when the fix lands, it passes, and the entry here must go.
KNOWN_GAPS: dict[str, str] = {}

# -- the URL configuration --------------------------------------------------------------------


def url_names(resolver=None, namespace: str = "") -> set[str]:
    """Every named URL pattern of the configuration, as "namespace:name"."""
    names = set()
    for entry in (resolver or get_resolver()).url_patterns:
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            names |= url_names(entry, inner)
        elif isinstance(entry, URLPattern):
            names.add(f"{namespace}{entry.name}" if entry.name else f"<unnamed {entry.pattern}>")
    return names


def missing_entries(names: set[str]) -> list[str]:
    return sorted(names - set(MATRIX))


def test_every_url_pattern_has_an_entry():
    missing = missing_entries(url_names())
    assert not missing, (
        "These URL patterns have no entry in the access matrix "
        "(lindung/accounts/tests/test_access_matrix.py). Add one per pattern, saying for every "
        "persona what it may do with an object inside and outside its area (see the module's "
        f"docstring): {', '.join(missing)}"
    )


def test_the_guard_notices_a_url_without_an_entry():
    from django.http import HttpResponse
    from django.urls import path

    def view(request):
        return HttpResponse()

    extra = [path("rahasia/", view, name="secret_page")]
    with override_settings(ROOT_URLCONF=_urlconf_with(extra)):
        names = url_names(get_resolver())
    assert "secret_page" in names
    assert set(missing_entries(names)) - set(missing_entries(url_names())) == {"secret_page"}


def _urlconf_with(extra):
    import types

    from lindung import urls

    module = types.ModuleType("lindung_matrix_urls")
    module.urlpatterns = [*urls.urlpatterns, *extra]
    import sys

    sys.modules[module.__name__] = module
    return module.__name__


def test_no_entry_is_left_over_from_a_removed_url():
    assert not set(MATRIX) - url_names(), "entries for URLs that no longer exist"


# -- running the probes -----------------------------------------------------------------------


def answer(response) -> str | int:
    if response.status_code == 200:
        return "ok"
    if response.status_code == 201:
        return "created"
    if response.status_code == 302:
        return "login" if response["Location"].startswith("/akun/masuk/") else "moved"
    return response.status_code


def _value(side: dict, value):
    if isinstance(value, str) and value in side:
        target = side[value]
        return target if isinstance(target, str) else target.pk
    return value


def _fill(text: str, side: dict) -> str:
    values = {k: v for k, v in side.items() if isinstance(v, str)}
    for key, target in side.items():
        if not isinstance(target, str):
            values[f"pk:{key}"] = target.pk
    for key, value in values.items():
        text = text.replace("{" + key + "}", str(value))
    return text


def _body(response) -> str:
    if getattr(response, "streaming", False):
        content = b"".join(response.streaming_content)
    else:
        content = response.content
    return content.decode("utf-8", "replace")


def _leaks(persona, sides: dict, body: str, sent: str) -> list[str]:
    """The other side's data in a response, except what the request itself carried (a NIK
    searched for is shown back in the search box)."""
    found = []
    for side_name, side in sides.items():
        if persona not in READERS[side_name]:
            person = side["person"]
            for marker in (person.full_name, person.nik):
                if marker in body and marker not in sent:
                    found.append(f"{side_name} {marker}")
        if persona in NEVER_NARRATIVE[side_name] and NARRATIVE[side_name] in body:
            found.append(f"{side_name} narrative")
    return found


def _api_call(client, method, url, data, tokens, persona):
    headers = {"Authorization": f"Bearer {tokens[persona]}"} if persona else {}
    if method == "GET":
        return client.get(url, headers=headers)
    return client.generic(
        method, url, json.dumps(data), content_type="application/json", headers=headers
    )


def run_probe(world, url_name: str, probe: Probe) -> list[str]:
    """Every persona × side whose answer differs from the row, or who saw data not theirs."""
    problems = []
    for side_name in SIDES:
        side = world["sides"][side_name]
        kwargs = {k: _value(side, v) for k, v in probe.kwargs.items()}
        url = reverse(url_name, kwargs=kwargs)
        if probe.query:
            url += "?" + _fill(probe.query, side)
        data = {
            k: _fill(v, side) if isinstance(v, str) else v for k, v in (probe.data or {}).items()
        }
        expected = row(getattr(probe, side_name))
        got_row = []
        for persona, want in zip(PERSONAS, expected, strict=True):
            # A fresh client logged in afresh each time (the session is rolled back with the
            # probe), so a probe that logs out or sets the language cannot affect the next one.
            client = Client()
            with transaction.atomic():
                if probe.api:
                    response = _api_call(client, probe.method, url, data, world["tokens"], persona)
                else:
                    if persona is not None:
                        client.force_login(world["users"][persona])
                    if probe.method == "GET":
                        response = client.get(url)
                    else:
                        response = client.post(url, data)
                got = answer(response)
                body = _body(response) if got == "ok" else ""
                leaks = _leaks(persona, world["sides"], body, sent=url + repr(data))
                transaction.set_rollback(True)
            got_row.append(str(got))
            if got != want:
                problems.append(f"{probe.method} {url} as {persona}: expected {want}, got {got}")
            problems += [f"{probe.method} {url} as {persona} shows {leak}" for leak in leaks]
        if os.environ.get("MATRIX_RECORD"):
            print(f"{url_name} {probe.method} {url} {side_name}: {' '.join(got_row)}")
    return problems


@pytest.mark.parametrize(
    "url_name",
    [
        pytest.param(name, marks=pytest.mark.xfail(strict=True, reason=KNOWN_GAPS[name]))
        if name in KNOWN_GAPS
        else name
        for name in sorted(MATRIX)
    ],
)
def test_access(world, django_db_blocker, url_name):
    with django_db_blocker.unblock():
        problems = [p for probe in MATRIX[url_name] for p in run_probe(world, url_name, probe)]
    assert not problems, "\n".join(problems)


def test_a_refused_page_is_the_plain_not_found_page(world):
    client = Client()
    client.force_login(world["users"]["operator_b"])
    response = client.get(reverse("regions:area_detail", args=[VILLAGE_A]))
    assert response.status_code == 404
    html = response.content.decode()
    assert "Tidak ditemukan atau tidak diizinkan" in html
    assert "Wiralaga" not in html.split("<main")[1]
