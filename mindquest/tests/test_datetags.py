"""|date in templates (mindquest.common.datetags): a day's or a minute's text formatted once per
process, with the same answers as Django's own filter."""

import datetime
from unittest import mock
from zoneinfo import ZoneInfo

import pytest
from django.template import defaultfilters, engines
from django.utils import dateformat, timezone

from mindquest.common import datetags

MOMENTS = [
    datetime.datetime(2026, 12, 7, 9, 5, 3, 120, tzinfo=datetime.UTC),
    datetime.datetime(2026, 1, 1, 0, 0, tzinfo=datetime.UTC),
    datetime.datetime(2024, 2, 29, 23, 59, 59, tzinfo=datetime.UTC),
    datetime.datetime(2026, 3, 29, 1, 30, tzinfo=datetime.UTC),  # the hour Europe's clocks go forward
    datetime.datetime(2026, 10, 25, 0, 30, tzinfo=datetime.UTC),  # and back
    datetime.datetime(2026, 6, 22, 12, 0),  # naive
    datetime.date(2026, 11, 3),
]
FORMATS = [
    "M j",  # the dashboard's
    "M j, Y",  # the history's
    "H:i",
    "M j, H:i",
    "M j, Y H:i",
    "D, d N Y",
    "l jS F E, b y",
    "L t w W z o",
    "n/m/y",
    "g:i a, G h A P f",
    r"\Y\e\s j",  # escaped letters are text
    r"\a H:i:s",
    "\\",
    "",
    "c",  # time zone parts, seconds and microseconds: Django's own filter
    "r",
    "O T e Z I U",
    "O",
    "j T",
    "M j, e",
    "H:i:s",
    "u",
    "DATE_FORMAT",  # a setting's name: Django's own filter
    "SHORT_DATETIME_FORMAT",
]


def render(source: str, **context) -> str:
    return engines["django"].from_string(source).render(context)


def djangos(value, format_string) -> str:
    """What Django's own filter prints, given the value in the current time zone as the engine
    passes it."""
    if isinstance(value, datetime.datetime) and timezone.is_aware(value):
        value = timezone.localtime(value)
    return defaultfilters.date(value, format_string)


@pytest.mark.parametrize("zone", ["UTC", "Europe/Berlin", "America/Los_Angeles", "Asia/Kathmandu"])
def test_the_same_text_as_djangos_filter(zone):
    with timezone.override(ZoneInfo(zone)):
        for value in MOMENTS:
            for format_string in FORMATS:
                try:
                    expected = str(defaultfilters.escape(djangos(value, format_string)))
                except TypeError:  # a date's format with a time's part
                    with pytest.raises(TypeError):
                        render("{{ value|date:format }}", value=value, format=format_string)
                    continue
                rendered = render("{{ value|date:format }}", value=value, format=format_string)
                assert rendered == expected, (zone, value, format_string)


def test_the_day_is_the_one_in_the_current_time_zone():
    late = datetime.datetime(2026, 12, 7, 23, 30, tzinfo=datetime.UTC)
    assert render('{{ value|date:"M j" }}', value=late) == "Dec 7"
    with timezone.override(ZoneInfo("Asia/Tokyo")):
        assert render('{{ value|date:"M j" }}', value=late) == "Dec 8"
        assert render('{{ value|date:"H:i" }}', value=late) == "08:30"


def test_a_days_text_is_formatted_once():
    datetags._formatted.cache_clear()
    morning = datetime.datetime(2026, 12, 7, 9, 0, tzinfo=datetime.UTC)
    evening = datetime.datetime(2026, 12, 7, 21, 45, tzinfo=datetime.UTC)
    with mock.patch.object(dateformat, "format", wraps=dateformat.format) as formatter:
        texts = [render('{{ value|date:"M j" }}', value=value) for value in (morning, evening, morning)]
        assert texts == ["Dec 7"] * 3
        assert formatter.call_count == 1
        # The minute for a format with hours and minutes.
        assert render('{{ value|date:"H:i" }}', value=evening) == "21:45"
        assert render('{{ value|date:"H:i" }}', value=evening.replace(second=30)) == "21:45"
        assert formatter.call_count == 2
        assert render('{{ value|date:"H:i" }}', value=morning) == "09:00"
        assert formatter.call_count == 3


def test_an_escaped_letter_is_text():
    datetags._formatted.cache_clear()
    value = datetime.datetime(2026, 12, 7, 9, 0, tzinfo=datetime.UTC)
    with mock.patch.object(dateformat, "format", wraps=dateformat.format) as formatter:
        texts = [render(r'{{ value|date:"\\T\\h\\e j\\s" }}', value=value) for _ in range(2)]
        assert texts == ["The 7s"] * 2
        assert formatter.call_count == 1


def test_the_language_is_part_of_the_key(settings):
    datetags._formatted.cache_clear()
    value = datetime.datetime(2026, 12, 7, 9, 0, tzinfo=datetime.UTC)
    with mock.patch.object(dateformat, "format", wraps=dateformat.format) as formatter:
        render('{{ value|date:"M j" }}', value=value)
        settings.LANGUAGE_CODE = "de"
        render('{{ value|date:"M j" }}', value=value)
        assert formatter.call_count == 2


@pytest.mark.parametrize("value", [None, "", "not a date", 17, datetime.time(9, 30)])
def test_any_other_value_is_djangos_filter(value):
    for format_string in ("M j", "H:i", "c"):
        assert render("{{ value|date:format }}", value=value, format=format_string) == (
            defaultfilters.date(value, format_string)
        )


def test_no_format_is_djangos_filter():
    value = datetime.date(2026, 12, 7)
    assert render("{{ value|date }}", value=value) == defaultfilters.date(value) == "Dec. 7, 2026"


def test_the_text_is_escaped():
    value = datetime.date(2026, 12, 7)
    assert render("{{ value|date:format }}", value=value, format="<j>") == "&lt;7&gt;"
    assert (
        render("{% autoescape off %}{{ value|date:format }}{% endautoescape %}", value=value, format="<j>")
        == "<7>"
    )
