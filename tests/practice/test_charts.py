import xml.etree.ElementTree as ET

from django.utils import translation

from practice.charts import CHAR_WIDTH, Series, axis_scale, bar_chart, line_chart

SVG = "{http://www.w3.org/2000/svg}"


def parse(svg: str) -> ET.Element:
    return ET.fromstring(str(svg))


def test_a_bar_chart_is_valid_svg_described_in_words():
    svg = parse(bar_chart(["W1", "W2"], [Series("minutes", [12, 30])], title="Minutes per week", unit="min"))
    assert svg.get("role") == "img"
    assert svg.find(f"{SVG}title").text == "Minutes per week"
    assert "W1: minutes 12" in svg.find(f"{SVG}desc").text and "W2: minutes 30" in svg.find(f"{SVG}desc").text
    bars = svg.findall(f"{SVG}rect")
    assert len(bars) == 2 and float(bars[1].get("height")) > float(bars[0].get("height"))


def test_stacked_bars_have_a_legend_and_skip_zeros():
    svg = parse(bar_chart(["A"], [Series("grammar", [2]), Series("vocabulary", [0])], title="t"))
    texts = [t.text for t in svg.iter(f"{SVG}text")]
    assert "grammar" in texts and "vocabulary" in texts
    assert len([r for r in svg.findall(f"{SVG}rect") if r.find(f"{SVG}title") is not None]) == 1


def test_labels_are_escaped():
    svg = str(line_chart(["<b>"], [Series("x & y", [1])], title="<script>"))
    assert "<script>" not in svg and "&lt;script&gt;" in svg
    parse(svg)


def test_empty_data_still_renders():
    assert "No data yet." in str(bar_chart([], [Series("m", [])], title="Empty"))
    parse(line_chart([], [Series("m", [])], title="Empty"))


def test_a_chart_by_kind_names_its_only_kind_when_asked():
    svg = parse(bar_chart(["W1"], [Series("grammar", [3])], title="t", legend=True))
    assert "grammar" in [t.text for t in svg.iter(f"{SVG}text")]


def _ticks(svg: ET.Element) -> list[str]:
    return [t.text for t in svg.iter(f"{SVG}text") if t.get("class") == "tick" and t.get("text-anchor") == "end"]


def test_counts_get_whole_number_ticks():
    svg = parse(bar_chart(["Ana", "Ben"], [Series("sessions", [1, 0])], title="t", counts=True))
    assert _ticks(svg) == ["0", "1"]
    svg = parse(bar_chart(["Ana"], [Series("students", [7])], title="t", counts=True))
    assert _ticks(svg) == ["0", "2", "4", "6", "8"]


def test_axis_scales_are_round():
    assert axis_scale(0.3, counts=False) == (0.3, 0.1)
    assert axis_scale(1, counts=True) == (1, 1)
    assert axis_scale(5, counts=True) == (6, 2)
    assert axis_scale(0, counts=True) == (1.0, 1.0)


def test_tick_labels_use_the_pages_decimal_separator():
    with translation.override("fr"):
        svg = parse(bar_chart(["A"], [Series("m", [0.5])], title="t"))
    assert _ticks(svg) == ["0", "0,2", "0,4", "0,6"]


def test_the_first_and_last_labels_of_a_line_chart_fit_inside_it():
    labels = [f"{day} Nov" for day in range(1, 31, 3)]
    svg = parse(line_chart(labels, [Series("words", range(10))], title="t", counts=True))
    placed = [t for t in svg.iter(f"{SVG}text") if t.get("text-anchor") == "middle"]
    width = float(svg.get("viewBox").split()[2])
    for label in (placed[0], placed[-1]):
        half = len(label.text) * CHAR_WIDTH / 2
        assert float(label.get("x")) - half >= 0 and float(label.get("x")) + half <= width


def test_long_labels_in_narrow_slots_are_turned_instead_of_overlapping():
    names = [f"Student number {i}" for i in range(20)]
    svg = parse(bar_chart(names, [Series("sessions", [1] * 20)], title="t", counts=True))
    labels = [t for t in svg.iter(f"{SVG}text") if t.text and t.text.startswith("Student")]
    assert labels and all(t.get("transform", "").startswith("rotate(") for t in labels)


def test_values_are_described_with_the_given_writer():
    svg = parse(bar_chart(["W1"], [Series("time", [0.3])], title="t", value_text=lambda m: f"{m * 60:.0f} s"))
    assert "W1: time 18 s" in svg.find(f"{SVG}desc").text


def test_ticks_of_a_step_with_three_decimals_are_not_rounded_into_uneven_ones():
    """Cents of a dollar: a step of 0.025 is labelled 0.025, 0.05, 0.075, not 0.03, 0.05, 0.07."""
    svg = parse(bar_chart(["Dec"], [Series("usd", [0.09])], title="t"))
    assert _ticks(svg) == ["0", "0.025", "0.05", "0.075", "0.1"]
