"""Who is a creator, as of when, and which posts its figures use (the contract's windows)."""

from __future__ import annotations

from dataclasses import dataclass

import ibis
import ibis.expr.types as ir

KEY = ["platform", "account_id"]


@dataclass(frozen=True)
class Window:
    """The posts a creator's engagement is measured on: the last `max_posts` within `days`."""

    days: int = 180
    max_posts: int = 30
    inactive_days: int = 60
    growth_days: int = 90


def creators_as_of(accounts: ir.Table, posts: ir.Table) -> ir.Table:
    """One row per creator (an account with at least one post) with its `as_of` moment.

    as_of = the account's collected_at (an import fills it from the bundle's), else its newest
    post: figures never depend on today.
    """
    newest = posts.group_by(KEY).agg(newest_post=posts.created_at.max(), posts_in_workspace=posts.count())
    joined = accounts.join(newest, KEY)
    return joined.mutate(as_of=ibis.coalesce(joined.collected_at, joined.newest_post))


def posts_in_window(posts: ir.Table, creators: ir.Table, days: int) -> ir.Table:
    """A creator's posts created in the `days` before its as-of (inclusive of as-of)."""
    c = creators.select(*KEY, "as_of", "followers")
    p = posts.join(c, KEY)
    return p.filter(p.created_at <= p.as_of, p.created_at > p.as_of - ibis.interval(days=days))


def posts_used(posts: ir.Table, creators: ir.Table, window: Window) -> ir.Table:
    """The contract's posts used: the last 30 posts within 180 days before as-of, stories
    excluded, each with both likes and comments known."""
    p = posts_in_window(posts, creators, window.days)
    p = p.filter((p.kind.isnull() | (p.kind != "story")) & p.likes.notnull() & p.comments.notnull())
    recency = ibis.row_number().over(group_by=[p.platform, p.account_id],
                                     order_by=[ibis.desc(p.created_at), p.post_id])
    return p.mutate(_recency=recency).filter(ibis._._recency < window.max_posts).drop("_recency")


def attach(left: ir.Table, right: ir.Table, keys: list[str], columns: list[str] | None = None) -> ir.Table:
    """Left-join `columns` of `right` onto `left` by equal `keys`, keeping every left row and the left keys.

    The right keys are renamed first: when `right` derives from `left` (a self-join), Ibis can
    otherwise resolve a key to the right side, which is null on unmatched rows.
    """
    columns = columns if columns is not None else [c for c in right.columns if c not in keys]
    r = right.select(*[right[k].name(f"__r_{k}") for k in keys], *columns)
    joined = left.left_join(r, [left[k] == r[f"__r_{k}"] for k in keys])
    return joined.select(*[joined[c] for c in left.columns], *[joined[c] for c in columns])
