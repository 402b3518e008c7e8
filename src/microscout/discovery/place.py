"""Place and language of a creator against the brief's `locations` and `languages`, and the
audience against the brief's persona."""

from __future__ import annotations

from dataclasses import dataclass

import ibis
import ibis.expr.types as ir

from microscout.brief import Persona, is_country_code
from microscout.metrics.window import KEY, attach

COUNTRY_ONLY = 0.6      # the right country, another city (when a city was asked for)
POSTED_THERE = 0.8      # at least half of the recent posts that name a place name the city
MIN_PERSONA_SAMPLE = 10  # fewer followers with a known profile field: no estimate


@dataclass(frozen=True)
class Location:
    city: str | None
    country: str | None

    @staticmethod
    def parse(text: str) -> Location:
        """'Berlin, DE' → (berlin, DE); 'DE' → (None, DE); 'Berlin' → (berlin, None)."""
        parts = [p.strip() for p in text.split(",")]
        if len(parts) >= 2 and is_country_code(parts[-1]):
            return Location(", ".join(parts[:-1]).lower() or None, parts[-1].upper())
        if len(parts) == 1 and len(parts[0]) == 2 and parts[0].isalpha() and parts[0].isupper():
            return Location(None, parts[0])
        return Location(text.strip().lower(), None)

    def label(self) -> str:
        return ", ".join(x for x in (self.city.title() if self.city else None, self.country) if x)


def _location_score(c: ir.Table, loc: Location) -> ir.FloatingValue:
    country_ok = (c.country.upper() == loc.country) if loc.country else ibis.literal(True)
    if loc.city is None:
        return ibis.ifelse(country_ok.fill_null(False), 1.0, 0.0)
    city_ok = (c.city.lower() == loc.city) | c.location.lower().contains(loc.city)
    posted = c._posted_share.fill_null(0.0) >= 0.5
    return ibis.cases(
        ((city_ok & country_ok).fill_null(False), 1.0),
        (posted, POSTED_THERE),
        ((c.country.upper() == loc.country).fill_null(False) if loc.country else ibis.literal(False), COUNTRY_ONLY),
        else_=0.0,
    )


def place_scores(creators: ir.Table, recent: ir.Table, locations: list[Location], languages: list[str]) -> ir.Table:
    """(platform, account_id, location_score, language_score, place, place_city_posts) for every
    creator; null parts where the brief asks nothing."""
    c = creators.select(*KEY, "city", "country", "location", "language")
    cities = [loc.city for loc in locations if loc.city]
    if cities:
        named = recent.filter(recent.location.notnull())
        there = ibis.or_(*[named.location.lower().contains(city) for city in cities])
        posted = named.group_by(KEY).agg(_named=named.count(), _there=there.cast("int64").sum())
        posted = posted.mutate(_posted_share=posted._there.cast("float64") / posted._named.cast("float64"))
        c = attach(c, posted.select(*KEY, "_posted_share", place_city_posts="_there"), KEY)
    else:
        c = c.mutate(_posted_share=ibis.null("float64"), place_city_posts=ibis.null("int64"))
    if languages:
        lang_posts = recent.mutate(_in=recent.language.isin(languages).fill_null(False).cast("float64"))
        c = attach(c, lang_posts.group_by(KEY).agg(_lang_share=lang_posts._in.mean()), KEY)
        lang_score = ibis.ifelse(c.language.isin(languages).fill_null(False), 1.0, c._lang_share.fill_null(0.0))
    else:
        lang_score = ibis.null("float64")
    scores = [_location_score(c, loc) for loc in locations]
    loc_score = (ibis.greatest(*scores) if len(scores) > 1 else scores[0]) if scores else ibis.null("float64")
    c = c.mutate(location_score=loc_score, language_score=lang_score)
    if locations and languages:
        # the place asked for comes first: the right language cannot make up for the wrong country
        place = c.location_score * (0.5 + 0.5 * c.language_score)
    else:
        place = c.location_score if locations else c.language_score if languages else ibis.null("float64")
    return c.select(*KEY, "location_score", "language_score", "place_city_posts", place=place)


def follower_profiles(follows: ir.Table, accounts: ir.Table, creators: ir.Table) -> ir.Table:
    """(platform, account_id, dimension, value, n): the follower sample's own countries, cities and
    languages per creator, the stand-in for an audience report (built once per analyze)."""
    edges = follows.select("platform", account_id=follows.followee_id, person=follows.follower_id)
    edges = edges.semi_join(creators, KEY)
    people = accounts.select("platform", person="account_id", country=accounts.country.upper(),
                             city=accounts.city.lower(), language="language")
    e = edges.join(people, ["platform", "person"])
    parts = []
    for dim in ("country", "city", "language"):
        d = e.filter(e[dim].notnull())
        parts.append(d.group_by([*KEY, d[dim].name("value")]).agg(n=d.count()).mutate(dimension=ibis.literal(dim)))
    return ibis.union(*parts, distinct=False).select(*KEY, "dimension", "value", "n")


def persona_scores(profiles: ir.Table, audience: ir.Table, persona: Persona) -> ir.Table:
    """(platform, account_id, audience_match, persona_source, persona_sample): the mean over the
    persona's dimensions of the audience share that fits. From the platform's audience report where
    the bundle has one for every asked dimension, else from the follower sample's profiles
    (follower_profiles) when at least MIN_PERSONA_SAMPLE followers show each asked dimension."""
    dims: list[tuple[str, list[str]]] = []
    if persona.countries:
        dims.append(("country", [x.upper() for x in persona.countries]))
    if persona.cities:
        dims.append(("city", [x.lower() for x in persona.cities]))
    if persona.languages:
        dims.append(("language", list(persona.languages)))
    reported = _reported(audience, persona, dims)
    n_reported = len(dims) + bool(persona.age) + (persona.gender in ("female", "male"))
    sampled = _sampled(profiles, dims)
    out = reported.outer_join(sampled, KEY)
    out = out.select(platform=ibis.coalesce(out.platform, out.platform_right),
                     account_id=ibis.coalesce(out.account_id, out.account_id_right),
                     _r=ibis.ifelse(out._r_dims == n_reported, out._r_match, ibis.null("float64")),
                     _s=out._s_match, _n=out._s_sample)
    return out.select(
        *KEY,
        audience_match=ibis.coalesce(out._r, out._s),
        persona_source=ibis.ifelse(out._r.notnull(), "audience report",
                                   ibis.ifelse(out._s.notnull(), "follower sample", ibis.null("string"))),
        persona_sample=ibis.ifelse(out._r.notnull(), ibis.null("int64"), out._n),
    ).filter(ibis._.audience_match.notnull())


def _age_overlap(band: ir.StringValue, lo: int, hi: int) -> ir.FloatingValue:
    """Share of an age band ('25-34', '65+') inside [lo, hi], assuming ages spread evenly in the band."""
    start = band.re_extract(r"^(\d+)", 1).cast("float64")
    end = ibis.ifelse(band.contains("+"), start + 10.0, band.re_extract(r"-(\d+)$", 1).cast("float64"))
    inside = ibis.least(end, float(hi)) - ibis.greatest(start, float(lo)) + 1.0
    return ibis.greatest(inside, 0.0) / (end - start + 1.0)


def _reported(audience: ir.Table, persona: Persona, dims: list[tuple[str, list[str]]]) -> ir.Table:
    a = audience
    parts = []
    for dim, values in dims:
        d = a.filter(a.dimension == dim)
        value = d.value.lower() if dim == "city" else (d.value.upper() if dim == "country" else d.value)
        parts.append(d.group_by(KEY).agg(m=ibis.ifelse(value.isin(values), d.share, 0.0).sum()))
    if persona.age:
        d = a.filter(a.dimension == "age")
        parts.append(d.group_by(KEY).agg(m=(d.share * _age_overlap(d.value, *persona.age)).sum()))
    if persona.gender in ("female", "male"):
        d = a.filter(a.dimension == "gender")
        parts.append(d.group_by(KEY).agg(m=ibis.ifelse(d.value == persona.gender, d.share, 0.0).sum()))
    if not parts:
        return a.select(*KEY).limit(0).mutate(_r_match=ibis.null("float64"), _r_dims=ibis.null("int64"))
    allp = ibis.union(*parts, distinct=False) if len(parts) > 1 else parts[0]
    return allp.group_by(KEY).agg(_r_match=allp.m.mean(), _r_dims=allp.count())


def _sampled(profiles: ir.Table, dims: list[tuple[str, list[str]]]) -> ir.Table:
    if not dims:
        return profiles.select(*KEY).limit(0).mutate(_s_match=ibis.null("float64"), _s_sample=ibis.null("int64"))
    parts = []
    for dim, values in dims:
        d = profiles.filter(profiles.dimension == dim)
        parts.append(d.group_by(KEY).agg(fit=ibis.ifelse(d.value.isin(values), d.n, 0).sum().cast("float64")
                                         / d.n.sum().cast("float64"), n_known=d.n.sum()))
    allp = ibis.union(*parts, distinct=False) if len(parts) > 1 else parts[0]
    agg = allp.group_by(KEY).agg(_s_match=allp.fit.mean(), _s_sample=allp.n_known.min(), _dims=allp.count())
    return agg.filter((agg._dims == len(dims)) & (agg._s_sample >= MIN_PERSONA_SAMPLE)).select(
        *KEY, "_s_match", "_s_sample")
