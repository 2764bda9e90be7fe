"""The scoping rule: a jurisdiction sees its own code and everything below it, nothing else."""

import pytest
from django.contrib.auth.models import AnonymousUser
from hypothesis import example, given, settings
from hypothesis import strategies as st

from lindung.accounts.models import Role, User
from lindung.accounts.scoping import (
    code_in_scope,
    code_q,
    in_reach,
    reach_q,
    scope,
    scope_within,
    user_area_code,
)
from lindung.audit.models import Action, AuditEvent
from lindung.regions.models import Area

pytestmark = pytest.mark.django_db


def test_a_village_user_is_scoped_to_the_village(personas):
    assert user_area_code(personas["operator_a"]) == "18.11.01.2001"


def test_national_users_are_not_scoped(personas):
    assert user_area_code(personas["kp2mi"]) is None
    assert user_area_code(personas["admin"]) is None
    assert scope(Area.objects.all(), personas["kp2mi"], field="code").count() == 91599


def test_anonymous_and_deactivated_users_see_nothing(personas):
    deactivated = personas["admin"]
    deactivated.is_active = False
    assert scope(Area.objects.all(), AnonymousUser(), field="code").count() == 0
    assert scope(Area.objects.all(), deactivated, field="code").count() == 0
    assert not code_in_scope(AnonymousUser(), "18.11.01.2001")
    assert not code_in_scope(deactivated, "18.11.01.2001")


def test_a_regional_user_without_an_area_sees_nothing():
    broken = User(username="broken", role=Role.DISNAKER, jurisdiction=None)
    assert scope(Area.objects.all(), broken, field="code").count() == 0
    assert not code_in_scope(broken, "18.11")


def test_a_regency_sees_its_districts_and_villages_but_not_a_regency_sharing_a_prefix(personas):
    codes = set(
        scope(Area.objects.all(), personas["disnaker"], field="code").values_list("code", flat=True)
    )
    assert len(codes) == 1 + 7 + 105
    assert "18.11" in codes and "18.11.01.2001" in codes
    # 18.1 is a prefix of 18.11 as text; the range must not let one into the other.
    assert not any(code.startswith("18.1.") or code == "18.1" for code in codes)
    assert "18.12" not in codes and "18" not in codes


def test_scope_follows_a_foreign_key_path(personas):
    qs = scope(User.objects.all(), personas["disnaker"], field="jurisdiction")
    assert set(qs.values_list("username", flat=True)) == {
        "operator.a",
        "head.a",
        "operator.b",
        "disnaker.regency",
        "opd.regency",
    }


def test_code_in_scope_needs_the_whole_code_part(personas):
    disnaker = personas["disnaker"]
    assert code_in_scope(disnaker, "18.11")
    assert code_in_scope(disnaker, "18.11.07.2003")
    assert not code_in_scope(disnaker, "18.1")
    assert not code_in_scope(disnaker, "18.110")
    assert not code_in_scope(disnaker, "18")
    assert not code_in_scope(disnaker, "")
    assert not code_in_scope(disnaker, None)
    assert code_in_scope(personas["kp2mi"], "33.01.01.2001")


def test_code_q_for_a_national_user_is_no_filter():
    assert code_q(None, "village") == code_q(None, "code")
    assert str(code_q(None, "village")) == "(AND: )"


# Property: for any jurisdiction, the database range and the Python prefix rule agree.
JURISDICTIONS = ["11", "18", "18.1", "18.11", "18.11.01", "18.11.01.2001", "33.01", "18.71"]
# Codes to look for: areas inside, beside and above those, and codes that are text prefixes.
CODES = [
    "18",
    "18.1",
    "18.10",
    "18.11",
    "18.11.01",
    "18.11.01.2001",
    "18.11.01.2005",
    "18.11.02.2001",
    "18.12",
    "18.71.01.1003",
    "33",
    "33.01.01.2001",
    "11.01",
]


@settings(max_examples=40, deadline=None)
@example(own="18.11", sample=["18.11", "18.11.01.2001", "18.12", "18.1"], regency_led=True)
@given(
    own=st.sampled_from(JURISDICTIONS),
    sample=st.lists(
        st.sampled_from(CODES),
        min_size=1,
        max_size=6,
    ),
    regency_led=st.booleans(),
)
def test_the_range_scan_and_the_prefix_rule_always_agree(own, sample, regency_led):
    """Also for `regency_led`: a regency's rows read as those whose code starts with it."""
    user = User(username="u", role=Role.DISNAKER, jurisdiction_id=own, is_active=True)
    in_db = set(
        scope(
            Area.objects.filter(code__in=sample), user, field="code", regency_led=regency_led
        ).values_list("code", flat=True)
    )
    existing = set(Area.objects.filter(code__in=sample).values_list("code", flat=True))
    expected = {c for c in existing if c == own or c.startswith(own + ".")}
    assert in_db == expected
    assert {c for c in existing if code_in_scope(user, c)} == expected


def _user(own: str | None) -> User:
    """An unsaved active user of the area (national for None)."""
    role = Role.KP2MI if own is None else Role.DISNAKER
    return User(username="u", role=role, jurisdiction_id=own, is_active=True)


@settings(max_examples=60, deadline=None)
@example(own="18", narrow="18.11", regency_led=True)
@example(own="18.11", narrow="18", regency_led=True)
@given(
    own=st.sampled_from([*JURISDICTIONS, None]),
    narrow=st.sampled_from([*CODES, None]),
    regency_led=st.booleans(),
)
def test_scope_within_is_the_scope_and_the_area_together(own, narrow, regency_led):
    user = _user(own)
    areas = Area.objects.filter(code__in=CODES)
    both = set(
        scope(areas, user, field="code")
        .filter(code_q(narrow, "code"))
        .values_list("code", flat=True)
    )
    led = {"regency_led": regency_led, "province_led": regency_led}
    within = scope_within(areas, user, narrow, field="code", **led)
    assert set(within.values_list("code", flat=True)) == both


# Texts an area code column could hold if a writer ever stored one that is not an area's code:
# a regency's code with more after it but no dot, as well as real codes.
ODD_CODES = [
    "18.11",
    "18.110",
    "18.11x",
    "18.11.",
    "18.11.01",
    "18.11.01.2001",
    "18.1",
    "",
    "18",
    "180",
    "18x",
]


@pytest.mark.parametrize("own", ["18.11", "18", "18.11.01", "18.1"])
def test_an_area_read_by_its_code_is_still_exactly_its_range(own):
    """`regency_led` and `province_led` read the same rows as the range: a text that starts
    with the code but is not the area or below it stays out."""
    for index, code in enumerate(ODD_CODES):
        AuditEvent.objects.create(action=Action.VIEW, object_id=str(index), area_code=code)
    user = _user(own)
    expected = {c for c in ODD_CODES if c == own or c.startswith(own + ".")}
    for led in ({"regency_led": True}, {"province_led": True}):
        rows = scope_within(AuditEvent.objects.all(), user, None, field="area_code", **led)
        assert set(rows.values_list("area_code", flat=True)) == expected, led


@pytest.mark.parametrize(
    "own, code, expected",
    [
        ("18.11.01.2005", "18", True),  # the province above
        ("18.11.01.2005", "18.11", True),  # the regency above
        ("18.11.01.2005", "18.11.01", True),  # the district above
        ("18.11.01.2005", "18.11.01.2005", True),  # its own village
        ("18.11.01.2005", "18.11.01.2001", False),  # a neighbour village
        ("18.11.01.2005", "18.1", False),  # a text prefix, not an area above
        ("18.11", "18.11.02.2001", True),  # below
        ("18.11", "18.12", False),  # beside
        ("18.11", "33", False),
        ("18.11", None, False),
        (None, "33.01.01.2001", True),  # national users reach everything
    ],
)
def test_reach_is_the_scope_and_the_areas_above_it(own, code, expected):
    user = _user(own)
    assert in_reach(user, code) is expected
    if code is not None:
        rows = Area.objects.filter(reach_q(user, "code"), code=code)
        assert rows.exists() is expected


def test_nobody_reaches_anything_anonymously():
    assert not in_reach(AnonymousUser(), "18")
    assert not Area.objects.filter(reach_q(AnonymousUser(), "code")).exists()


def test_rows_for_the_whole_nation_reach_every_user_with_an_area_and_national_users(personas):
    nationwide = Area.objects.filter(code="18")  # stands in for a row with an empty area
    for who in ("operator_a", "bp3mi_other", "kp2mi"):
        q = reach_q(personas[who], "parent", nationwide=True)
        assert nationwide.filter(q).exists()
    assert not nationwide.filter(reach_q(AnonymousUser(), "parent", nationwide=True)).exists()
    assert not nationwide.filter(reach_q(personas["bp3mi_other"], "parent")).exists()
