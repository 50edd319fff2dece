"""Bar charts for the report as server-rendered SVG: no chart library, no script, no emoji font.

Each chart is an ``<svg role="img">`` with a ``<title>``; the report prints the same numbers in a
table next to it, which screen readers and the CSV export use.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import List, Sequence

from markupsafe import Markup, escape

WIDTH, HEIGHT = 720, 240
LEFT, RIGHT, TOP, BOTTOM = 44, 12, 16, 56
MAX_LABELS = 16


@dataclass(frozen=True)
class Series:
    """One coloured part of each bar, with its legend label."""

    label: str
    colour: str
    values: Sequence[int]


def _nice_top(value: int) -> int:
    """A round axis maximum at or above ``value``: 1, 2, 5, 10, 20, 50 ..."""
    magnitude = 1
    while True:
        for step in (1, 2, 5):
            if step * magnitude >= value:
                return step * magnitude
        magnitude *= 10


def _text_width(label: str) -> float:
    """About how wide an 11 px label is (Han characters are about twice as wide as Latin ones)."""
    return sum(11.0 if ord(char) > 0x2E80 else 6.5 for char in label)


def stacked_bars(title: str, labels: List[str], series: List[Series], legend_label: str) -> Markup:
    """Bars per label (a day), each stacked from ``series``; the total is written above each bar."""
    totals = [sum(item.values[index] for item in series) for index in range(len(labels))]
    top = _nice_top(max(totals, default=0))
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    slot = plot_w / max(len(labels), 1)
    bar = max(4.0, min(36.0, slot * 0.7))
    every = max(1, -(-len(labels) // MAX_LABELS))
    parts = [f'<svg class="chart" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" aria-label="{escape(title)}" '
             f'xmlns="http://www.w3.org/2000/svg"><title>{escape(title)}</title>']
    for tick in (0, top // 2, top):
        y = TOP + plot_h - plot_h * tick / top
        parts.append(f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y:.1f}" y2="{y:.1f}" stroke="#d5dce5"/>'
                     f'<text x="{LEFT - 6}" y="{y + 4:.1f}" text-anchor="end" font-size="11" '
                     f'fill="#4a5360">{tick}</text>')
    for index, label in enumerate(labels):
        x = LEFT + slot * index + (slot - bar) / 2
        y = TOP + plot_h
        for item in series:
            height = plot_h * item.values[index] / top
            if height > 0:
                y -= height
                parts.append(f'<rect x="{x:.1f}" y="{y:.1f}" width="{bar:.1f}" height="{height:.1f}" '
                             f'fill="{item.colour}"><title>{escape(label)} {escape(item.label)}: '
                             f'{item.values[index]}</title></rect>')
        if totals[index]:
            parts.append(f'<text x="{x + bar / 2:.1f}" y="{y - 3:.1f}" text-anchor="middle" font-size="11" '
                         f'fill="#1b1f24">{totals[index]}</text>')
        if index % every == 0:
            parts.append(f'<text x="{x + bar / 2:.1f}" y="{TOP + plot_h + 14}" text-anchor="middle" '
                         f'font-size="11" fill="#4a5360">{escape(label)}</text>')
    x = LEFT
    legend_y = HEIGHT - 14
    parts.append(f'<text x="{x}" y="{legend_y + 4}" font-size="11" fill="#4a5360">{escape(legend_label)}</text>')
    x += 8 + _text_width(legend_label)
    for item in series:
        parts.append(f'<rect x="{x:.1f}" y="{legend_y - 6}" width="12" height="12" fill="{item.colour}"/>'
                     f'<text x="{x + 16:.1f}" y="{legend_y + 4}" font-size="11" '
                     f'fill="#1b1f24">{escape(item.label)}</text>')
        x += 28 + _text_width(item.label)
    parts.append("</svg>")
    return Markup("".join(parts))
