"""Server-rendered SVG charts: geometry computed here, drawn by templates, no JavaScript.

Text never scales with the drawing: bar charts are laid out in pixels with percentage widths,
and the XP line is drawn in a stretched viewBox with its labels in HTML beside it."""

from dataclasses import dataclass
from datetime import date, timedelta

ROW_HEIGHT = 44
BAR_HEIGHT = 12


@dataclass(frozen=True)
class DomainBar:
    name: str
    accuracy: float | None  # percent; None before any answer
    answered: int
    is_weak: bool
    label_y: int
    bar_y: int

    @property
    def width(self) -> str:
        return f"{self.accuracy or 0:.1f}%"


@dataclass(frozen=True)
class BarChart:
    bars: list[DomainBar]
    height: int
    bar_height: int


def domain_accuracy_chart(rows: list[tuple[str, float | None, int, bool]]) -> BarChart:
    """One bar per exam domain from (name, accuracy %, answers, weak?); labels above the bars,
    since domain names are long."""
    bars = [
        DomainBar(
            name, accuracy, answered, weak, label_y=index * ROW_HEIGHT + 15, bar_y=index * ROW_HEIGHT + 23
        )
        for index, (name, accuracy, answered, weak) in enumerate(rows)
    ]
    return BarChart(bars=bars, height=max(1, len(rows)) * ROW_HEIGHT, bar_height=BAR_HEIGHT)


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
