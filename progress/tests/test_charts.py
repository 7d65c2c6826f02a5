import random
from datetime import date

import pytest
from django.template import Context, Template
from django.template.defaultfilters import floatformat

from progress.charts import domain_accuracy_chart, percent, xp_over_time_chart


def render(chart) -> str:
    return Template("{{ chart }}").render(Context({"chart": chart}))


def test_domain_chart_lists_a_labelled_bar_per_domain_and_escapes_names():
    html = render(
        domain_accuracy_chart(
            [("Design <Secure> Architectures", 62.5, 8, True), ("Cost & Billing", None, 0, False)]
        )
    )
    assert (
        '<p class="domain-bars-title" id="domain-bars-title">Accuracy by exam domain, over all your answers</p>'
        in html
    )
    assert 'aria-labelledby="domain-bars-title"' in html
    assert ">Design &lt;Secure&gt; Architectures</span>" in html
    assert "<Secure>" not in html
    assert "Cost &amp; Billing: no answers yet." in html
    assert "Design &lt;Secure&gt; Architectures: 62.5% over 8 answers, weak." in html
    # The answered domain gets a filled, weak bar as wide as its accuracy; the other only its track.
    assert html.count("<li ") == 2
    assert html.count('class="bar-bg"') == 2
    assert '<li class="domain-bar weak">' in html
    assert '<rect class="bar" width="62.5%" height="12" rx="6"/>' in html
    assert html.count('class="bar"') == 1
    assert ">63% · weak</span>" in html
    assert '<li class="domain-bar">' in html
    assert ">–</span>" in html


def test_domain_chart_counts_one_answer_in_the_singular():
    html = render(domain_accuracy_chart([("Cloud Concepts", 100.0, 1, False)]))
    assert "Cloud Concepts: 100% over 1 answer." in html


def test_domain_chart_keeps_long_names_whole_for_the_browser_to_cut():
    name = "Security, Compliance, and Governance for AI Solutions"
    html = render(domain_accuracy_chart([(name, 50.0, 2, False)]))
    assert f'title="{name}"' in html
    assert f">{name}</span>" in html
    assert f"{name}: 50% over 2 answers." in html


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


@pytest.mark.parametrize("places", [0, -1])
def test_a_percentage_prints_as_with_the_floatformat_filter(places):
    # Every accuracy a learner can have over up to 200 answers (halves and near-halves included),
    # and random ones.
    values = {100 * right / answered for answered in range(1, 201) for right in range(answered + 1)}
    values |= {round(random.uniform(0, 100), digits) for digits in (1, 2, 3, 15) for _ in range(500)}
    values |= {0.05, 12.45, 33.35, 66.96, 99.95, 99.96}
    for value in values:
        assert percent(value, places) == floatformat(value, places), value
