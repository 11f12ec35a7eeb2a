"""A Dashboard -> the page's SVG charts, with labels in the reader's language."""

from __future__ import annotations

from datetime import date

from flask_babel import format_date
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from ops import vocab
from ops.search import present
from ops.search.dashboard import svg
from ops.search.dashboard.figures import Bar, Dashboard


def _monthly(chart_id: str, title, months: list[Bar], by_kg: bool):
    """Columns per month; beyond a year and a half only the Januaries carry a label (their year)."""
    many = len(months) > 18
    items = []
    for bar in months:
        day = date(int(bar.key[:4]), int(bar.key[5:7]), 1)
        name = format_date(day, "MMM yyyy")
        label = (bar.key[:4] if day.month == 1 else "") if many else format_date(day, "MMM yy")
        value = bar.kg if by_kg else bar.count
        items.append(
            svg.Item(label, svg.as_float(value), present.kg_short(value) if by_kg else present.number(value), name=name)
        )
    return svg.column_chart(chart_id, str(title), items)


def _bars(chart_id: str, title, bars: list[Bar], labeller) -> object:
    items = [
        svg.Item(
            labeller(bar.key),
            bar.count,
            present.number(bar.count) + (f" · {present.kg_short(bar.kg)} kg" if bar.kg else ""),
        )
        for bar in bars
    ]
    return svg.bar_chart(chart_id, str(title), items)


def route_label(key: tuple[str, str, str]) -> str:
    origin, transit, destination = key
    stops = [origin, *transit.split(), destination]
    return " → ".join(vocab.country_name(code) if code else "?" for code in stops)


def charts(dashboard: Dashboard) -> dict:
    return {
        "months_count": _monthly("chart-months", _l("Seizures per month"), dashboard.months, by_kg=False),
        "months_kg": _monthly("chart-months-kg", _l("kg-equivalent per month"), dashboard.months, by_kg=True),
        "commodities": _bars(
            "chart-commodities", _l("By commodity (seizures · kg-eq.)"), dashboard.commodities, present.commodity_label
        ),
        "locations": _bars(
            "chart-locations",
            _l("By location"),
            dashboard.locations,
            lambda k: vocab.place_label_by_name(k) if k else _("unknown"),
        ),
        "agencies": _bars("chart-agencies", _l("By agency"), dashboard.agencies, str),
        "routes": _bars("chart-routes", _l("Top routes"), dashboard.routes, route_label),
    }
