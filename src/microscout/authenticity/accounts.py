"""Fake-account scores for a table of accounts (the fakes contract), and labelled accounts for training."""

from __future__ import annotations

from typing import Any

import ibis
import ibis.expr.types as ir
import pandas as pd

from microscout.authenticity.fake_model import FakeAccountModel


def raw_fields(accounts: ir.Table, *keep: str) -> ir.Table:
    """The model's raw fields from bundle accounts: counts, picture, private, bio and handle shape."""
    return accounts.select(
        "platform", "account_id", "handle", "followers", "following", "posts_count", *keep,
        has_profile_pic=accounts.has_profile_pic.cast("float64"),
        is_private=accounts.is_private.cast("float64"),
        bio_length=accounts.bio.length(),
        handle_digits=accounts.handle.re_replace(r"[^0-9]", "").length(),
        handle_length=accounts.handle.length(),
    )


def score_accounts(accounts: ir.Table, model: FakeAccountModel) -> list[dict[str, Any]]:
    """The fakes contract: platform, account_id, fake_probability, is_fake, reasons — one row per account.

    An account whose followers, following, posts or picture are unknown gets a null
    probability and says which are missing.
    """
    raw = raw_fields(accounts).order_by(["platform", "account_id"]).execute()
    if raw.empty:
        return []
    p = model.predict_proba(raw)
    reasons = model.explain(raw)
    rows = []
    for i, r in enumerate(raw.itertuples(index=False)):
        prob = None if pd.isna(p[i]) else round(float(p[i]), 4)
        why = reasons[i]
        if prob is None:
            missing = [f for f in ("followers", "following", "posts_count", "has_profile_pic")
                       if pd.isna(getattr(r, f))]
            why = ["cannot score: unknown " + ", ".join(missing)]
        elif prob < model.threshold_:
            why = ["looks like a real account"]
        rows.append({"platform": r.platform, "account_id": r.account_id, "fake_probability": prob,
                     "is_fake": None if prob is None else prob >= model.threshold_, "reasons": why})
    return rows


def labelled_accounts(accounts: ir.Table) -> tuple[pd.DataFrame, pd.Series]:
    """Raw fields and labels of imported label files (accounts format plus an `is_fake` column,
    which the import keeps in `extra`)."""
    labelled = accounts.mutate(_label=ibis.coalesce(accounts.extra.re_extract(r'"is_fake":\s*"?([A-Za-z0-9]+)"?', 1),
                                                    ibis.literal("")).lower())
    frame = raw_fields(labelled, "_label").execute()
    truth = frame.pop("_label").map({"1": 1, "true": 1, "yes": 1, "0": 0, "false": 0, "no": 0})
    return frame[truth.notna()].reset_index(drop=True), truth[truth.notna()].astype(int).reset_index(drop=True)
