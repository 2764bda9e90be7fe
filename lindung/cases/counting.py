"""The open cases in the counters (decision record 22): what the cases' dashboard panel reads.

A case's keys (`counters.keeping.case_keys`) come from the case row and its categories. Every
writer of a counted field takes them before and after the change, with the case row locked,
and applies the difference in the same transaction, as the person's writers do (decision
record 18).
"""

import functools
from collections import Counter as Tally

from lindung.cases.models import OPEN_STATUSES, Case
from lindung.counters.keeping import case_keys, counters_apply


def case_tally(case: Case) -> Tally:
    """The counter keys the case contributes to now (none before it is saved)."""
    if case.pk is None:
        return Tally()
    is_open = case.archived_at is None and case.status in OPEN_STATUSES
    categories = case.categories.values_list("code", flat=True) if is_open else ()
    return Tally(
        case_keys(
            village=case.village_id,
            is_open=is_open,
            urgent=case.urgent,
            due_on=case.due_on,
            categories=categories,
        )
    )


def case_counted_lock(case: Case) -> None:
    """Lock the case's row until the transaction ends and reload the whole row: a second
    writer of the same case waits, then checks, writes and counts from what the first
    committed, and never saves a copy's old values back."""
    if case.pk is None:
        return
    # SQLite ignores FOR UPDATE: its IMMEDIATE transactions already let one writer at a time.
    list(Case.objects.select_for_update().filter(pk=case.pk).values_list("pk", flat=True))
    case.refresh_from_db()


def on_the_committed_case(service):
    """Run a case service (called with `case=`) on the committed row, locked, before it checks
    or writes anything. Goes under `transaction.atomic`, which holds the lock."""

    @functools.wraps(service)
    def run(*args, case: Case, **kwargs):
        case_counted_lock(case)
        return service(*args, case=case, **kwargs)

    return run


def case_counted(case: Case, before: Tally) -> None:
    """Apply what changed in the case's counter keys since `before` (taken under the lock)."""
    counters_apply(before=before, after=case_tally(case))
