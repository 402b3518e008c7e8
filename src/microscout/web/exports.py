"""Any list the API returns, as a CSV download: nested values flattened like the CLI's CSV."""

from __future__ import annotations

from typing import Any

from fastapi.responses import HTMLResponse, Response

from microscout.output import csv_text


def report_download(report: dict[str, Any], marks: dict[str, list[str]], lang: str = "en") -> HTMLResponse:
    """A campaign's shareable HTML report, in `lang`, as a file to save."""
    from microscout.campaigns.report import report_html

    return HTMLResponse(report_html(report, marks, lang),
                        headers={"Content-Disposition": 'attachment; filename="campaign-report.html"'})


def csv_response(rows: list[dict[str, Any]], filename: str) -> Response:
    return Response(csv_text(rows), media_type="text/csv; charset=utf-8",
                    headers={"Content-Disposition": f'attachment; filename="{filename}"'})
