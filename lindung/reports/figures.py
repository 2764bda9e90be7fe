"""Turning counter tallies into labelled rows and chart geometry for the templates."""

from __future__ import annotations

from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from lindung.lib import countries
from lindung.placements.models import Job
from lindung.registry.models import Phase

PROCEDURAL_LABELS = {"y": _("Procedural"), "n": _("Non-procedural"), "": _("Not yet departed")}
MOVEMENT_LABELS = {"departure": _("Departures"), "return": _("Returns")}
SPLIT_LABELS = {
    "phase": _("Phase"),
    "sex": _("Women and men"),
    "country": _("Country (abroad now)"),
    "job": _("Job (abroad now)"),
    "procedural": _("Procedural (abroad now)"),
    "movement": _("Departures and returns (24 months)"),
}
SPLIT_ORDER = {
    "phase": ["candidate", "abroad", "returned", "none"],
    "sex": ["F", "M"],
    "procedural": ["y", "n"],
    "movement": ["departure", "return"],
}
MAX_SPLIT_COLUMNS = 8


def country_name(code: str) -> str:
    """A country's name in reports and warnings; "—" where an episode names none yet."""
    return countries.country_name(code) or "—"


def label(kind: str, value: str) -> str:
    """The display label of one value of a dimension."""
    if kind == "country":
        return country_name(value)
    if kind == "job":
        return str(Job(value).label) if value in Job.values else value
    if kind == "phase":
        return str(Phase(value).label) if value in Phase.values else value
    if kind == "sex":
        return {"F": str(_("Women")), "M": str(_("Men"))}.get(value, value)
    if kind == "procedural":
        return str(PROCEDURAL_LABELS.get(value, value))
    if kind == "movement":
        return str(MOVEMENT_LABELS.get(value, value))
    return value


def bar_rows(tally: dict[str, int], kind: str, order: list[str] | None = None) -> list[dict]:
    """Rows of a bar list: label, count, share of the largest (for the bar) and of the total."""
    keys = [k for k in (order or []) if k in tally] or sorted(tally, key=lambda k: (-tally[k], k))
    total = sum(tally.values()) or 1
    top = max(tally.values(), default=0) or 1
    return [
        {
            "value": k,
            "label": label(kind, k),
            "n": tally[k],
            "width": round(100 * tally[k] / top, 1),
            "percent": round(100 * tally[k] / total),
        }
        for k in keys
    ]


def month_label(month: str) -> str:
    """'2026-03' as 'Mar 2026' in the user's language."""
    from datetime import date

    year, number = (int(part) for part in month.split("-"))
    return date_format(date(year, number, 1), "M Y")


def month_chart(months: list[str], series: dict[str, dict[str, int]]) -> dict:
    """Geometry of an inline SVG bar chart: one group of bars per month."""
    width, height, pad = 720, 180, 20
    top = max((v for s in series.values() for v in s.values()), default=0) or 1
    group = (width - pad) / len(months)
    bar = group / (len(series) + 1)
    bars = []
    for i, month in enumerate(months):
        for j, (name, values) in enumerate(series.items()):
            n = values.get(month, 0)
            h = round((height - pad) * n / top, 1)
            bars.append(
                {
                    "x": round(pad + i * group + j * bar, 1),
                    "y": round(height - pad - h, 1),
                    "w": round(bar, 1),
                    "h": h,
                    "series": name,
                    "n": n,
                    "month": month_label(month),
                }
            )
    ticks = [
        {"x": round(pad + i * group, 1), "label": month_label(m)}
        for i, m in enumerate(months)
        if i % 6 == 0
    ]
    rows = [
        {"month": month_label(m), "values": [series[name].get(m, 0) for name in series]}
        for m in months
    ]
    return {
        "width": width,
        "height": height,
        "baseline": height - pad,
        "top": top,
        "bars": bars,
        "ticks": ticks,
        "rows": rows,
        "series": [str(MOVEMENT_LABELS.get(name, name)) for name in series],
        "keys": list(series),
    }


def split_table(children, split: str, data: dict[str, dict[str, int]]) -> dict:
    """Columns and rows of a drill-down table: one row per child area."""
    totals: dict[str, int] = {}
    for cell in data.values():
        for value, n in cell.items():
            totals[value] = totals.get(value, 0) + n
    columns = [v for v in SPLIT_ORDER.get(split, []) if v in totals or split != "phase"]
    if split not in SPLIT_ORDER:
        columns = sorted(totals, key=lambda v: (-totals[v], v))[:MAX_SPLIT_COLUMNS]
    if split == "phase":
        columns = [v for v in SPLIT_ORDER["phase"] if v != "none" or v in totals]
    others = split not in SPLIT_ORDER and len(totals) > len(columns)
    headers = [label(split, c) for c in columns]
    if others:
        headers.append(str(_("Others")))
    rows = []
    for child in children:
        cell = data.get(child.code, {})
        values = [cell.get(c, 0) for c in columns]
        if others:
            values.append(sum(n for v, n in cell.items() if v not in columns))
        rows.append(
            {
                "area": child,
                "cells": [{"label": h, "n": n} for h, n in zip(headers, values, strict=True)],
                "total": sum(cell.values()),
            }
        )
    values = [totals.get(c, 0) for c in columns]
    if others:
        values.append(sum(n for v, n in totals.items() if v not in columns))
    footer = [{"label": h, "n": n} for h, n in zip(headers, values, strict=True)]
    return {"headers": headers, "rows": rows, "footer": footer, "total": sum(totals.values())}
