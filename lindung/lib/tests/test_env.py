"""The environment helpers read settings and fail loudly on bad values; production settings
refuse to start without their secrets and pass Django's deployment checks."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured
from hypothesis import given
from hypothesis import strategies as st

from lindung.lib.env import env_bool, env_int, env_list, env_str

ROOT = Path(__file__).resolve().parents[3]
NAME = "LINDUNG_TEST_VARIABLE"


@pytest.fixture
def var(monkeypatch):
    """var(value) sets the test variable; var(None) removes it."""

    def set_to(value):
        if value is None:
            monkeypatch.delenv(NAME, raising=False)
        else:
            monkeypatch.setenv(NAME, value)

    set_to(None)
    return set_to


def test_env_str_returns_the_value(var):
    var("hello")
    assert env_str(NAME, "default") == "hello"


def test_env_str_falls_back_to_the_default_when_missing_or_empty(var):
    assert env_str(NAME, "default") == "default"
    var("")
    assert env_str(NAME, "default") == "default"
    assert env_str(NAME) == ""


def test_env_str_required_refuses_a_missing_or_empty_value_and_names_it(var):
    with pytest.raises(ImproperlyConfigured, match=NAME):
        env_str(NAME, required=True)
    var("")
    with pytest.raises(ImproperlyConfigured, match=NAME):
        env_str(NAME, required=True)
    var("set")
    assert env_str(NAME, required=True) == "set"


@pytest.mark.parametrize("text", ["1", "true", "TRUE", "yes", "on", " On "])
def test_env_bool_reads_true_words(var, text):
    var(text)
    assert env_bool(NAME, False) is True


@pytest.mark.parametrize("text", ["0", "false", "False", "no", "off", " OFF "])
def test_env_bool_reads_false_words(var, text):
    var(text)
    assert env_bool(NAME, True) is False


@pytest.mark.parametrize("default", [True, False])
def test_env_bool_falls_back_to_the_default(var, default):
    assert env_bool(NAME, default) is default
    var("  ")
    assert env_bool(NAME, default) is default


@pytest.mark.parametrize("text", ["maybe", "2", "y", "tru"])
def test_env_bool_refuses_other_words_and_names_the_variable(var, text):
    var(text)
    with pytest.raises(ImproperlyConfigured, match=NAME):
        env_bool(NAME, True)


def test_env_int_reads_whole_numbers(var):
    var(" 42 ")
    assert env_int(NAME, 5) == 42
    var("-3")
    assert env_int(NAME, 5) == -3


def test_env_int_falls_back_to_the_default(var):
    assert env_int(NAME, 5) == 5


@pytest.mark.parametrize("text", ["1.5", "ten", "5 minutes"])
def test_env_int_refuses_what_is_not_a_whole_number(var, text):
    var(text)
    with pytest.raises(ImproperlyConfigured, match="whole number"):
        env_int(NAME, 5)


def test_env_list_splits_on_commas_and_drops_blanks(var):
    var(" a.example, b.example ,,  ")
    assert env_list(NAME) == ["a.example", "b.example"]


def test_env_list_falls_back_to_a_copy_of_the_default(var):
    default = ["x"]
    result = env_list(NAME, default)
    assert result == ["x"]
    result.append("y")
    assert default == ["x"]
    assert env_list(NAME) == []


@given(st.lists(st.text(alphabet="abcdefghij.-_0123456789", min_size=1), max_size=6))
def test_env_list_round_trips_any_list_of_plain_items(items):
    os.environ[NAME] = ",".join(items)
    try:
        assert env_list(NAME) == items
    finally:
        del os.environ[NAME]


@given(st.integers(min_value=-(10**12), max_value=10**12))
def test_env_int_round_trips_any_integer(number):
    os.environ[NAME] = str(number)
    try:
        assert env_int(NAME, 0) == number
    finally:
        del os.environ[NAME]


# The settings module itself, loaded fresh in a subprocess with a controlled environment.


def _manage(*args, **env):
    clean = {k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "ALLOWED_HOSTS"}}
    clean.pop("DEBUG", None)
    clean.update(env)
    return subprocess.run(  # noqa: S603 (our own manage.py, fixed arguments)
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=clean,
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.parametrize(
    ("env", "named"),
    [
        ({"ALLOWED_HOSTS": "lindung.example"}, "SECRET_KEY"),
        ({"SECRET_KEY": "x" * 60}, "ALLOWED_HOSTS"),
        ({"SECRET_KEY": "x" * 60, "ALLOWED_HOSTS": "lindung.example", "DEBUG": "true"}, "DEBUG"),
    ],
    ids=["without-a-secret-key", "without-allowed-hosts", "with-debug"],
)
def test_production_refuses_to_start(tmp_path, env, named):
    result = _manage("check", DJANGO_ENV="production", LINDUNG_VAR_DIR=str(tmp_path), **env)
    assert result.returncode != 0
    assert named in result.stderr


def test_an_unknown_environment_name_is_refused(tmp_path):
    result = _manage("check", DJANGO_ENV="staging", LINDUNG_VAR_DIR=str(tmp_path))
    assert result.returncode != 0
    assert "DJANGO_ENV" in result.stderr


def test_production_settings_pass_the_deployment_checks(tmp_path):
    result = _manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        DJANGO_ENV="production",
        SECRET_KEY="k3y-" + "a1B2c3D4e5F6g7H8" * 4,
        ALLOWED_HOSTS="lindung.example",
        LINDUNG_VAR_DIR=str(tmp_path),
    )
    assert result.returncode == 0, result.stderr + result.stdout


def test_seed_demo_refuses_in_production(tmp_path):
    result = _manage(
        "seed_demo",
        DJANGO_ENV="production",
        SECRET_KEY="k3y-" + "a1B2c3D4e5F6g7H8" * 4,
        ALLOWED_HOSTS="lindung.example",
        LINDUNG_VAR_DIR=str(tmp_path),
        DATABASE_URL=f"sqlite:///{tmp_path / 'empty.sqlite3'}",
    )
    assert result.returncode != 0
    assert "production" in result.stderr
    assert "Demo accounts" not in result.stdout


# The interface language follows the switch, not the browser.


@pytest.mark.django_db
def test_the_interface_is_indonesian_even_for_an_english_browser(client):
    html = client.get("/akun/masuk/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert 'lang="id"' in html and "Masuk ke Lindung" in html


@pytest.mark.django_db
def test_the_language_switch_chooses_english_and_back(client):
    client.post("/i18n/setlang/", {"language": "en", "next": "/akun/masuk/"})
    assert "Log in to Lindung" in client.get("/akun/masuk/").content.decode()
    client.post("/i18n/setlang/", {"language": "id", "next": "/akun/masuk/"})
    assert "Masuk ke Lindung" in client.get("/akun/masuk/").content.decode()


@pytest.mark.django_db
def test_an_unknown_language_cookie_falls_back_to_indonesian(client):
    client.cookies["django_language"] = "xx"
    assert "Masuk ke Lindung" in client.get("/akun/masuk/").content.decode()
