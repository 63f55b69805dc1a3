"""Charts drawn on the server as SVG: a few kilobytes on a slow line, readable without script,
nothing fetched from elsewhere.

Each chart takes plain numbers and labels and answers Markup for a template. Horizontal positions
are percentages of the chart's width and text keeps its size, so a chart fills a phone or a wide
screen alike and its words stay legible; colours come from the stylesheet (`.chart-*`). A chart
is a picture of a table the page shows too: its title says what it is for a screen reader.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from itertools import count

from markupsafe import Markup, escape

Format = Callable[[float], str]
ROW = 42  # px: a label line and a bar under it
BAR = 14
LABEL = 44  # characters of a row's label; longer ones end in an ellipsis (the table has them whole)
_ids = count(1)


@dataclass(frozen=True)
class Bar:
    """One labelled value."""

    label: str
    value: float


@dataclass(frozen=True)
class Mark:
    """A labelled vertical line across a chart (a threshold, a base case)."""

    label: str
    value: float


@dataclass(frozen=True)
class Swing:
    """One row of a tornado: the result with the input at its low and at its high value."""

    label: str
    low: float
    high: float


def _number(value: float) -> str:
    return f"{value:.2f}"


class _Scale:
    """Values to percentages of the width, over the range of the values and zero."""

    def __init__(self, values: Sequence[float], pad: float = 2.0) -> None:
        lo, hi = min(0.0, *values), max(0.0, *values)
        self.lo, self.span, self.pad = lo, (hi - lo) or 1.0, pad

    def __call__(self, value: float) -> float:
        return self.pad + (value - self.lo) / self.span * (100 - 2 * self.pad)


def _svg(title: str, height: int, body: list[str], kind: str) -> Markup:
    ident = f"chart-{next(_ids)}"
    head = (
        f'<svg class="chart chart-{kind}" width="100%" height="{height}" role="img" '
        f'aria-labelledby="{ident}" xmlns="http://www.w3.org/2000/svg">'
        f'<title id="{ident}">{escape(title)}</title>'
    )
    return Markup(head + "".join(body) + "</svg>")


def _row_text(y: float, label: str, value: str) -> str:
    if len(label) > LABEL:
        label = label[: LABEL - 1].rstrip() + "…"
    return (
        f'<text class="chart-label" x="0" y="{y + 14}">{escape(label)}</text>'
        f'<text class="chart-value" x="100%" y="{y + 14}" text-anchor="end">{escape(value)}</text>'
    )


def _marks(marks: Sequence[Mark], x: _Scale, top: float, rows: int) -> list[str]:
    """Each mark's label over the chart and its dashed line through the bars (not the words)."""
    out = []
    for m in marks:
        px = _number(x(m.value))
        out.append(
            f'<text class="chart-mark-label" x="{px}%" y="{top - 4}" text-anchor="middle">'
            f"{escape(m.label)}</text>"
        )
        out.extend(
            f'<line class="chart-mark" x1="{px}%" x2="{px}%" y1="{top + n * ROW + 17}" '
            f'y2="{top + n * ROW + 20 + BAR + 3}"/>'
            for n in range(rows)
        )
    return out


def bars(rows: Sequence[Bar], *, title: str, fmt: Format = str) -> Markup:
    """Horizontal bars from zero, one row each, the value written at the row's end."""
    x = _Scale([r.value for r in rows])
    body = []
    for n, r in enumerate(rows):
        y = n * ROW
        a, b = sorted((x(0), x(r.value)))
        sign = "neg" if r.value < 0 else "pos"
        body.append(_row_text(y, r.label, fmt(r.value)))
        body.append(
            f'<rect class="chart-bar {sign}" x="{_number(a)}%" y="{y + 20}" '
            f'width="{_number(max(b - a, 0.3))}%" height="{BAR}"/>'
        )
    return _svg(title, max(len(rows), 1) * ROW, body, "bars")


def waterfall(
    start: Bar,
    steps: Sequence[Bar],
    end_label: str,
    *,
    title: str,
    fmt: Format = str,
    delta_fmt: Format | None = None,
    marks: Sequence[Mark] = (),
) -> Markup:
    """From a starting total, each step's change as a bar from the running total, then the end
    total; `marks` draw lines across (thresholds)."""
    delta_fmt = delta_fmt or (lambda v: ("+" if v > 0 else "") + fmt(v))
    totals = [start.value]
    for s in steps:
        totals.append(totals[-1] + s.value)
    x = _Scale(totals + [m.value for m in marks])
    top = 18 if marks else 0
    body = []
    rows = [(start.label, 0.0, start.value, fmt(start.value), "total")]
    for s, before, after in zip(steps, totals, totals[1:], strict=False):
        rows.append((s.label, before, after, delta_fmt(s.value), "neg" if s.value < 0 else "pos"))
    rows.append((end_label, 0.0, totals[-1], fmt(totals[-1]), "total"))
    for n, (label, a_value, b_value, text, kind) in enumerate(rows):
        y = top + n * ROW
        a, b = sorted((x(a_value), x(b_value)))
        body.append(_row_text(y, label, text))
        body.append(
            f'<rect class="chart-bar {kind}" x="{_number(a)}%" y="{y + 20}" '
            f'width="{_number(max(b - a, 0.3))}%" height="{BAR}"/>'
        )
    height = top + len(rows) * ROW
    body.extend(_marks(marks, x, top, len(rows)))
    return _svg(title, height, body, "waterfall")


def pareto(
    rows: Sequence[Bar],
    *,
    title: str,
    fmt: Format = str,
    marks: Sequence[float] = (0.8,),
    plot: int = 180,
    total: float | None = None,
) -> Markup:
    """Bars largest first, numbered, with the cumulative share as a line over them (its scale,
    0 to 100%, at the right); `marks` draw dashed lines at those cumulative shares. `total` is
    the whole the shares are of when the rows are only the first of many (their sum otherwise)."""
    rows = sorted(rows, key=lambda r: -r.value)
    top, bottom = 16, 16 + plot
    total = total or sum(r.value for r in rows) or 1.0
    peak = max((r.value for r in rows), default=1.0) or 1.0
    n = max(len(rows), 1)
    width = 92 / n
    body = [
        f'<line class="chart-axis" x1="0%" x2="92%" y1="{bottom}" y2="{bottom}"/>',
        f'<text class="chart-value" x="100%" y="{top + 4}" text-anchor="end">100%</text>',
        f'<text class="chart-value" x="100%" y="{bottom}" text-anchor="end">0%</text>',
    ]
    for share in marks:
        y = bottom - share * plot
        body.append(
            f'<line class="chart-mark" x1="0%" x2="92%" y1="{y:.1f}" y2="{y:.1f}"/>'
            f'<text class="chart-value" x="100%" y="{y + 4:.1f}" text-anchor="end">{share:.0%}</text>'
        )
    cumulative, points = 0.0, []
    for i, r in enumerate(rows):
        h = r.value / peak * plot
        left = i * width
        body.append(
            f'<rect class="chart-bar pos" x="{_number(left + width * 0.1)}%" y="{bottom - h:.1f}" '
            f'width="{_number(width * 0.8)}%" height="{h:.1f}"><title>{i + 1}. {escape(r.label)}: '
            f"{escape(fmt(r.value))}</title></rect>"
        )
        if n <= 40:
            body.append(
                f'<text class="chart-tick" x="{_number(left + width / 2)}%" y="{bottom + 14}" '
                f'text-anchor="middle">{i + 1}</text>'
            )
        cumulative += r.value
        points.append((left + width / 2, bottom - cumulative / total * plot))
    for (x1, y1), (x2, y2) in zip(points, points[1:], strict=False):
        body.append(
            f'<line class="chart-line" x1="{_number(x1)}%" y1="{y1:.1f}" x2="{_number(x2)}%" y2="{y2:.1f}"/>'
        )
    body.extend(f'<circle class="chart-dot" cx="{_number(px)}%" cy="{py:.1f}" r="3"/>' for px, py in points)
    return _svg(title, bottom + 20, body, "pareto")


def tornado(
    base: Mark, rows: Sequence[Swing], *, title: str, fmt: Format = str, low_label: str, high_label: str
) -> Markup:
    """How far the result moves when each input goes low or high, widest swing first, around the
    base case's line."""
    rows = sorted(rows, key=lambda r: -abs(r.high - r.low))
    x = _Scale([base.value] + [v for r in rows for v in (r.low, r.high)])
    top = 18
    body = []
    for n, r in enumerate(rows):
        y = top + n * ROW
        body.append(_row_text(y, r.label, f"{low_label} {fmt(r.low)} · {high_label} {fmt(r.high)}"))
        for value, kind in ((r.low, "low"), (r.high, "high")):
            a, b = sorted((x(base.value), x(value)))
            body.append(
                f'<rect class="chart-bar {kind}" x="{_number(a)}%" y="{y + 20}" '
                f'width="{_number(max(b - a, 0.3))}%" height="{BAR}"/>'
            )
    height = top + max(len(rows), 1) * ROW
    body.extend(_marks([base], x, top, len(rows)))
    return _svg(title, height, body, "tornado")
