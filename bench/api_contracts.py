"""Benchmark: the API's response contracts on the small demo world (seed 7).

1. Conformance: a property-based run of the OpenAPI document (schemathesis, 15 generated requests
   per operation, derandomized) against a real server on loopback: requests sent, operations, and
   answers that broke a check (a 5xx, a body off its declared schema, an undeclared content type
   or status code). Target: 0.
2. Cost: checking an answer against its contract, per answer, for every creator's vet record and
   a scout of 50: the pydantic validation and dump against plain json.dumps of the same record
   (the baseline, in the same run); the ratio and the absolute milliseconds.
Writes bench/results/api_contracts.json.

    .venv/bin/python -m bench.api_contracts
"""

from __future__ import annotations

import json
import socket
import tempfile
import threading
import time
from pathlib import Path

from bench.machine import machine, now
from bench.worlds import small_analysed

HERE = Path(__file__).parent
TOKEN = "bench-token"
BRIEF = {"name": "Vegan bakery, Berlin launch", "topic": "vegan baking, cakes", "keywords": ["vegan", "kuchen"],
         "locations": ["Berlin, DE"], "languages": ["de"]}


def _serve(ws):
    import uvicorn

    from microscout.web.app import create_app

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(create_app(ws, token=TOKEN), host="127.0.0.1", port=port,
                                           log_level="critical"))
    threading.Thread(target=server.run, daemon=True).start()
    while not server.started:
        time.sleep(0.02)
    return server, f"http://127.0.0.1:{port}"


def _conformance(url: str) -> dict:
    import schemathesis
    from hypothesis import HealthCheck, given, settings
    from schemathesis.checks import (
        content_type_conformance,
        not_a_server_error,
        response_schema_conformance,
        status_code_conformance,
    )

    checks = [not_a_server_error, response_schema_conformance, content_type_conformance, status_code_conformance]
    schema = schemathesis.openapi.from_url(f"{url}/api/v1/openapi.json")
    sent, broken, operations = 0, [], 0
    for result in schema.get_all_operations():
        operation = result.ok()
        operations += 1

        @settings(max_examples=15, deadline=None, database=None, derandomize=True,
                  suppress_health_check=list(HealthCheck))
        @given(case=operation.as_strategy())
        def run(case):
            nonlocal sent
            response = case.call(base_url=url, headers={"Authorization": f"Bearer {TOKEN}"}, timeout=60)
            sent += 1
            try:
                case.validate_response(response, checks=checks)
            except Exception as e:
                broken.append(f"{case.method} {case.formatted_path}: {str(e).splitlines()[0][:120]}")

        run()
    return {"operations": operations, "requests": sent, "answers_off_contract": len(broken),
            "examples_of_failures": broken[:5]}


def _cost(ws) -> dict:
    from microscout.contracts import ScoutOut, VetOut

    rows, _ = ws.creators(limit=None)
    records = [ws.vet(f"{r['platform']}:{r['account_id']}") for r in rows]
    scout = ws.scout_records(BRIEF, 50)

    def timed(fn, items, repeats=3) -> float:
        best = float("inf")
        for _ in range(repeats):
            t = time.perf_counter()
            for x in items:
                fn(x)
            best = min(best, time.perf_counter() - t)
        return best / len(items) * 1000

    plain_vet = timed(lambda r: json.dumps(r, default=str), records)
    checked_vet = timed(lambda r: json.dumps(VetOut.model_validate(r).model_dump(by_alias=True, exclude_unset=True),
                                             default=str), records)
    plain_scout = timed(lambda r: json.dumps(r, default=str), [scout] * 20)
    checked_scout = timed(lambda r: json.dumps(ScoutOut.model_validate(r).model_dump(by_alias=True,
                                                                                     exclude_unset=True),
                                               default=str), [scout] * 20)
    return {"vet_records": len(records),
            "vet_ms_per_answer": {"plain_json": round(plain_vet, 4), "checked": round(checked_vet, 4),
                                  "ratio": round(checked_vet / plain_vet, 2)},
            "scout_results": len(scout["results"]),
            "scout_ms_per_answer": {"plain_json": round(plain_scout, 4), "checked": round(checked_scout, 4),
                                    "ratio": round(checked_scout / plain_scout, 2)}}


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        ws = small_analysed(Path(tmp))
        cost = _cost(ws)
        server, url = _serve(ws)
        try:
            conformance = _conformance(url)
        finally:
            server.should_exit = True
        ws.close()
    out = {"benchmark": "api_contracts", "world": "demo small, seed 7 (topic model off)", "date": now(),
           "machine": machine(), "conformance": conformance, "contract_check_cost": cost}
    (HERE / "results").mkdir(exist_ok=True)
    (HERE / "results" / "api_contracts.json").write_text(json.dumps(out, indent=2) + "\n")
    print(json.dumps(out, indent=2))


if __name__ == "__main__":
    main()
