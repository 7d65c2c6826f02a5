"""`{% url %}` that works out a constant URL once per process (a template builtin: see settings).

A constant URL is a literal view name with no namespace, no arguments and no `as`: the nav's,
the footer's, most of every page's links. Django's tag reverses it on every render, about 65,000
instructions each; the dashboard page has thirteen, 6.5 % of its cost (bench/README.md). The
answer depends only on the URLconf and the script prefix, so those are the key, and a change of
ROOT_URLCONF (in tests) forgets them all. Any other `{% url %}` is Django's own, unchanged."""

from functools import lru_cache

from django.core.signals import setting_changed
from django.dispatch import receiver
from django.template import Context, Library, defaulttags
from django.template.base import Parser, Token
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString

register = Library()


@lru_cache(maxsize=512)  # bounded: the script prefix comes from the request's environ
def _constant_url(view_name: str, urlconf: str | None, prefix: str) -> tuple[str, SafeString]:
    """The URL, and the URL escaped for HTML."""
    url = reverse(view_name, urlconf=urlconf)
    return url, conditional_escape(url)


class ConstantURLNode(defaulttags.URLNode):
    def render(self, context: Context) -> str:
        url, escaped = _constant_url(self.view_name.var, get_urlconf(), get_script_prefix())
        return escaped if context.autoescape else url


@register.tag
def url(parser: Parser, token: Token) -> defaulttags.URLNode:
    node = defaulttags.url(parser, token)
    name = node.view_name
    literal = isinstance(name.var, str) and not name.filters
    if literal and ":" not in name.var and not (node.args or node.kwargs or node.asvar):
        return ConstantURLNode(name, node.args, node.kwargs, node.asvar)
    return node


@receiver(setting_changed)
def _forget_on_urlconf_change(*, setting: str, **kwargs) -> None:
    if setting == "ROOT_URLCONF":
        _constant_url.cache_clear()
