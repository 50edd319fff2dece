"""The report's server-rendered SVG charts."""
import re

from bot.web.charts import Series, _nice_top, stacked_bars


def test_the_axis_ends_on_a_round_number_at_or_above_the_tallest_bar() -> None:
    assert [_nice_top(value) for value in (0, 1, 3, 7, 12, 60, 101)] == [1, 1, 5, 10, 20, 100, 200]


def test_bars_are_stacked_per_day_with_their_totals_and_an_accessible_title() -> None:
    svg = str(stacked_bars("Outcomes <zh>", ["12-01", "12-02"],
                           [Series("Answered", "#1d6b2c", [3, 0]), Series("Clarified", "#0b4a8b", [1, 2])], "Key"))
    assert svg.startswith('<svg class="chart"') and 'role="img"' in svg and "<title>Outcomes &lt;zh&gt;</title>" in svg
    bars = re.findall(r'<rect x="[\d.]+" y="[\d.]+" width="[\d.]+" height="([\d.]+)" fill="(#\w+)"><title>([^<]+)</title>', svg)
    assert [(colour, title) for _, colour, title in bars] == [
        ("#1d6b2c", "12-01 Answered: 3"), ("#0b4a8b", "12-01 Clarified: 1"), ("#0b4a8b", "12-02 Clarified: 2")]
    heights = [float(height) for height, _, _ in bars]
    assert abs(heights[0] - 3 * heights[1]) < 0.5  # heights are proportional to the counts
    assert ">4</text>" in svg and ">2</text>" in svg  # the day totals


def test_an_empty_range_draws_an_empty_chart() -> None:
    svg = str(stacked_bars("t", ["12-01"], [Series("a", "#000", [0])], "Key"))
    assert "<rect x=" not in svg.split("Key")[0]
