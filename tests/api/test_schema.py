"""schemathesis generates requests from the OpenAPI schema of the running app (uvicorn, demo
mode so that every endpoint is reached) and checks that none gets a server error."""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings

from tests.api.conftest import serve
from triage.settings import Settings


@pytest.fixture
def api_schema(trained, tmp_path):
    config = Settings(project_dir=tmp_path, models_dir=trained.directory.parent, api_demo_mode=True,
                      database_url=f"sqlite:///{tmp_path / 'smista.db'}", api_max_body_bytes=100_000)
    server, thread, url = serve(config)
    yield schemathesis.openapi.from_url(f"{url}/openapi.json")
    server.should_exit = True
    thread.join(timeout=10)


def test_no_server_errors(api_schema):
    """Every operation, 25 generated requests each (valid and invalid bodies, odd parameters)."""
    operations = [result.ok() for result in api_schema.get_all_operations()]
    assert len(operations) >= 10
    seen: list[str] = []

    for operation in operations:
        @given(case=operation.as_strategy())
        @settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck), database=None)
        def check(case) -> None:
            response = case.call(timeout=30)
            seen.append(f"{case.method} {case.path}")
            assert response.status_code < 500, f"{case.method} {case.formatted_path}: {response.status_code} {response.text[:300]}"
            ctype = str(response.headers.get("content-type", ""))
            if response.status_code >= 400 and "application/json" in ctype:
                assert "error" in response.json()
        check()
    assert len(set(seen)) == len(operations)
