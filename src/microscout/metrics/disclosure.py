"""How creators disclose paid posts, in many languages, and what an undisclosed ad looks like.

Tags are matched as whole hashtags, never inside other words: #ad, never #adidas or
#adventure. Patterns use only regular-expression features that DuckDB (RE2) and Spark
(Java) read alike: no look-arounds, no \\b (Java's is ASCII-only by default).
"""

from __future__ import annotations

# Hashtags (lower-case, without '#') that disclose a paid post.
DISCLOSURE_TAGS = (
    # en
    "ad", "ads", "advert", "advertisement", "sponsored", "paidpartnership", "paidad", "spon", "sponsoredpost",
    # de
    "anzeige", "werbung", "bezahltepartnerschaft", "werbunginformation",
    # pl
    "reklama", "współpraca", "wspolpraca", "materiałsponsorowany", "materialsponsorowany", "płatnawspółpraca",
    "sponsorowane",
    # da, no, sv
    "reklame", "annonce", "sponsoreret", "betaltsamarbejde", "annons", "reklam", "samarbete",
    # nl
    "advertentie", "gesponsord", "gesponsorde", "betaaldepartnerschap",
    # fr
    "publicité", "publicite", "sponsorisé", "sponsorise", "partenariat", "partenariatrémunéré",
    # es, it, pt
    "publicidad", "patrocinado", "pubblicità", "pubblicita", "sponsorizzato", "publi", "publicidade",
)

# Phrases (lower-case) that disclose a paid post in the caption text.
DISCLOSURE_PHRASES = (
    "paid partnership", "sponsored by", "in paid partnership",
    "bezahlte partnerschaft", "werbung für", "werbung |", "werbung:", "anzeige |", "anzeige:", "unbezahlte werbung",
    "płatna współpraca", "materiał sponsorowany", "współpraca reklamowa",
    "betalt samarbejde", "reklame for", "i samarbejde med",
    "betaalde samenwerking", "in samenwerking met", "gesponsord door",
    "partenariat rémunéré", "en partenariat avec", "sponsorisé par",
    "colaboración pagada", "collaborazione retribuita",
)

# A promotion without a disclosure: a discount code, an affiliate link, "use code".
PROMOTION_PATTERN = (
    r"(?i)(use code|discount code|promo ?code|with code|code:|rabattcode|gutschein|mit dem code|mit code"
    r"|kod rabatowy|z kodem|kod:|brug koden|rabatkode|met de code|kortingscode|avec le code|code promo"
    r"|(^|[^\p{L}])(code|kod|kode|koden|codice|código) [\p{L}]*[0-9][\p{L}0-9]*"
    r"|código|codice sconto|affiliate|affiliate link|link in bio|-[0-9]+ ?%|[0-9]+ ?% (off|rabatt|rabat|korting|de réduction)"
    r"|[?&](ref|aff|affiliate|tag)=|amzn\.to|bit\.ly)"
)


def phrase_pattern() -> str:
    """Regex matching any disclosure phrase, case-insensitively."""
    escaped = [p.replace("|", r"\|").replace(".", r"\.") for p in DISCLOSURE_PHRASES]
    return "(?i)(" + "|".join(escaped) + ")"


def tag_pattern() -> str:
    """Regex matching a disclosure hashtag as a whole tag (#ad, never #adidas), in whatever text it is
    applied to: the whole caption (read whatever the bundle's hashtags column says, since many exports
    leave it empty), or its first line (where a disclosure must be seen)."""
    tags = "|".join(sorted(DISCLOSURE_TAGS, key=len, reverse=True))
    return r"(?i)(^|[^\p{L}\p{N}_])#(" + tags + r")([^\p{L}\p{N}_]|$)"
