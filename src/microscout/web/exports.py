"""Any list the API returns, as a CSV download: nested values flattened like the CLI's CSV."""

from __future__ import annotations

from typing import Any

from fastapi.responses import Response

from microscout.output import csv_text


def csv_response(rows: list[dict[str, Any]], filename: str) -> Response:
    return Response(csv_text(rows), media_type="text/csv; charset=utf-8",
                    headers={"Content-Disposition": f'attachment; filename="{filename}"'})
