"""The dashboard: server-rendered pages over the same workspace calls as the API.

Everything a user or the data wrote is escaped by Jinja's autoescape; chart specs travel as JSON
in `<script type="application/json">` blocks (with `</` escaped) and are drawn by the Vega
libraries served from this server (vl-convert's bundle), never from a CDN. Saving a shortlist is a
write: it needs the session cookie a login with the token sets, and the form's CSRF token."""

from __future__ import annotations

import hashlib
import hmac
import json
import threading
from collections.abc import Callable
from gettext import NullTranslations
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar, cast
from urllib.parse import urlencode

from fastapi import APIRouter, Form, Request, UploadFile
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.templating import Jinja2Templates
from jinja2 import pass_context
from jinja2.runtime import Context
from markupsafe import Markup, escape

from microscout.brief import is_country_code
from microscout.exceptions import MicroscoutError
from microscout.metrics.vet import FLAG_KEYS
from microscout.translations import ENGLISH, N_, context_language, number_locale, translations
from microscout.web.campaign_pages import campaign_router
from microscout.web.charts import audience_chart, engagement_chart, growth_chart
from microscout.web.compare import MAX_COMPARED, MIN_COMPARED, compare_rows
from microscout.web.exports import csv_response
from microscout.web.gate import WorkspaceGate
from microscout.web.i18n import install, language_of, remember_language, switch_links
from microscout.web.security import SESSION_COOKIE, session_value

if TYPE_CHECKING:
    from microscout.connectors import CollectRequest

HERE = Path(__file__).parent
TEMPLATES = Jinja2Templates(directory=str(HERE / "templates"))
LIST_FIELDS = ("keywords", "hashtags", "locations", "languages", "platforms", "tiers")
COLLECT_PLATFORMS = {"bluesky": "Bluesky", "mastodon": "Mastodon", "instagram": "Instagram", "youtube": "YouTube"}
#: the collect form's limits: (default, minimum), as `microscout collect` has them
COLLECT_LIMITS = {"posts": (50, 0), "comments": (20, 0), "followers": (200, 0), "max_accounts": (50, 1)}
COLLECT_FIELDS = ("platform", "handles", "search", "followers_of", *COLLECT_LIMITS, "service_url")


@pass_context
def spec_json(context: Context, spec: dict[str, Any]) -> Markup:
    """A chart spec safe inside a <script type="application/json"> block, its axes' numbers written
    as the page's language writes them (Vega's number locale: `0,5%`, `12.000`)."""
    locale = number_locale(context_language(context))
    localised = {**spec, "config": {**spec.get("config", {}), "locale": {"number": locale}}}
    return Markup(json.dumps(localised).replace("</", "<\\/").replace("<!--", "<\\!--"))


TEMPLATES.env.filters["spec_json"] = spec_json
install(TEMPLATES.env)


T = TypeVar("T")


class ReadCache:
    """Page data by request, valid until the workspace changes: the server is its only writer,
    and every write (import, analyze) bumps `version`. Bounded: the oldest entries go first."""

    def __init__(self, size: int = 1024) -> None:
        self.version = 0
        self._size = size
        self._entries: dict[Any, tuple[int, Any]] = {}
        self._guard = threading.Lock()

    def bump(self) -> None:
        with self._guard:
            self.version += 1
            self._entries.clear()

    def get(self, key: Any, compute: Callable[[], T]) -> T:
        with self._guard:
            hit = self._entries.get(key)
            version = self.version
        if hit is not None and hit[0] == version:
            return cast(T, hit[1])
        value = compute()
        with self._guard:
            if version == self.version:
                self._entries[key] = (version, value)
                while len(self._entries) > self._size:
                    self._entries.pop(next(iter(self._entries)))
        return value


class VegaBundle:
    """vl-convert's Vega bundle, built once (1.5 s) in the background when the server starts."""

    def __init__(self) -> None:
        self._text: str | None = None
        self._ready = threading.Event()
        threading.Thread(target=self._build, daemon=True).start()

    def _build(self) -> None:
        import vl_convert

        # the stub makes the snippet required; without one the bundle sets window.vegaEmbed, as we need
        self._text = vl_convert.javascript_bundle()  # type: ignore[call-arg]
        self._ready.set()

    def text(self) -> str:
        self._ready.wait(60)
        return self._text or ""


def pages_router(workspace: Any, gate: WorkspaceGate, token: str, cache: ReadCache, start_upload: Any,
                 start_collect: Any) -> APIRouter:
    router = APIRouter(include_in_schema=False)
    session = session_value(token)
    csrf_value = hmac.new(token.encode(), b"csrf", hashlib.sha256).hexdigest()
    bundle = VegaBundle()
    default_language = getattr(getattr(workspace, "settings", None), "language", None)

    def language(request: Request) -> str:
        return language_of(request, default_language)

    def words(request: Request) -> NullTranslations:
        return translations(language(request))

    def logged_in(request: Request) -> bool:
        return hmac.compare_digest(request.cookies.get(SESSION_COOKIE, ""), session)

    def render(request: Request, name: str, status_code: int = 200, **context: Any) -> HTMLResponse:
        def saved_lists() -> dict[str, Any]:
            with gate.read() as ws:
                return ws.shortlists()
        saved = cache.get(("shortlists",), saved_lists)
        response = TEMPLATES.TemplateResponse(request, name, {"logged_in": logged_in(request), "csrf": csrf_value,
                                                              "shortlists": saved, "flag_keys": FLAG_KEYS,
                                                              "choices": cache.get(("choices",), choices),
                                                              "lang": language(request),
                                                              "language_links": switch_links(request), **context},
                                              status_code=status_code)
        remember_language(request, response)
        return response

    def choices() -> dict[str, list[str]]:
        """What the filters offer: the platforms this workspace holds, the tier scheme's tiers."""
        with gate.read() as ws:
            return {"platforms": sorted(ws.info()["platforms"]), "tiers": list(ws.tier_names())}

    def form_of(request: Request, keys: tuple[str, ...]) -> dict[str, str]:
        """The query's fields; a field given several times (ticked boxes) joined with commas, and
        choices (platforms, tiers, languages) in lower case as the brief expects them."""
        q = request.query_params
        form = {k: ", ".join(v for v in q.getlist(k) if v) for k in keys}
        for k in ("platforms", "tiers", "languages"):
            if k in form:
                form[k] = form[k].lower()
        return form

    def write_refused(request: Request, csrf: str, why_log_in: str) -> HTMLResponse | None:
        """A form that writes needs the session (a login with the token) and the page's CSRF token;
        `why_log_in` is the sentence the login page shows (marked with N_, translated here)."""
        if not logged_in(request):
            return render(request, "login.html", error=words(request).gettext(why_log_in), status_code=401)
        if not hmac.compare_digest(csrf, csrf_value):
            return render(request, "error.html", status_code=403,
                          error=words(request).gettext("The form has expired (CSRF check): reload the page."))
        return None

    @router.get("/static/vega.js")
    def vega_js() -> Response:
        return Response(bundle.text(), media_type="text/javascript",
                        headers={"Cache-Control": "public, max-age=86400"})

    @router.get("/", response_class=HTMLResponse)
    def search(request: Request) -> HTMLResponse:
        q = request.query_params
        form = form_of(request, ("name", "topic", *LIST_FIELDS, "min_followers", "max_followers",
                                 "min_er", "max_er", "min_quality", "max_quality"))
        record, error = None, None
        if any(form[k] for k in ("topic", "keywords", "hashtags", "locations", "languages")):
            try:
                brief = brief_from_form(form, words(request))
                with gate.read() as ws:
                    record = ws.scout_records(brief, 50, ranges=ranges_from_form(form, words(request)))
            except (MicroscoutError, ValueError) as e:
                error = str(e)
        return render(request, "search.html", form=form, record=record, error=error, query=urlencode(q))

    @router.get("/creators", response_class=HTMLResponse)
    def creators(request: Request, platform: str | None = None, tier: str | None = None, q: str | None = None,
                 sort: str = "-followers", page: int = 1) -> HTMLResponse:
        size = 50
        error = None
        items: list[dict[str, Any]] = []
        total = 0
        try:
            # choices, whatever case a link or a hand-typed URL gives them in
            platform, tier = (platform or "").strip().lower(), (tier or "").strip().lower()

            def listing() -> tuple[list[dict[str, Any]], int]:
                with gate.read() as ws:
                    return ws.creators(platform=platform or None, tier=tier or None, q=q or None,
                                              sort=sort, limit=size, offset=max(page - 1, 0) * size)
            items, total = cache.get(("creators", platform, tier, q, sort, page), listing)
        except MicroscoutError as e:
            error = str(e)
        return render(request, "creators.html", items=items, total=total, page=page, size=size, error=error,
                      form={"platform": platform or "", "tier": tier or "", "q": q or "", "sort": sort})

    @router.get("/creators/{platform}/{account_id:path}", response_class=HTMLResponse)
    def creator(request: Request, platform: str, account_id: str) -> HTMLResponse:
        ref = f"{platform}:{account_id}"

        def profile_data() -> tuple[Any, ...]:
            with gate.read() as ws:
                return (ws.vet(ref), ws.account(ref), ws.snapshots(ref),
                        ws.recent_posts(ref, 12))
        try:
            record, profile, snapshots, posts = cache.get(("creator", ref), profile_data)
        except MicroscoutError as e:
            return render(request, "error.html", error=str(e), status_code=404)
        t = words(request)
        charts = {"engagement": engagement_chart(record, t), "growth": growth_chart(snapshots, record, t),
                  "audience": audience_chart(record, t)}
        return render(request, "creator.html", c=record, profile=profile, charts=charts, posts=posts)

    @router.get("/similar/{platform}/{account_id:path}", response_class=HTMLResponse)
    def similar(request: Request, platform: str, account_id: str) -> HTMLResponse:
        """Lookalikes as a fragment the profile loads after it shows: they take a second on big workspaces."""
        try:
            with gate.read() as ws:
                found = ws.similar(f"{platform}:{account_id}", limit=6)["results"]
        except MicroscoutError as e:
            return HTMLResponse(f"<p class='muted'>{escape(str(e))}</p>")
        return TEMPLATES.TemplateResponse(request, "_similar.html", {"similar": found, "lang": language(request)})

    @router.get("/plan", response_class=HTMLResponse)
    def plan(request: Request) -> HTMLResponse:
        form = form_of(request, ("name", "topic", *LIST_FIELDS, "budget", "objective", "max_creators",
                                 "max_posts_per_creator"))
        record, chart, error = None, None, None
        if form["budget"]:
            try:
                brief = brief_from_form(form, words(request))
                with gate.read() as ws:
                    record = ws.plan(brief)
                from microscout.plan.chart import plan_chart
                chart = plan_chart(record, words(request).gettext).to_dict()
            except (MicroscoutError, ValueError) as e:
                error = str(e)
        from microscout.plan.pool import choices_lines

        said = choices_lines(record["choices"]) if record and "choices" in record else []
        return render(request, "plan.html", form=form, record=record, chart=chart, error=error, plan_choices=said)

    def data_page(request: Request, job: str | None = None, kind: str | None = None,
                  collect: dict[str, str] | None = None, error: str | None = None) -> HTMLResponse:
        with gate.read() as ws:
            info = ws.info()
        form = collect or {k: str(COLLECT_LIMITS[k][0]) if k in COLLECT_LIMITS else "" for k in COLLECT_FIELDS}
        return render(request, "data.html", status_code=400 if error else 200, info=info, job=job,
                      kind="collect" if kind == "collect" else "import", collect=form, error=error,
                      platforms=COLLECT_PLATFORMS, limits=COLLECT_LIMITS)

    @router.get("/data", response_class=HTMLResponse)
    def data(request: Request, job: str | None = None, kind: str | None = None) -> HTMLResponse:
        return data_page(request, job, kind)

    @router.post("/data/import")
    def upload(request: Request, file: UploadFile, csrf: str = Form("")) -> Response:
        """A bundle uploaded from the data page: imported as a job whose progress the page shows."""
        if (refused := write_refused(request, csrf, N_("Log in with the server's token to import data."))) \
                is not None:
            return refused
        job = start_upload(file)
        return RedirectResponse(f"/data?job={job['id']}", status_code=303)

    @router.post("/data/collect")
    def collect(request: Request, csrf: str = Form(""), platform: str = Form(""), handles: str = Form(""),
                search: str = Form(""), followers_of: str = Form(""), posts: str = Form(""),
                comments: str = Form(""), followers: str = Form(""), max_accounts: str = Form(""),
                service_url: str = Form("")) -> Response:
        """The collect form: a collection from a platform's API, imported, as a job whose progress
        the page shows; a form filled wrong comes back with its values and the error."""
        if (refused := write_refused(request, csrf, N_("Log in with the server's token to collect data."))) \
                is not None:
            return refused
        fields = {"platform": platform, "handles": handles, "search": search, "followers_of": followers_of,
                  "posts": posts, "comments": comments, "followers": followers, "max_accounts": max_accounts,
                  "service_url": service_url}
        try:
            wanted = collect_request_from_form(fields, words(request))
            job = start_collect(fields["platform"], wanted, on_page=True)
        except MicroscoutError as e:
            return data_page(request, collect=fields, error=str(e))
        return RedirectResponse(f"/data?job={job['id']}&kind=collect", status_code=303)

    @router.get("/login", response_class=HTMLResponse)
    def login_page(request: Request) -> HTMLResponse:
        return render(request, "login.html", error=None)

    @router.post("/login")
    def login(request: Request, token_given: str = Form(..., alias="token")) -> Response:
        if not hmac.compare_digest(token_given.strip(), token):
            return render(request, "login.html", status_code=401,
                          error=words(request).gettext("That is not the token this server printed."))
        response = RedirectResponse("/", status_code=303)
        response.set_cookie(SESSION_COOKIE, session, httponly=True, samesite="strict")
        return response

    @router.post("/logout")
    def logout(csrf: str = Form("")) -> Response:
        response = RedirectResponse("/", status_code=303)
        if hmac.compare_digest(csrf, csrf_value):
            response.delete_cookie(SESSION_COOKIE)
        return response

    @router.get("/shortlist", response_class=HTMLResponse)
    def shortlist_page(request: Request, name: str | None = None, format: str = "html") -> Response:
        """One shortlist with its creators' figures and contacts (`format=csv` to download it), or,
        without a name, every shortlist."""
        if not name:
            return render(request, "shortlist.html", list_name=None, rows=[], error=None)
        try:
            def members() -> list[dict[str, Any]]:
                with gate.read() as ws:
                    return ws.shortlist(name)
            rows = cache.get(("shortlist", name), members)
        except MicroscoutError as e:
            return render(request, "shortlist.html", list_name=name, rows=[], error=str(e), status_code=404)
        if format == "csv":
            # the name as typed may hold anything: the file name keeps letters, digits, - and _
            return csv_response(rows, "shortlist-" + ("".join(ch if ch.isalnum() or ch in "-_" else "-"
                                                              for ch in name.encode("ascii", "replace").decode())
                                                      [:60]) + ".csv")
        return render(request, "shortlist.html", list_name=name, rows=rows, error=None)

    @router.get("/compare", response_class=HTMLResponse)
    def compare(request: Request) -> HTMLResponse:
        """Two to four creators side by side (`ref` given once per creator)."""
        refs = list(dict.fromkeys(r.strip() for r in request.query_params.getlist("ref") if r.strip()))
        if not MIN_COMPARED <= len(refs) <= MAX_COMPARED:
            return render(request, "compare.html", records=[], rows=[], status_code=400,
                          error=words(request).gettext("compare takes %(low)d to %(high)d creators: %(given)d given")
                          % {"low": MIN_COMPARED, "high": MAX_COMPARED, "given": len(refs)})

        def records() -> list[dict[str, Any]]:
            with gate.read() as ws:
                return [ws.vet(ref) for ref in refs]
        try:
            found = cache.get(("compare", *refs), records)
        except MicroscoutError as e:
            return render(request, "compare.html", records=[], rows=[], error=str(e), status_code=404)
        return render(request, "compare.html", records=found, rows=compare_rows(found, language(request)),
                      error=None)

    @router.post("/shortlists")
    def save(request: Request, name: str = Form(...), ref: str = Form(...), csrf: str = Form(""),
             back: str = Form("/"), action: str = Form("add")) -> Response:
        if (refused := write_refused(request, csrf, N_("Log in with the server's token to save shortlists."))) \
                is not None:
            return refused
        with gate.write() as ws:
            (ws.remove_from_shortlist if action == "remove" else ws.add_to_shortlist)(name, ref)
        cache.bump()
        # only a path on this server: never an open redirect
        target = back if back.startswith("/") and not back.startswith("//") else "/"
        return RedirectResponse(target, status_code=303)

    router.include_router(campaign_router(workspace, gate, render, write_refused, cache, words, language))
    return router


def brief_from_form(form: dict[str, str], t: NullTranslations = ENGLISH) -> dict[str, Any]:
    """A brief from the search or plan form: comma-separated lists, empty fields left out; `t`
    words the errors in the page's language."""
    brief: dict[str, Any] = {"name": form.get("name") or "Search"}
    if form.get("topic"):
        brief["topic"] = form["topic"]
    for key in LIST_FIELDS:
        values = [v.strip() for v in form.get(key, "").split(",") if v.strip()]
        if key == "locations":  # "Berlin, DE, Hamburg": a country code joins the city before it
            values = join_country_codes(values)
        if values:
            brief[key] = [v.lstrip("#") for v in values] if key == "hashtags" else values
    for key in ("min_followers", "max_followers"):
        if form.get(key):
            brief[key] = _number(form[key], key, int, t)
    if form.get("budget"):
        brief["budget"] = _number(form["budget"], "budget", float, t)
    plan = {k: _number(form[k], k, int, t) for k in ("max_creators", "max_posts_per_creator") if form.get(k)}
    if form.get("objective"):
        plan["objective"] = form["objective"]
    if plan:
        brief["plan"] = plan
    return brief


def collect_request_from_form(form: dict[str, str], t: NullTranslations = ENGLISH) -> CollectRequest:
    """What the data page's collect form asks for: the accounts in exactly one of its three fields
    (handles one per line), the limits as whole numbers at or above `microscout collect`'s minimums."""
    from microscout.connectors import CollectRequest  # the connectors load when a collection starts

    if form.get("platform") not in COLLECT_PLATFORMS:
        raise MicroscoutError(t.gettext("Choose a platform."))
    handles = tuple(h for line in form.get("handles", "").splitlines() if (h := line.strip())
                    and not h.startswith("#"))
    search, followers_of = form.get("search", "").strip(), form.get("followers_of", "").strip()
    if sum(map(bool, (handles, search, followers_of))) != 1:
        raise MicroscoutError(t.gettext("name the accounts in exactly one way: handles (one per line), a search "
                                        "or the followers of one account"))
    limits: dict[str, int] = {}
    for key, (default, low) in COLLECT_LIMITS.items():
        text = form.get(key, "").strip()
        limits[key] = _number(text, key, int, t) if text else default
        if limits[key] < low:
            raise MicroscoutError(t.gettext("%(field)s: at least %(low)d") % {"field": key, "low": low})
    return CollectRequest(handles=handles, search=search or None, followers_of=followers_of or None,
                          posts=limits["posts"], comments=limits["comments"], followers=limits["followers"],
                          max_accounts=limits["max_accounts"], service_url=form.get("service_url", "").strip() or None)


def join_country_codes(parts: list[str]) -> list[str]:
    """Places typed as one comma-separated line, as the CLI's brief has them: 'Berlin, DE' stays one."""
    out: list[str] = []
    for part in parts:
        if is_country_code(part) and out and "," not in out[-1] and not is_country_code(out[-1]):
            out[-1] = f"{out[-1]}, {part.upper()}"
        else:
            out.append(part)
    return out


def ranges_from_form(form: dict[str, str],
                     t: NullTranslations = ENGLISH) -> dict[str, tuple[float | None, float | None]]:
    out = {}
    for field, lo, hi, scale in (("engagement_rate", "min_er", "max_er", 100.0),
                                 ("audience_quality", "min_quality", "max_quality", 1.0)):
        low = _number(form[lo], lo, float, t) / scale if form.get(lo) else None
        high = _number(form[hi], hi, float, t) / scale if form.get(hi) else None
        if low is not None or high is not None:
            out[field] = (low, high)
    return out


def _number(text: str, key: str, kind: type, t: NullTranslations) -> Any:
    try:
        return kind(text.strip())
    except ValueError:
        raise MicroscoutError(t.gettext("%(field)s: '%(text)s' is not a number") % {"field": key, "text": text}) \
            from None
