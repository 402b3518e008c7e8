"""The dashboard's languages: which language a request gets (the page's choice kept in a cookie,
the workspace's setting, the browser's), and the words shown for the codes the pages offer.
Catalogs, numbers and dates: microscout/translations.py."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from jinja2 import Environment, pass_context
from jinja2.runtime import Context
from starlette.requests import Request
from starlette.responses import Response

from microscout.plan.names import STRATEGY_NAMES
from microscout.sentences import render
from microscout.translations import LANGUAGES, N_, SOURCE, context_language, known, translations
from microscout.translations import install as install_translations

COOKIE = "microscout_lang"
COOKIE_MAX_AGE = 365 * 24 * 3600

# codes the pages offer as choices or show as names, with the words shown for them
CHOICE_LABELS = {
    # scout's score parts
    "relevance": N_("relevance"), "place": N_("place"), "authenticity": N_("authenticity"),
    "engagement": N_("engagement"), "community": N_("community"), "audience_match": N_("audience match"),
    "brand_fit": N_("brand fit"), "influence": N_("influence"),
    # the creators list's orders
    "-followers": N_("most followers first"), "followers": N_("fewest followers first"),
    "-engagement_rate": N_("highest engagement first"), "-audience_quality": N_("best audience quality first"),
    "-vs_tier": N_("most engagement against the tier first"), "-weekly_growth": N_("fastest growth first"),
    "handle": N_("by handle, A to Z"),
    # the planner's objectives
    "unique_reach": N_("unique reach"), "engagements": N_("engagements"), "conversions": N_("conversions"),
    # the plan's strategies and how each was solved
    **STRATEGY_NAMES, "greedy": N_("greedy"), "exact": N_("exact"),
    "exact (time limit: best found)": N_("exact (time limit: best found)"),
    "best single creator": N_("best single creator"),
    "best-scoring macro creator that fits": N_("best-scoring macro creator that fits"),
    # caution and fraud flags, shown as badges
    "bought_followers": N_("bought followers"), "bought_engagement": N_("bought engagement"),
    "engagement_pod": N_("engagement pod"), "inactive": N_("inactive"), "private": N_("private"),
    "growth_spike": N_("growth spike"), "generic_comments": N_("generic comments"),
    "heavy_sponsorship": N_("heavy sponsorship"), "undisclosed_ads": N_("undisclosed ads"),
    "competitor_partner": N_("works with a competitor"),
}


# --- which language a request gets


def from_accept_language(header: str) -> str | None:
    """The browser's most wanted language among LANGUAGES (RFC 9110 weights; q=0 means not)."""
    wanted: list[tuple[float, int, str]] = []
    for i, part in enumerate(header.split(",")):
        tag, _, params = part.partition(";")
        q = 1.0
        for param in params.split(";"):
            name, _, value = param.strip().partition("=")
            if name.strip().lower() == "q":
                try:
                    q = float(value)
                except ValueError:
                    q = 0.0
        if q > 0:
            wanted.append((-q, i, tag))
    for _, _, tag in sorted(wanted):
        if (lang := known(tag)) is not None:
            return lang
    return None


def language_of(request: Request, setting: str | None = None) -> str:
    """A choice made on the page (`?lang=`, kept in a cookie), else the workspace's `language`
    setting (an agency that works in one language sets it once), else the browser's, else English."""
    return (known(request.query_params.get("lang")) or known(request.cookies.get(COOKIE)) or known(setting)
            or from_accept_language(request.headers.get("accept-language", "")) or SOURCE)


def remember_language(request: Request, response: Response) -> None:
    """A language picked with `?lang=` sticks: the next pages come in it without the parameter."""
    if (lang := known(request.query_params.get("lang"))) is not None:
        response.set_cookie(COOKIE, lang, max_age=COOKIE_MAX_AGE, httponly=True, samesite="lax")


def switch_links(request: Request) -> dict[str, str]:
    """Per language, this page in it: the same query with `lang` set."""
    kept = [(k, v) for k, v in request.query_params.multi_items() if k != "lang"]
    return {lang: "?" + urlencode([*kept, ("lang", lang)]) for lang in LANGUAGES}


@pass_context
def _said(context: Context, text: Any) -> str:
    """An analytics sentence (microscout/sentences.py) in the page's language."""
    return render(text, context_language(context))


@pass_context
def _label(context: Context, code: Any) -> str:
    """The words for a code the pages show (a flag, a strategy), in the page's language; an unknown
    code as it is."""
    words = CHOICE_LABELS.get(str(code))
    return str(code) if words is None else translations(context_language(context)).gettext(words)


def install(env: Environment) -> None:
    """The translations' Jinja parts (microscout/translations.py), the pages' choice labels, and the
    `said` (a sentence) and `label` (a code) filters."""
    install_translations(env)
    env.globals.update(choice_labels=CHOICE_LABELS)
    env.filters.update(said=_said, label=_label)
