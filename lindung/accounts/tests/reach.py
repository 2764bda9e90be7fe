"""A check, shared by the apps whose rows are made for an area (programmes, sessions,
announcements, regulations), that their list and get selectors follow the reach rule of
`lindung.accounts.scoping` and go through its `reach_q`."""

from unittest import mock

from lindung.accounts import scoping


def assert_reach(module, noun: str, user, rows: dict, expected: set) -> None:
    """`rows` maps an area code to a row made for it; through the module's `<noun>_list` and
    `<noun>_get`, `user` must see exactly the rows of the `expected` codes, and each of the two
    selectors must ask `reach_q`."""
    list_selector, get_selector = getattr(module, f"{noun}_list"), getattr(module, f"{noun}_get")
    with mock.patch.object(module, "reach_q", wraps=scoping.reach_q) as helper:
        listed = {row.pk for row in list_selector(user=user)}
        assert helper.called, f"{list_selector.__name__} lists without scoping.reach_q"
        helper.reset_mock()
        got = {code for code, row in rows.items() if get_selector(user=user, pk=row.pk)}
        assert helper.call_count >= len(rows), f"{get_selector.__name__} gets without reach_q"
    seen = {code for code, row in rows.items() if row.pk in listed}
    assert seen == expected, f"listed {sorted(seen, key=str)}, expected {sorted(expected, key=str)}"
    assert got == expected, f"got {sorted(got, key=str)}, expected {sorted(expected, key=str)}"
