"""The dashboard in the reader's language: which language a request gets (the page's choice, kept
in a cookie; the workspace's setting; the browser's; English), the catalogs against the strings the
templates and pages mark, and numbers written as the locale writes them. A real server on
loopback, asked over HTTP."""

from __future__ import annotations

import ast
import re
import string
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest
from babel.messages.pofile import read_po
from tests.conftest import social_world
from tests.web.conftest import running

from microscout import open_workspace
from microscout.translations import LANGUAGES, LOCALE_DIR, SOURCE
from microscout.web.compare import compare_rows
from microscout.web.i18n import COOKIE, from_accept_language

ACCOUNT_COLS = "account_id,handle,followers,following,posts_count,bio,has_profile_pic,is_private"
POST_COLS = "post_id,account_id,created_at,likes,comments,caption"
TRANSLATED = ("de", "pl", "da", "nl")
POT = LOCALE_DIR / "messages.pot"
NBSP, NNBSP = "\u00a0", "\u202f"


def _po(lang: str) -> Path:
    return LOCALE_DIR / lang / "LC_MESSAGES" / "messages.po"


def _catalog(path: Path):
    with path.open("rb") as f:
        return read_po(f)


@pytest.fixture(scope="module")
def url(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("i18n")
    accounts = [("c1", "lena.bakes", 12_000, 300, 40, "Vegane Kuchen", True, False)]
    accounts += [(f"p{j}", f"person{j}", 100, 200, 3, None, True, False) for j in range(20)]
    posts = [(f"c1-{k}", "c1", f"2026-10-{k + 1:02d}T10:00:00Z", 400, 12, "Veganer Kuchen") for k in range(5)]
    ws = social_world(tmp, ACCOUNT_COLS, accounts, POST_COLS, posts, [(f"p{j}", "c1") for j in range(20)])
    ws.analyze()
    with running(ws) as served:
        yield served
    ws.close()


def _lang(html: str) -> str:
    found = re.search(r'<html lang="([^"]+)"', html)
    assert found, html[:200]
    return found.group(1)


def test_without_a_choice_the_page_is_english(url):
    page = httpx.get(f"{url}/").text
    assert _lang(page) == "en" and ">Search</a>" in page


def test_the_browsers_language_picks_the_pages(url):
    page = httpx.get(f"{url}/", headers={"Accept-Language": "de-DE,de;q=0.9"}).text
    assert _lang(page) == "de"
    # the navigation, translated for this test in the de catalog
    assert ">Suche</a>" in page and ">Planer</a>" in page and ">Search</a>" not in page
    # the browser's order of preference, weights included
    assert _lang(httpx.get(f"{url}/", headers={"Accept-Language": "fr-FR, nl;q=0.5, da;q=0.8"}).text) == "da"


def test_a_language_picked_on_the_page_sticks_in_a_cookie(url):
    with httpx.Client(base_url=url) as client:
        first = client.get("/creators", params={"lang": "pl"})
        assert _lang(first.text) == "pl" and first.cookies.get(COOKIE) == "pl"
        # later pages, without the parameter, and whatever the browser prefers
        assert _lang(client.get("/data").text) == "pl"
        assert _lang(client.get("/", headers={"Accept-Language": "de"}).text) == "pl"
        # the switcher links to this page in each language
        page = client.get("/creators", params={"tier": "micro"}).text
        assert 'href="?tier=micro&amp;lang=nl"' in page and 'aria-current="true">Polski</a>' in page


def test_an_unknown_language_falls_back_to_english(url):
    unknown = httpx.get(f"{url}/", params={"lang": "xx"})
    assert _lang(unknown.text) == "en" and COOKIE not in unknown.cookies
    assert _lang(httpx.get(f"{url}/", headers={"Accept-Language": "fr-FR,fr;q=0.9"}).text) == "en"
    assert _lang(httpx.get(f"{url}/", headers={"Accept-Language": "*;q=0.5,;q=x,de;q=0"}).text) == "en"
    assert _lang(httpx.get(f"{url}/", cookies={COOKIE: "klingon"}).text) == "en"


def test_the_workspace_setting_wins_over_the_browser_and_a_page_choice_over_the_setting(tmp_path):
    ws = open_workspace(db=tmp_path / "nl.duckdb", config_file=None, language="nl")
    try:
        with running(ws) as served:
            assert _lang(httpx.get(f"{served}/login").text) == "nl"
            assert _lang(httpx.get(f"{served}/login", headers={"Accept-Language": "fr"}).text) == "nl"
            assert _lang(httpx.get(f"{served}/login", headers={"Accept-Language": "de"}).text) == "nl"
            assert _lang(httpx.get(f"{served}/login", params={"lang": "pl"}).text) == "pl"
    finally:
        ws.close()


def test_numbers_are_written_as_the_locale_writes_them(url):
    def followers(lang: str) -> str:
        page = httpx.get(f"{url}/creators", params={"lang": lang}).text
        return re.search(r'<td class="num">([^<]*)</td>', page).group(1)

    assert followers("en") == "12,000"
    assert followers("de") == "12.000"
    assert followers("pl") in (f"12{NBSP}000", f"12{NNBSP}000")  # CLDR: a no-break space
    profile = httpx.get(f"{url}/creators/instagram/c1", headers={"Accept-Language": "de"}).text
    assert "12.000 Follower" in profile and "12.000 followers" not in profile
    assert "Oct 5, 2026" in httpx.get(f"{url}/creators/instagram/c1").text
    assert "05.10.2026" in profile  # the newest post's date, in German's medium form


def test_the_compare_rows_in_german():
    record = {"platform": "instagram", "account_id": "a", "handle": "a", "tier": "micro", "followers": 12_000,
              "engagement": {"rate_median": 0.051}, "growth": {"weekly_rate": 0.02}}
    rows = {r["label"]: [c["text"] for c in r["cells"]] for r in compare_rows([record], "de")}
    assert rows["Follower"] == ["12.000"]
    assert rows["Engagement-Rate (Median)"] == [f"5,1{NBSP}%"]
    assert rows["Wöchentliches Follower-Wachstum"] == [f"+2,0{NBSP}%"]
    assert rows["Beiträge pro Woche"] == ["unbekannt"]


def test_requests_in_different_languages_at_once_each_get_their_own(url):
    wanted = [LANGUAGES[i % len(LANGUAGES)] for i in range(40)]

    def ask(lang: str) -> str:
        return _lang(httpx.get(f"{url}/creators", headers={"Accept-Language": lang}).text)

    with ThreadPoolExecutor(8) as pool:
        assert list(pool.map(ask, wanted)) == wanted


def test_the_accept_language_header_is_read_by_its_weights():
    assert from_accept_language("de-DE,de;q=0.9") == "de"
    assert from_accept_language("en-GB;q=0.3, pl-PL;q=0.7") == "pl"
    assert from_accept_language("pt-BR, nl-BE;q=0.1") == "nl"
    assert from_accept_language("") is None and from_accept_language("fr, de;q=0") is None


def test_every_translation_keeps_the_placeholders_of_its_english():
    """A translator's typo in %(name)s would break the page: Babel's own checks, per filled entry."""
    for lang in TRANSLATED:
        problems = [(m.id, [str(e) for e in errors]) for m, errors in _catalog(_po(lang)).check()]
        assert not problems, (lang, problems)


def _fields(text: str) -> set[str]:
    """The `{name:format}` fields of a sentence template (microscout/sentences.py)."""
    return {f"{name}:{spec}" for _, name, spec, _ in string.Formatter().parse(text) if name is not None}


def test_every_translated_sentence_keeps_the_fields_of_its_english():
    """A sentence template's translation names the same values with the same formats (a plural form
    may leave the count unsaid, as Polish 'jeden' or German 'einem' do), else a page would fail to
    say it."""
    for lang in TRANSLATED:
        bad = []
        for m in _catalog(_po(lang)):
            ids = m.id if isinstance(m.id, tuple) else (m.id,)
            if not m.id or "{" not in ids[0] or not m.string:
                continue
            wanted = _fields(ids[-1]) | _fields(ids[0])
            forms = m.string if isinstance(m.string, tuple) else (m.string,)
            for form in forms:
                try:
                    got = _fields(form)
                except ValueError as e:
                    bad.append((ids[0], form, str(e)))
                    continue
                if not (got == wanted or (len(ids) == 2 and got | {f for f in wanted if f.startswith("count:")} == wanted)):
                    bad.append((ids[0], form, sorted(wanted ^ got)))
        assert not bad, (lang, bad)


def test_the_template_holds_every_string_of_the_code():
    """The catalogs' template is in step with the code: every string marked in the templates, the
    pages and the analytics' sentences (say, say_n) is in it (docs/web.md: pybabel extract)."""
    from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
    from babel.messages.frontend import parse_mapping_cfg

    root = LOCALE_DIR.parents[2]
    with (root / "babel.cfg").open() as f:
        method_map, options_map = parse_mapping_cfg(f)
    keywords = {**DEFAULT_KEYWORDS, "say": None, "say_n": (1, 2)}
    found = {msg[0] if isinstance(msg, tuple) else msg
             for _, _, msg, *_ in extract_from_dir(root, method_map, options_map, keywords=keywords)}
    template = {m.id[0] if isinstance(m.id, tuple) else m.id for m in _catalog(POT) if m.id}
    assert {"Posts {ppw:f1} times a week.", "Save", "inactive"} <= found  # the extraction reached the code
    assert found - template == set(), "run pybabel extract and update (docs/web.md, Translations)"
    # pybabel misses a say() inside another's arguments: each must be a call of its own
    said = set()
    for path in (root / "src" / "microscout").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and getattr(node.func, "id", None) in ("say", "say_n") and node.args \
                    and isinstance(node.args[0], ast.Constant):
                said.add(node.args[0].value)
    assert len(said) > 80 and said - found == set(), "a say() nested in another say() is not extracted"


@pytest.mark.parametrize("lang", TRANSLATED)
def test_each_catalog_is_complete_and_up_to_date(lang):
    template = {m.id for m in _catalog(POT) if m.id}
    catalog = _catalog(_po(lang))
    translated = {m.id: m.string for m in catalog if m.id and not m.fuzzy}
    assert set(translated) == template, "run pybabel update (docs/web.md, Translations)"
    empty = [m for m, text in translated.items()
             if not (all(text) if isinstance(text, tuple) else text)]
    assert not empty, f"{len(empty)} of {len(template)} strings untranslated in {lang}"


def test_english_is_the_source_and_has_no_catalog():
    assert SOURCE == "en" and not _po("en").exists() and POT.exists()
