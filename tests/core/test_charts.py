"""Bar charts drawn on the server (core/charts.py, core/_bars.html): the scale, the bars' geometry, the labels
thinned when months are many, and nothing but zeros or nothing at all drawn without failing."""

from django.template.loader import render_to_string

from greenbridge.core import charts
from greenbridge.core.charts import bar_chart, nice_step


def test_the_scale_steps_are_round():
    assert [nice_step(t) for t in (0, 4, 10, 37, 100, 1234)] == [1.0, 1, 2, 10, 20, 500]


def test_bars_of_two_series_grouped_by_category():
    chart = bar_chart(["Jan", "Feb"], [("Opened", [30, 10]), ("Resolved", [15, None])])
    plot_h = charts.HEIGHT - charts.TOP - charts.BOTTOM  # 198: 0 to 30 in steps of 10
    assert [t.label for t in chart.ticks] == ["0", "10", "20", "30"]
    assert [(b.title, b.height) for b in chart.bars] == [
        ("Jan – Opened: 30", plot_h),
        ("Jan – Resolved: 15", plot_h / 2),
        ("Feb – Opened: 10", round(plot_h / 3, 1)),
    ]  # Feb's None draws nothing
    slot = (charts.WIDTH - charts.LEFT - charts.RIGHT) / 2
    assert chart.bars[0].x == round(charts.LEFT + slot * 0.1, 1)
    assert chart.bars[1].x == round(chart.bars[0].x + slot * 0.4, 1)
    assert all(b.y + b.height == chart.baseline for b in chart.bars)
    assert [k.name for k in chart.legend] == ["Opened", "Resolved"]
    assert chart.bars[0].colour != chart.bars[1].colour


def test_percentages_on_a_scale_to_100_and_labels_thinned():
    months = [f"M{i}" for i in range(36)]
    chart = bar_chart(months, [("In time", [50.0] * 36)], top=100, unit="%")
    assert [t.label for t in chart.ticks] == ["0%", "20%", "40%", "60%", "80%", "100%"]
    assert [label.text for label in chart.labels] == months[::3]
    assert chart.legend == []  # one series: its name is the chart's
    assert chart.bars[0].title == "M0 – In time: 50%"


def test_nothing_to_draw_draws_an_empty_chart():
    for series in ([("Opened", [0, 0])], [("Opened", [None, None])], []):
        chart = bar_chart(["Jan", "Feb"], series)
        assert chart.empty
        assert [t.label for t in chart.ticks] == ["0", "1"]
        html = render_to_string("core/_bars.html", {"chart": chart, "label": "Opened", "id": "c"})
        assert '<title id="c-title">Opened</title>' in html
