import re

import pytest
from django.db import OperationalError, connection
from django.test import Client

pytestmark = pytest.mark.django_db


def test_api_root_points_to_the_docs(anon_api):
    response = anon_api.get("/api")
    assert response.status_code == 200
    assert response.json() == {"message": "Mind Quest API", "version": "1.0.0", "docs": "/api/docs"}


def test_health_makes_a_database_round_trip(anon_api):
    response = anon_api.get("/api/health")
    assert response.status_code == 200
    assert response.json() == {
        "status": "healthy",
        "environment": "development",
        "version": "1.0.0",
        "database": "ok",
    }


def test_health_is_503_when_the_database_is_unreachable(anon_api):
    def unreachable(execute, sql, params, many, context):
        raise OperationalError("connection refused")

    with connection.execute_wrapper(unreachable):
        response = anon_api.get("/api/health")
    assert response.status_code == 503
    assert response.json()["status"] == "unhealthy"
    assert response.json()["database"] == "unavailable"


def test_a_database_failure_mid_request_is_a_json_503_without_trace(learner_api):
    def unreachable(execute, sql, params, many, context):
        raise OperationalError("server closed the connection unexpectedly")

    with connection.execute_wrapper(unreachable):
        response = learner_api.get("/api/certifications")
    assert response.status_code == 503
    assert response.json() == {"detail": "Service temporarily unavailable, please retry shortly"}


@pytest.mark.parametrize("path", ["/api/nope", "/api/auth/nope/", "/api/certifications/not-a-uuid"])
def test_unknown_api_paths_are_json_404(anon_api, path):
    response = anon_api.get(path)
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"detail": "Not found"}


def test_wrong_method_is_json_405(anon_api):
    response = anon_api.delete("/api/auth/login")
    assert response.status_code == 405
    assert response.json() == {"detail": 'Method "DELETE" not allowed.'}


@pytest.mark.parametrize("path", ["/api/health/", "/api/certifications/", "/api/"])
def test_trailing_slash_is_served_without_a_redirect(anon_api, path):
    assert anon_api.get(path).status_code == 200


def test_post_with_a_trailing_slash_keeps_its_body(anon_api, learner, password):
    response = anon_api.post("/api/auth/login/", {"email": "ada", "password": password}, format="json")
    assert response.status_code == 200


def test_malformed_json_is_400_in_the_error_format(anon_api):
    response = anon_api.post("/api/auth/login", "{not json", content_type="application/json")
    assert response.status_code == 400
    assert response.json()["detail"].startswith("JSON parse error")


@pytest.mark.parametrize("content_type", ["", "text/plain"])
def test_a_body_in_a_media_type_not_read_is_415_in_the_error_format(anon_api, content_type):
    response = anon_api.generic("POST", "/api/auth/login", b"ada", content_type=content_type)
    assert response.status_code == 415
    assert response.json() == {"detail": f'Unsupported media type "{content_type}" in request.'}


def test_a_form_endpoints_body_without_a_media_type_is_415(admin_api):
    response = admin_api.generic("POST", "/api/certifications", b"code=X", content_type="")
    assert response.status_code == 415


def test_every_operation_that_takes_a_body_documents_415(anon_api):
    paths = anon_api.get("/api/schema?format=json").json()["paths"]
    operations = [operation for path in paths.values() for operation in path.values()]
    assert sum("requestBody" in operation for operation in operations) == 11
    for operation in operations:
        documented = operation["responses"].get("415")
        if "requestBody" in operation:
            assert documented["content"]["application/json"]["schema"] == {
                "$ref": "#/components/schemas/Error"
            }
        else:
            assert documented is None


@pytest.mark.urls("mindquest.tests.urls")
def test_unexpected_error_is_json_500_without_trace(anon_api):
    response = anon_api.get("/api/test/crash")
    assert response.status_code == 500
    assert response.json() == {"detail": "Internal server error"}
    assert "hunter2" not in response.text


@pytest.mark.urls("mindquest.tests.urls")
def test_too_many_requests_is_429_with_retry_after(anon_api):
    anon_api.get("/api/test/throttled")
    response = anon_api.get("/api/test/throttled")
    assert response.status_code == 429
    assert response.json()["detail"].startswith("Request was throttled")
    assert int(response["Retry-After"]) > 0


@pytest.mark.urls("mindquest.tests.urls")
def test_a_crashing_page_renders_the_sites_500_page():
    client = Client(raise_request_exception=False)
    response = client.get("/test/crash")
    assert response.status_code == 500
    assert "Something went wrong" in response.text
    assert "page internals" not in response.text


def test_a_csrf_failure_under_api_is_json():
    client = Client(enforce_csrf_checks=True)
    response = client.post("/api/nope", {"x": 1})
    assert response.status_code == 404
    assert response.json() == {"detail": "Not found"}


def test_a_bad_host_under_api_is_a_json_400(settings):
    settings.ALLOWED_HOSTS = ["mindquest.example.com"]
    response = Client(HTTP_HOST="evil.example.com").get("/api/health")
    assert response.status_code == 400
    assert response.json() == {"detail": "Bad request"}


def test_schema_is_served(anon_api):
    response = anon_api.get("/api/schema?format=json")
    assert response.status_code == 200
    assert "/api/auth/login" in response.json()["paths"]
    assert "/api/auth/login/" not in response.json()["paths"]


def test_swagger_ui_is_served_from_local_files_only(client):
    response = client.get("/api/docs")
    assert response.status_code == 200
    assert "swagger-ui" in response.text
    urls = re.findall(r'(?:src|href)="([^"]+)"', response.text)
    assert urls, "the page should load its assets"
    assert all(url.startswith("/") for url in urls), urls
    assert "<script>" not in response.text.replace(" ", ""), "no inline scripts"
    for url in urls:
        assert client.get(url).status_code == 200, url


def test_cors_preflight_succeeds_for_an_allowed_origin(client, settings):
    settings.CORS_ALLOWED_ORIGINS = ["https://app.example.com"]
    response = client.options(
        "/api/auth/me",
        HTTP_ORIGIN="https://app.example.com",
        HTTP_ACCESS_CONTROL_REQUEST_METHOD="GET",
        HTTP_ACCESS_CONTROL_REQUEST_HEADERS="authorization, content-type",
    )
    assert response.status_code == 200
    assert response["Access-Control-Allow-Origin"] == "https://app.example.com"
    assert "authorization" in response["Access-Control-Allow-Headers"]


def test_a_client_on_an_allowed_origin_may_read_the_total_and_the_retry_delay(client, settings):
    settings.CORS_ALLOWED_ORIGINS = ["https://app.example.com"]
    response = client.get("/api/certifications?limit=1", HTTP_ORIGIN="https://app.example.com")
    assert response["X-Total-Count"]
    exposed = {name.strip().lower() for name in response["Access-Control-Expose-Headers"].split(",")}
    assert {"x-total-count", "retry-after", "x-request-id"} <= exposed


def test_cors_ignores_other_origins(client, settings):
    settings.CORS_ALLOWED_ORIGINS = ["https://app.example.com"]
    response = client.get("/api/health", HTTP_ORIGIN="https://evil.example.com")
    assert "Access-Control-Allow-Origin" not in response


def test_a_body_over_the_upload_limit_is_413_without_a_traceback(anon_api, settings, caplog):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    body = {"email": "ada@example.com", "password": "x" * 2000}
    with caplog.at_level("ERROR"):
        response = anon_api.post("/api/auth/login", body, format="json")
    assert response.status_code == 413
    assert response.json() == {"detail": "The request body is too large."}
    assert not [record for record in caplog.records if record.levelname == "ERROR"]
