"""A deal's timeline as a chart: its events on a time axis, one lane per event type.

Each event is one mark: its shape and colour say the type, a filled mark happened and a hollow
one is expected, a red dashed ring says reports disagree on it. A date known only to the year or
month is drawn as a bar over that period. Undated events stand in a column of their own. The
chart is laid out once (``layout``) and drawn as SVG (the web UI, ``timeline --plot x.svg``) or
PNG with Pillow (``--plot x.png``), so both show the same thing.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from xml.sax.saxutils import escape, quoteattr

from armswatch.model import EVENT_TYPES
from armswatch.store import TimelineEntry

__all__ = ["TYPE_STYLES", "Chart", "Marker", "layout", "to_png", "to_svg", "write_plot"]

# Shape and colour of each event type's mark (colour-blind-safe palette: Okabe-Ito).
TYPE_STYLES = {
    "talks": ("diamond", "#0072B2"),
    "order": ("square", "#009E73"),
    "delivery": ("circle", "#E69F00"),
    "deployment": ("triangle", "#CC79A7"),
    "cancellation": ("cross", "#D55E00"),
}
CONFLICT_COLOUR = "#C00000"
INK = "#333333"
GRID = "#DDDDDD"

_LEFT, _RIGHT, _TOP, _LANE, _RADIUS = 110.0, 30.0, 40.0, 46.0, 7.0
_STACK = 24.0  # vertical distance between marks stacked at one place
_UNDATED_WIDTH = 110.0


@dataclass(frozen=True)
class Line:
    """A straight line of the chart (axis, grid line, period bar)."""

    x1: float
    y1: float
    x2: float
    y2: float
    colour: str = INK
    width: float = 1.0
    dashed: bool = False


@dataclass(frozen=True)
class Label:
    """A piece of text; ``anchor`` is where ``x`` is: start, middle or end of the text."""

    x: float
    y: float
    text: str
    size: float = 12.0
    anchor: str = "start"
    colour: str = INK
    bold: bool = False


@dataclass(frozen=True)
class Marker:
    """One event's mark. ``index`` is the event's position in the timeline (its anchor on
    the deal page is ``event-<index>``); ``title`` is the tooltip."""

    index: int
    x: float
    y: float
    type: str
    status: str
    conflict: bool
    title: str
    in_legend: bool = False


@dataclass(frozen=True)
class Chart:
    """A laid-out chart: what to draw and where, in pixels."""

    width: float
    height: float
    title: str
    lines: tuple[Line, ...]
    labels: tuple[Label, ...]
    markers: tuple[Marker, ...]


def layout(entries: Sequence[TimelineEntry], title: str = "", width: float = 900.0) -> Chart:
    """Lay out the chart of ``entries`` (a timeline, as ``Store.timeline`` returns it)."""
    types = [kind for kind in EVENT_TYPES if any(e.event.type == kind for e in entries)]
    periods = [_period(entry.event.date) for entry in entries]
    known = [period for period in periods if period is not None]
    has_undated = len(known) < len(entries)
    plot_right = width - _RIGHT - (_UNDATED_WIDTH if has_undated else 0.0)
    start, end, ticks = _axis(min(p[0] for p in known), max(p[1] for p in known)) if known \
        else (0.0, 1.0, [])

    def x_of(year: float) -> float:
        return _LEFT + (year - start) / (end - start) * (plot_right - _LEFT)

    # first where each mark goes along its lane, and which row of its stack it takes when
    # marks would overlap; then the lanes are made tall enough for their stacks
    places: list[tuple[float, int, tuple[float, float] | None]] = []
    taken: dict[str, list[tuple[float, int]]] = {kind: [] for kind in types}
    undated: dict[str, int] = {kind: 0 for kind in types}
    for entry, period in zip(entries, periods, strict=True):
        kind = entry.event.type
        if period is None:
            slot = undated[kind]
            undated[kind] += 1
            places.append((plot_right + 30 + (slot % 5) * 16, slot // 5, None))
            continue
        span = (x_of(period[0]), x_of(period[1]))
        x = (span[0] + span[1]) / 2
        near = {row for other, row in taken[kind] if abs(other - x) < 2.5 * _RADIUS}
        row = next(row for row in range(len(near) + 1) if row not in near)
        taken[kind].append((x, row))
        places.append((x, row, span))
    rows = {kind: 1 + max((row for (_, row, _), e in zip(places, entries, strict=True)
                           if e.event.type == kind), default=0) for kind in types}
    lane_y: dict[str, float] = {}
    top = _TOP + (8.0 if title else -16.0)
    for kind in types:
        height = max(_LANE, _STACK * rows[kind] + 24)
        lane_y[kind] = top + height / 2
        top += height
    axis_y = top

    lines: list[Line] = []
    labels: list[Label] = [Label(_LEFT, 22, title, size=15, bold=True)] if title else []
    for kind in types:
        lines.append(Line(_LEFT, lane_y[kind], width - _RIGHT, lane_y[kind], GRID))
        labels.append(Label(_LEFT - 12, lane_y[kind] + 4, kind, anchor="end"))
    lane_top = lane_y[types[0]] - _LANE / 2 if types else axis_y
    if known:
        lines.append(Line(_LEFT, axis_y, plot_right, axis_y))
        for tick, text in ticks:
            lines.append(Line(x_of(tick), lane_top, x_of(tick), axis_y, GRID, dashed=True))
            labels.append(Label(x_of(tick), axis_y + 18, text, size=11, anchor="middle"))
    if has_undated:
        lines.append(Line(plot_right + 10, lane_top, plot_right + 10, axis_y, GRID))
        labels.append(Label(plot_right + 20 + (_UNDATED_WIDTH - 30) / 2, axis_y + 18, "undated",
                            size=11, anchor="middle"))

    markers: list[Marker] = []
    for index, (entry, (x, row, bar)) in enumerate(zip(entries, places, strict=True)):
        event = entry.event
        centre = lane_y[event.type]
        y = centre + (row - (rows[event.type] - 1) / 2) * _STACK
        if bar and bar[1] - bar[0] > 2 * _RADIUS:  # a year or a month: all of it is possible
            lines.append(Line(bar[0], y, bar[1], y, TYPE_STYLES[event.type][1], width=3.0))
        markers.append(Marker(index, x, y, event.type, event.status, bool(entry.conflicts),
                              _tooltip(entry)))

    legend_y = axis_y + 48
    x = _LEFT
    for kind in EVENT_TYPES:
        markers.append(Marker(-1, x, legend_y, kind, "happened", False, kind, in_legend=True))
        labels.append(Label(x + 12, legend_y + 4, kind, size=11))
        x += 24 + 7.0 * len(kind) + 20
    markers.append(Marker(-1, x, legend_y, "order", "expected", False, "expected",
                          in_legend=True))
    labels.append(Label(x + 12, legend_y + 4, "hollow: expected", size=11))
    x += 140
    markers.append(Marker(-1, x, legend_y, "order", "happened", True, "conflict", in_legend=True))
    labels.append(Label(x + 14, legend_y + 4, "ring: reports disagree", size=11))
    return Chart(width, legend_y + 24, title, tuple(lines), tuple(labels), tuple(markers))


def to_svg(chart: Chart, link_prefix: str = "#event-") -> str:
    """Return the chart as a standalone SVG document; each event's mark links to
    ``link_prefix`` + its index (the event's entry on the deal page)."""
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="timeline" role="img" '
        f'width="{chart.width:.0f}" height="{chart.height:.0f}" '
        f'viewBox="0 0 {chart.width:.0f} {chart.height:.0f}" '
        f'font-family="system-ui, sans-serif">',
        f"<title>{escape(chart.title or 'Deal timeline')}</title>",
        '<rect width="100%" height="100%" fill="#ffffff"/>',
    ]
    for line in chart.lines:
        dash = ' stroke-dasharray="3 3"' if line.dashed else ""
        out.append(
            f'<line x1="{line.x1:.1f}" y1="{line.y1:.1f}" x2="{line.x2:.1f}" y2="{line.y2:.1f}" '
            f'stroke="{line.colour}" stroke-width="{line.width}"{dash}/>'
        )
    for label in chart.labels:
        weight = ' font-weight="bold"' if label.bold else ""
        out.append(
            f'<text x="{label.x:.1f}" y="{label.y:.1f}" font-size="{label.size}" '
            f'text-anchor="{label.anchor}" fill="{label.colour}"{weight}>'
            f"{escape(label.text)}</text>"
        )
    for marker in chart.markers:
        shape = _svg_shape(marker)
        if marker.in_legend:
            out.append(f'<g class="legend">{shape}</g>')
            continue
        classes = f"mark mark-{marker.type} status-{marker.status}"
        classes += " conflict" if marker.conflict else ""
        out.append(
            f'<a href={quoteattr(link_prefix + str(marker.index))}>'
            f'<g class="{classes}" data-type="{marker.type}" data-status="{marker.status}">'
            f"<title>{escape(marker.title)}</title>{shape}</g></a>"
        )
    out.append("</svg>")
    return "\n".join(out)


def to_png(chart: Chart, path: Path, scale: float = 2.0) -> None:
    """Draw the chart into a PNG file at ``scale`` times its size in pixels."""
    from PIL import Image, ImageDraw, ImageFont

    image = Image.new("RGB", (round(chart.width * scale), round(chart.height * scale)), "white")
    draw = ImageDraw.Draw(image)
    for line in chart.lines:
        points = [(line.x1 * scale, line.y1 * scale), (line.x2 * scale, line.y2 * scale)]
        draw.line(points, fill=line.colour, width=max(1, round(line.width * scale)))
    for label in chart.labels:
        font = ImageFont.load_default(size=label.size * scale)
        anchor = {"start": "ls", "middle": "ms", "end": "rs"}[label.anchor]
        text = label.text.replace("→", "->")  # Pillow's built-in font has no arrow
        draw.text((label.x * scale, label.y * scale), text, fill=label.colour, font=font,
                  anchor=anchor, stroke_width=1 if label.bold else 0, stroke_fill=label.colour)
    for marker in chart.markers:
        shape, colour = TYPE_STYLES[marker.type]
        fill = colour if marker.status == "happened" else "white"
        outline = [(x * scale, y * scale) for x, y in _outline(shape, marker.x, marker.y)]
        draw.polygon(outline, fill=fill, outline=colour, width=max(1, round(2 * scale)))
        if marker.conflict:
            r = (_RADIUS + 4) * scale
            cx, cy = marker.x * scale, marker.y * scale
            draw.ellipse((cx - r, cy - r, cx + r, cy + r), outline=CONFLICT_COLOUR,
                         width=max(1, round(2 * scale)))
    image.save(path, format="PNG")


def write_plot(entries: Sequence[TimelineEntry], path: Path, title: str = "") -> None:
    """Write the timeline chart of ``entries`` to ``path``, as SVG or PNG by its suffix."""
    suffix = path.suffix.lower()
    if suffix not in {".svg", ".png"}:
        raise ValueError(f"{path}: the plot must be a .svg or .png file")
    chart = layout(entries, title=title)
    if suffix == ".svg":
        path.write_text(to_svg(chart), encoding="utf-8")
    else:
        to_png(chart, path)


# -- geometry -------------------------------------------------------------------------------


def _period(value: str | None) -> tuple[float, float] | None:
    """The span of time an ISO date (YYYY, YYYY-MM or YYYY-MM-DD) names, in fractional years."""
    if not value:
        return None
    parts = [int(part) for part in value[:10].split("-") if part.isdigit()]
    try:
        if len(parts) == 1:
            return float(parts[0]), float(parts[0] + 1)
        if len(parts) == 2:
            year, month = parts
            date(year, month, 1)  # a month out of range raises
            return year + (month - 1) / 12, year + month / 12
        start = _fraction(date(*parts[:3]))
        return start, start + 1 / 365
    except ValueError:  # a month or day out of range: no place on the axis
        return None


def _fraction(day: date) -> float:
    """The date as a fractional year."""
    year_days = (date(day.year + 1, 1, 1) - date(day.year, 1, 1)).days
    return day.year + (day.timetuple().tm_yday - 1) / year_days


def _axis(start: float, end: float) -> tuple[float, float, list[tuple[float, str]]]:
    """Widen [start, end] to whole ticks and return it with the ticks and their labels."""
    span = max(end - start, 1 / 12)
    step = next((s for s in (1 / 12, 1 / 4, 1.0, 2.0, 5.0, 10.0, 25.0) if span / s <= 9), 50.0)
    first = math.floor(start / step) * step
    last = math.ceil(end / step) * step
    if last - first < step * 2:
        last = first + step * 2
    ticks = []
    value = first
    while value <= last + 1e-9:
        year = math.floor(value + 1e-9)
        month = round((value - year) * 12) + 1
        ticks.append((value, str(year) if step >= 1 or month == 1 else f"{year}-{month:02d}"))
        value += step
    return first, last, ticks


def _outline(shape: str, x: float, y: float, r: float = _RADIUS) -> list[tuple[float, float]]:
    """The corners of a mark's shape around (x, y); a circle is a 24-gon."""
    if shape == "circle":
        return [(x + r * math.cos(a * math.pi / 12), y + r * math.sin(a * math.pi / 12))
                for a in range(24)]
    if shape == "square":
        s = r * 0.85
        return [(x - s, y - s), (x + s, y - s), (x + s, y + s), (x - s, y + s)]
    if shape == "diamond":
        return [(x, y - r * 1.15), (x + r, y), (x, y + r * 1.15), (x - r, y)]
    if shape == "triangle":
        return [(x, y - r * 1.1), (x + r, y + r * 0.8), (x - r, y + r * 0.8)]
    # a cross: a plus sign turned by 45 degrees
    a, b = r * 0.35, r
    plus = [(-a, -b), (a, -b), (a, -a), (b, -a), (b, a), (a, a), (a, b), (-a, b), (-a, a),
            (-b, a), (-b, -a), (-a, -a)]
    c = math.sqrt(0.5)
    return [(x + c * (px - py), y + c * (px + py)) for px, py in plus]


def _svg_shape(marker: Marker) -> str:
    shape, colour = TYPE_STYLES[marker.type]
    fill = colour if marker.status == "happened" else "#ffffff"
    points = " ".join(f"{x:.1f},{y:.1f}" for x, y in _outline(shape, marker.x, marker.y))
    drawn = f'<polygon points="{points}" fill="{fill}" stroke="{colour}" stroke-width="2"/>'
    if marker.conflict:
        drawn += (
            f'<circle class="conflict-ring" cx="{marker.x:.1f}" cy="{marker.y:.1f}" '
            f'r="{_RADIUS + 4:.0f}" fill="none" stroke="{CONFLICT_COLOUR}" stroke-width="2" '
            'stroke-dasharray="3 2"/>'
        )
    return drawn


def _tooltip(entry: TimelineEntry) -> str:
    event = entry.event
    parts = [f"{event.date or 'undated'}: {event.type} ({event.status})",
             f"{event.supplier or '?'} → {event.recipient or '?'} {event.system}"]
    if event.quantity:
        parts.append(f"{event.quantity.value} {event.quantity.unit}")
    if entry.conflicts:
        parts.append("reports disagree on " + ", ".join(entry.conflicts))
    parts.append(f"{len(entry.sources)} source(s)")
    return "; ".join(parts)
