"""One creator's figures in the vet contract, with flags and reasons a marketer understands."""

from __future__ import annotations

import math
from typing import Any

from microscout.metrics.creator_metrics import FlagRules
from microscout.words import iso_utc, plural

# below this many creators in a tier, its median is one or two accounts' rates, not a benchmark
MIN_BENCHMARK_SAMPLE = 10
RULES = FlagRules()  # the thresholds the flags were raised with decide which reasons are worded
FRAUD_FLAGS = ("bought_followers", "bought_engagement", "engagement_pod")
FLAG_KEYS = (*FRAUD_FLAGS, "inactive", "private", "growth_spike", "generic_comments", "heavy_sponsorship",
             "undisclosed_ads", "competitor_partner")


def as_float(value: Any) -> float | None:
    if value is None:
        return None
    try:
        f = float(value)
    except (TypeError, ValueError):
        return None
    return None if math.isnan(f) else f


def as_int(value: Any) -> int | None:
    f = as_float(value)
    return None if f is None else round(f)


def _pct(x: float | None) -> str:
    return "unknown" if x is None else f"{x * 100:.1f}%"


def largest_spike(spikes: list[dict[str, Any]]) -> tuple[int, str]:
    """(followers added, its day as YYYY-MM-DD) of the biggest jump in a creator's history."""
    s = max(spikes, key=lambda x: x["followers_added"])
    return int(s["followers_added"]), str(s["at"])[:10]


def flag_reasons(m: dict[str, Any], spikes: list[dict[str, Any]]) -> dict[str, str]:
    reasons: dict[str, str] = {}
    if m.get("flag_bought_followers"):
        lo, hi = as_float(m.get("fake_follower_share_lo")), as_float(m.get("fake_follower_share_hi"))
        text = (f"{_pct(as_float(m.get('followers_fake_share')))} of {as_int(m.get('followers_sample'))} sampled "
                f"followers look fake (95% interval {_pct(lo)}–{_pct(hi)})")
        if (typical := as_float(m.get("platform_fake_share"))) is not None:
            text += f", against {_pct(typical)} for the typical {m.get('platform')} creator's audience here"
        if spikes:
            added, day = largest_spike(spikes)
            text += f", after a jump of +{added:,} followers around {day}"
        vs = as_float(m.get("vs_tier"))
        if vs is not None and vs <= RULES.bought_low_vs_tier:
            text += f"; engagement is {vs:.2f}× its tier's median ({_pct(as_float(m.get('rate_median')))})"
        reasons["bought_followers"] = text + ": followers were likely bought."
    if m.get("flag_bought_engagement"):
        reasons["bought_engagement"] = bought_engagement_reason(m)
    if m.get("flag_engagement_pod"):
        members = [str(x) for x in (m.get("pod_members") or []) if str(x) != str(m.get("handle"))]
        reasons["engagement_pod"] = (
            f"Comments on, and gets comments from, {len(members)} other creators on "
            f"{_pct(as_float(m.get('pod_coverage')))} of each other's posts, a median "
            f"{as_float(m.get('pod_median_minutes')) or 0:.0f} minutes after posting: an engagement pod "
            f"(members: {', '.join('@' + x for x in members[:12])}{', …' if len(members) > 12 else ''}). "
            "Its engagement is partly traded, not earned.")
    if m.get("flag_inactive"):
        days = as_float(m.get("days_since_last_post"))
        reasons["inactive"] = ("No post in the 60 days before the data was collected"
                               + (f" (last post {days:.0f} days before)." if days is not None else "."))
    if m.get("flag_private"):
        reasons["private"] = "The account is private: its posts and audience cannot be checked by others."
    if m.get("flag_growth_spike") and spikes:
        added, day = largest_spike(spikes)
        reasons["growth_spike"] = (f"+{added:,} followers in one step around {day}, far "
                                   "outside its usual growth: check whether a viral post, a giveaway or bought "
                                   "followers explain it.")
    if m.get("flag_generic_comments"):
        reasons["generic_comments"] = (f"{_pct(as_float(m.get('generic_comment_share')))} of sampled comments are "
                                       "emoji-only or template praise.")
    if m.get("flag_heavy_sponsorship"):
        reasons["heavy_sponsorship"] = (f"{_pct(as_float(m.get('sponsored_share')))} of recent posts are disclosed ads, "
                                        f"for {as_int(m.get('brand_count')) or 0} brands.")
    if m.get("flag_undisclosed_ads"):
        reasons["undisclosed_ads"] = (f"{as_int(m.get('undisclosed_suspected'))} recent posts promote a brand with a "
                                      "code or link but carry no disclosure.")
    if m.get("flag_competitor_partner"):
        reasons["competitor_partner"] = "Recently promoted a competitor: " + ", ".join(sorted(m.get("brands") or [])) + "."
    return reasons


def bought_engagement_reason(m: dict[str, Any]) -> str:
    parts = []
    spread = as_float(m.get("likes_per_comment_spread"))
    vs = as_float(m.get("vs_tier"))
    if spread is not None and spread >= RULES.likes_spread:
        parts.append(f"some posts get {math.exp(spread):.1f}× the likes per comment of others "
                     f"(over {as_int(m.get('spread_posts'))} posts) while engagement is "
                     f"{vs or 0:.1f}× its tier's median: likes were likely bought for those posts")
    elif vs is not None and vs >= RULES.likes_far_vs_tier:
        parts.append(f"engagement is {vs:.1f}× its tier's median with "
                     f"{as_float(m.get('lpc_vs_platform')) or 0:.1f}× the usual likes per comment: likes were "
                     "likely bought")
    farm = as_int(m.get("farm_comments")) or 0
    if farm and (as_float(m.get("farm_comment_share_lo")) or 0) >= RULES.farm_share:
        n = as_int(m.get("farm_comments_sampled")) or 0
        who = []
        if as_int(m.get("farm_comments_fake_authors")):
            who.append("accounts that look fake")
        if as_int(m.get("farm_comments_spray_authors")):
            who.append("accounts that leave only template praise on many unrelated creators")
        parts.append(f"{farm} of {n} sampled comments ({_pct(as_float(m.get('farm_comment_share')))}) are generic "
                     f"praise from {' and '.join(who) or 'suspicious accounts'}: a comment farm")
    text = "; ".join(parts) or "engagement does not look earned"
    return text[0].upper() + text[1:] + "."


def vet_record(m: dict[str, Any], spikes: list[dict[str, Any]], tier_scheme: str) -> dict[str, Any]:
    """The vet contract (SCHEMA.md) from a creator_metrics row and its spikes."""
    spikes = sorted(({"at": iso_utc(s["at"]), "followers_added": int(s["followers_added"])} for s in spikes),
                    key=lambda s: s["at"] or "")
    flags = [k for k in FLAG_KEYS if m.get(f"flag_{k}")]
    rate = as_float(m.get("rate_median"))
    vs = as_float(m.get("vs_tier"))
    tier_median = as_float(m.get("tier_median"))
    posts_used = as_int(m.get("posts_used")) or 0
    reasons = []
    if rate is not None:
        line = f"Engagement {_pct(rate)} (median of {plural(posts_used, 'recent post')})"
        sample = as_int(m.get("tier_sample")) or 0
        if vs is not None and tier_median is not None and sample >= MIN_BENCHMARK_SAMPLE:
            line += (f", {vs:.1f}× the median of its tier ({_pct(tier_median)} across "
                     f"{sample} {m.get('tier')} {m.get('platform')} creators here)")
        elif tier_median is not None:
            line += (f"; {m.get('tier')} {m.get('platform')} creators here: only {sample}, with this one, "
                     f"too few for a tier benchmark (theirs is {_pct(tier_median)})")
        reasons.append(line + ".")
    else:
        reasons.append("No recent post with both likes and comments known: engagement cannot be measured.")
    weekly = as_float(m.get("weekly_rate"))
    if weekly is not None:
        reasons.append(f"Followers grow {weekly * 100:+.2f}% a week over the last {as_float(m.get('growth_days')):.0f} days.")
    ppw = as_float(m.get("posts_per_week"))
    if ppw is not None:
        reasons.append(f"Posts {ppw:.1f} times a week.")
    share = as_float(m.get("sponsored_share"))
    if share:
        brands = sorted(m.get("brands") or [])
        reasons.append(f"{_pct(share)} of recent posts are disclosed ads" + (f" (brands: {', '.join(brands[:5])})."
                                                                             if brands else "."))
    repeat, reply = as_float(m.get("repeat_commenter_share")), as_float(m.get("reply_rate"))
    if repeat is not None:
        reasons.append(f"{_pct(repeat)} of sampled comments come from people who comment again and again; "
                       f"the creator answers {_pct(reply)} of them.")
    aq = audience_record(m)
    if aq["quality_score"] is not None:
        reasons.insert(0, audience_reason(m, aq, spikes))
    fr = flag_reasons(m, spikes)
    return {
        "platform": m["platform"], "account_id": m["account_id"], "handle": m.get("handle"),
        "followers": as_int(m.get("followers")), "as_of": iso_utc(m.get("as_of")), "tier": m.get("tier"),
        "tier_scheme": tier_scheme,
        "engagement": {
            "rate_median": rate, "rate_mean": as_float(m.get("rate_mean")), "posts_used": posts_used,
            "tier_benchmark_median": tier_median, "vs_tier": vs,
            "tier_benchmark_q1": as_float(m.get("tier_q1")), "tier_benchmark_q3": as_float(m.get("tier_q3")),
            "tier_benchmark_sample": as_int(m.get("tier_sample")),
            "like_to_comment": as_float(m.get("like_to_comment")),
            "rate_with_shares_saves": as_float(m.get("rate_with_shares_saves")),
            "rate_by_views": as_float(m.get("rate_by_views")),
        },
        "growth": {"weekly_rate": weekly, "spikes": spikes},
        "activity": {"posts_per_week": ppw, "posting_regularity": as_float(m.get("posting_regularity")),
                     "days_since_last_post": as_float(m.get("days_since_last_post"))},
        "sponsorship": {"sponsored_share": share, "brands": sorted(m.get("brands") or []),
                        "undisclosed_suspected": as_int(m.get("undisclosed_suspected")),
                        "buried_disclosures": as_int(m.get("buried_disclosures"))},
        "community": {"repeat_commenter_share": repeat, "reply_rate": reply,
                      "generic_comment_share": as_float(m.get("generic_comment_share")),
                      "comments_sampled": as_int(m.get("comments_sampled")),
                      "distinct_commenters_per_post": as_float(m.get("distinct_commenters_per_post")),
                      "median_reply_minutes": as_float(m.get("median_reply_minutes")),
                      "conversation_share": as_float(m.get("conversation_share")),
                      "comments_in_creator_language": as_float(m.get("comments_in_creator_language")),
                      "median_comment_length": as_float(m.get("median_comment_length"))},
        "audience": audience_record(m),
        "engagement_checks": engagement_checks(m),
        "flags": flags, "flag_reasons": fr, "reasons": reasons,
    }


def audience_record(m: dict[str, Any]) -> dict[str, Any]:
    lo, hi = as_float(m.get("fake_follower_share_lo")), as_float(m.get("fake_follower_share_hi"))
    return {
        "quality_score": as_int(m.get("audience_quality")),
        "fake_follower_share": as_float(m.get("followers_fake_share")),
        "fake_follower_share_ci": [lo, hi] if lo is not None and hi is not None else None,
        "sample_size": as_int(m.get("followers_sample")),
        "mass_follower_share": as_float(m.get("followers_mass_share")),
        "real_follower_share": as_float(m.get("followers_real_share")),
        "commenters": {"sample_size": as_int(m.get("commenters_sample")),
                       "fake_share": as_float(m.get("commenters_fake_share")),
                       "mass_share": as_float(m.get("commenters_mass_share")),
                       "real_share": as_float(m.get("commenters_real_share"))},
        "quality_version": as_int(m.get("audience_quality_version")),
        "quality_parts": {"followers": as_float(m.get("audience_follower_part")),
                          "commenters": as_float(m.get("audience_commenter_part")),
                          "weights": {"followers": 0.7, "commenters": 0.3}},
    }


def engagement_checks(m: dict[str, Any]) -> dict[str, Any]:
    """The figures behind bought_engagement and engagement_pod."""
    pod = None
    if m.get("pod_id"):
        pod = {"id": m.get("pod_id"), "size": as_int(m.get("pod_size")), "members": list(m.get("pod_members") or []),
               "coverage": as_float(m.get("pod_coverage")), "median_minutes": as_float(m.get("pod_median_minutes"))}
    return {
        "likes_per_comment_median": as_float(m.get("likes_per_comment_median")),
        "likes_per_comment_vs_platform": as_float(m.get("lpc_vs_platform")),
        "likes_per_comment_spread": as_float(m.get("likes_per_comment_spread")),
        "spread_posts": as_int(m.get("spread_posts")),
        "farm_comments": as_int(m.get("farm_comments")),
        "farm_comment_share": as_float(m.get("farm_comment_share")),
        "farm_comment_share_ci": [as_float(m.get("farm_comment_share_lo")), as_float(m.get("farm_comment_share_hi"))]
        if m.get("farm_comment_share_lo") is not None else None,
        "pod": pod,
    }


def audience_reason(m: dict[str, Any], aq: dict[str, Any], spikes: list[dict[str, Any]]) -> str:
    """'Audience quality 41/100: 58% of 300 sampled followers look fake (no picture 71%, ...); +9,800
    followers in one step around 2026-03-10; engagement 0.4%, 0.10× its tier's median.'"""
    text = (f"Audience quality {aq['quality_score']}/100: {_pct(aq['fake_follower_share'])} of "
            f"{aq['sample_size']:,} sampled followers look fake")
    fakes = as_int(m.get("_followers_fakes")) or 0
    if fakes:
        signs = [(as_int(m.get("_followers_fake_no_picture")) or 0, "no picture"),
                 (as_int(m.get("_followers_fake_following")) or 0, "following > 2,000"),
                 (as_int(m.get("_followers_fake_no_posts")) or 0, "no posts")]
        parts = [f"{label} {count / fakes * 100:.0f}%" for count, label in signs if count]
        if parts:
            text += f" ({', '.join(parts)} of them)"
    mass = aq["mass_follower_share"]
    if mass:
        text += f"; {_pct(mass)} are mass followers (following > 1,500)"
    farm = as_float(m.get("farm_comment_share"))
    if farm and farm >= 0.1:
        text += f"; {_pct(farm)} of sampled comments come from comment farms"
    if spikes:
        added, day = largest_spike(spikes)
        text += f"; +{added:,} followers in one step around {day}"
    vs = as_float(m.get("vs_tier"))
    if vs is not None and vs <= 0.5:
        text += f"; engagement {_pct(as_float(m.get('rate_median')))}, {vs:.2f}× its tier's median"
    return text + "."
