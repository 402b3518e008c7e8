"""One creator's figures in the vet contract, with flags and reasons a marketer understands."""

from __future__ import annotations

import math
from typing import Any

from microscout.metrics.creator_metrics import FlagRules
from microscout.sentences import join, say, say_n
from microscout.words import iso_utc

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


def largest_spike(spikes: list[dict[str, Any]]) -> tuple[int, str]:
    """(followers added, its day as YYYY-MM-DD) of the biggest jump in a creator's history."""
    s = max(spikes, key=lambda x: x["followers_added"])
    return int(s["followers_added"]), str(s["at"])[:10]


def flag_reasons(m: dict[str, Any], spikes: list[dict[str, Any]]) -> dict[str, str]:
    reasons: dict[str, str] = {}
    if m.get("flag_bought_followers"):
        lo, hi = as_float(m.get("fake_follower_share_lo")), as_float(m.get("fake_follower_share_hi"))
        text = say("{share:pct1} of {sample:int} sampled followers look fake ({level:pct0} interval {lo:pct1}–{hi:pct1})",
                   share=as_float(m.get("followers_fake_share")), sample=as_int(m.get("followers_sample")),
                   level=0.95, lo=lo, hi=hi)
        if (typical := as_float(m.get("platform_fake_share"))) is not None:
            text += say(", against {typical:pct1} for the typical {platform} creator's audience here",
                        typical=typical, platform=m.get("platform"))
        if spikes:
            added, day = largest_spike(spikes)
            text += say(", after a jump of {added:+int} followers around {day:date}", added=added, day=day)
        vs = as_float(m.get("vs_tier"))
        if vs is not None and vs <= RULES.bought_low_vs_tier:
            text += say("; engagement is {vs:f2}× its tier's median ({rate:pct1})", vs=vs,
                        rate=as_float(m.get("rate_median")))
        reasons["bought_followers"] = text + say(": followers were likely bought.")
    if m.get("flag_bought_engagement"):
        reasons["bought_engagement"] = bought_engagement_reason(m)
    if m.get("flag_engagement_pod"):
        members = [str(x) for x in (m.get("pod_members") or []) if str(x) != str(m.get("handle"))]
        shown = ", ".join("@" + x for x in members[:12]) + (", …" if len(members) > 12 else "")
        reasons["engagement_pod"] = say_n(
            "Comments on, and gets comments from, {count} other creator on {coverage:pct1} of each other's posts, "
            "a median {minutes:f0} minutes after posting: an engagement pod (members: {members}). Its engagement "
            "is partly traded, not earned.",
            "Comments on, and gets comments from, {count} other creators on {coverage:pct1} of each other's posts, "
            "a median {minutes:f0} minutes after posting: an engagement pod (members: {members}). Its engagement "
            "is partly traded, not earned.",
            len(members), coverage=as_float(m.get("pod_coverage")),
            minutes=as_float(m.get("pod_median_minutes")) or 0, members=shown)
    if m.get("flag_inactive"):
        days = as_float(m.get("days_since_last_post"))
        reasons["inactive"] = (say("No post in the 60 days before the data was collected (last post {days:f0} days "
                                   "before).", days=days) if days is not None
                               else say("No post in the 60 days before the data was collected."))
    if m.get("flag_private"):
        reasons["private"] = say("The account is private: its posts and audience cannot be checked by others.")
    if m.get("flag_growth_spike") and spikes:
        added, day = largest_spike(spikes)
        reasons["growth_spike"] = say("{added:+int} followers in one step around {day:date}, far outside its usual "
                                      "growth: check whether a viral post, a giveaway or bought followers explain it.",
                                      added=added, day=day)
    if m.get("flag_generic_comments"):
        reasons["generic_comments"] = say("{share:pct1} of sampled comments are emoji-only or template praise.",
                                          share=as_float(m.get("generic_comment_share")))
    if m.get("flag_heavy_sponsorship"):
        reasons["heavy_sponsorship"] = say_n("{share:pct1} of recent posts are disclosed ads, for {count} brand.",
                                             "{share:pct1} of recent posts are disclosed ads, for {count} brands.",
                                             as_int(m.get("brand_count")) or 0,
                                             share=as_float(m.get("sponsored_share")))
    if m.get("flag_undisclosed_ads"):
        n = as_int(m.get("undisclosed_suspected")) or 0
        reasons["undisclosed_ads"] = say_n(
            "{count} recent post promotes a brand with a code or link but carries no disclosure.",
            "{count} recent posts promote a brand with a code or link but carry no disclosure.", n)
    if m.get("flag_competitor_partner"):
        reasons["competitor_partner"] = say("Recently promoted a competitor: {brands}.",
                                            brands=sorted(m.get("brands") or []))
    return reasons


def bought_engagement_reason(m: dict[str, Any]) -> str:
    parts = []
    spread = as_float(m.get("likes_per_comment_spread"))
    vs = as_float(m.get("vs_tier"))
    if spread is not None and spread >= RULES.likes_spread:
        parts.append(say("some posts get {spread:f1}× the likes per comment of others (over {posts:int} posts) "
                         "while engagement is {vs:f1}× its tier's median: likes were likely bought for those posts",
                         spread=math.exp(spread), posts=as_int(m.get("spread_posts")), vs=vs or 0))
    elif vs is not None and vs >= RULES.likes_far_vs_tier:
        parts.append(say("engagement is {vs:f1}× its tier's median with {lpc:f1}× the usual likes per comment: "
                         "likes were likely bought", vs=vs, lpc=as_float(m.get("lpc_vs_platform")) or 0))
    farm = as_int(m.get("farm_comments")) or 0
    if farm and (as_float(m.get("farm_comment_share_lo")) or 0) >= RULES.farm_share:
        values = {"farm": farm, "sampled": as_int(m.get("farm_comments_sampled")) or 0,
                  "share": as_float(m.get("farm_comment_share"))}
        fake, spray = as_int(m.get("farm_comments_fake_authors")), as_int(m.get("farm_comments_spray_authors"))
        if fake and spray:
            parts.append(say("{farm:int} of {sampled:int} sampled comments ({share:pct1}) are generic praise from "
                             "accounts that look fake and accounts that leave only template praise on many "
                             "unrelated creators: a comment farm", **values))
        elif fake:
            parts.append(say("{farm:int} of {sampled:int} sampled comments ({share:pct1}) are generic praise from "
                             "accounts that look fake: a comment farm", **values))
        elif spray:
            parts.append(say("{farm:int} of {sampled:int} sampled comments ({share:pct1}) are generic praise from "
                             "accounts that leave only template praise on many unrelated creators: a comment farm",
                             **values))
        else:
            parts.append(say("{farm:int} of {sampled:int} sampled comments ({share:pct1}) are generic praise from "
                             "suspicious accounts: a comment farm", **values))
    text = join("; ", parts) if parts else say("engagement does not look earned")
    return (text + ".").capitalised()


def vet_record(m: dict[str, Any], spikes: list[dict[str, Any]], tier_scheme: str) -> dict[str, Any]:
    """The vet contract (SCHEMA.md) from a creator_metrics row and its spikes."""
    spikes = sorted(({"at": iso_utc(s["at"]), "followers_added": int(s["followers_added"])} for s in spikes),
                    key=lambda s: s["at"] or "")
    flags = [k for k in FLAG_KEYS if m.get(f"flag_{k}")]
    rate = as_float(m.get("rate_median"))
    vs = as_float(m.get("vs_tier"))
    tier_median = as_float(m.get("tier_median"))
    posts_used = as_int(m.get("posts_used")) or 0
    reasons: list[str] = []
    if rate is not None:
        line = say_n("Engagement {rate:pct1} (median of {count:int} recent post)",
                     "Engagement {rate:pct1} (median of {count:int} recent posts)", posts_used, rate=rate)
        sample = as_int(m.get("tier_sample")) or 0
        if vs is not None and tier_median is not None and sample >= MIN_BENCHMARK_SAMPLE:
            line += say(", {vs:f1}× the median of its tier ({median:pct1} across {sample:int} {tier} {platform} "
                        "creators here)", vs=vs, median=tier_median, sample=sample, tier=m.get("tier"),
                        platform=m.get("platform"))
        elif tier_median is not None:
            line += say("; {tier} {platform} creators here: only {sample:int}, with this one, too few for a tier "
                        "benchmark (theirs is {median:pct1})", tier=m.get("tier"), platform=m.get("platform"),
                        sample=sample, median=tier_median)
        reasons.append(line + ".")
    else:
        reasons.append(say("No recent post with both likes and comments known: engagement cannot be measured."))
    weekly = as_float(m.get("weekly_rate"))
    if weekly is not None:
        reasons.append(say("Followers grow {weekly:+pct2} a week over the last {days:f0} days.", weekly=weekly,
                           days=as_float(m.get("growth_days"))))
    ppw = as_float(m.get("posts_per_week"))
    if ppw is not None:
        reasons.append(say("Posts {ppw:f1} times a week.", ppw=ppw))
    share = as_float(m.get("sponsored_share"))
    if share:
        brands = sorted(m.get("brands") or [])
        reasons.append(say("{share:pct1} of recent posts are disclosed ads (brands: {brands}).", share=share,
                           brands=brands[:5]) if brands
                       else say("{share:pct1} of recent posts are disclosed ads.", share=share))
    repeat, reply = as_float(m.get("repeat_commenter_share")), as_float(m.get("reply_rate"))
    if repeat is not None:
        reasons.append(say("{repeat:pct1} of sampled comments come from people who comment again and again; the "
                           "creator answers {reply:pct1} of them.", repeat=repeat, reply=reply))
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
    text = say("Audience quality {score}/100: {share:pct1} of {sample:int} sampled followers look fake",
               score=aq["quality_score"], share=aq["fake_follower_share"], sample=aq["sample_size"])
    fakes = as_int(m.get("_followers_fakes")) or 0
    if fakes:
        share_of = {key: (as_int(m.get(f"_followers_fake_{key}")) or 0) / fakes
                    for key in ("no_picture", "following", "no_posts")}
        parts = [part for key, part in (
            ("no_picture", say("no picture {share:pct0}", share=share_of["no_picture"])),
            ("following", say("following > 2,000 {share:pct0}", share=share_of["following"])),
            ("no_posts", say("no posts {share:pct0}", share=share_of["no_posts"]))) if share_of[key]]
        if parts:
            text += say(" ({signs} of them)", signs=join(", ", parts))
    mass = aq["mass_follower_share"]
    if mass:
        text += say("; {mass:pct1} are mass followers (following > 1,500)", mass=mass)
    farm = as_float(m.get("farm_comment_share"))
    if farm and farm >= 0.1:
        text += say("; {farm:pct1} of sampled comments come from comment farms", farm=farm)
    if spikes:
        added, day = largest_spike(spikes)
        text += say("; {added:+int} followers in one step around {day:date}", added=added, day=day)
    vs = as_float(m.get("vs_tier"))
    if vs is not None and vs <= 0.5:
        text += say("; engagement {rate:pct1}, {vs:f2}× its tier's median", rate=as_float(m.get("rate_median")),
                    vs=vs)
    return text + "."
