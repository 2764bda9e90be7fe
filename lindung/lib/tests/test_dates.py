"""Months and days as the dashboards and the counters name them."""

from datetime import date

from lindung.lib.dates import month_list


def test_month_list_ends_with_this_month_and_crosses_years():
    assert month_list(date(2026, 2, 10), 4) == ["2025-11", "2025-12", "2026-01", "2026-02"]


def test_month_list_of_one_month_is_this_month():
    assert month_list(date(2026, 12, 31), 1) == ["2026-12"]
