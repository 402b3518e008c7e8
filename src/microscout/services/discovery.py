"""Discovery: scout a brief, and its modes (among followers, mentions, employees, a niche's
hashtags, lookalikes of a creator), over the analysed figures."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import ibis.expr.types as ir
import pandas as pd

from microscout import analysis
from microscout.brief import Brief, as_brief
from microscout.discovery import topic_vectors
from microscout.discovery.employees import employee_results
from microscout.discovery.influence import followers_of
from microscout.discovery.mentions import mention_results
from microscout.discovery.niche_hashtags import niche_brief
from microscout.discovery.niche_hashtags import niche_hashtags as niche_hashtags_record
from microscout.discovery.scout import ScoutTables, asked_parts, frame, ranked, result_record, score_frame
from microscout.discovery.similar import similar_results
from microscout.exceptions import AccountNotFoundError, MicroscoutError
from microscout.ingest.staff import read_staff
from microscout.metrics.vet import flag_reasons
from microscout.refs import AccountRef, parse_account_ref
from microscout.sentences import say
from microscout.services.creators import CreatorService
from microscout.services.state import WorkspaceState

TOPICS_KEPT = 16  # topics whose similarities a workspace keeps (a 200k-creator frame is ~10 MB)
RANGE_COLUMNS = {"engagement_rate": "rate_median", "audience_quality": "audience_quality"}


class DiscoveryService:
    def __init__(self, state: WorkspaceState, creators: CreatorService) -> None:
        self.state = state
        self.settings = state.settings
        self.table = state.table
        self.resolve = state.resolve
        self.account = creators.account

    def scout(self, brief: Brief | str | Path | dict[str, Any], limit: int = 50,
              among_followers: list[str] | None = None,
              ranges: dict[str, tuple[float | None, float | None]] | None = None) -> pd.DataFrame:
        """The brief's ranked shortlist as a table: rank, the creator, score, the seven parts, the
        figures behind them and every flag column; `scout_records` turns it into the contract.

        `among_followers` (account references of the brand): only creators who follow one of them,
        with their influence (followers, engagement, PageRank) as an eighth part."""
        brief = as_brief(brief)
        self.state.ensure_analyzed()
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
        scored = score_frame(self.scout_tables(brief), brief, scheme.tier_names, excluded, among)
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
            name = say("among followers of {brand}: {brief}", brand=", ".join(among_followers), brief=name)
        return {"brief": name, "results": results}

    def mentions(self, handles: list[str], limit: int = 50, allow_flags: tuple[str, ...] = ()) -> dict[str, Any]:
        """Creators who mention or tag the brand's handles in their own posts, in the scout shape."""
        if not handles:
            raise MicroscoutError("name at least one brand handle, e.g. microscout mentions @veganz")
        _, base, _ = self.state.figures()
        acc = self.table("accounts")
        names = self.brand_handles(handles)
        own = [(str(a), str(b)) for a, b in acc.filter(acc.handle.lower().isin(names)).select(
            "platform", "account_id").execute().itertuples(index=False)]
        return mention_results(base, self.table("posts"), names, own, allow_flags, limit)

    def employees(self, staff_csv_path: str | Path, brand_handles: list[str], limit: int = 50) -> dict[str, Any]:
        """Which of the brand's employees (a CSV of platform, handle, name) post about it, with their
        reach and engagement: the scout shape plus `not_found`. Nobody found is left out, flagged or not."""
        if not brand_handles:
            raise MicroscoutError("name at least one brand handle, e.g. microscout employees staff.csv --brand @veganz")
        staff = read_staff(staff_csv_path)
        metrics, base, _ = self.state.figures()
        t = self.table
        return employee_results(base, metrics, t("creator_spikes"), t("posts"),
                                t("accounts"), staff, self.brand_handles(brand_handles), limit)

    def brand_handles(self, refs: list[str]) -> list[str]:
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
        self.state.ensure_analyzed()
        scheme = analysis.tier_scheme(self.settings, None)
        return niche_hashtags_record(self.scout_tables(brief), brief, scheme.tier_names, limit)

    def similar(self, ref: str | AccountRef, limit: int = 50, platforms: list[str] | None = None,
                tiers: list[str] | None = None, allow_flags: tuple[str, ...] = (),
                tier_scheme: str | None = None) -> dict[str, Any]:
        """Lookalikes of a creator (the same words, subject and audience), in the scout shape."""
        # account links need scipy's graphs and the planner: loaded only for lookalikes
        from microscout.plan.people import same_person
        from microscout.services.planning import account_links

        seed = self.resolve(ref)
        self.state.ensure_analyzed()
        brief = as_brief({"name": "similar", "platforms": list(platforms or []), "tiers": list(tiers or []),
                          "allow_flags": list(allow_flags), **({"tier_scheme": tier_scheme} if tier_scheme else {})})
        acc = self.table("accounts")
        handle = acc.filter((acc.platform == seed[0]) & (acc.account_id == seed[1])).handle.execute().iloc[0]
        vectors = self.published_vectors()
        scheme = analysis.tier_scheme(self.settings, brief.tier_scheme)
        quality = self.table("audience_quality")
        sampled = quality.filter(quality.follows_sampled.notnull()).select("platform", "account_id")
        return similar_results(self.scout_tables(brief), self.table("follows"), sampled, vectors, seed, handle or seed[1],
                               brief, scheme.tier_names, limit, same_person(seed, account_links(self.state)))

    def published_vectors(self) -> ir.Table | None:
        if not (analysis.topic_enabled(self.settings) and self.state.store.has_table("creator_vectors")):
            return None
        return topic_vectors.published(self.table("creator_vectors"), self.table("topic_documents"))

    def _topic_similarity(self, vectors: ir.Table, topic: str) -> pd.DataFrame:
        """The topic's similarity to every creator, kept until the data changes: a marketer refines
        one brief many times, and scoring every creator's vector against its topic was the
        costliest part of a scout on a large workspace."""
        key = (topic, self.state.settings.topic_model, self.state.freshness.generation)
        cache = self.state.topic_cache
        if key not in cache:
            if len(cache) >= TOPICS_KEPT:
                cache.clear()
            space = analysis.topic_space(self.state.store)
            cache[key] = frame(topic_vectors.topic_similarity(vectors, topic, space))
        found: pd.DataFrame = cache[key]
        return found

    def scout_tables(self, brief: Brief) -> ScoutTables:
        t = self.table
        vectors = self.published_vectors() if brief.topic else None
        similarity = self._topic_similarity(vectors, brief.topic) if vectors is not None and brief.topic else None
        _, base, _ = self.state.figures(brief.tier_scheme)
        return ScoutTables(base=base, terms=t("discovery_terms"), hashtags=t("discovery_hashtags"),
                           documents=t("discovery_documents"), recent=t("discovery_recent"),
                           creators=t("discovery_creators"), profiles=t("discovery_follower_profiles"),
                           audience=t("audience"), topic_similarity=similarity, influence=t("creator_influence"),
                           tokens=t("discovery_tokens"))
