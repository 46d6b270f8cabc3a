"""Bar charts of the results page, drawn on the server as SVG (templates/campaigns/_bar_chart.html):
no script, no charting library, readable by screen readers through the chart's accessible name,
which lists every bar's label and value."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _

ROW_HEIGHT = 38
BAR_HEIGHT = 14
LABEL_MAX = 90


@dataclass(frozen=True)
class Bar:
    label: str
    short_label: str
    count: int
    percent: int  # of the total, rounded
    width: float  # share of the widest bar, 0-100 (% of the chart's width)
    y_text: int
    y_bar: int


@dataclass(frozen=True)
class BarChart:
    bars: list[Bar]
    total: int
    height: int
    summary: str


def bar_chart(items: list[tuple[str, int]], *, title: str, total: int | None = None) -> BarChart:
    """``items``: (label, count) in display order. ``total``: the base of the percentages (the
    number of people who answered, for multiple choice), else the sum of the counts."""
    total = sum(n for _label, n in items) if total is None else total
    widest = max((n for _label, n in items), default=0)
    bars = []
    for i, (label, n) in enumerate(items):
        short = label if len(label) <= LABEL_MAX else label[: LABEL_MAX - 1] + "…"
        bars.append(
            Bar(
                label=label,
                short_label=short,
                count=n,
                percent=round(100 * n / total) if total else 0,
                width=round(100 * n / widest, 2) if widest else 0,
                y_text=i * ROW_HEIGHT + 13,
                y_bar=i * ROW_HEIGHT + 19,
            )
        )
    parts = "; ".join(
        _("%(label)s: %(count)d (%(percent)d%%)") % {"label": b.label, "count": b.count, "percent": b.percent}
        for b in bars
    )
    return BarChart(
        bars=bars,
        total=total,
        height=max(len(bars), 1) * ROW_HEIGHT,
        summary=f"{title}. {parts}" if parts else title,
    )
