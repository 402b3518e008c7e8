"""SQL that turns a bundle value into its typed form, and says when it cannot.

Each function takes a SQL expression for the raw value and returns (typed, is_bad): `typed`
is NULL when the raw value is empty or unusable; `is_bad` is true only for a present value
that breaks its type. Values arrive as text (CSV, JSONL scalars, Parquet strings) or in a
native Parquet/JSON type.
"""

from __future__ import annotations

from microscout.schema import PLATFORMS, Column

_INT_TYPES = ("TINYINT", "SMALLINT", "INTEGER", "BIGINT", "HUGEINT", "UTINYINT", "USMALLINT",
              "UINTEGER", "UBIGINT", "UHUGEINT")
_FLOAT_TYPES = ("FLOAT", "DOUBLE", "REAL")


_YEAR = "([0-9]{3}[1-9]|[0-9]{2}[1-9][0-9]|[0-9][1-9][0-9]{2}|[1-9][0-9]{3})"  # 0001 .. 9999
ISO_TIMESTAMP = (_YEAR + r"-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])"
                 r"([T ]([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9](\.[0-9]{1,9})?)?)?"
                 r"([Zz]|[+-]([01][0-9]|2[0-3])(:?[0-5][0-9])?)?")


def quote_ident(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def quote_literal(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def _in_list(values: tuple[str, ...]) -> str:
    return "(" + ", ".join(quote_literal(v) for v in values) + ")"


def _text(raw: str) -> str:
    return f"NULLIF(trim({raw}), '')"


def parse_text(column: Column, raw: str) -> tuple[str, str]:
    """(typed, is_bad) for a value given as text."""
    t = _text(raw)
    kind = column.type
    if kind == "id":
        typed = f"NULLIF({raw}, '')"
        return typed, "false"
    if kind == "str":
        return f"NULLIF({raw}, '')", "false"
    if kind == "int":
        typed = (f"CASE WHEN regexp_full_match({t}, '[0-9]+(\\.0*)?') "
                 f"THEN TRY_CAST(split_part({t}, '.', 1) AS BIGINT) END")
    elif kind == "bool":
        typed = (f"CASE lower({t}) WHEN 'true' THEN true WHEN '1' THEN true WHEN 'yes' THEN true "
                 f"WHEN 'false' THEN false WHEN '0' THEN false WHEN 'no' THEN false END")
    elif kind == "ts":
        # ISO 8601 only (DuckDB's cast also takes 'epoch', 'infinity', BC dates and 5-digit years)
        typed = (f"CASE WHEN regexp_full_match({t}, {quote_literal(ISO_TIMESTAMP)}) "
                 f"THEN timezone('UTC', TRY_CAST({t} AS TIMESTAMPTZ)) END")
    elif kind == "share":
        typed = f"CASE WHEN TRY_CAST({t} AS DOUBLE) BETWEEN 0 AND 1 THEN TRY_CAST({t} AS DOUBLE) END"
    elif kind == "platform" or kind == "enum":
        choices = PLATFORMS if kind == "platform" else column.choices
        typed = f"CASE WHEN lower({t}) IN {_in_list(choices)} THEN lower({t}) END"
    elif kind == "country":
        typed = f"CASE WHEN regexp_full_match({t}, '[A-Za-z]{{2}}') THEN upper({t}) END"
    elif kind == "language":
        typed = f"CASE WHEN regexp_full_match({t}, '[A-Za-z]{{2}}') THEN lower({t}) END"
    elif kind == "list":
        typed = (f"CASE WHEN {t} IS NULL THEN []::VARCHAR[] "
                 f"ELSE list_filter(regexp_split_to_array({t}, '[\\s,]+'), lambda x: x <> '') END")
        return typed, "false"
    else:  # pragma: no cover - schema declares only the types above
        raise ValueError(kind)
    return typed, f"({t} IS NOT NULL AND ({typed}) IS NULL)"


def parse_native(column: Column, raw: str, source_type: str) -> tuple[str, str]:
    """(typed, is_bad) for a value of a Parquet column of type `source_type`."""
    st = source_type.upper()
    kind = column.type
    if st == "VARCHAR":
        return parse_text(column, raw)
    if kind in ("id", "str"):
        return f"CAST({raw} AS VARCHAR)", "false"
    if kind == "int" and st in _INT_TYPES:
        typed = f"CASE WHEN {raw} >= 0 THEN CAST({raw} AS BIGINT) END"
        return typed, f"({raw} IS NOT NULL AND {raw} < 0)"
    if kind == "int" and (st in _FLOAT_TYPES or st.startswith("DECIMAL")):
        ok = f"({raw} >= 0 AND {raw} = floor({raw}) AND {raw} < 9.2e18)"
        return f"CASE WHEN {ok} THEN CAST({raw} AS BIGINT) END", f"({raw} IS NOT NULL AND NOT {ok})"
    if kind == "bool" and st == "BOOLEAN":
        return raw, "false"
    if kind == "ts" and st.startswith("TIMESTAMP WITH TIME ZONE"):
        return f"timezone('UTC', {raw})", "false"
    if kind == "ts" and (st.startswith("TIMESTAMP") or st == "DATE"):
        return f"CAST({raw} AS TIMESTAMP)", "false"
    if kind == "share" and (st in _FLOAT_TYPES or st.startswith("DECIMAL") or st in _INT_TYPES):
        ok = f"({raw} BETWEEN 0 AND 1)"
        return f"CASE WHEN {ok} THEN CAST({raw} AS DOUBLE) END", f"({raw} IS NOT NULL AND NOT {ok})"
    if kind == "list" and st.endswith("[]"):
        return (f"coalesce(list_filter(list_transform({raw}, lambda x: CAST(x AS VARCHAR)), "
                f"lambda x: x IS NOT NULL AND x <> ''), []::VARCHAR[])"), "false"
    return parse_text(column, f"CAST({raw} AS VARCHAR)")


def normalise_tags(typed_list: str, sigil: str) -> str:
    """Tags and mentions are lower-case without their '#'/'@'."""
    return (f"list_filter(list_transform({typed_list}, lambda x: lower(ltrim(x, '{sigil}'))), "
            f"lambda x: x <> '')")


def with_caption_tags(given: str, caption: str, sigil: str) -> str:
    """The tags a post carries: those its list column gives, then those written in its caption.

    Many exports leave the list columns empty (or fill them from another field): an empty cell
    says "not given", not "none", and a tag written in the caption is there whatever the column
    says. Pass the result through `unique_in_order` (as a column: see there) for each tag once."""
    return f"list_concat({given}, {tags_from_caption(caption, sigil)})"


def unique_in_order(column: str) -> str:
    """Each item of the list `column` once, in the order first seen. `column` should name a
    column, not an expression: DuckDB evaluates a captured expression again for every item."""
    return f"list_filter({column}, lambda x, i: list_position({column}, x) = i)"


def tags_from_caption(caption: str, sigil: str) -> str:
    """Hashtags or mentions written in a caption: #tag, @handle, lower-case, without the sigil."""
    word = r"[\p{L}\p{N}_]+" if sigil == "#" else r"[\p{L}\p{N}_.]+"
    found = f"regexp_extract_all({caption}, '(?:^|[^\\p{{L}}\\p{{N}}_&]){sigil}({word})', 1)"
    # the regular expression is the slow part of staging posts: most captions hold no mention
    return (f"CASE WHEN contains({caption}, '{sigil}') THEN list_transform({found}, lambda x: lower(rtrim(x, '.'))) "
            f"ELSE []::VARCHAR[] END")
