import pytest

from quizzes.tests.fake_openai import FakeOpenAI


@pytest.fixture
def fake_openai(settings):
    """The real openai client, pointed at a scripted OpenAI-compatible server on loopback."""
    fake = FakeOpenAI().start()
    settings.OPENAI_API_KEY = "test-key"
    settings.OPENAI_BASE_URL = fake.base_url
    settings.OPENAI_MODEL = "gpt-4o-mini"
    settings.OPENAI_TIMEOUT = 0.5
    settings.OPENAI_MAX_RETRIES = 0
    yield fake
    fake.stop()
