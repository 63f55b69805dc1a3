"""The server-drawn charts: valid SVG, bars where the numbers put them, titles for screen readers."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from cooplab.core.web.charts import Bar, Mark, Swing, bars, pareto, tornado, waterfall

NS = {"s": "http://www.w3.org/2000/svg"}


def _tree(markup: str) -> ET.Element:
    return ET.fromstring(str(markup))


def _rects(root: ET.Element) -> list[tuple[float, float]]:
    """(left, width) of each bar, in percent of the chart's width."""
    return [
        (float(r.get("x", "0").rstrip("%")), float(r.get("width", "0").rstrip("%")))
        for r in root.iterfind(".//s:rect", NS)
    ]


def test_bars_start_at_zero_and_grow_with_the_value():
    root = _tree(bars([Bar("a", 10), Bar("b", 40)], title="Costs", fmt=lambda v: f"{v:.0f}"))
    (a_left, a_width), (b_left, b_width) = _rects(root)
    assert a_left == b_left == 2.0
    assert abs(b_width - 4 * a_width) < 0.05
    assert root.find("s:title", NS).text == "Costs"
    assert root.get("role") == "img"


def test_a_waterfall_step_starts_where_the_running_total_is():
    root = _tree(waterfall(Bar("before", 30), [Bar("seats", 10), Bar("glass", -5)], "after", title="Level"))
    start, up, down, end = _rects(root)
    assert abs(up[0] - (start[0] + start[1])) < 0.05  # the rise starts at the first total
    assert abs((down[0] + down[1]) - (up[0] + up[1])) < 0.05  # the fall ends at the second total
    assert abs(end[1] - (start[1] + up[1] - down[1])) < 0.05
    texts = [t.text for t in root.iterfind(".//s:text", NS)]
    assert "+10" in texts and "-5" in texts


def test_a_waterfall_draws_its_thresholds():
    root = _tree(waterfall(Bar("a", 30), [], "b", title="t", marks=[Mark("45%", 45)]))
    assert [t.text for t in root.iterfind(".//s:text", NS)][-1] == "45%"
    assert len(root.findall(".//s:line", NS)) == 2  # through the start and the end bars


def test_a_pareto_chart_sorts_its_bars_and_its_line_ends_at_the_top():
    root = _tree(pareto([Bar("small", 1), Bar("large", 3)], title="Imports", marks=()))
    heights = [float(r.get("height")) for r in root.iterfind(".//s:rect", NS)]
    assert heights == sorted(heights, reverse=True)
    dots = [float(c.get("cy")) for c in root.iterfind(".//s:circle", NS)]
    assert dots[-1] == 16.0  # the cumulative share reaches 100% at the last bar


def test_a_pareto_chart_of_the_first_rows_of_many_draws_their_share_of_the_whole():
    root = _tree(pareto([Bar("small", 1), Bar("large", 3)], title="Imports", marks=(), total=8, plot=180))
    dots = [float(c.get("cy")) for c in root.iterfind(".//s:circle", NS)]
    assert dots[-1] == 16 + 180 - 0.5 * 180  # 4 of 8: the line stops half way up


def test_a_tornado_puts_the_widest_swing_first_and_labels_are_escaped():
    root = _tree(
        tornado(
            Mark("NPV", 100),
            [Swing("<price>", 90, 110), Swing("volume", 50, 150)],
            title="NPV",
            low_label="-20%",
            high_label="+20%",
        )
    )
    labels = [t.text for t in root.iterfind(".//s:text", NS) if t.get("class") == "chart-label"]
    assert labels == ["volume", "<price>"]
