"""A property-based run of the OpenAPI document (schemathesis): whatever a client sends that the
document allows, or nearly allows, the server never answers with a 5xx, and every answer has the
shape the document declares (the response contracts of microscout.contracts), content type and
status code included."""

from __future__ import annotations

import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)
from tests.connectors.loopback import LoopbackServer
from tests.web.conftest import TOKEN, running
from tests.web.test_api import _world

CHECKS = [not_a_server_error, response_schema_conformance, content_type_conformance, status_code_conformance]


def nowhere(url):
    """A generated collection aimed at a loopback server that knows nothing (every answer a 404):
    its job fails at once, and nothing reaches a real platform."""
    def aim(case):
        if isinstance(case.body, dict):
            case.body["service_url"] = url
        return case
    return aim


def test_every_generated_request_gets_an_answer_of_the_declared_shape(tmp_path):
    ws = _world(tmp_path)
    # the loopback platform outlives the server, whose shutdown waits for the jobs it started
    with ws, LoopbackServer() as platform, running(ws) as url:
        schema = schemathesis.openapi.from_url(f"{url}/api/v1/openapi.json")
        checked, with_schema = 0, 0
        for result in schema.get_all_operations():
            operation = result.ok()
            declared = operation.definition.raw.get("responses", {}).get("200", operation.definition.raw.get(
                "responses", {}).get("202", {}))
            with_schema += bool(declared.get("content", {}).get("application/json", {}).get("schema"))

            strategy = operation.as_strategy()
            if operation.path == "/api/v1/collect":
                strategy = strategy.map(nowhere(platform.url))

            @settings(max_examples=15, deadline=None, database=None, derandomize=True,
                      suppress_health_check=list(HealthCheck))
            @given(case=strategy)
            def conforms(case):
                response = case.call(base_url=url, headers={"Authorization": f"Bearer {TOKEN}"}, timeout=60)
                case.validate_response(response, checks=CHECKS)

            conforms()
            checked += 1
    assert checked >= 20 and with_schema == checked
    assert platform.log  # generated collections were started, and went where they were aimed
