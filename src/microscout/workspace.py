"""The public Python API: a workspace to import into, ask about, and erase from."""

from __future__ import annotations

import copy
import json
import shutil
import tempfile
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import ibis
import ibis.expr.types as ir
import pandas as pd

from microscout import analysis, planning
from microscout.analysis import AnalysisResult
from microscout.authenticity.accounts import labelled_accounts, score_accounts
from microscout.authenticity.datasets import load_labelled_sources
from microscout.authenticity.evaluation import evaluate, leave_one_source_out, on_sources
from microscout.authenticity.fake_model import FakeAccountModel, load_model
from microscout.brief import Brief, as_brief
from microscout.campaigns import relationships
from microscout.campaigns.track import track_campaign
from microscout.campaigns.tracking import Campaign
from microscout.config import Settings, load_settings
from microscout.discovery import topic_vectors
from microscout.discovery.employees import employee_results
from microscout.discovery.influence import followers_of
from microscout.discovery.mentions import mention_results
from microscout.discovery.niche_hashtags import niche_brief
from microscout.discovery.niche_hashtags import niche_hashtags as niche_hashtags_record
from microscout.discovery.scout import ScoutTables, asked_parts, ranked, result_record, score_frame
from microscout.discovery.similar import similar_results
from microscout.exceptions import AccountNotFoundError, MicroscoutError, NotAnalyzedError
from microscout.ingest.bundle import locate_bundle
from microscout.ingest.staff import read_staff
from microscout.metrics.audience_mix import audience_mix, mix_record
from microscout.metrics.vet import FLAG_KEYS, FRAUD_FLAGS, as_float, as_int, flag_reasons, iso_utc, vet_record
from microscout.refs import AccountRef, parse_account_ref
from microscout.schema import PLATFORMS
from microscout.store import Store, open_store
from microscout.store.catalog import BUNDLE_TABLES
from microscout.store.erasure import forget_account, purge_audience
from microscout.store.importer import ImportResult, ProgressCallback, import_into
from microscout.summary import accounts_per_platform, rows_per_table

MAX_COUNT = 10**12  # beyond any follower count, and within 64-bit integers
RANGE_COLUMNS = {"engagement_rate": "rate_median", "audience_quality": "audience_quality"}


def _utcnow() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None, microsecond=0)


class Workspace:
    """A microscout workspace: `Workspace.open(db="my.duckdb")` or `open_workspace()`."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.store: Store = open_store(settings)
        # called as (done, total) while an analyze embeds documents for topic search
        self.embed_progress: Callable[[int, int], None] | None = None
        # called as (step, steps done, steps in all) while an analyze runs, also one a read starts
        self.analyze_progress: Callable[[str, int, int], None] | None = None
        self._readers: list[Workspace] = []
        self._analysis_guard = threading.Lock()  # one analyze at a time, also one a read starts
        # whether the saved figures were found current since this workspace last changed, shared
        # with its readers: a process holds the file alone, so only its own writes make them stale
        self._current: set[tuple[Any, ...]] = set()
        # a read of data changed since the last analyze: analyze first (after `before_analyze`
        # says so), or, False (the server), refuse with NotAnalyzedError and write nothing
        self.analyze_on_read = True
        self.before_analyze: Callable[[str], None] | None = None

    @classmethod
    def open(cls, db: str | Path | None = None, config_file: str | Path | None = None,
             **settings: Any) -> Workspace:
        return cls(load_settings(config_file, db=db, **settings))

    def __enter__(self) -> Workspace:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        for reader in self._readers:
            reader.store.close()
        self._readers.clear()
        self.store.close()

    @property
    def can_read_concurrently(self) -> bool:
        return callable(getattr(self.store, "reader", None))

    def reader(self) -> Workspace:
        """This workspace for another thread's reads, on its own cursor of the same database (see
        web/gate.py); closed with this one."""
        twin = copy.copy(self)
        twin.store = self.store.reader()  # type: ignore[attr-defined]
        twin._readers = []  # _current and _analysis_guard stay shared
        self._readers.append(twin)
        return twin

    @property
    def backend(self) -> str:
        return self.store.backend_name

    def table(self, name: str) -> ir.Table:
        return self.store.table(name)

    def import_bundle(self, path: str | Path, progress: ProgressCallback | None = None) -> ImportResult:
        """Import a bundle (folder or .zip): all of it, or nothing with every problem named."""
        imported_at = _utcnow()
        with locate_bundle(path) as bundle:
            self._current.clear()
            result = self.store.write(
                lambda con: import_into(con, bundle, imported_at, self.settings.max_errors, progress))
        if self.settings.retention_days:
            self.purge()
        return result

    def tier_names(self, tier_scheme: str | None = None) -> tuple[str, ...]:
        """The tiers of the scheme (the settings' default when none is named), smallest first."""
        return tuple(analysis.tier_scheme(self.settings, tier_scheme).tier_names)

    def info(self) -> dict[str, Any]:
        """The info contract: rows per table, accounts per platform, every import."""
        tables = {name: self.table(name) for name in BUNDLE_TABLES}
        rows = {name: int(expr.execute()) for name, expr in rows_per_table(tables).items()}
        platforms = accounts_per_platform(tables["accounts"]).execute()
        imports = self.table("imports").order_by("import_id").execute()
        return {
            "tables": {name: {"rows": rows[name]} for name in BUNDLE_TABLES},
            "platforms": {r.platform: {"accounts": int(r.accounts)} for r in platforms.itertuples()},
            "imports": [
                {"import_id": int(r.import_id), "source": r.source, "origin": r.origin,
                 "collected_at": iso_utc(r.collected_at), "imported_at": iso_utc(r.imported_at),
                 "rows": sum(json.loads(r.rows_read).values()), "rows_per_table": json.loads(r.rows_read)}
                for r in imports.itertuples()
            ],
            "backend": self.backend,
        }

    # -- creator metrics ----------------------------------------------------------------------
    def analyze(self, tier_scheme: str | None = None, competitors: list[str] | None = None,
                full: bool = False, embed: bool = True) -> AnalysisResult:
        """Compute every creator's figures, benchmarks and caution flags (see docs/metrics.md); only
        creators touched by data imported since the last analysis are computed anew, unless `full`.
        With the topic model and `embed`, then embed the creator documents that changed."""
        self._current.clear()
        with self.store.publishing():  # all derived tables of this run, or none
            result = analysis.analyze(self.store, self.settings, tier_scheme, competitors, full,
                                      self.analyze_progress)
        if not embed or not analysis.topic_enabled(self.settings):
            return result
        topic = self.embed_documents()
        return replace(result, seconds=result.seconds + topic.seconds, embedded=topic.embedded)

    def embed_documents(self) -> analysis.TopicIndexResult:
        """Embed the analysed creators' documents for topic search, those that changed only. Slow
        the first time (tens of ms a creator); an interrupted run keeps what it embedded."""
        if not analysis.topic_enabled(self.settings):
            raise MicroscoutError("topic search is off: install microscout[topic] and set topic_model = \"auto\"")
        return analysis.update_topic_vectors(self.store, self.embed_progress)

    def _ensure_analyzed(self) -> None:
        """Make sure the saved figures are of the data as it is now. Tier schemes and competitors
        apply per question (analysis.figures), so no read ever re-analyzes for them."""
        if () in self._current:
            return
        if not analysis.is_current(self.store, self.settings):
            with self._analysis_guard:  # reads in other threads may have found it stale too
                if not analysis.is_current(self.store, self.settings):
                    never = not self.store.has_table("analysis_state")
                    why = ("the data has not been analyzed yet" if never
                           else "the data changed since the last analyze")
                    if not self.analyze_on_read:
                        raise NotAnalyzedError(f"{why}: run `microscout analyze` (or POST /api/v1/analyze)")
                    if self.before_analyze:
                        self.before_analyze(why)
                    self.analyze()
        self._current.add(())

    def _figures(self, tier_scheme: str | None = None,
                 competitors: list[str] | None = None) -> tuple[ir.Table, ir.Table, ir.Table]:
        """(creator_metrics, discovery_base, tier_benchmarks) under a tier scheme and competitors,
        the data analyzed first if it changed."""
        self._ensure_analyzed()
        return analysis.figures(self.store, self.settings, tier_scheme, competitors)

    def vet(self, ref: str | AccountRef, tier_scheme: str | None = None,
            competitors: list[str] | None = None) -> dict[str, Any]:
        """One creator in the vet contract, with flags and reasons; analyzes first if the data changed."""
        platform, account_id = self.resolve(ref)
        metrics, _, _ = self._figures(tier_scheme, competitors)
        row, spikes = analysis.metrics_row(metrics, self.store, platform, account_id)
        if row is None:
            raise AccountNotFoundError(f"{platform}:{account_id} has no post in the workspace, so it is audience, "
                                       "not a creator: there is nothing to vet")
        record = vet_record(row, spikes, analysis.tier_scheme(self.settings, tier_scheme).name)
        record["audience"]["breakdown"] = self.audience_breakdown((platform, account_id))
        profile = self.account((platform, account_id))
        record["contact"] = {"public": profile.get("contact") or None, "website": profile.get("external_url") or None}
        return record

    def audience_breakdown(self, ref: str | AccountRef | tuple[str, str]) -> dict[str, Any]:
        """The audience split by country, language, gender and age: the platform's own figures
        where the bundle has them, else counted over the sampled followers' profiles."""
        platform, account_id = self.resolve(ref)
        aud, fol, acc = self.table("audience"), self.table("follows"), self.table("accounts")
        mine = audience_mix(aud.filter((aud.platform == platform) & (aud.account_id == account_id)),
                            fol.filter((fol.platform == platform) & (fol.followee_id == account_id)),
                            acc.filter(acc.platform == platform))
        return mix_record(mine.execute().to_dict("records"))

    def creators(self, *, platform: str | None = None, tier: str | None = None, min_followers: int | None = None,
                 max_followers: int | None = None, min_er: float | None = None, max_er: float | None = None,
                 q: str | None = None, flags: list[str] | None = None, no_fraud: bool = False,
                 min_quality: float | None = None, sort: str = "-followers", limit: int | None = 100, offset: int = 0,
                 tier_scheme: str | None = None,
                 accounts: list[tuple[str, str]] | None = None) -> tuple[list[dict[str, Any]], int]:
        """Creators with their main figures, filtered and sorted; returns (rows, total before paging).
        `flags`: only creators with all of them; `no_fraud`: none of the fraud flags; `accounts`:
        only these (platform, account_id)."""
        for name, value in (("min_followers", min_followers), ("max_followers", max_followers), ("limit", limit),
                            ("offset", offset)):
            if value is not None and not 0 <= value <= MAX_COUNT:
                raise MicroscoutError(f"{name}: {value} is out of range: expected a whole number from 0 to {MAX_COUNT:,}")
        if platform and platform not in PLATFORMS:
            raise MicroscoutError(f"platform: '{platform[:40]}' is not one of {', '.join(PLATFORMS)}")
        names = analysis.tier_scheme(self.settings, tier_scheme).tier_names
        if tier and tier not in names:
            raise MicroscoutError(f"tier: '{tier[:40]}' is not a tier of this scheme: expected one of {', '.join(names)}")
        m, _, _ = self._figures(tier_scheme)
        conds = []
        if platform:
            conds.append(m.platform == platform)
        if tier:
            conds.append(m.tier == tier)
        if min_followers is not None:
            conds.append(m.followers >= min_followers)
        if max_followers is not None:
            conds.append(m.followers <= max_followers)
        if min_er is not None:
            conds.append(m.rate_median >= min_er)
        if max_er is not None:
            conds.append(m.rate_median <= max_er)
        if q:
            needle = q.lower()
            conds.append(m.handle.lower().contains(needle) | m.display_name.fill_null("").lower().contains(needle))
        for name in flags or []:
            if name not in FLAG_KEYS:
                raise MicroscoutError(f"unknown flag '{name}': expected one of {', '.join(FLAG_KEYS)}")
            conds.append(m[f"flag_{name}"])
        if no_fraud:
            conds.extend(~m[f"flag_{name}"] for name in FRAUD_FLAGS)
        if min_quality is not None:
            conds.append(m.audience_quality >= min_quality)
        if conds:
            m = m.filter(*conds)
        if accounts is not None:
            wanted = pd.DataFrame(accounts, columns=["platform", "account_id"], dtype=object)
            m = m.semi_join(ibis.memtable(wanted, schema={"platform": "string", "account_id": "string"}),
                            ["platform", "account_id"])
        total = int(m.count().execute())
        key = sort.lstrip("-+")
        columns = {"followers": m.followers, "engagement_rate": m.rate_median, "handle": m.handle,
                   "vs_tier": m.vs_tier, "weekly_growth": m.weekly_rate, "posts_per_week": m.posts_per_week,
                   "audience_quality": m.audience_quality}
        if key not in columns:
            raise MicroscoutError(f"cannot sort by '{key[:40]}': expected one of {', '.join(columns)} (prefix - for descending)")
        order = ibis.desc(columns[key]) if sort.startswith("-") else columns[key]
        m = m.order_by([order, m.platform, m.account_id])
        if limit is not None:
            m = m.limit(limit, offset=offset)
        page = m.execute()
        spikes = self._spikes_of(page[page[[f"flag_{k}" for k in FLAG_KEYS]].any(axis=1)])
        scheme = analysis.tier_scheme(self.settings, tier_scheme).name
        rows = []
        for r in page.to_dict("records"):
            rows.append({
                "platform": r["platform"], "account_id": r["account_id"], "handle": r["handle"],
                "followers": as_int(r["followers"]), "as_of": iso_utc(r.get("as_of")), "tier": r["tier"],
                "tier_scheme": scheme, "engagement_rate": as_float(r["rate_median"]),
                "vs_tier": as_float(r["vs_tier"]), "weekly_growth": as_float(r["weekly_rate"]),
                "posts_per_week": as_float(r["posts_per_week"]), "sponsored_share": as_float(r["sponsored_share"]),
                "reply_rate": as_float(r["reply_rate"]), "audience_quality": as_int(r.get("audience_quality")),
                "flags": [k for k in FLAG_KEYS if r.get(f"flag_{k}")],
                "flag_reasons": flag_reasons(r, spikes.get((r["platform"], r["account_id"]), [])),
            })
        return rows, total

    def _spikes_of(self, creators: pd.DataFrame) -> dict[tuple[str, str], list[dict[str, Any]]]:
        """The follower spikes of these creators (their flag reasons name the largest)."""
        if creators.empty:
            return {}
        s = self.table("creator_spikes")
        wanted = ibis.memtable(creators[["platform", "account_id"]].reset_index(drop=True))
        out: dict[tuple[str, str], list[dict[str, Any]]] = {}
        for r in s.semi_join(wanted, ["platform", "account_id"]).execute().to_dict("records"):
            out.setdefault((r["platform"], r["account_id"]), []).append(r)
        return out

    # -- discovery ----------------------------------------------------------------------------
    def scout(self, brief: Brief | str | Path | dict[str, Any], limit: int = 50,
              among_followers: list[str] | None = None,
              ranges: dict[str, tuple[float | None, float | None]] | None = None) -> pd.DataFrame:
        """The brief's ranked shortlist as a table: rank, the creator, score, the seven parts, the
        figures behind them and every flag column; `scout_records` turns it into the contract.

        `among_followers` (account references of the brand): only creators who follow one of them,
        with their influence (followers, engagement, PageRank) as an eighth part."""
        brief = as_brief(brief)
        self._ensure_analyzed()
        excluded = []
        for ref in (*brief.exclude, *brief.brand_accounts):
            try:
                excluded.append(self.resolve(ref))
            except AccountNotFoundError:
                continue  # an account that is not here cannot be proposed anyway
        among = None
        if among_followers is not None:
            brands = [self.resolve(ref) for ref in among_followers]
            if not brands:
                raise MicroscoutError("among followers of whom? name the brand's accounts (--brand or the brief's "
                                      "brand_accounts)")
            among = followers_of(self.table("follows"), brands)
        scheme = analysis.tier_scheme(self.settings, brief.tier_scheme)
        scored = score_frame(self._scout_tables(brief), brief, scheme.tier_names, excluded, among)
        for name, (low, high) in (ranges or {}).items():  # the dashboard's engagement and quality ranges
            column = scored[RANGE_COLUMNS[name]]
            scored = scored[(column >= low if low is not None else True) & (column <= high if high is not None else True)]
        return ranked(scored, limit)

    def scout_records(self, brief: Brief | str | Path | dict[str, Any], limit: int = 50,
                      among_followers: list[str] | None = None,
                      ranges: dict[str, tuple[float | None, float | None]] | None = None) -> dict[str, Any]:
        """The scout contract: {"brief": name, "results": [...]}, each result with parts and reasons.
        With `among_followers`, `brief` names the mode: "among followers of @brand: <name>"."""
        brief = as_brief(brief)
        df = self.scout(brief, limit, among_followers, ranges)
        # relevance is asked exactly when score_frame computed it (it is NaN everywhere otherwise)
        asked = asked_parts(brief, bool(df["relevance"].notna().any()))
        spikes = self.table("creator_spikes").execute() if len(df) else None
        results = []
        for r in df.to_dict("records"):
            mine = [] if spikes is None else spikes[(spikes.platform == r["platform"])
                                                    & (spikes.account_id == r["account_id"])].to_dict("records")
            results.append(result_record(r, asked, flag_reasons(r, mine)))
        name = brief.name
        if among_followers is not None:
            name = f"among followers of {', '.join(among_followers)}: {name}"
        return {"brief": name, "results": results}

    def mentions(self, handles: list[str], limit: int = 50, allow_flags: tuple[str, ...] = ()) -> dict[str, Any]:
        """Creators who mention or tag the brand's handles in their own posts, in the scout shape."""
        if not handles:
            raise MicroscoutError("name at least one brand handle, e.g. microscout mentions @veganz")
        _, base, _ = self._figures()
        acc = self.table("accounts")
        names = self._brand_handles(handles)
        own = [(str(a), str(b)) for a, b in acc.filter(acc.handle.lower().isin(names)).select(
            "platform", "account_id").execute().itertuples(index=False)]
        return mention_results(base, self.table("posts"), names, own, allow_flags, limit)

    def employees(self, staff_csv_path: str | Path, brand_handles: list[str], limit: int = 50) -> dict[str, Any]:
        """Which of the brand's employees (a CSV of platform, handle, name) post about it, with their
        reach and engagement: the scout shape plus `not_found`. Nobody found is left out, flagged or not."""
        if not brand_handles:
            raise MicroscoutError("name at least one brand handle, e.g. microscout employees staff.csv --brand @veganz")
        staff = read_staff(staff_csv_path)
        metrics, base, _ = self._figures()
        t = self.table
        return employee_results(base, metrics, t("creator_spikes"), t("posts"),
                                t("accounts"), staff, self._brand_handles(brand_handles), limit)

    def _brand_handles(self, refs: list[str]) -> list[str]:
        """The handles a brand is named by, from any account form the other commands take: @handle,
        a bare handle, platform:@handle or platform:account_id (looked up)."""
        out = []
        for ref in refs:
            text = ref.strip()
            if ":" in text:
                parsed = parse_account_ref(text)
                text = parsed.handle if parsed.handle is not None else (
                    self.account(parsed).get("handle") or str(parsed.account_id))
            out.append(text.lower().lstrip("@"))
        return out

    def niche_hashtags(self, topic: str | None = None, location: str | None = None,
                       platforms: list[str] | tuple[str, ...] = (), limit: int = 20) -> dict[str, Any]:
        """A niche's top hashtags, the tags that come with them and the creators behind them: the
        niche is the creators relevant to `topic` (scout's relevance) in `location` (a city, "City, CC"
        or "CC"), at least one of the two given; see discovery/niche_hashtags.py and docs/discovery.md."""
        brief = niche_brief(topic, location, platforms)
        self._ensure_analyzed()
        scheme = analysis.tier_scheme(self.settings, None)
        return niche_hashtags_record(self._scout_tables(brief), brief, scheme.tier_names, limit)

    def similar(self, ref: str | AccountRef, limit: int = 50, platforms: list[str] | None = None,
                tiers: list[str] | None = None, allow_flags: tuple[str, ...] = (),
                tier_scheme: str | None = None) -> dict[str, Any]:
        """Lookalikes of a creator (the same words, subject and audience), in the scout shape."""
        seed = self.resolve(ref)
        self._ensure_analyzed()
        brief = as_brief({"name": "similar", "platforms": list(platforms or []), "tiers": list(tiers or []),
                          "allow_flags": list(allow_flags), **({"tier_scheme": tier_scheme} if tier_scheme else {})})
        acc = self.table("accounts")
        handle = acc.filter((acc.platform == seed[0]) & (acc.account_id == seed[1])).handle.execute().iloc[0]
        vectors = self._topic_vectors()
        scheme = analysis.tier_scheme(self.settings, brief.tier_scheme)
        from microscout.plan.people import same_person
        from microscout.planning import account_links

        return similar_results(self._scout_tables(brief), self.table("follows"), vectors, seed, handle or seed[1],
                               brief, scheme.tier_names, limit, same_person(seed, account_links(self)))

    def account(self, ref: str | AccountRef | tuple[str, str]) -> dict[str, Any]:
        """The account's own row (handle, display name, bio, links, place, ...), timestamps as ISO text."""
        platform, account_id = self.resolve(ref)
        t = self.table("accounts")
        row = t.filter((t.platform == platform) & (t.account_id == account_id)).execute().iloc[0].to_dict()
        return {k: (iso_utc(v) if isinstance(v, pd.Timestamp) else None if v is pd.NaT or
                    (isinstance(v, float) and v != v) else v) for k, v in row.items()}

    def snapshots(self, ref: str | AccountRef) -> list[dict[str, Any]]:
        """The account's follower counts over time, oldest first."""
        platform, account_id = self.resolve(ref)
        t = self.table("snapshots")
        df = t.filter((t.platform == platform) & (t.account_id == account_id)).order_by("at").execute()
        return [{"at": iso_utc(r.at), "followers": int(r.followers)} for r in df.itertuples()]

    def recent_posts(self, ref: str | AccountRef, limit: int = 12) -> list[dict[str, Any]]:
        """The account's latest posts: when, caption, likes, comments, and whether marked paid."""
        platform, account_id = self.resolve(ref)
        t = self.table("posts")
        df = (t.filter((t.platform == platform) & (t.account_id == account_id))
              .order_by(ibis.desc("created_at")).limit(limit).execute())
        return [{"post_id": r.post_id, "created_at": iso_utc(r.created_at), "caption": r.caption,
                 "likes": as_int(r.likes), "comments": as_int(r.comments),
                 "sponsored": bool(r.is_paid_partnership) if pd.notna(r.is_paid_partnership) else False}
                for r in df.itertuples()]

    # -- campaigns ----------------------------------------------------------------------------
    def relationship(self, ref: str | AccountRef, brand: str) -> dict[str, Any] | None:
        """The brand's relationship with a creator (stage, notes, terms, version), or None."""
        return relationships.get(self, str(ref), brand)

    def relate(self, ref: str | AccountRef, brand: str, changes: dict[str, Any],
               version: int | None = None) -> dict[str, Any]:
        """Change the relationship; `version` is what the edit was made against (a ConflictError
        if it moved on since; 0 for a new one; None to overwrite whatever is there)."""
        return relationships.update(self, str(ref), brand, changes, version)

    def pipeline(self, brand: str) -> list[dict[str, Any]]:
        return relationships.pipeline(self, brand)

    def relationship_history(self, ref: str | AccountRef, brand: str) -> list[dict[str, Any]]:
        return relationships.history(self, str(ref), brand)

    def track(self, campaign: Campaign, brand: str, orders: str | Path | None = None) -> dict[str, Any]:
        """The campaign's KPIs per creator, per tier and in total (campaigns/tracking.py); costs and
        codes come from the brand's relationships, conversions from an orders CSV."""
        return track_campaign(self, campaign, brand, orders)

    # -- planning ---------------------------------------------------------------------------
    def plan(self, brief: Brief | str | Path | dict[str, Any], budget: float | None = None,
             candidates: int | None = None, post_format: str | None = None, exact: bool = False,
             word_of_mouth: float | None = None, prices: dict[str, float] | None = None) -> dict[str, Any]:
        """The plan contract: how to spend `budget` (else the brief's) over scout's best `candidates`
        for the brief, with single_macro and mixed as alternatives; see planning.py and docs/planner.md.
        `prices`: negotiated prices per post (account reference → amount in the brief's currency)
        that override the rate card."""
        return planning.plan(self, as_brief(brief), budget, candidates, post_format, exact, word_of_mouth, prices)

    def _topic_vectors(self) -> ir.Table | None:
        if not (analysis.topic_enabled(self.settings) and self.store.has_table("creator_vectors")):
            return None
        return topic_vectors.published(self.table("creator_vectors"), self.table("topic_documents"))

    def _scout_tables(self, brief: Brief) -> ScoutTables:
        t = self.table
        vectors = self._topic_vectors() if brief.topic else None
        similarity = (topic_vectors.topic_similarity(vectors, brief.topic)
                      if vectors is not None and brief.topic else None)
        _, base, _ = self._figures(brief.tier_scheme)
        return ScoutTables(base=base, terms=t("discovery_terms"), hashtags=t("discovery_hashtags"),
                           documents=t("discovery_documents"), recent=t("discovery_recent"),
                           creators=t("discovery_creators"), profiles=t("discovery_follower_profiles"),
                           audience=t("audience"), topic_similarity=similarity, influence=t("creator_influence"))

    # -- authenticity -------------------------------------------------------------------------
    def fake_model(self, model_path: str | Path | None = None) -> FakeAccountModel:
        return load_model(model_path or self.settings.fake_model)

    def fakes(self, path: str | Path | None = None, model_path: str | Path | None = None) -> list[dict[str, Any]]:
        """The fakes contract for a bundle, one accounts file, or (without `path`) the workspace's accounts."""
        if path is not None:
            return Workspace.scratch_fakes(path, model_path or self.settings.fake_model)
        return score_accounts(self.table("accounts"), self.fake_model(model_path))

    @staticmethod
    def scratch_fakes(path: str | Path, model_path: str | Path | None = None) -> list[dict[str, Any]]:
        """The fakes contract for a bundle or an accounts file, checked like an import, without a workspace."""
        model = load_model(model_path)
        with _scratch_workspace(path) as scratch:
            return score_accounts(scratch.table("accounts"), model)

    @staticmethod
    def train_labels(labels: str | Path, out: str | Path, c: float = 1.0) -> dict[str, Any]:
        """Fit the fake-account model on labelled accounts (accounts format plus `is_fake`), save it as JSON."""
        with _scratch_workspace(labels) as scratch:
            raw, truth = labelled_accounts(scratch.table("accounts"))
        if len(truth) == 0:
            raise MicroscoutError(f"{labels}: no account has an is_fake value (expected 1/0, true/false or yes/no)")
        model = FakeAccountModel(c).fit(raw, truth)
        Path(out).write_text(model.to_json() + "\n", encoding="utf-8")
        return {"model": str(out), "accounts": len(truth), "fakes": int(truth.sum()),
                "feature_sets": sorted(model.models_)}

    @staticmethod
    def evaluate_labels(labels: str | Path | None = None, repeats: int = 10,
                        progress: Callable[[int, int], None] | None = None,
                        model: str | Path | None = None) -> dict[str, Any]:
        """Without `labels`: a model across the shipped labelled sources (docs/model-card.md): the
        default rules (or a model file) on each source as it is; "research" trained on all sources
        but one and tested on it, in turn. With `labels`: cross-validated figures of training on
        them. `progress(models fitted, models to fit)` is called as it goes."""
        if labels is None:
            sources = load_labelled_sources()
            if str(model) == "research":
                return {"labels": "the labelled sources, each left out in turn", "model": "research",
                        **leave_one_source_out(sources, progress=progress)}
            return {"labels": "the labelled sources", "model": str(model or "rules"),
                    **on_sources(load_model(model), sources)}
        with _scratch_workspace(labels) as scratch:
            raw, truth = labelled_accounts(scratch.table("accounts"))
        return {"labels": str(labels), **evaluate(raw, truth, repeats=repeats, progress=progress)}

    def resolve(self, ref: str | AccountRef | tuple[str, str]) -> tuple[str, str]:
        """(platform, account_id) of an account reference; a clear error when none or several match.
        A (platform, account_id) pair is taken as already resolved."""
        if isinstance(ref, tuple) and not isinstance(ref, AccountRef):
            return ref
        if isinstance(ref, str):
            ref = parse_account_ref(ref)
        accounts = self.table("accounts")
        if ref.account_id is not None:
            assert ref.platform is not None
            found = accounts.filter((accounts.platform == ref.platform) & (accounts.account_id == ref.account_id))
        else:
            handle = (ref.handle or "").lower()
            cond = accounts.handle.lower() == handle
            if ref.platform:
                cond = cond & (accounts.platform == ref.platform)
            found = accounts.filter(cond)
        rows = found.select("platform", "account_id", "handle").limit(11).execute()
        if len(rows) == 0:
            raise AccountNotFoundError(f"no account {ref} in the workspace")
        if len(rows) > 1:
            names = ", ".join(f"{r.platform}:{r.account_id} (@{r.handle})" for r in rows.itertuples())
            raise AccountNotFoundError(f"{ref} names more than one account: {names}; "
                                       "say which with platform:account_id")
        r = rows.iloc[0]
        return str(r.platform), str(r.account_id)

    def forget(self, ref: str | AccountRef) -> dict[str, int]:
        """Erase an account from every table of the workspace (store/catalog.py): what it wrote, what
        names it, its relationships and shortlist entries, its derived figures; its handle is taken
        out of others' text. Later imports skip it."""
        platform, account_id = self.resolve(ref)
        now = _utcnow()
        self._current.clear()
        return self.store.write(lambda con: forget_account(con, platform, account_id, now), with_saved=True)

    def purge(self, older_than_days: int | None = None) -> dict[str, int]:
        """Apply the retention setting (or `older_than_days`) to audience-only accounts."""
        days = older_than_days or self.settings.retention_days
        if not days:
            return {"accounts": 0, "snapshots": 0}
        now = _utcnow()
        self._current.clear()
        return self.store.write(lambda con: purge_audience(con, days, now), with_saved=True)


@contextmanager
def _scratch_workspace(path: str | Path) -> Iterator[Workspace]:
    """A throwaway workspace holding a bundle, or one accounts file treated as a bundle: the same
    checks as any import, nothing written to the user's workspace."""
    path = Path(path)
    with tempfile.TemporaryDirectory(prefix="microscout-scratch-") as tmp:
        bundle = path
        ext = path.suffix.lower().lstrip(".")
        if path.is_file() and ext in ("csv", "jsonl", "parquet"):
            bundle = Path(tmp) / "bundle"
            bundle.mkdir()
            shutil.copyfile(path, bundle / f"accounts.{ext}")
        ws = Workspace(Settings(db=Path(tmp) / "scratch.duckdb", memory_limit="1GB"))
        try:
            ws.import_bundle(bundle)
            yield ws
        finally:
            ws.close()


def open_workspace(db: str | Path | None = None, config_file: str | Path | None = None,
                   **settings: Any) -> Workspace:
    """Open (creating if needed) the workspace named by `db`, the settings file or the environment."""
    return Workspace.open(db, config_file, **settings)
