"""One person, several platforms: which accounts are the same creator.

A campaign contracts people, not accounts: someone on Instagram, TikTok and YouTube signs one
contract and counts once against "max creators". Links between accounts come from the user
(`user_links`, always trusted) and from `suggest_links`, which proposes pairs of accounts on
different platforms from four kinds of evidence, strongest first:

- "links to the other profile" (0.95): an account's bio link, or a profile URL in its bio, is the
  other account's profile; people point at their own accounts. Fans point at idols too, so the
  target's handle must be unambiguous on its platform and only one account per platform may
  point at it (many TikTok accounts linking to one Instagram profile are fans, not that person).
- "same bio link" (0.9): both send their audience to the same page (a personal site, one
  linktr.ee page). A URL shared by more than 3 accounts is a shop, brand or agency page that many
  people link to, so it is no evidence.
- "same handle and name" (0.85): handle and display name agree after normalising.
- "same handle" (0.6): a handle alone is weak, because a short one like "anna" collides across
  people: it needs at least 6 characters and must occur at most once on every platform. It lies
  below person_ids' default threshold (0.8): a suggestion for the user to confirm, not a merge.

Handles must also be unambiguous per platform for the name rule: if two Instagram accounts fit,
linking both to one TikTok account would merge two people through it.

`person_ids` turns the links into creators: the connected components of the link graph. Every
rule groups accounts by a key; nothing compares all pairs, so a million accounts take seconds.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from urllib.parse import urlsplit

import numpy as np
import pandas as pd
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components

LINK_COLUMNS = ["platform", "account_id", "other_platform", "other_account_id", "reason", "confidence"]
LINKED_BY_YOU = "linked by you"
RULES = [("links to the other profile", 0.95), ("same bio link", 0.9),
         ("same handle and name", 0.85), ("same handle", 0.6)]
MAX_SHARED_LINK = 3
MIN_HANDLE_WITH_NAME = 4
MIN_HANDLE_ALONE = 6

# one pass: the leading '@', a Mastodon '@instance', the Bluesky suffix, then the separators
_HANDLE_NOISE = re.compile(r"^@|@.*|\.bsky\.social$|[._-]")
_HUBS = {"linktr.ee", "beacons.ai", "lnk.bio", "linkin.bio", "bio.link", "campsite.bio",
         "allmylinks.com", "carrd.co"}
_PROFILE_HOSTS = {"instagram.com": "instagram", "tiktok.com": "tiktok", "youtube.com": "youtube",
                  "x.com": "x", "twitter.com": "x", "bsky.app": "bluesky"}
# first path segments of these sites that are pages, not people
_NOT_HANDLES = {"p", "reel", "reels", "tv", "explore", "stories", "accounts", "direct", "home", "i",
                "intent", "search", "hashtag", "share", "settings", "messages", "notifications",
                "login", "signup", "about", "legal", "privacy", "tos"}
_BIO_HOSTS = r"instagram\.com/|tiktok\.com/|youtube\.com/|x\.com/|twitter\.com/|bsky\.app/"
_BIO_PROFILE = re.compile(
    r"(?<![\w.@-])((?:https?://)?(?:(?:www|m|mobile)\.)?"
    r"(?:instagram\.com|tiktok\.com|youtube\.com|x\.com|twitter\.com|bsky\.app)"
    r"/[^\s,;()\[\]{}<>\"']*[^\s,;()\[\]{}<>\"'.!?:])", re.IGNORECASE)


def normalise_handle(handle: str) -> str:
    """Lowercase, strip a leading '@', drop a Bluesky suffix '.bsky.social', a Mastodon '@instance' part
    and the separators '.', '_', '-': '@Lena.Bakes' and 'lena-bakes.bsky.social' -> 'lenabakes'."""
    return _HANDLE_NOISE.sub("", handle.strip().lower())


def url_key(url: str | None) -> str | None:
    """A comparable key of a bio link: lowercase host without 'www.' plus the lowercased path without a
    trailing slash (scheme, query and fragment dropped); None for empty or unparseable text. A link-in-bio
    hub keeps the first path segment, which names the person (a bare hub names no one: None). A profile
    URL on instagram, tiktok, youtube, x/twitter or bsky.app is 'handle:<platform>:<normalised handle>'."""
    if not isinstance(url, str) or not url.strip():
        return None
    text = url.strip()
    if "://" not in text:
        text = "http://" + text
    try:
        parts = urlsplit(text)
        host = (parts.hostname or "").removeprefix("www.")
    except ValueError:
        return None
    # an e-mail address or words with a dot are not links
    if parts.scheme not in ("http", "https") or parts.username or "." not in host or " " in host:
        return None
    segments = [s for s in parts.path.lower().split("/") if s]
    social = _PROFILE_HOSTS.get(host.removeprefix("m.").removeprefix("mobile."))
    if social and segments and (handle := _profile_handle(social, segments)):
        return f"handle:{social}:{handle}"
    if host in _HUBS:
        return f"{host}/{segments[0]}" if segments else None
    return "/".join([host, *segments])


def _profile_handle(platform: str, segments: list[str]) -> str:
    first = segments[0]
    if platform == "bluesky":
        raw = segments[1] if first == "profile" and len(segments) > 1 else ""
    elif platform in ("tiktok", "youtube"):
        raw = first if first.startswith("@") else ""  # youtube.com/watch, tiktok.com/discover: no one
    else:
        raw = "" if first in _NOT_HANDLES else first
    return normalise_handle(raw)


def _column(frame: pd.DataFrame, name: str) -> pd.Series:
    return frame[name] if name in frame else pd.Series(None, index=frame.index, dtype=object)


def _map_unique(values: pd.Series, func: Callable[[str], str | None]) -> np.ndarray:
    """func of each value, called once per distinct value: links and names repeat, Python calls cost."""
    codes, distinct = pd.factorize(values)
    return np.asarray(np.array([*map(func, distinct), None], dtype=object)[codes])


def _codes(values: object) -> np.ndarray:
    """Integer codes of equal keys (-1: none): grouping and joining ints is far faster than strings."""
    keys = pd.Series(values, dtype=object)
    return np.asarray(pd.factorize(keys.where(keys != ""))[0])


def _pairs_within(acc: pd.DataFrame, key: np.ndarray, *, max_group: int | None = None,
                  unique_per_platform: bool = False) -> pd.DataFrame:
    """(i, j) row numbers of accounts on different platforms with equal keys (codes, -1 for none)."""
    rows = pd.DataFrame({"i": acc["i"], "p": acc["p"], "k": key})
    rows = rows[(rows["k"] >= 0) & rows.duplicated("k", keep=False)]
    if max_group is not None:
        rows = rows[rows.groupby("k")["k"].transform("size") <= max_group]
    if unique_per_platform:
        rows = rows[~rows["k"].isin(rows.loc[rows.duplicated(["p", "k"], keep=False), "k"])]
    both = rows.merge(rows, on="k", suffixes=("", "_o"))
    return both.loc[both["p"] != both["p_o"], ["i", "i_o"]]


def _profile_pairs(acc: pd.DataFrame, ukey: np.ndarray, bios: pd.Series, platforms: pd.Index,
                   handles: pd.Index) -> pd.DataFrame:
    """(i, j): account i points at account j's profile."""
    # a cheap vectorised filter first: the full pattern runs in Python, and few bios name a profile
    likely = bios.astype("string[pyarrow]").str.contains(_BIO_HOSTS, case=False, na=False)
    hits = bios[likely.to_numpy()].astype(str).str.extractall(_BIO_PROFILE)[0]
    in_bio = hits.index.get_level_values(0).astype(np.int64)
    points = pd.DataFrame({"i": np.r_[acc["i"].to_numpy(), in_bio],
                           "ukey": np.r_[ukey, _map_unique(hits, url_key)]})
    points = points[points["ukey"].str.startswith("handle:", na=False)].drop_duplicates()
    if points.empty:
        return pd.DataFrame({"i": [], "i_o": []}, dtype=np.int64)
    target = points["ukey"].str.split(":", n=2, expand=True)
    points = pd.DataFrame({"i": points["i"], "p_o": platforms.get_indexer(target[1]),
                           "h": handles.get_indexer(target[2])})
    points = points[(points["p_o"] >= 0) & (points["h"] >= 0)]  # no such account here
    owners = acc.loc[acc["h"].isin(points["h"]), ["i", "p", "h"]].set_axis(["i_o", "p_o", "h"], axis=1)
    hit = points.merge(owners, on=["p_o", "h"])
    hit = hit[~hit.duplicated(["i", "p_o", "h"], keep=False)]  # the handle must name one account
    hit["p"] = acc["p"].to_numpy()[hit["i"].to_numpy()]
    hit = hit[hit["p"] != hit["p_o"]]
    hit = hit[~hit.duplicated(["i_o", "p"], keep=False)]
    return hit[["i", "i_o"]]


def suggest_links(accounts: pd.DataFrame) -> pd.DataFrame:
    """Pairs of accounts (one row per account) on different platforms that look like one person, in
    LINK_COLUMNS, each pair once with (platform, account_id) < (other_platform, other_account_id) and
    the strongest reason found (see the module docstring for the rules); in the order of the rows."""
    accounts = accounts.reset_index(drop=True)
    plat = accounts["platform"].astype(str).to_numpy(dtype=object)
    ident = accounts["account_id"].astype(str).to_numpy(dtype=object)
    handle = _column(accounts, "handle")
    # a Mastodon account_id is user@instance, as good as a handle when none is given
    handle = handle.where(handle.notna() | (plat != "mastodon"), pd.Series(ident))
    # Arrow strings: strip, lower and the (RE2) replace run vectorised, not once per row in Python
    text = handle.astype("string[pyarrow]")
    hkey = text.str.strip().str.lower().str.replace(_HANDLE_NOISE.pattern, "", regex=True)
    # Arrow lowercases some letters unlike Python ('İ'), which keys the handles in profile URLs
    odd = text.str.contains(r"[^ -~]", na=False).to_numpy(dtype=bool)
    hkey[odd] = _map_unique(text[odd].astype(object), normalise_handle)
    hlen = hkey.str.len().fillna(0).to_numpy()
    p, platforms = pd.factorize(plat)
    h, handles = pd.factorize(hkey)
    n = _codes(_map_unique(_column(accounts, "display_name"), lambda s: " ".join(str(s).casefold().split())))
    ukey = _map_unique(_column(accounts, "external_url"), url_key)
    acc = pd.DataFrame({"i": np.arange(len(accounts)), "p": p, "h": h})
    named = (h >= 0) & (n >= 0) & (hlen >= MIN_HANDLE_WITH_NAME)
    found = [
        _profile_pairs(acc, ukey, _column(accounts, "bio"), pd.Index(platforms), pd.Index(handles)),
        _pairs_within(acc, _codes(ukey), max_group=MAX_SHARED_LINK),
        _pairs_within(acc, np.where(named, h * (n.max(initial=0) + 1) + n, -1), unique_per_platform=True),
        _pairs_within(acc, np.where(hlen >= MIN_HANDLE_ALONE, h, -1), unique_per_platform=True),
    ]
    pairs = pd.concat([f.set_axis(["i", "j"], axis=1).assign(rule=r) for r, f in enumerate(found)])
    i, j = pairs["i"].to_numpy(dtype=np.int64), pairs["j"].to_numpy(dtype=np.int64)
    swap = (plat[i] > plat[j]) | ((plat[i] == plat[j]) & (ident[i] > ident[j]))
    pairs = pairs.assign(i=np.where(swap, j, i), j=np.where(swap, i, j))
    # concat keeps the rules in order of strength, so the first of each pair is its strongest reason
    pairs = pairs.drop_duplicates(["i", "j"])
    lo, hi, rule = (pairs[c].to_numpy(dtype=np.int64) for c in ("i", "j", "rule"))
    order = np.lexsort((hi, lo))
    lo, hi, rule = lo[order], hi[order], rule[order]
    reasons = np.array([r for r, _ in RULES], dtype=object)
    confidence = np.array([c for _, c in RULES])
    return pd.DataFrame({"platform": plat[lo], "account_id": ident[lo], "other_platform": plat[hi],
                         "other_account_id": ident[hi], "reason": reasons[rule],
                         "confidence": confidence[rule]}, columns=LINK_COLUMNS)


def _keys(platform: pd.Series, account_id: pd.Series) -> np.ndarray:
    return np.asarray((platform.astype(str) + "\x1f" + account_id.astype(str)).to_numpy(dtype=object))


def person_ids(candidates: pd.DataFrame, links: pd.DataFrame, min_confidence: float = 0.8) -> np.ndarray:
    """One integer per candidate row: candidates joined by links at or above min_confidence (user links
    have 1.0) share an id. Links through accounts that are not candidates still join (A-B-C with only A
    and C candidates: A and C share an id). Ids are 0..k-1 in order of first appearance."""
    confidence = links["confidence"] if "confidence" in links else pd.Series(1.0, index=links.index)
    used = links[pd.to_numeric(confidence, errors="coerce").to_numpy() >= min_confidence]
    ends = [_keys(candidates["platform"], candidates["account_id"]),
            _keys(used["platform"], used["account_id"]),
            _keys(used["other_platform"], used["other_account_id"])]
    codes, uniques = pd.factorize(np.concatenate(ends))
    own, a, b = np.split(codes, np.cumsum([len(e) for e in ends[:2]]))
    graph = coo_matrix((np.ones(len(a)), (a, b)), shape=(len(uniques), len(uniques)))
    _, component = connected_components(graph, directed=False)
    return np.asarray(pd.factorize(component[own])[0], dtype=np.int64)


def same_person(seed: tuple[str, str], links: pd.DataFrame, min_confidence: float = 0.8) -> set[tuple[str, str]]:
    """The seed's other accounts: those joined to it by links at or above min_confidence."""
    ends = pd.concat([links[["platform", "account_id"]],
                      links[["other_platform", "other_account_id"]].set_axis(["platform", "account_id"], axis=1),
                      pd.DataFrame([seed], columns=["platform", "account_id"])], ignore_index=True).drop_duplicates()
    ids = person_ids(ends, links, min_confidence)
    mine = ids[(ends.platform == seed[0]).to_numpy() & (ends.account_id == seed[1]).to_numpy()][0]
    return {(p, a) for p, a, i in zip(ends.platform, ends.account_id, ids, strict=True) if i == mine} - {seed}


def user_links(pairs: list[tuple[tuple[str, str], tuple[str, str]]]) -> pd.DataFrame:
    """Explicit pairs ((platform, account_id), (platform, account_id)) as LINK_COLUMNS rows, each pair
    once in the same order as suggestions, with reason "linked by you" and confidence 1.0."""
    rows = []
    for first, second in pairs:
        lo, hi = sorted([(str(first[0]), str(first[1])), (str(second[0]), str(second[1]))])
        rows.append((*lo, *hi, LINKED_BY_YOU, 1.0))
    out = pd.DataFrame(rows, columns=LINK_COLUMNS).astype({"confidence": float})
    return out.drop_duplicates(ignore_index=True)
