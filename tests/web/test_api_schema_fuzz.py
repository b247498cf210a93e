"""The API against its own OpenAPI schema, fuzzed with Schemathesis.

Every answer must have a status the schema documents, a body matching the
documented schema, no 500, and errors in the one error shape; a request the
schema calls valid must not be refused. Each operation gets valid and invalid
requests: about 200 cases in all by default; with `CI` set, the slow run adds
at least 1,000 more over every operation.
"""

import os

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis.generation.modes import GenerationMode

from app.main import create_app
from catalog.settings import Settings
from methods.demo import cuda_available

CASES_PER_OPERATION = 16
CI_CASES_PER_OPERATION = 100
ERROR_KEYS = {"ok", "status", "error", "errors"}

# the schema does not need a catalog: only the routes
_SCHEMA = create_app(Settings()).openapi()
OPERATIONS = sorted(
    (method.upper(), path) for path, methods in _SCHEMA["paths"].items() for method in methods
)


@pytest.fixture(scope="module")
def api_schema(client):
    """The schema as an app over the client's catalog serves it.

    An app of its own: Schemathesis runs the lifespan of the app it is given
    and keeps it to the end of the session, so it must not share the client's.
    """
    return schemathesis.openapi.from_asgi("/openapi.json", create_app(client.app.state.catalog.settings))


def _check(case) -> None:
    response = case.call_and_validate()
    where = f"{case.method} {case.formatted_path} {case.query or ''}"
    assert response.status_code < 500, f"{where}: {response.status_code} {response.text[:300]}"
    if response.status_code >= 400:
        body = response.json()
        assert set(body) == ERROR_KEYS and body["status"] == response.status_code, (
            f"{where}: not the one error shape: {body}"
        )
        assert "\n" not in body["error"] and "Traceback" not in response.text, (
            f"not one line: {body['error']!r}"
        )


def _fuzz(api_schema, method: str, path: str, cases: int) -> None:
    operation = api_schema[path][method]
    strategy = st.one_of(
        operation.as_strategy(GenerationMode.POSITIVE), operation.as_strategy(GenerationMode.NEGATIVE)
    )

    @given(case=strategy)
    @settings(
        max_examples=cases,
        deadline=None,
        derandomize=cases == CASES_PER_OPERATION,
        suppress_health_check=list(HealthCheck),
        database=None,
    )
    def run(case) -> None:
        _check(case)

    run()


def test_every_operation_is_fuzzed():
    assert len(OPERATIONS) >= 12 and ("POST", "/api/v1/methods/{slug}/demo") in OPERATIONS, OPERATIONS


@pytest.mark.parametrize("method, path", OPERATIONS)
def test_api_conforms_to_its_schema(api_schema, method, path):
    _fuzz(api_schema, method, path, CASES_PER_OPERATION)


@pytest.mark.slow
@pytest.mark.skipif(not os.environ.get("CI"), reason="the long fuzz run is for CI (set CI to run it)")
@pytest.mark.parametrize("method, path", OPERATIONS)
def test_api_conforms_to_its_schema_thoroughly(api_schema, method, path):
    _fuzz(api_schema, method, path, CI_CASES_PER_OPERATION)


def test_the_schema_offers_only_the_devices_this_server_has(client):
    schema = client.get("/openapi.json").json()
    devices = schema["components"]["schemas"]["DemoRequest"]["properties"]["device"]["enum"]
    assert devices == ["auto", "cpu", *(["cuda"] if cuda_available() else [])], f"devices {devices}"
    for device in devices:
        response = client.post("/api/v1/methods/sigmoid-linear-unit/demo", json={"device": device})
        assert response.status_code == 200, f"device {device!r} is offered but refused: {response.text[:200]}"
