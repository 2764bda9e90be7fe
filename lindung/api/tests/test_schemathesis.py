"""Schemathesis fuzzes every operation of the OpenAPI document against the real application
(its WSGI handler, every middleware) on the demo data, with the demo tokens: no answer may be a
server error, and every answer must have a documented status, content type and shape."""

import pytest
import schemathesis
from django.core.cache import cache
from django.core.management import call_command
from django.core.signals import request_finished, request_started
from django.db import close_old_connections, transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from lindung.api.demo import DEMO_TOKENS

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]
EXAMPLES = 20


@pytest.fixture(scope="module")
def demo_world(django_db_setup, django_db_blocker):
    """The whole Mesuji demo, seeded once for this module and rolled back after it."""
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            call_command("seed_demo", verbosity=0)
            yield
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


@pytest.fixture
def api_schema(demo_world, db, settings):
    from lindung.wsgi import application

    settings.API_RATE_LIMIT = "1000000/min"  # the limit itself is tested in test_tokens
    cache.clear()
    # The WSGI handler closes the database connection when a request ends, which would end
    # the test's transaction on PostgreSQL; Django's own test Client unhooks it the same way.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application)
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=list(HealthCheck),
)


def _operations() -> list[tuple[str, str]]:
    from lindung.api.v1 import api

    paths = api.get_openapi_schema()["paths"]
    return [(path, method) for path, methods in paths.items() for method in methods]


def _known_ids() -> dict:
    """Path parameters that name real demo records in Desa Wiralaga I, so the fuzzing reaches
    past "not found" into the reads and writes themselves."""
    from lindung.cases.models import Case
    from lindung.placements.models import Placement
    from lindung.programs.models import Program

    village = "18.11.01.2001"
    placement = Placement.objects.filter(village_id=village).order_by("id").first()
    return {
        "person_id": placement.person_id,
        "episode_id": placement.pk,
        "case_id": Case.objects.filter(village_id=village).order_by("id").first().pk,
        "programme_id": Program.objects.order_by("id").first().pk,
        "warning_id": "non_procedural",
    }


@pytest.mark.parametrize("persona", ["disnaker.mesuji", "operator.wiralaga1"])
@pytest.mark.parametrize(("path", "method"), _operations())
def test_operation(api_schema, persona, path, method):
    operation = api_schema[path][method.upper()]
    headers = {"Authorization": f"Bearer {DEMO_TOKENS[persona]}"}
    known = {k: v for k, v in _known_ids().items() if "{" + k + "}" in path}
    strategies = [
        operation.as_strategy(GenerationMode.POSITIVE),
        operation.as_strategy(GenerationMode.NEGATIVE),
    ]
    if known:
        strategies.append(operation.as_strategy(GenerationMode.POSITIVE, path_parameters=known))

    @given(case=st.one_of(strategies))
    @FUZZ
    def fuzz(case):
        case.call_and_validate(headers=headers, checks=CHECKS)

    fuzz()
