import xml.etree.ElementTree as ET

from practice.charts import Series, bar_chart, line_chart

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
