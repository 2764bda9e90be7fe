"""A regency's lists read an index that leads with the regency's code, in the list's own order
(`accounts.scoping`, regency_led): their first page reads one regency's rows, however full the
nation and the regency are.

The plans are read with the database told to avoid what a tiny test table would otherwise
favour (a sequential scan, a bitmap scan, a sort, another index of the same table, all set
aside inside a transaction that is rolled back), so what they show is whether the filter
matches the index's expression at all: if it did not, no plan could use the index. Which
index the planner prefers on a full registry is shown by the pages benchmark's EXPLAIN.
"""

import re
from contextlib import contextmanager

import pytest
from django.db import connection, transaction

from lindung.accounts.models import Role, User
from lindung.accounts.scoping import scope_within
from lindung.accounts.trail import audit_event_list
from lindung.placements.models import Placement
from lindung.registry.selectors import FEW_MATCHES, PERSON_ORDER, person_list, person_matches
from lindung.reports import selectors

pytestmark = pytest.mark.django_db

WARNING_INDEXES = {
    "contract_ending": "placement_regency_contract_idx",
    "documents_expiring": "placement_regency_docs_idx",
    "no_check_in": "placement_regency_check_in_idx",
    "non_procedural": "placement_regency_non_proc_idx",
    "minor_candidates": "person_regency_phase_idx",
    "returned_not_empowered": "person_regency_returned_idx",
}


def _other_indexes(index: str) -> list[str]:
    """The indexes of `index`'s table, but it and the unique ones."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT i.relname FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid "
                "WHERE x.indrelid = (SELECT indrelid FROM pg_index "
                "  WHERE indexrelid = %s::regclass) AND NOT x.indisunique AND i.relname <> %s",
                [index, index],
            )
        else:
            cursor.execute(
                "SELECT name FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL "
                "AND sql NOT LIKE 'CREATE UNIQUE%%' AND name <> %s AND tbl_name = "
                "(SELECT tbl_name FROM sqlite_master WHERE name = %s)",
                [index, index],
            )
        return [name for (name,) in cursor.fetchall()]


@contextmanager
def _only(index: str):
    """Inside a transaction rolled back after: the table's other indexes dropped, and on
    PostgreSQL sequential scans, bitmap scans and sorts avoided."""
    with transaction.atomic(), connection.cursor() as cursor:
        for other in _other_indexes(index):
            cursor.execute(f"DROP INDEX {connection.ops.quote_name(other)}")
        if connection.vendor == "postgresql":
            for setting in ("enable_seqscan", "enable_bitmapscan", "enable_sort"):
                cursor.execute(f"SET LOCAL {setting} = off")
        yield
        transaction.set_rollback(True)


def _plan(queryset, index: str) -> str:
    with _only(index):
        return queryset.explain()


def _searched_by_its_code(plan: str, index: str) -> bool:
    """Whether the plan searches `index` by the area's code (a condition on its first term, not
    a walk of the whole index with the code as a filter)."""
    if connection.vendor == "sqlite":
        return re.search(rf"USING (COVERING )?INDEX {index} \(<expr>=\?", plan) is not None
    condition = rf"using {index} on \S+[^\n]*\n\s+Index Cond: \(+CASE WHEN [^\n]*substr\("
    return re.search(condition, plan) is not None


@pytest.mark.parametrize("warning_id", sorted(WARNING_INDEXES))
def test_a_regency_warning_list_reads_its_regency_index(personas, warning_id):
    qs = selectors.warning_items(user=personas["disnaker"], warning_id=warning_id)
    index = WARNING_INDEXES[warning_id]
    plan = _plan(qs.order_by(*selectors.WARNING_ORDER[warning_id])[:51], index)
    assert _searched_by_its_code(plan, index), plan


def test_a_province_reads_its_minors_by_its_province_index(personas):
    """Decision record 24: the one list a province reads by its own code."""
    qs = selectors.warning_items(user=personas["bp3mi"], warning_id="minor_candidates")
    plan = _plan(
        qs.order_by(*selectors.WARNING_ORDER["minor_candidates"])[:51], "person_province_phase_idx"
    )
    assert _searched_by_its_code(plan, "person_province_phase_idx"), plan


def test_the_nation_walks_its_returnees_in_the_lists_order(personas):
    """The nation's returnees without empowerment: the persons' return-date index, walked in
    the list's order, with no sort of a day's returns."""
    qs = selectors.warning_items(user=personas["kp2mi"], warning_id="returned_not_empowered")
    order = selectors.WARNING_ORDER["returned_not_empowered"]
    plan = _plan(qs.order_by(*order)[:51], "person_returned_idx")
    assert "person_returned_idx" in plan, plan
    assert "TEMP B-TREE" not in plan and "Sort" not in plan, plan


def test_a_village_reads_its_returnees_by_its_own_index(personas):
    """Decision record 27: a village's returnees without empowerment, from its own entries of
    (village, phase, return date, id), in the list's order."""
    qs = selectors.warning_items(user=personas["operator_a"], warning_id="returned_not_empowered")
    order = selectors.WARNING_ORDER["returned_not_empowered"]
    plan = _plan(qs.order_by(*order)[:51], "person_village_returned_idx")
    if connection.vendor == "sqlite":
        searched = r"USING INDEX person_village_returned_idx \(village_id=\? AND phase=\? AND"
    else:
        searched = (
            r"using person_village_returned_idx on \S+[^\n]*\n\s+Index Cond: \(\(\(village_id\)"
            r"::text = '[0-9.]+'[^)]*\) AND \(\(phase\)::text = 'returned'::text\) AND "
            r"\(returned_on >="
        )
    assert re.search(searched, plan), plan
    assert "TEMP B-TREE" not in plan and "Sort" not in plan, plan


VILLAGE_EPISODE_INDEXES = {
    # The index, and its terms the village's list searches by before it walks in order.
    "documents_expiring": ("placement_village_docs_idx", ["village_id"]),
    "no_check_in": ("placement_village_check_in_idx", ["village_id", "status"]),
}


@pytest.mark.parametrize("warning_id", sorted(VILLAGE_EPISODE_INDEXES))
def test_a_village_reads_its_episode_lists_by_its_own_index(personas, warning_id):
    """Decision record 30: a village's documents and no-check-in lists, from its own entries of
    an index in the list's order, with no sort of the village's episodes."""
    index, terms = VILLAGE_EPISODE_INDEXES[warning_id]
    qs = selectors.warning_items(user=personas["operator_a"], warning_id=warning_id)
    plan = _plan(qs.order_by(*selectors.WARNING_ORDER[warning_id])[:51], index)
    if connection.vendor == "sqlite":
        searched = rf"USING INDEX {index} \(" + " AND ".join(f"{t}=\\?" for t in terms)
        assert re.search(searched, plan), plan
    else:
        found = re.search(rf"using {index} on \S+[^\n]*\n\s+Index Cond: ([^\n]*)", plan)
        assert found, plan
        for term in terms:
            assert re.search(rf"\({term}\)::text = '", found.group(1)), plan
    assert "TEMP B-TREE" not in plan and "Sort" not in plan, plan


def test_a_regency_residents_list_reads_its_regency_index(personas):
    qs = person_list(user=personas["disnaker"]).order_by(*PERSON_ORDER)[:26]
    plan = _plan(qs, "person_regency_name_idx")
    assert _searched_by_its_code(plan, "person_regency_name_idx"), plan


def _trigram_plan(user) -> str:
    """The plan of the name search's first look-up (registry.selectors._few_matches_by_id):
    at most FEW_MATCHES + 1 matches of "wahyuni", in no order."""
    qs = person_matches(user=user, filters={"q": "wahyuni"}).order_by()
    qs = qs.values_list("pk", flat=True)[: FEW_MATCHES + 1]
    # Bitmap scans are its only way (a GIN index has no order): let them through.
    with _only("person_regency_name_trgm_idx"), connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_bitmapscan = on")
        return qs.explain()


@pytest.mark.postgres
def test_a_regency_name_search_reads_its_trigram_index(personas):
    """Registry migration 0010: any part of a name, searched within the regency's code."""
    plan = _trigram_plan(personas["disnaker"])
    condition = (
        r"on person_regency_name_trgm_idx[^\n]*\n\s+Index Cond: \(\(CASE WHEN [^\n]*substr\("
        r"[^\n]* AND \(\(name_key\)::text ~~ '%wahyuni%'"
    )
    assert re.search(condition, plan), plan


@pytest.mark.postgres
@pytest.mark.parametrize("who", ["kp2mi", "bp3mi"])
def test_the_nation_and_a_province_look_names_up_in_the_trigram_index(personas, who):
    """Outside a regency the same index answers the name alone (a GIN index of several
    columns is searched by any of them): the nation's and a province's search find their few
    matches without walking the names."""
    plan = _trigram_plan(personas[who])
    condition = (
        r"on person_regency_name_trgm_idx[^\n]*\n\s+Index Cond: \(\(name_key\)::text ~~ "
        r"'%wahyuni%'"
    )
    assert re.search(condition, plan), plan


def test_a_regency_trail_reads_its_regency_index(personas):
    trail = audit_event_list(user=personas["disnaker"]).order_by("-at", "-id")[:51]
    plan = _plan(trail, "audit_regency_at_idx")
    assert _searched_by_its_code(plan, "audit_regency_at_idx"), plan


def test_only_a_regency_is_read_by_its_code(personas):
    """A province, a district, a village and the nation keep their range or equality, also
    when a page narrows to an area; a regency is read by its code wherever it comes from."""
    district = User(username="d", role=Role.DISNAKER, jurisdiction_id="18.11.01", is_active=True)
    for user, area_code, by_regency in (
        (personas["bp3mi"], None, False),
        (personas["bp3mi"], "18.11.01", False),
        (personas["operator_a"], None, False),
        (district, None, False),
        (personas["kp2mi"], None, False),
        (personas["kp2mi"], "18", False),
        (personas["kp2mi"], "18.11", True),
        (personas["bp3mi"], "18.11", True),
        (personas["disnaker"], None, True),
    ):
        items = selectors.warning_items(user=user, warning_id="no_check_in", area_code=area_code)
        sql = str(items.query).upper()
        assert ("SUBSTR(" in sql) is by_regency, (user, area_code, sql)
    # The province's minors are read by the province's code (decision record 24).
    minors = selectors.warning_items(user=personas["bp3mi"], warning_id="minor_candidates")
    assert "SUBSTR(" in str(minors.query).upper()
    # A page that asks for more than the user's area gets the user's regency.
    wider = scope_within(Placement.objects.all(), personas["disnaker"], "18", regency_led=True)
    assert "SUBSTR(" in str(wider.query).upper()
