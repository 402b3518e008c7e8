"""Planning at the edge: what the planner needs from a workspace (scout's candidates, their
follower samples, account links, the influence graph), handed to the pure planner in plan/."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import ibis
import pandas as pd

from microscout import analysis
from microscout.brief import Brief
from microscout.campaigns import relationships
from microscout.discovery.influence import graph_edges
from microscout.exceptions import MicroscoutError
from microscout.metrics.window import KEY
from microscout.plan.people import user_links
from microscout.plan.pool import choices_record, flag_policy, penalised_flags, plan_pool, relevance_floor
from microscout.plan.rates import Rates
from microscout.plan.strategies import OBJECTIVES, PlanOptions, candidate_frame, plan_record
from microscout.plan.word_of_mouth import WordOfMouth, influence_edges, word_of_mouth_units

if TYPE_CHECKING:
    from microscout.services.discovery import DiscoveryService
    from microscout.services.state import WorkspaceState


def plan(ws: WorkspaceState, discovery: DiscoveryService, brief: Brief, budget: float | None,
         candidates: int | None, post_format: str | None,
         exact: bool, word_of_mouth: float | None, prices: dict[str, float] | None) -> dict[str, Any]:
    """The plan service: the candidates from scout, their follower samples, the links and the word-of-mouth
    graph from the workspace, then the pure planner (plan/strategies.py)."""
    budget = budget if budget is not None else brief.budget
    if budget is None or budget <= 0:
        raise MicroscoutError("plan needs a budget above 0: --budget 5000, or budget = 5000 in the brief")
    if brief.plan.objective not in OBJECTIVES:
        raise MicroscoutError(f"brief: plan.objective: '{brief.plan.objective}' is not one of "
                              f"{', '.join(OBJECTIVES)}")
    s = ws.settings
    rates = Rates.from_settings(s.rate_card, s.reach_rates, s.conversion_rates, s.exchange_rates)
    rates.per_usd(brief.currency)  # an unknown currency fails before any work
    policy = flag_policy(s.plan_flags)
    scored = discovery.scout(brief, limit=candidates or s.plan_candidates)
    floor = relevance_floor(scored["relevance"], s.plan_min_relevance) if len(scored) else s.plan_min_relevance
    portfolio, left_out = plan_pool(scored, floor, policy, brief.allow_flags)
    scheme = analysis.tier_scheme(s, brief.tier_scheme)
    names = scheme.tier_names
    big = names[names.index("macro"):] if "macro" in names else names[-1:]
    # the macro alternatives follow the same rules: on the brief's subject, none of its excluded flags
    macro_brief = brief.model_copy(update={"tiers": tuple(big), "min_followers": None, "max_followers": None})
    macros, _ = plan_pool(discovery.scout(macro_brief, limit=20), floor, policy, brief.allow_flags)
    keys = pd.concat([portfolio[KEY], macros[KEY]]).drop_duplicates()
    f = ws.table("follows")
    wanted = ibis.memtable(keys.rename(columns={"account_id": "followee_id"}))
    follows = f.semi_join(wanted, ["platform", "followee_id"]).select(
        "platform", "follower_id", "followee_id").execute()
    opts = PlanOptions(budget=float(budget), currency=brief.currency, post_format=post_format or s.post_format,
                       exact_max_candidates=s.plan_exact_max, force_exact=exact,
                       word_of_mouth=s.word_of_mouth if word_of_mouth is None else word_of_mouth,
                       penalised=tuple(penalised_flags(policy, brief.allow_flags)))
    wom = None
    if opts.word_of_mouth > 0:
        frame = candidate_frame(portfolio, macros, brief, rates, opts)
        wom = _word_of_mouth(ws, frame, s.word_of_mouth_samples)
    negotiated = _agreed_prices(ws, discovery, brief, rates)
    if prices:  # prices passed in override those of the relationships
        given = pd.DataFrame([(*ws.resolve(ref), float(v)) for ref, v in prices.items()], columns=[*KEY, "price"])
        negotiated = pd.concat([negotiated, given]).drop_duplicates(KEY, keep="last") if negotiated is not None \
            else given
    record = plan_record(portfolio, macros, follows, brief, rates, opts, wom, negotiated, account_links(ws))
    record["choices"] = choices_record(round(floor, 4), policy, brief.allow_flags, left_out,
                                       bool(scored["relevance"].notna().any()) if len(scored) else False)
    return record


def _agreed_prices(ws: WorkspaceState, discovery: DiscoveryService, brief: Brief,
                   rates: Rates) -> pd.DataFrame | None:
    """Prices per post agreed in the relationships of the brief's brand (its brand_accounts'
    handles), converted to the brief's currency with the settings' exchange rates."""
    brands = []
    for ref in brief.brand_accounts:
        try:
            brands.append(discovery.account(ref)["handle"])
        except MicroscoutError:
            continue  # a brand account not in the workspace has no relationships here either
    if not brands:
        return None
    agreed = relationships.negotiated_prices(ws, brands)
    if agreed.empty:
        return None
    to_brief = rates.per_usd(brief.currency)
    agreed["price"] = [p / rates.per_usd(cur) * to_brief for p, cur in zip(agreed.price_per_post, agreed.currency,
                                                                            strict=True)]
    return agreed[[*KEY, "price"]]


def account_links(ws: WorkspaceState) -> pd.DataFrame:
    """The user's links (settings) and, unless switched off, the suggested ones from analyze."""
    pairs = []
    for group in ws.settings.account_links:
        refs = [ws.resolve(ref) for ref in group]
        pairs += [(refs[0], other) for other in refs[1:]]
    links = [user_links(pairs)]
    if ws.settings.link_suggestions and ws.store.has_table("account_links"):
        links.append(ws.table("account_links").execute())
    return pd.concat(links, ignore_index=True)


def _word_of_mouth(ws: WorkspaceState, candidates: pd.DataFrame, samples: int) -> WordOfMouth:
    """RR sets over the follow and mention graph of the candidates' platforms."""
    t = ws.table
    edges = graph_edges(t("follows"), t("posts"), t("accounts"))
    edges = edges.filter(edges.platform.isin(sorted(set(candidates.platform)))).execute()
    # ids carry the platform: one graph, no account of one platform mistaken for another's
    graph = influence_edges(pd.DataFrame({"follower_id": edges.platform + ":" + edges.src,
                                          "followee_id": edges.platform + ":" + edges.dst}))
    ids = (candidates.platform + ":" + candidates.account_id).tolist()
    return word_of_mouth_units(graph, ids, samples=samples)
