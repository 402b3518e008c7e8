"""Orders a campaign brought: a CSV with a `code` (discount code or tracking link), `revenue` and
`ordered_at` per order. Each is matched to the creator whose relationship holds that code or link.
The first problem stops the read with the file, line, column, value and what was expected;
nothing is changed either way (orders are read, not stored)."""

from __future__ import annotations

import csv
from datetime import datetime
from pathlib import Path

import pandas as pd

from microscout.exceptions import BundleProblem, MicroscoutError

COLUMNS = ("code", "revenue", "ordered_at")


def read_orders(path: str | Path, codes: dict[str, tuple[str, str]], start: datetime, end: datetime) -> pd.DataFrame:
    """(platform, account_id, revenue, ordered_at) per order; `codes` maps a lower-cased code or
    link to its creator."""
    file = str(path)

    def fail(line: int | None, column: str | None, message: str) -> MicroscoutError:
        return MicroscoutError(str(BundleProblem(file, line, column, message)))

    p = Path(path)
    if not p.is_file():
        raise MicroscoutError(f"{file}: no such file: expected a CSV of orders with columns {', '.join(COLUMNS)}")
    rows = []
    with p.open(encoding="utf-8-sig", newline="") as f:
        reader = csv.DictReader(f)
        names = [n.strip().lower() for n in reader.fieldnames or []]
        for column in COLUMNS:
            if column not in names:
                raise fail(1, column, f"missing from the header: expected the columns {', '.join(COLUMNS)}")
        reader.fieldnames = names
        for row in reader:
            line = reader.line_num
            code = (row.get("code") or "").strip()
            if code.lower() not in codes:
                raise fail(line, "code", f"'{code}' is no discount code or tracking link of this brand's creators")
            try:
                revenue = float(row.get("revenue") or "")
            except ValueError:
                raise fail(line, "revenue", f"'{row.get('revenue')}' is not an amount") from None
            if revenue < 0:
                raise fail(line, "revenue", f"'{row.get('revenue')}' is negative: expected an amount ≥ 0")
            text = (row.get("ordered_at") or "").strip()
            try:
                at = datetime.fromisoformat(text.replace("Z", "+00:00")).replace(tzinfo=None)
            except ValueError:
                raise fail(line, "ordered_at", f"'{text}' is not a date: expected YYYY-MM-DD or an ISO time") from None
            if not start <= at < end:
                raise fail(line, "ordered_at", f"'{text}' is outside the campaign ({start.date()} to {end.date()})")
            platform, account_id = codes[code.lower()]
            rows.append((platform, account_id, revenue, at))
    return pd.DataFrame(rows, columns=["platform", "account_id", "revenue", "ordered_at"])
