"""The villages' trends of non-procedural departures: kept by every writer of the counters,
moved on with the month, checked against the counters and rebuilt with them."""

import re
from datetime import timedelta

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from conftest import VILLAGE_A, VILLAGE_B
from lindung.counters.keeping import rolled_up
from lindung.counters.models import Metric, TrendWindow, VillageTrend
from lindung.counters.trends import TREND_MONTHS, trend_window, trends_differences, trends_roll
from lindung.imports.bulk import counters_add
from lindung.lib.dates import month_list
from lindung.registry.models import Person
from lindung.registry.services import person_archive
from lindung.reports import selectors
from lindung.reports import views as report_views
from lindung.reports.tests.factories import make_abroad

pytestmark = pytest.mark.django_db


def _trends() -> dict[str, tuple[int, int]]:
    return {
        t.village_id: (t.recent, t.before)
        for t in VillageTrend.objects.all()
        if t.recent or t.before
    }


def _months_later(today, months: int):
    """The 15th of the month `months` after today's."""
    last = month_list(today.replace(day=15) + timedelta(days=31 * months), 1)[0]
    return today.replace(year=int(last[:4]), month=int(last[5:]), day=15)


def test_the_window_is_this_month_and_the_five_before():
    assert trend_window(timezone.localdate().replace(year=2026, month=2, day=10)) == (
        "2025-09",
        "2025-12",
        "2026-02",
    )


def test_the_window_moves_on_with_the_month_and_every_village_is_summed_again(personas):
    disnaker = personas["disnaker"]
    today = timezone.localdate()
    assert trends_roll(today) is True  # the first window
    assert trends_roll(today) is False  # already this month's
    make_abroad(disnaker, VILLAGE_A, departed_on=today, procedural=False)
    make_abroad(disnaker, VILLAGE_A, departed_on=today, procedural=True)  # not counted
    assert _trends() == {VILLAGE_A: (1, 0)}

    later = _months_later(today, TREND_MONTHS)
    assert not selectors.warning_rising_non_procedural(disnaker, None, later).exists()
    assert TrendWindow.objects.get().month == trend_window(later)[2]
    assert _trends() == {VILLAGE_A: (0, 1)}  # now among the months before
    assert trends_differences() == []

    selectors.warning_rising_non_procedural(disnaker, None, _months_later(today, 2 * TREND_MONTHS))
    assert _trends() == {}  # out of the window altogether

    rising = selectors.warning_rising_non_procedural(disnaker, None, today)
    assert [(t.village_id, t.recent, t.before) for t in rising] == [(VILLAGE_A, 1, 0)]


def test_the_services_keep_each_village_trend_as_its_counters_change(personas):
    disnaker = personas["disnaker"]
    today = timezone.localdate()
    trends_roll(today)
    first, _ = make_abroad(disnaker, VILLAGE_A, departed_on=today, procedural=False)
    make_abroad(disnaker, VILLAGE_A, departed_on=today, procedural=False, country="TW")
    make_abroad(disnaker, VILLAGE_B, departed_on=today - timedelta(days=100), procedural=False)
    assert _trends() == {VILLAGE_A: (2, 0), VILLAGE_B: (0, 1)}

    person_archive(actor=disnaker, person=Person.objects.get(pk=first.pk), reason="duplicate")

    assert _trends() == {VILLAGE_A: (1, 0), VILLAGE_B: (0, 1)}
    assert trends_differences() == []
    counted = selectors.warning_counts(user=disnaker)["rising_non_procedural"]
    assert counted == 1  # Wiralaga I rose; Sido Mulyo fell


def test_the_imports_counter_upsert_keeps_the_trend_of_the_villages_it_changes(personas):
    """The import's writer adds its deltas with `counters_add`, rolled up to every level."""
    today = timezone.localdate()
    trends_roll(today)
    month = today.isoformat()[:7]
    departure = (VILLAGE_B, Metric.DEPARTURE.value, "", "MY", "F", "domestic_worker", "n", month)
    procedural = (*departure[:6], "y", month)
    counters_add(dict.fromkeys([*rolled_up(departure), *rolled_up(procedural)], 2))
    assert _trends() == {VILLAGE_B: (2, 0)}
    counters_add(dict.fromkeys(rolled_up(departure), -1))
    assert _trends() == {VILLAGE_B: (1, 0)}
    assert trends_differences() == []


def test_nothing_is_kept_before_the_first_window_and_the_first_reader_makes_it(personas):
    disnaker = personas["disnaker"]
    today = timezone.localdate()
    make_abroad(disnaker, VILLAGE_A, departed_on=today, procedural=False)
    assert (TrendWindow.objects.count(), VillageTrend.objects.count()) == (0, 0)
    assert selectors.warning_counts(user=disnaker)["rising_non_procedural"] == 1
    assert _trends() == {VILLAGE_A: (1, 0)}


def test_check_counters_finds_a_trend_changed_by_hand_and_a_rebuild_mends_it(personas):
    disnaker = personas["disnaker"]
    today = timezone.localdate()
    trends_roll(today)
    make_abroad(disnaker, VILLAGE_A, departed_on=today, procedural=False)
    call_command("check_counters")  # matches
    VillageTrend.objects.filter(village_id=VILLAGE_A).update(before=4)
    assert trends_differences() == [(VILLAGE_A, (1, 4), (1, 0))]
    with pytest.raises(CommandError, match="1 village trends"):
        call_command("check_counters")

    call_command("rebuild_counters")

    assert trends_differences() == [] and _trends() == {VILLAGE_A: (1, 0)}
    assert TrendWindow.objects.get().month == trend_window(today)[2]


def test_the_rising_villages_page_goes_on_from_the_last_village_shown(
    personas, client_as, monkeypatch
):
    monkeypatch.setattr(report_views, "WARNING_PAGE", 2)
    disnaker = personas["disnaker"]
    today = timezone.localdate()
    for code, n in {"18.11.01.2003": 1, "18.11.01.2004": 3, VILLAGE_B: 2}.items():
        for _ in range(n):
            make_abroad(disnaker, code, departed_on=today, procedural=False)
    client, url, seen = client_as(disnaker), "/laporan/peringatan/rising_non_procedural/", []
    first = client.get(url).content.decode()
    assert "3 tercatat" in first
    assert 'data-label="Desa"' in first and 'data-label="Nama"' not in first  # on a phone
    while url:
        html = client.get(url).content.decode()
        seen += re.findall(r'<a href="/wilayah/[\d.]+/">([^<]+)</a>', html)
        found = re.search(r'href="\?after=([^"]+)"', html)
        url = (
            f"/laporan/peringatan/rising_non_procedural/?after={found.group(1)}" if found else None
        )
    assert seen == ["Desa Nipah Kuning", "Desa Sido Mulyo", "Desa Sungai Badak"]
