"""Charts drawn on the server as accessible SVG: a bar per value, its number written on it
(colour is never the only carrier), a suppressed value drawn as an outlined bar marked
"< 5". The template (`templates/coalition/impact/_charts.html`) gives each chart its
`<title>`, `<desc>` and `role="img"`, and a data table beside it."""

from __future__ import annotations

from dataclasses import dataclass

from coalition.impact.suppression import Cell

#: the drawing's size in SVG user units (it scales to the page's width)
WIDTH, HEIGHT = 640, 260
#: room for the axis labels below and the numbers above the bars
BOTTOM, TOP, LEFT = 40, 24, 8


@dataclass(frozen=True)
class Bar:
    label: str
    text: str
    x: float
    y: float
    width: float
    height: float
    suppressed: bool


@dataclass(frozen=True)
class BarChart:
    """One chart: its id (for aria links), title, description and bars."""

    id: str
    title: str
    desc: str
    bars: list[Bar]
    width: int = WIDTH
    height: int = HEIGHT
    baseline: float = HEIGHT - BOTTOM

    @property
    def view_box(self) -> str:
        return f"0 0 {self.width} {self.height}"


def bar_chart(
    chart_id: str, title: str, desc: str, values: list[tuple[str, int | float | Cell | None]]
) -> BarChart:
    """A bar chart of (label, value) pairs; a suppressed Cell is an outlined stub bar."""
    numbers = []
    for _label, value in values:
        if isinstance(value, Cell):
            value = value.value
        numbers.append(value)
    top = max([n for n in numbers if n is not None] or [1]) or 1
    slot = (WIDTH - 2 * LEFT) / max(1, len(values))
    usable = HEIGHT - BOTTOM - TOP
    bars = []
    for i, ((label, value), number) in enumerate(zip(values, numbers, strict=True)):
        suppressed = number is None
        height = usable * 0.04 if suppressed else usable * number / top
        text = str(value) if isinstance(value, Cell) else ("–" if number is None else f"{number:g}")
        bars.append(
            Bar(
                label=label,
                text=text,
                x=round(LEFT + i * slot + slot * 0.15, 1),
                y=round(HEIGHT - BOTTOM - height, 1),
                width=round(slot * 0.7, 1),
                height=round(height, 1),
                suppressed=suppressed,
            )
        )
    return BarChart(chart_id, title, desc, bars)
