"""The dashboard's campaign pages: the pipeline of a brand (stage changes with the record's
version, so a stale form gets the conflict, not an overwrite), reminders, and tracking with its
charts, the shareable HTML report and a CSV export."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from datetime import UTC, date, datetime
from gettext import NullTranslations
from typing import TYPE_CHECKING, Any, Protocol

from fastapi import APIRouter, Form, Request, UploadFile
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from microscout.campaigns import relationships
from microscout.campaigns.charts import SCHEMA, campaign_charts
from microscout.campaigns.relationships import STAGES, due_reminders
from microscout.campaigns.report import report_rows
from microscout.campaigns.track import campaign_for, track_orders_text
from microscout.exceptions import ConflictError, MicroscoutError
from microscout.translations import ENGLISH, N_
from microscout.web.exports import csv_response, report_download
from microscout.web.gate import WorkspaceGate

if TYPE_CHECKING:
    from microscout.web.pages import ReadCache
    from microscout.workspace import Workspace


class Render(Protocol):
    def __call__(self, request: Request, name: str, status_code: int = 200, **context: Any) -> HTMLResponse: ...

MAX_ORDERS_BYTES = 5 * 1024 * 1024
TRACK_FIELDS = ("brand", "start", "end", "name", "hashtags", "mentions", "codes", "links")


def funnel_chart(records: list[dict[str, Any]], t: NullTranslations = ENGLISH) -> dict[str, Any] | None:
    """Relationships per pipeline stage (the stages are the pipeline's own names, as in its forms)."""
    counts = Counter(r.get("stage") for r in records)
    if not counts:
        return None
    rows = [{"stage": s, "creators": counts.get(s, 0)} for s in STAGES]
    return {"$schema": SCHEMA, "title": t.gettext("Creators per stage"), "width": 360, "data": {"values": rows},
            "mark": "bar",
            "encoding": {"y": {"field": "stage", "type": "nominal", "sort": None, "title": None},
                         "x": {"field": "creators", "type": "quantitative", "axis": {"tickMinStep": 1},
                               "title": t.gettext("creators")}}}


def campaign_router(workspace: Workspace, gate: WorkspaceGate, render: Render,
                    write_refused: Callable[[Request, str, str], HTMLResponse | None], cache: ReadCache,
                    words: Callable[[Request], NullTranslations], language: Callable[[Request], str]) -> APIRouter:
    router = APIRouter(include_in_schema=False)

    def pipeline_page(request: Request, brand: str, error: str | None = None, status_code: int = 200) -> HTMLResponse:
        records: list[dict[str, Any]] = []
        with gate.read() as ws:
            known = relationships.brands(ws)
            try:
                if brand:
                    records = ws.pipeline(brand)
                reminders = due_reminders(ws, datetime.now(UTC).date(), 60, 7)
            except MicroscoutError as e:
                error, reminders = str(e), []
        if brand:
            reminders = [r for r in reminders if r.get("brand") == relationships.brand_key(brand)]
        return render(request, "campaigns.html", brand=brand, brands=known, records=records, stages=STAGES,
                      reminders=reminders, chart=funnel_chart(records, words(request)), error=error,
                      status_code=status_code)

    @router.get("/campaigns", response_class=HTMLResponse)
    def campaigns(request: Request, brand: str = "") -> HTMLResponse:
        return pipeline_page(request, brand.strip())

    @router.post("/campaigns/relate")
    def relate(request: Request, brand: str = Form(...), ref: str = Form(...), version: int = Form(...),
               stage: str = Form(""), note: str = Form(""), fee: str = Form(""), csrf: str = Form("")) -> Response:
        if (refused := write_refused(request, csrf, N_("Log in with the server's token to change relationships."))) \
                is not None:
            return refused
        changes: dict[str, Any] = {}
        if stage:
            changes["stage"] = stage
        if note.strip():
            changes["notes"] = note.strip()
        try:
            if fee.strip():
                changes["fee"] = float(fee)
            with gate.write() as ws:
                ws.relate(ref, brand, changes, version)
        except ConflictError as e:
            return pipeline_page(request, brand, str(e), 409)
        except (MicroscoutError, ValueError) as e:
            return pipeline_page(request, brand, str(e) if isinstance(e, MicroscoutError) else
                                 words(request).gettext("fee: '%(fee)s' is not an amount") % {"fee": fee}, 400)
        cache.bump()
        return RedirectResponse(f"/campaigns?brand={relationships.brand_key(brand)}", status_code=303)

    @router.get("/campaigns/track", response_class=HTMLResponse)
    def track_form(request: Request, brand: str = "") -> HTMLResponse:
        today = date.today().isoformat()
        return render(request, "campaign_track.html", form={"brand": brand, "start": today, "end": today},
                      report=None, charts={}, orders_text="", error=None)

    @router.post("/campaigns/track")
    async def track(request: Request, orders: UploadFile | None = None) -> Response:
        data = await request.form()
        form = {k: str(data.get(k) or "").strip() for k in TRACK_FIELDS}
        orders_text = str(data.get("orders_text") or "")
        orders_name = "orders (pasted)"
        if orders is not None and orders.filename:
            orders_name = orders.filename
            raw = await orders.read(MAX_ORDERS_BYTES + 1)
            if len(raw) > MAX_ORDERS_BYTES:
                return render(request, "campaign_track.html", form=form, report=None, charts={}, orders_text="",
                              error=words(request).gettext("the orders file is larger than %(size)d MB")
                              % {"size": MAX_ORDERS_BYTES // 2**20}, status_code=413)
            orders_text = raw.decode("utf-8-sig", "replace")
        action = str(data.get("action") or "show")
        try:
            report = _track(workspace, gate, form, orders_text, orders_name, words(request))
        except MicroscoutError as e:
            return render(request, "campaign_track.html", form=form, report=None, charts={},
                          orders_text=orders_text, error=str(e), status_code=400)
        if action == "csv":
            return csv_response(report_rows(report), "campaign.csv")
        if action == "report":
            return report_download(report, _marks(form), language(request))
        return render(request, "campaign_track.html", form=form, report=report, charts=campaign_charts(report, words(request)),
                      orders_text=orders_text, error=None)

    return router


def _split(text: str) -> list[str]:
    return [v.strip() for v in text.replace("\n", ",").split(",") if v.strip()]


def _marks(form: dict[str, str]) -> dict[str, list[str]]:
    return {k: _split(form[k]) for k in ("hashtags", "mentions", "codes", "links")}


def _track(workspace: Any, gate: WorkspaceGate, form: dict[str, str], orders_text: str, orders_name: str,
           t: NullTranslations = ENGLISH) -> dict[str, Any]:
    if not form["brand"]:
        raise MicroscoutError(t.gettext("brand: empty: expected the brand's handle or name"))
    try:
        first, last = date.fromisoformat(form["start"]), date.fromisoformat(form["end"])
    except ValueError:
        raise MicroscoutError(t.gettext("from %(start)r to %(end)r: expected dates as YYYY-MM-DD")
                              % {"start": form["start"], "end": form["end"]}) from None
    c = campaign_for(workspace.settings, form["brand"], first, last, name=form["name"] or None, **_marks(form))
    with gate.read() as ws:
        return track_orders_text(ws, c, form["brand"], orders_text if orders_text.strip() else None,
                                 orders_name)
