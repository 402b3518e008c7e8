"""Write a bundle table as numbered Parquet parts, chunk by chunk, so memory stays flat."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq


class PartWriter:
    """Appends row chunks to `<table>-0001.parquet`, `-0002`, ..., starting a new part past `rows_per_part`."""

    def __init__(self, folder: Path, table: str, schema: pa.Schema, rows_per_part: int) -> None:
        self.folder, self.table, self.schema, self.rows_per_part = folder, table, schema, rows_per_part
        self.part = 0
        self.rows_in_part = 0
        self.rows = 0
        self._writer: pq.ParquetWriter | None = None

    def write(self, columns: dict[str, Any]) -> None:
        arrays = []
        for f in self.schema:
            values = columns.get(f.name, [])
            if pa.types.is_timestamp(f.type):
                # numpy converts a list of datetime64 values far faster than pyarrow does
                arrays.append(pa.array(np.array(values, dtype="datetime64[s]"), type=f.type, from_pandas=True))
            else:
                arrays.append(pa.array(values, type=f.type))
        batch = pa.Table.from_arrays(arrays, schema=self.schema)
        if batch.num_rows == 0:
            return
        if self._writer is None or self.rows_in_part >= self.rows_per_part:
            self._open_next()
        assert self._writer is not None
        self._writer.write_table(batch, row_group_size=256_000)
        self.rows_in_part += batch.num_rows
        self.rows += batch.num_rows

    def _open_next(self) -> None:
        if self._writer is not None:
            self._writer.close()
        self.part += 1
        self.rows_in_part = 0
        path = self.folder / f"{self.table}-{self.part:04d}.parquet"
        self._writer = pq.ParquetWriter(path, self.schema, compression="zstd")

    def close(self) -> None:
        if self._writer is None:
            # an empty table still gets a file, so the bundle always names every table
            self._open_next()
        assert self._writer is not None
        self._writer.close()
        self._writer = None


def ts() -> pa.DataType:
    return pa.timestamp("s")


SCHEMAS: dict[str, pa.Schema] = {
    "accounts": pa.schema([
        ("platform", pa.string()), ("account_id", pa.string()), ("handle", pa.string()),
        ("display_name", pa.string()), ("bio", pa.string()), ("followers", pa.int64()),
        ("following", pa.int64()), ("posts_count", pa.int64()), ("verified", pa.bool_()),
        ("is_business", pa.bool_()), ("is_private", pa.bool_()), ("has_profile_pic", pa.bool_()),
        ("external_url", pa.string()), ("location", pa.string()), ("country", pa.string()),
        ("city", pa.string()), ("language", pa.string()), ("category", pa.string()),
        ("created_at", ts()), ("collected_at", ts()), ("contact", pa.string()),
    ]),
    "snapshots": pa.schema([
        ("platform", pa.string()), ("account_id", pa.string()), ("at", ts()), ("followers", pa.int64()),
        ("following", pa.int64()), ("posts_count", pa.int64()),
    ]),
    "posts": pa.schema([
        ("platform", pa.string()), ("post_id", pa.string()), ("account_id", pa.string()), ("created_at", ts()),
        ("kind", pa.string()), ("caption", pa.string()), ("hashtags", pa.list_(pa.string())),
        ("mentions", pa.list_(pa.string())), ("likes", pa.int64()), ("comments", pa.int64()),
        ("shares", pa.int64()), ("saves", pa.int64()), ("views", pa.int64()), ("url", pa.string()),
        ("location", pa.string()), ("language", pa.string()), ("is_paid_partnership", pa.bool_()),
    ]),
    "comments": pa.schema([
        ("platform", pa.string()), ("comment_id", pa.string()), ("post_id", pa.string()),
        ("author_id", pa.string()), ("author_handle", pa.string()), ("created_at", ts()),
        ("text", pa.string()), ("likes", pa.int64()), ("reply_to", pa.string()),
    ]),
    "follows": pa.schema([
        ("platform", pa.string()), ("follower_id", pa.string()), ("followee_id", pa.string()),
        ("followed_at", ts()),
    ]),
    "audience": pa.schema([
        ("platform", pa.string()), ("account_id", pa.string()), ("dimension", pa.string()),
        ("value", pa.string()), ("share", pa.float64()),
    ]),
}

TRUTH_SCHEMAS: dict[str, pa.Schema] = {
    "accounts": pa.schema([
        ("platform", pa.string()), ("account_id", pa.string()), ("handle", pa.string()), ("role", pa.string()),
        ("is_fake", pa.bool_()), ("fraud", pa.list_(pa.string())), ("hard_negatives", pa.list_(pa.string())),
        ("niche", pa.string()), ("pod_id", pa.int64()), ("friend_group", pa.int64()),
        ("employer", pa.string()), ("brand_partners", pa.list_(pa.string())),
        ("spike_at", ts()), ("spike_cause", pa.string()), ("inactive", pa.bool_()),
    ]),
    "posts": pa.schema([
        ("platform", pa.string()), ("post_id", pa.string()), ("account_id", pa.string()),
        ("sponsored", pa.bool_()), ("disclosed", pa.bool_()), ("disclosure_placement", pa.string()),
        ("brand", pa.string()), ("undisclosed_ad", pa.bool_()), ("bought_likes", pa.bool_()),
        ("viral", pa.bool_()), ("giveaway", pa.bool_()),
    ]),
}
