"""{% url %} in templates (mindquest.common.urltags): constant URLs worked out once per process,
with the same answers as Django's own tag."""

import uuid

import pytest
from django.http import HttpResponse
from django.template import engines
from django.template.defaulttags import URLNode
from django.urls import NoReverseMatch, path, set_script_prefix, set_urlconf

from mindquest.common.urltags import ConstantURLNode

# A URLconf that puts the dashboard elsewhere (used as ROOT_URLCONF and as a request's urlconf).
urlpatterns = [path("elsewhere/dashboard", lambda request: HttpResponse(), name="dashboard")]


def render(source: str, **context) -> str:
    return engines["django"].from_string(source).render(context)


def test_a_constant_url_is_reversed_once_by_the_engines_url_tag():
    template = engines["django"].from_string("{% url 'dashboard' %}").template
    assert isinstance(template.nodelist[0], ConstantURLNode)
    assert render("{% url 'dashboard' %}") == "/dashboard"


@pytest.mark.parametrize(
    "source",
    [
        "{% url 'quiz' quiz_id %}",
        "{% url 'quiz' quiz_id=quiz_id %}",
        "{% url name %}",
        "{% url 'admin:index' %}",
        "{% url 'dashboard' as link %}",
    ],
)
def test_every_other_url_is_djangos_own(source):
    node = engines["django"].from_string(source).template.nodelist[0]
    assert type(node) is URLNode


def test_the_other_forms_render_as_before():
    quiz_id = uuid.UUID("0f8fad5b-d9cb-469f-a165-70867728950e")
    assert render("{% url 'quiz' quiz_id %}", quiz_id=quiz_id) == f"/quizzes/{quiz_id}"
    assert render("{% url name %}", name="history") == "/history"
    assert render("{% url 'admin:index' %}") == "/admin/"
    assert render("{% url 'dashboard' as link %}[{{ link }}]") == "[/dashboard]"


def test_a_constant_url_is_escaped_unless_autoescape_is_off():
    set_script_prefix("/a&b/")
    try:
        assert render("{% url 'dashboard' %}") == "/a&amp;b/dashboard"
        assert render("{% autoescape off %}{% url 'dashboard' %}{% endautoescape %}") == "/a&b/dashboard"
    finally:
        set_script_prefix("/")


def test_a_constant_url_follows_the_script_prefix():
    assert render("{% url 'dashboard' %}") == "/dashboard"
    set_script_prefix("/mindquest/")
    try:
        assert render("{% url 'dashboard' %}") == "/mindquest/dashboard"
    finally:
        set_script_prefix("/")
    assert render("{% url 'dashboard' %}") == "/dashboard"


def test_a_constant_url_follows_the_requests_urlconf():
    assert render("{% url 'dashboard' %}") == "/dashboard"
    set_urlconf(__name__)
    try:
        assert render("{% url 'dashboard' %}") == "/elsewhere/dashboard"
    finally:
        set_urlconf(None)


def test_a_constant_url_follows_a_change_of_root_urlconf(settings):
    assert render("{% url 'dashboard' %}") == "/dashboard"
    settings.ROOT_URLCONF = __name__
    assert render("{% url 'dashboard' %}") == "/elsewhere/dashboard"


def test_an_unknown_name_fails_as_with_djangos_tag():
    with pytest.raises(NoReverseMatch):
        render("{% url 'no-such-page' %}")
