"""The information sessions in the counters (decision record 23): what the outreach panel and
the reach pages read.

A session's keys (`counters.keeping.session_keys`) come from the session row. Every writer of a
counted field takes them before and after the change, with the row locked, and applies the
difference in the same transaction.
"""

from collections import Counter as Tally

from lindung.counters.keeping import counters_apply, session_keys
from lindung.outreach.models import OutreachSession


def session_tally(session: OutreachSession) -> Tally:
    """The counter keys the session contributes to now (none before it is saved)."""
    if session.pk is None:
        return Tally()
    return session_keys(
        area=session.area_id,
        is_live=session.archived_at is None,
        men=session.attendees_male,
        women=session.attendees_female,
    )


def session_counted_lock(session: OutreachSession) -> Tally:
    """Lock the session's row until the transaction ends, reload the whole row, and return its
    keys: a second writer of the same session waits, then checks, writes and counts from what
    the first committed."""
    # SQLite ignores FOR UPDATE: its IMMEDIATE transactions already let one writer at a time.
    list(
        OutreachSession.objects.select_for_update()
        .filter(pk=session.pk)
        .values_list("pk", flat=True)
    )
    session.refresh_from_db()
    return session_tally(session)


def session_counted(session: OutreachSession, before: Tally) -> None:
    """Apply what changed in the session's counter keys since `before`."""
    counters_apply(before=before, after=session_tally(session))
