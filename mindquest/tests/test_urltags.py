"""{% url %} in templates (mindquest.common.urltags): constant URLs and URLs around an id worked
out once per process, with the same answers as Django's own tag."""

import uuid

import pytest
from django.http import HttpResponse
from django.template import engines
from django.template.defaulttags import URLNode
from django.urls import NoReverseMatch, path, reverse, set_script_prefix, set_urlconf

from mindquest.common.urltags import ConstantURLNode, IdURLNode

# A URLconf that puts the dashboard and a quiz elsewhere (used as ROOT_URLCONF and as a request's
# urlconf), with routes whose argument is not written as a UUID's text.
urlpatterns = [
    path("elsewhere/dashboard", lambda request: HttpResponse(), name="dashboard"),
    path("elsewhere/quizzes/<uuid:quiz_id>/", lambda request, quiz_id: HttpResponse(), name="quiz"),
    path("numbered/<int:n>", lambda request, n: HttpResponse(), name="numbered"),
    path("echo/<str:a>/<str:b>", lambda request, a, b: HttpResponse(), name="twice"),
]
QUIZ_ID = uuid.UUID("0f8fad5b-d9cb-469f-a165-70867728950e")


def render(source: str, **context) -> str:
    return engines["django"].from_string(source).render(context)


def test_a_constant_url_is_reversed_once_by_the_engines_url_tag():
    template = engines["django"].from_string("{% url 'dashboard' %}").template
    assert isinstance(template.nodelist[0], ConstantURLNode)
    assert render("{% url 'dashboard' %}") == "/dashboard"


@pytest.mark.parametrize(
    "source",
    [
        "{% url 'quiz' quiz_id=quiz_id %}",
        "{% url 'twice' a b %}",
        "{% url name quiz_id %}",
        "{% url 'quiz' quiz_id as link %}",
        "{% url name %}",
        "{% url 'admin:index' %}",
        "{% url 'dashboard' as link %}",
    ],
)
def test_every_other_url_is_djangos_own(source):
    node = engines["django"].from_string(source).template.nodelist[0]
    assert type(node) is URLNode


def test_the_other_forms_render_as_before():
    assert render("{% url 'quiz' quiz_id=quiz_id %}", quiz_id=QUIZ_ID) == f"/quizzes/{QUIZ_ID}"
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


def test_a_url_around_an_id_is_reversed_once_by_the_engines_url_tag():
    template = engines["django"].from_string("{% url 'quiz' quiz_id %}").template
    assert isinstance(template.nodelist[0], IdURLNode)
    assert render("{% url 'quiz' quiz_id %}", quiz_id=QUIZ_ID) == f"/quizzes/{QUIZ_ID}"


def test_a_url_around_an_id_is_djangos_answer_for_every_id():
    template = engines["django"].from_string("<a href='{% url 'quiz' quiz.pk %}'>")
    for _ in range(200):
        quiz_id = uuid.uuid4()
        expected = f"<a href='{reverse('quiz', args=[quiz_id])}'>"
        assert template.render({"quiz": {"pk": quiz_id}}) == expected


def test_a_url_around_an_id_is_escaped_unless_autoescape_is_off():
    set_script_prefix("/a&b/")
    try:
        assert render("{% url 'quiz' quiz_id %}", quiz_id=QUIZ_ID) == f"/a&amp;b/quizzes/{QUIZ_ID}"
        off = "{% autoescape off %}{% url 'quiz' quiz_id %}{% endautoescape %}"
        assert render(off, quiz_id=QUIZ_ID) == f"/a&b/quizzes/{QUIZ_ID}"
    finally:
        set_script_prefix("/")


def test_a_url_around_an_id_follows_the_script_prefix_and_the_requests_urlconf():
    set_script_prefix("/mindquest/")
    try:
        assert render("{% url 'quiz' quiz_id %}", quiz_id=QUIZ_ID) == f"/mindquest/quizzes/{QUIZ_ID}"
    finally:
        set_script_prefix("/")
    set_urlconf(__name__)
    try:
        assert render("{% url 'quiz' quiz_id %}", quiz_id=QUIZ_ID) == f"/elsewhere/quizzes/{QUIZ_ID}/"
    finally:
        set_urlconf(None)
    assert render("{% url 'quiz' quiz_id %}", quiz_id=QUIZ_ID) == f"/quizzes/{QUIZ_ID}"


def test_a_url_around_an_id_follows_a_change_of_root_urlconf(settings):
    assert render("{% url 'quiz' quiz_id %}", quiz_id=QUIZ_ID) == f"/quizzes/{QUIZ_ID}"
    settings.ROOT_URLCONF = __name__
    assert render("{% url 'quiz' quiz_id %}", quiz_id=QUIZ_ID) == f"/elsewhere/quizzes/{QUIZ_ID}/"


@pytest.mark.parametrize("quiz_id", [str(QUIZ_ID), str(QUIZ_ID).upper()])
def test_an_id_given_as_text_is_djangos_answer(quiz_id):
    assert render("{% url 'quiz' quiz_id %}", quiz_id=quiz_id) == f"/quizzes/{quiz_id}"


def test_a_route_that_does_not_take_an_id_fails_as_with_djangos_tag(settings):
    settings.ROOT_URLCONF = __name__
    assert render("{% url 'numbered' n %}", n=7) == "/numbered/7"
    with pytest.raises(NoReverseMatch):
        render("{% url 'numbered' n %}", n=QUIZ_ID)
    with pytest.raises(NoReverseMatch):
        render("{% url 'no-such-page' quiz_id %}", quiz_id=QUIZ_ID)


@pytest.mark.parametrize("value", [7, "not-an-id", None])
def test_an_argument_that_is_no_id_fails_as_with_djangos_tag(value):
    with pytest.raises(NoReverseMatch):
        render("{% url 'quiz' value %}", value=value)
