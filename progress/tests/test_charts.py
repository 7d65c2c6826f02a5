from datetime import date

from django.template import Context, Template

from progress.charts import domain_accuracy_chart, xp_over_time_chart


def render(chart) -> str:
    return Template("{{ chart }}").render(Context({"chart": chart}))


def test_domain_chart_draws_a_labelled_bar_per_domain_and_escapes_names():
    html = render(
        domain_accuracy_chart(
            [("Design <Secure> Architectures", 62.5, 8, True), ("Cost & Billing", None, 0, False)]
        )
    )
    assert "Design &lt;Secure&gt; Architectures" in html
    assert "<Secure>" not in html
    assert "Cost &amp; Billing: no answers yet." in html
    assert "Design &lt;Secure&gt; Architectures: 62.5% over 8 answers, weak." in html
    # The answered domain gets a filled, weak bar as wide as its accuracy; the other only its track.
    assert html.count('class="bar-bg"') == 2
    assert '<rect class="bar weak" x="0" y="23" width="62.5%" height="12" rx="6"/>' in html
    assert html.count('class="bar ') == 1
    assert ">63% · weak</text>" in html
    assert 'height="88"' in html  # two rows of 44 px


def test_domain_chart_label_is_cut_at_44_characters():
    html = render(domain_accuracy_chart([("x" * 60, 50.0, 2, False)]))
    assert "x" * 43 + "…" in html
    assert ": 50% over 2 answers." in html


def test_xp_chart_shows_the_total_and_the_gain_over_the_period():
    chart = xp_over_time_chart(
        xp_by_day=[(date(2026, 3, 1), 30), (date(2026, 3, 9), 20)],
        xp_total=150,
        today=date(2026, 3, 9),
        days=30,
    )
    html = render(chart)
    assert chart.gained == 50
    assert "Total XP over the last 30 days: 150 now, up 50." in html
    assert "<span>Feb 8</span><span>Feb 23</span><span>Mar 9</span>" in html
    assert html.count('class="grid-line"') == 3
    assert f'points="{chart.points}"' in html
