"""Any list the API returns, as a CSV download: nested values flattened like the CLI's CSV."""

from __future__ import annotations

import csv
import io
from typing import Any

from fastapi.responses import Response

from microscout.output import flat_record


def csv_text(rows: list[dict[str, Any]]) -> str:
    flat_rows = [flat_record(r) for r in rows]
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
