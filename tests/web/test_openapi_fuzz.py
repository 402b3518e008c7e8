"""A property-based run of the OpenAPI document (schemathesis): whatever a client sends that the
document allows, or nearly allows, the server never answers with a 5xx."""

from __future__ import annotations

import schemathesis
from hypothesis import HealthCheck, given, settings
from tests.web.conftest import TOKEN, running
from tests.web.test_api import _world


def test_no_generated_request_gets_a_server_error(tmp_path):
    ws = _world(tmp_path)
    with ws, running(ws) as url:
        schema = schemathesis.openapi.from_url(f"{url}/api/v1/openapi.json")
        checked = 0
        for result in schema.get_all_operations():
            operation = result.ok()

            @settings(max_examples=15, deadline=None, database=None, derandomize=True,
                      suppress_health_check=list(HealthCheck))
            @given(case=operation.as_strategy())
            def no_server_error(case):
                response = case.call(base_url=url, headers={"Authorization": f"Bearer {TOKEN}"}, timeout=60)
                assert response.status_code < 500, (case.method, case.formatted_path, response.text[:300])

            no_server_error()
            checked += 1
    assert checked >= 9
