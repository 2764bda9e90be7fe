"""API test helpers: a token per persona and a client that sends it."""

import pytest


@pytest.fixture
def tokens(personas):
    """A working API token (the raw value) for each persona, by persona name."""
    from lindung.api.services import api_token_create

    return {
        name: api_token_create(actor=None, user=user, name=f"test {name}")[1]
        for name, user in personas.items()
    }


@pytest.fixture
def call(client, tokens):
    """call(persona, method, url, json=None) → the response, with the persona's token."""

    def send(persona, method, url, json=None, token=None):
        headers = {}
        raw = token if token is not None else tokens.get(persona)
        if raw:
            headers["Authorization"] = f"Bearer {raw}"
        method = method.lower()
        if json is not None:
            return getattr(client, method)(
                url, data=json, content_type="application/json", headers=headers
            )
        return getattr(client, method)(url, headers=headers)

    return send
