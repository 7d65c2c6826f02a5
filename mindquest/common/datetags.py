"""`|date` that formats a given day (or minute) once per process (a template builtin: see settings).

Django's filter builds a formatter and looks up each month's or day's name afresh on every use,
about 70,000 instructions; the dashboard page has ten ("M j"), the history page four a row
(bench/README.md). A format that names only parts of the date, or of the date and the hour and
minute, gives the same text for every value on that day (or minute) in one language, so those are
the key (with the format). The engine has already moved the value to the current time zone (the
filter expects local time), and a format's time-zone parts (e, I, O, T, Z, c, r, U), seconds and
microseconds always go to Django's own filter, as does any other value or format."""

import datetime
from functools import lru_cache

from django.template import Library, defaultfilters
from django.utils import dateformat
from django.utils.formats import FORMAT_SETTINGS
from django.utils.translation import get_language

register = Library()

DAY_PARTS = frozenset("bdDEFjlLmMnNoStwWyYz")
MINUTE_PARTS = frozenset("aAfgGhHiP")


@lru_cache(maxsize=64)
def _scope(format_string: str) -> str | None:
    """'day' or 'minute' for a format whose text depends only on those, else None."""
    if not format_string or format_string in FORMAT_SETTINGS:  # a setting, which Django looks up
        return None
    parts = set(dateformat.re_formatchars.findall(format_string))  # as Django reads it
    if parts <= DAY_PARTS:
        return "day"
    if parts <= DAY_PARTS | MINUTE_PARTS:
        return "minute"
    return None


@lru_cache(maxsize=4096)
def _formatted(moment: datetime.date, format_string: str, language: str) -> str:
    return dateformat.format(moment, format_string)


@register.filter(expects_localtime=True, is_safe=False)
def date(value, arg=None):
    if isinstance(value, datetime.date) and isinstance(arg, str):
        scope = _scope(arg)
        if scope == "day":
            day = value.date() if isinstance(value, datetime.datetime) else value
            return _formatted(day, arg, get_language())
        if scope == "minute" and isinstance(value, datetime.datetime):
            minute = value.replace(second=0, microsecond=0, tzinfo=None)
            return _formatted(minute, arg, get_language())
    return defaultfilters.date(value, arg)
