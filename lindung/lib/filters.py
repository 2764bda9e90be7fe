"""The list pages' filters applied to a queryset: what the filter form chose narrows the rows;
what it left empty does not."""

from django.db.models import QuerySet


def filter_chosen(qs: QuerySet, filters: dict, **lookups: str) -> QuerySet:
    """`qs` narrowed by each filter of `lookups` that was chosen: a filter's name, then the
    lookup its value must match (`country="destination_country"`)."""
    chosen = {lookup: filters[name] for name, lookup in lookups.items() if filters.get(name)}
    return qs.filter(**chosen) if chosen else qs


def filter_yes_no(qs: QuerySet, filters: dict, name: str, lookup: str) -> QuerySet:
    """`qs` narrowed to the rows whose `lookup` is true or false, as the filter `name` says
    "yes" or "no"; any other value narrows nothing."""
    if filters.get(name) not in ("yes", "no"):
        return qs
    return qs.filter(**{lookup: filters[name] == "yes"})
