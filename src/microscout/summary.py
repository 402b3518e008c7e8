"""What a workspace holds (the info contract), as Ibis expressions any backend runs."""

from __future__ import annotations

import ibis.expr.types as ir


def rows_per_table(tables: dict[str, ir.Table]) -> dict[str, ir.Scalar]:
    return {name: t.count() for name, t in tables.items()}


def accounts_per_platform(accounts: ir.Table) -> ir.Table:
    return accounts.group_by("platform").agg(accounts=accounts.count()).order_by("platform")
