"""Keys reserved for bulk inserts are never handed out twice, on either database."""

from django.db import transaction

from lindung.imports import bulk
from lindung.imports.tests.factories import registered
from lindung.registry.models import Person


def _person(operator, village, n: int):
    return registered(operator, village, n, f"Warga Uji {n}")


def test_reserved_keys_follow_the_existing_ones_and_are_not_given_again(personas, village_a):
    operator = personas["operator_a"]
    with transaction.atomic():
        first = _person(operator, village_a, 1).pk
        reserved = bulk.reserve_ids(Person, 3)
        assert reserved == list(range(reserved[0], reserved[0] + 3))
        assert reserved[0] > first
        again = bulk.reserve_ids(Person, 2)
        assert again[0] > reserved[-1]
        after = _person(operator, village_a, 2).pk
        assert after > again[-1]
    assert bulk.reserve_ids(Person, 0) == []


def test_counter_deltas_add_up_through_the_version_triggers(db):
    from lindung.counters.keeping import counters_version
    from lindung.counters.models import Counter

    key = ("18.11.01.2001", "resident", "abroad", "MY", "F", "", "0", "")
    before = counters_version("18.11")
    bulk.counters_add({key: 2})
    bulk.counters_add({key: 3, ("18.11.01.2001", *key[1:4], "M", *key[5:]): 1})
    rows = Counter.objects.filter(village="18.11.01.2001").order_by("sex")
    assert [(row.sex, row.n, row.level) for row in rows] == [("F", 5, 4), ("M", 1, 4)]
    after = counters_version("18.11")
    assert after != before or after[2]
