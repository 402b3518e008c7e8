"""Write a synthetic bundle of a given size with DuckDB (fast, seeded), for import benchmarks.

Rows split as about 4% accounts, 40% posts, 40% comments, 16% follows; several part files
per large table. This is load, not realism: the demo world is the realistic one.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import duckdb


def write_synthetic_bundle(out: Path, total_rows: int, fmt: str = "parquet", parts: int = 4) -> dict[str, int]:
    out.mkdir(parents=True, exist_ok=True)
    n_acc = max(10, total_rows * 4 // 100)
    n_posts = total_rows * 40 // 100
    n_comments = total_rows * 40 // 100
    n_follows = total_rows - n_acc - n_posts - n_comments
    con = duckdb.connect()
    con.execute("SELECT setseed(0.42)")
    queries = {
        "accounts": f"""SELECT 'instagram' AS platform, CAST(i AS VARCHAR) AS account_id, 'user' || i AS handle,
            'bio of ' || i || ' 🌱 vegan baking' AS bio, CAST(floor(pow(10, 2 + 4 * ((i * 7919) % 1000) / 1000.0)) AS BIGINT) AS followers,
            (i * 31) % 3000 AS following, (i * 17) % 900 AS posts_count, (i % 5 <> 0) AS has_profile_pic,
            'DE' AS country, 'de' AS language, TIMESTAMP '2026-11-01 12:00:00' AS collected_at
            FROM range({n_acc}) t(i)""",
        "posts": f"""SELECT 'instagram' AS platform, 'p' || i AS post_id, CAST(i % {n_acc} AS VARCHAR) AS account_id,
            TIMESTAMP '2026-01-01' + INTERVAL (i % 300) DAY AS created_at, 'photo' AS kind,
            'Caption ' || i || ' #vegan #berlin' AS caption, ['vegan', 'berlin'] AS hashtags,
            (i * 13) % 5000 AS likes, (i * 7) % 300 AS comments
            FROM range({n_posts}) t(i)""",
        "comments": f"""SELECT 'instagram' AS platform, 'c' || i AS comment_id, 'p' || (i % {max(n_posts, 1)}) AS post_id,
            CAST((i * 101) % {n_acc} AS VARCHAR) AS author_id, TIMESTAMP '2026-06-01' + INTERVAL (i % 100) HOUR AS created_at,
            'Nice post ' || (i % 50) AS text, i % 10 AS likes
            FROM range({n_comments}) t(i)""",
        "follows": f"""SELECT 'instagram' AS platform, CAST(i AS VARCHAR) AS follower_id,
            CAST((i * 7 + 1) % {n_acc} AS VARCHAR) AS followee_id
            FROM range({n_follows}) t(i)""",
    }
    counts = {"accounts": n_acc, "posts": n_posts, "comments": n_comments, "follows": n_follows}
    for table, sql in queries.items():
        n = counts[table]
        k = parts if n > 100_000 else 1
        for part in range(k):
            lo, hi = n * part // k, n * (part + 1) // k
            name = f"{table}-{part:04d}.{fmt}" if k > 1 else f"{table}.{fmt}"
            target = str(out / name)
            part_sql = sql.replace(f"range({n})", f"range({lo}, {hi})")
            options = "(FORMAT parquet, ROW_GROUP_SIZE 122880)" if fmt == "parquet" else "(FORMAT csv, HEADER)"
            con.execute(f"COPY ({part_sql}) TO '{target}' {options}")
    (out / "bundle.json").write_text(json.dumps({"format": "microscout-bundle", "version": 1,
                                                 "source": f"synthetic {total_rows} rows",
                                                 "collected_at": "2026-11-01T12:00:00Z"}))
    return counts


if __name__ == "__main__":
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("out", type=Path)
    ap.add_argument("--rows", type=int, default=1_000_000)
    ap.add_argument("--format", choices=["parquet", "csv"], default="parquet")
    args = ap.parse_args()
    print(write_synthetic_bundle(args.out, args.rows, args.format))
