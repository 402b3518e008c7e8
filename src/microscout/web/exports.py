"""Any list the API returns, as a CSV download: nested values flattened like the CLI's CSV."""

from __future__ import annotations

import csv
import io
from typing import Any

from fastapi.responses import Response


def flat(record: dict[str, Any], prefix: str = "") -> dict[str, Any]:
    out: dict[str, Any] = {}
    for k, v in record.items():
        if isinstance(v, dict):
            out.update(flat(v, f"{prefix}{k}."))
        elif isinstance(v, list):
            out[prefix + k] = "; ".join(str(x) if not isinstance(x, dict) else
                                        ", ".join(f"{a}={b}" for a, b in x.items()) for x in v)
        else:
            out[prefix + k] = v
    return out


def csv_text(rows: list[dict[str, Any]]) -> str:
    flat_rows = [flat(r) for r in rows]
    columns: list[str] = []
    for r in flat_rows:
        columns += [k for k in r if k not in columns]
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=columns, extrasaction="ignore", lineterminator="\n")
    writer.writeheader()
    for r in flat_rows:
        # a cell starting with = + - @ would be a formula in a spreadsheet: quote it as text
        writer.writerow({k: ("'" + v if isinstance(v, str) and v[:1] in "=+-@" else v) for k, v in r.items()})
    return buf.getvalue()


def csv_response(rows: list[dict[str, Any]], filename: str) -> Response:
    return Response(csv_text(rows), media_type="text/csv; charset=utf-8",
                    headers={"Content-Disposition": f'attachment; filename="{filename}"'})
