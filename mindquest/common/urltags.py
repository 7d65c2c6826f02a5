"""`{% url %}` that works out a page's URL once per process (a template builtin: see settings).

Two forms are kept, each with a literal view name, no namespace and no `as`:
- a constant URL, with no arguments: the nav's, the footer's, most of every page's links;
- a URL around one id, with a single positional argument that is a `uuid.UUID` at render time:
  `{% url 'quiz' quiz.pk %}`, once a row on the dashboard and in the history.

Django's tag reverses on every render, about 65,000 instructions each: keeping them took 6.5 % off
the dashboard page's cost for its thirteen constant URLs, and 3.2 % more for its five around an
id (bench/README.md). The answer depends only on the URLconf and the script prefix, so those are
the key, and a change of ROOT_URLCONF (in tests) forgets them all. A URL around an id is reversed
once with a stand-in id and kept as the text either side of it: a UUID's text is its `str()`
(what the `id` and `uuid` converters write), needs no quoting or escaping, and matches any route
that takes an id. If the stand-in does not come back exactly once in the URL, or the argument is
not a UUID, Django's tag answers as before. Any other `{% url %}` is Django's own, unchanged."""

import uuid
from functools import lru_cache

from django.core.signals import setting_changed
from django.dispatch import receiver
from django.template import Context, Library, defaulttags
from django.template.base import Parser, Token
from django.urls import NoReverseMatch, get_script_prefix, get_urlconf, reverse
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString

register = Library()

# Stands in for the id while a URL around one is reversed; found by its text in the answer.
_STAND_IN = uuid.UUID("5eb5a11e-0000-4000-8000-0000000000ff")


@lru_cache(maxsize=512)  # bounded: the script prefix comes from the request's environ
def _constant_url(view_name: str, urlconf: str | None, prefix: str) -> tuple[str, SafeString]:
    """The URL, and the URL escaped for HTML."""
    url = reverse(view_name, urlconf=urlconf)
    return url, conditional_escape(url)


@lru_cache(maxsize=512)
def _url_around_id(
    view_name: str, urlconf: str | None, prefix: str
) -> tuple[str, str, SafeString, SafeString] | None:
    """The URL's text before and after the id, plain and escaped for HTML; None when the route
    does not write the id as its text once (Django's tag then answers)."""
    try:
        url = reverse(view_name, args=[_STAND_IN], urlconf=urlconf)
    except NoReverseMatch:
        return None
    parts = url.split(str(_STAND_IN))
    if len(parts) != 2:
        return None
    before, after = parts
    return before, after, conditional_escape(before), conditional_escape(after)


class ConstantURLNode(defaulttags.URLNode):
    def render(self, context: Context) -> str:
        url, escaped = _constant_url(self.view_name.var, get_urlconf(), get_script_prefix())
        return escaped if context.autoescape else url


class IdURLNode(defaulttags.URLNode):
    def render(self, context: Context) -> str:
        value = self.args[0].resolve(context)
        if type(value) is uuid.UUID:
            around = _url_around_id(self.view_name.var, get_urlconf(), get_script_prefix())
            if around is not None:
                before, after, escaped_before, escaped_after = around
                if context.autoescape:
                    return SafeString(f"{escaped_before}{value}{escaped_after}")
                return f"{before}{value}{after}"
        return super().render(context)


@register.tag
def url(parser: Parser, token: Token) -> defaulttags.URLNode:
    node = defaulttags.url(parser, token)
    name = node.view_name
    literal = isinstance(name.var, str) and not name.filters and ":" not in name.var
    if not literal or node.kwargs or node.asvar:
        return node
    if not node.args:
        return ConstantURLNode(name, node.args, node.kwargs, node.asvar)
    if len(node.args) == 1:
        return IdURLNode(name, node.args, node.kwargs, node.asvar)
    return node


@receiver(setting_changed)
def _forget_on_urlconf_change(*, setting: str, **kwargs) -> None:
    if setting == "ROOT_URLCONF":
        _constant_url.cache_clear()
        _url_around_id.cache_clear()
