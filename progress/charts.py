"""Server-rendered charts, no JavaScript: geometry computed and markup drawn here, every text
escaped (the rest are numbers). Drawn in Python rather than in a template: the dashboard page
renders on every visit, and template loops (or format_html's per-value machinery) spent more on
a chart than the page spends on its queries.

Text never scales with the drawing: the domain bars are an HTML list, each name cut by CSS to
the width it has (a phone's included) above an SVG track with a percentage-wide bar (the
content security policy allows no inline styles), and the XP line is drawn in a stretched
viewBox with its labels in HTML beside it."""

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from html import escape

from django.utils.safestring import SafeString, mark_safe

BAR_HEIGHT = 12
# Over every answer, where a weak domain's figure is over its recent ones: the two can differ.
TITLE = "Accuracy by exam domain, over all your answers"


def percent(value: float, places: int) -> str:
    """A percentage as the template's `floatformat` prints it here (English, no grouping): rounded
    half up to `places` decimals, and with a negative `places` none at all when the value is
    whole. Django's filter goes through its number formatting, five times the cost, twice a bar."""
    exact = Decimal(repr(value))
    if places < 0 and exact == int(exact):
        return str(int(exact))
    return str(exact.quantize(Decimal(1).scaleb(-abs(places)), ROUND_HALF_UP))


@dataclass(frozen=True)
class DomainBar:
    name: str
    accuracy: float | None  # percent; None before any answer
    answered: int
    is_weak: bool

    @property
    def width(self) -> str:
        return f"{self.accuracy or 0:.1f}%"

    @property
    def summary(self) -> str:
        """The bar in words, for screen readers."""
        if not self.answered:
            return f"{self.name}: no answers yet."
        answers = "answer" if self.answered == 1 else "answers"
        weak = ", weak" if self.is_weak else ""
        return f"{self.name}: {percent(self.accuracy, -1)}% over {self.answered} {answers}{weak}."

    @property
    def value_label(self) -> str:
        if not self.answered:
            return "–"
        return f"{percent(self.accuracy, 0)}%" + (" · weak" if self.is_weak else "")


@dataclass(frozen=True)
class BarChart:
    bars: list[DomainBar]

    def __html__(self) -> SafeString:
        rows = "".join(
            f'<li class="domain-bar{" weak" if bar.is_weak else ""}">'
            f'<span class="domain-bar-name" title="{escape(bar.name)}" aria-hidden="true">{escape(bar.name)}</span>'
            f'<span class="domain-bar-value" aria-hidden="true">{escape(bar.value_label)}</span>'
            f'<svg class="domain-bar-track" width="100%" height="{BAR_HEIGHT}" aria-hidden="true">'
            f'<rect class="bar-bg" width="100%" height="{BAR_HEIGHT}" rx="6"/>'
            + (
                f'<rect class="bar" width="{bar.width}" height="{BAR_HEIGHT}" rx="6"/>'
                if bar.answered
                else ""
            )
            + f'</svg><span class="sr-only">{escape(bar.summary)}</span></li>'
            for bar in self.bars
        )
        return mark_safe(  # noqa: S308 - every text in it is escaped above; the rest are numbers
            f'<p class="domain-bars-title" id="domain-bars-title">{TITLE}</p>'
            f'<ul class="domain-bars" aria-labelledby="domain-bars-title">{rows}</ul>'
        )

    __str__ = __html__


def domain_accuracy_chart(rows: list[tuple[str, float | None, int, bool]]) -> BarChart:
    """One bar per exam domain from (name, accuracy %, answers, weak?); names above the bars,
    since domain names are long."""
    return BarChart(bars=[DomainBar(*row) for row in rows])


@dataclass(frozen=True)
class LineChart:
    points: str  # <polyline points> in a 1000 × 200 viewBox
    area: str  # <polygon points> under the line
    gridlines: list[float]  # y of the horizontal lines
    peak: int  # XP at the top line
    total: int
    gained: int
    start_label: str
    middle_label: str
    end_label: str

    def __html__(self) -> SafeString:
        gridlines = "".join(
            f'<line class="grid-line" x1="0" x2="1000" y1="{y}" y2="{y}" vector-effect="non-scaling-stroke"/>'
            for y in self.gridlines
        )
        start, middle, end = (
            escape(label) for label in (self.start_label, self.middle_label, self.end_label)
        )
        return mark_safe(  # noqa: S308 - the labels are escaped; the rest are numbers
            '<figure class="line-chart"><div class="line-chart-plot">'
            f'<span class="line-chart-peak" aria-hidden="true">{self.peak} XP</span>'
            '<svg viewBox="0 0 1000 200" preserveAspectRatio="none" role="img" aria-labelledby="xp-chart-title">'
            f'<title id="xp-chart-title">Total XP over the last 30 days: {self.total} now, up {self.gained}.</title>'
            f'{gridlines}<polygon class="area" points="{self.area}"/>'
            f'<polyline class="line" points="{self.points}" vector-effect="non-scaling-stroke"/></svg></div>'
            f'<figcaption class="line-chart-axis" aria-hidden="true"><span>{start}</span><span>{middle}</span>'
            f"<span>{end}</span></figcaption></figure>"
        )

    __str__ = __html__


def xp_over_time_chart(
    *, xp_by_day: list[tuple[date, int]], xp_total: int, today: date, days: int = 30
) -> LineChart:
    """Cumulative XP over the last `days` days, from the XP earned per day and today's total."""
    width, height, top = 1000, 200, 8
    start = today - timedelta(days=days - 1)
    earned = dict(xp_by_day)
    gained = sum(xp for day, xp in xp_by_day if day >= start)
    running = xp_total - gained
    values = []
    for offset in range(days):
        running += earned.get(start + timedelta(days=offset), 0)
        values.append(running)
    peak = max(max(values), 10)
    plot = height - top
    coords = [
        (round(width * i / (days - 1), 1), round(top + plot * (1 - value / peak), 1))
        for i, value in enumerate(values)
    ]
    points = " ".join(f"{x},{y}" for x, y in coords)

    def label(day: date) -> str:
        return f"{day:%b} {day.day}"

    return LineChart(
        points=points,
        area=f"0,{height} {points} {width},{height}",
        gridlines=[top, top + plot / 2, height],
        peak=peak,
        total=xp_total,
        gained=gained,
        start_label=label(start),
        middle_label=label(start + timedelta(days=days // 2)),
        end_label=label(today),
    )
