"""Tracking at the edge: the campaign's posts, creators, relationships and orders from the
workspace, handed to the pure KPIs in tracking.py."""

from __future__ import annotations

import tempfile
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from microscout.campaigns import relationships
from microscout.campaigns.compliance import compliance
from microscout.campaigns.orders import read_orders
from microscout.campaigns.relationships import PARTNER_STAGES
from microscout.campaigns.tracking import (
    Campaign,
    define_campaign,
    empty_orders,
    kpis,
    split_user_generated,
    tracked_posts,
    user_generated,
)
from microscout.exceptions import MicroscoutError
from microscout.metrics.window import KEY

if TYPE_CHECKING:
    from microscout.config import Settings
    from microscout.workspace_data import WorkspaceData


def campaign_for(settings: Settings, brand: str, first: date, last: date, **marks: Any) -> Campaign:
    """define_campaign with the earned media value rates of the settings (CLI, API and dashboard)."""
    return define_campaign(brand, first, last, emv_per_engagement=settings.emv_per_engagement,
                           emv_per_1000_views=settings.emv_per_1000_views, **marks)


def track_orders_text(ws: WorkspaceData, campaign: Campaign, brand: str, orders_csv: str | None,
                      name: str = "orders.csv") -> dict[str, Any]:
    """track_campaign with orders given as CSV text (an upload, API rows): read through a file, so
    the same checks and messages apply; messages name the upload (`name`), never the server's
    temporary file."""
    with tempfile.TemporaryDirectory(prefix="microscout-orders-") as tmp:
        orders = None
        if orders_csv is not None:
            orders = Path(tmp) / "orders.csv"
            orders.write_text(orders_csv, encoding="utf-8")
        try:
            return track_campaign(ws, campaign, brand, orders)
        except MicroscoutError as e:
            if orders is None or str(orders) not in str(e):
                raise
            raise MicroscoutError(str(e).replace(str(orders), Path(name).name or "orders.csv")) from None


def fee_currency(terms: pd.DataFrame, brand: str) -> str:
    """The one currency the brand's fees are in (EUR when none says); fees in several cannot be
    added up, so that is refused with the fix."""
    # a fee given without a currency is in EUR, as the planner reads prices
    given = sorted({(c if isinstance(c, str) and c else "EUR").upper()
                    for c, fee in zip(terms.currency, terms.fee, strict=True) if pd.notna(fee)})
    if len(given) > 1:
        raise MicroscoutError(f"{brand}'s fees are in {', '.join(given)}: tracking adds them up, so give every fee "
                              "in one currency (microscout campaign relate … --fee … --currency …)")
    return given[0] if given else "EUR"


def track_campaign(ws: WorkspaceData, campaign: Campaign, brand: str, orders: str | Path | None) -> dict[str, Any]:
    metrics, _, _ = ws.figures()  # tiers and followers come from the creators' figures
    terms = relationships.terms_of(ws, brand)
    codes = {str(v).lower(): (r.platform, r.account_id) for r in terms.itertuples()
             for v in (r.discount_code, r.tracking_link) if v}
    partners = frozenset((r.platform, r.account_id) for r in terms.itertuples() if r.stage in PARTNER_STAGES)
    marks = replace(campaign, codes=tuple(sorted({*campaign.codes, *(r.discount_code for r in terms.itertuples()
                                                                    if r.discount_code)})),
                    costs={(r.platform, r.account_id): float(r.fee) for r in terms.itertuples() if r.fee is not None},
                    partners=partners, own_accounts=frozenset({brand, *campaign.mentions}))
    currency = fee_currency(terms, brand)
    posts = tracked_posts(ws.table("posts"), marks)
    sold = read_orders(orders, codes, campaign.start, campaign.end) if orders is not None else empty_orders()
    keys = pd.concat([posts[KEY], sold[KEY]]).drop_duplicates()
    m = metrics.select("platform", "account_id", "handle", "followers", "tier").execute()
    creators = keys.merge(m, on=KEY, how="left")
    paid, ugc = split_user_generated(posts, creators, marks)
    report = kpis(paid, creators, sold[[*KEY, "revenue"]] if orders is not None else None, marks)
    report["currency"] = currency
    report["orders_given"] = orders is not None
    report["user_generated"] = user_generated(ugc, creators, marks)
    handles = {(r.platform, r.account_id): r.handle for r in creators.itertuples()}
    # only paid posts must be disclosed as ads
    report["disclosure"] = compliance(paid, handles)
    report["emv_rates"] = {"per_engagement": marks.emv_per_engagement, "per_1000_views": marks.emv_per_1000_views}
    return report
