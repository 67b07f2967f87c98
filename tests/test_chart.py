"""The timeline chart: one mark per event, by type and status, conflicts and undated events
visible; the same layout written as SVG and PNG."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from PIL import Image

from armswatch import chart
from armswatch.model import Event, Evidence
from armswatch.store import Source, TimelineEntry

SVG = "{http://www.w3.org/2000/svg}"


def entry(type_: str, date: str | None, status: str = "happened",
          conflicts: tuple[str, ...] = ()) -> TimelineEntry:
    event = Event(type_, status, "RUS", "IND", "S-400", date, None, None,
                  Evidence("a1", 0, 10, "A sentence."))
    source = Source("a1", "page.txt", "2021-01-01", "Title", "A sentence.", 0, 10, None)
    return TimelineEntry(event, "d1", (source,), 1, conflicts)


ENTRIES = [
    entry("talks", "2015"),
    entry("order", "2018-10", conflicts=("order_date",)),
    entry("order", "2018-10-05", conflicts=("order_date",)),
    entry("delivery", "2021-12-01"),
    entry("deployment", None, status="expected"),
]


def event_marks(svg: str) -> list[ET.Element]:
    root = ET.fromstring(svg)
    return [g for g in root.iter(f"{SVG}g") if "mark" in g.get("class", "").split()]


def test_one_mark_per_event_in_timeline_order() -> None:
    marks = event_marks(chart.to_svg(chart.layout(ENTRIES, title="Russia → India: S-400")))
    assert [m.get("data-type") for m in marks] == ["talks", "order", "order", "delivery",
                                                   "deployment"]
    assert [m.get("data-status") for m in marks][-1] == "expected"


def test_conflicting_events_carry_a_ring() -> None:
    marks = event_marks(chart.to_svg(chart.layout(ENTRIES)))
    ringed = [m.get("data-type") for m in marks if "conflict" in m.get("class", "").split()]
    assert ringed == ["order", "order"]
    ringed_marks = [m for m in marks if "conflict" in m.get("class", "").split()]
    assert all(m.find(f"{SVG}circle") is not None for m in ringed_marks)
    assert not any(m.find(f"{SVG}circle") is not None for m in marks if m not in ringed_marks)


def test_marks_link_to_their_event_entries() -> None:
    root = ET.fromstring(chart.to_svg(chart.layout(ENTRIES)))
    links = [a.get("href") for a in root.iter(f"{SVG}a")]
    assert links == [f"#event-{i}" for i in range(len(ENTRIES))]


def test_marks_sit_on_the_time_axis_in_date_order() -> None:
    layout = chart.layout(ENTRIES)
    x = {m.index: m.x for m in layout.markers if not m.in_legend}
    xs = [x[0], x[1], x[3]]  # 2015, 2018-10 (drawn mid-month), 2021-12-01
    assert xs == sorted(xs) and abs(x[1] - x[2]) < 10
    undated = next(m for m in layout.markers if m.index == 4)
    assert undated.x > max(xs)  # the undated column is right of the axis
    assert any(label.text == "undated" for label in layout.labels)


def test_a_year_is_drawn_as_a_bar_over_that_year() -> None:
    layout = chart.layout([entry("talks", "2015"), entry("order", "2017-03-01")])
    talks_colour = chart.TYPE_STYLES["talks"][1]
    bars = [line for line in layout.lines if line.colour == talks_colour]
    assert len(bars) == 1 and bars[0].x2 - bars[0].x1 > 100


def test_only_undated_events_still_get_marks() -> None:
    layout = chart.layout([entry("talks", None), entry("talks", None, status="expected")])
    assert len([m for m in layout.markers if not m.in_legend]) == 2


@pytest.mark.parametrize(
    ("value", "expected"),
    [("2015", (2015.0, 2016.0)), ("2018-07", (2018.5, 2018 + 7 / 12)), (None, None),
     ("2018-13", None)],
)
def test_period_of_a_date(value: str | None, expected: tuple[float, float] | None) -> None:
    assert chart._period(value) == (pytest.approx(expected) if expected else None)


def test_axis_ticks_fit_the_span() -> None:
    start, end, ticks = chart._axis(2015.0, 2022.0)
    assert start <= 2015 and end >= 2022 and 3 <= len(ticks) <= 10
    _, _, months = chart._axis(2022.5, 2022.6)
    assert all(label.startswith("2022") for _, label in months)


def test_write_plot_svg_and_png(tmp_path: Path) -> None:
    svg, png = tmp_path / "t.svg", tmp_path / "t.png"
    chart.write_plot(ENTRIES, svg, title="Russia → India: S-400")
    chart.write_plot(ENTRIES, png, title="Russia → India: S-400")
    assert len(event_marks(svg.read_text(encoding="utf-8"))) == len(ENTRIES)
    with Image.open(png) as image:
        assert image.format == "PNG" and image.width == 1800
        colours = {colour for _, colour in image.getcolors(maxcolors=100000) or []}
    assert (0xE6, 0x9F, 0x00) in colours  # the delivery mark's orange is drawn


def test_write_plot_refuses_other_formats(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match=r"\.svg or \.png"):
        chart.write_plot(ENTRIES, tmp_path / "t.pdf")


def test_titles_are_escaped_in_svg() -> None:
    svg = chart.to_svg(chart.layout(ENTRIES, title="<script>x</script>"))
    assert "<script>" not in svg and "&lt;script&gt;" in svg
    ET.fromstring(svg)


def test_marks_at_one_place_are_stacked_without_overlap() -> None:
    crowded = [entry("talks", "2023-03-0" + str(day)) for day in range(1, 6)]
    markers = [m for m in chart.layout(crowded).markers if not m.in_legend]
    for a in markers:
        for b in markers:
            if a is not b:
                assert abs(a.x - b.x) >= 2 * 7 or abs(a.y - b.y) >= 2 * 7
