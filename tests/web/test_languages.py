"""Every dashboard page in each of its languages, in a real headless Chromium: no interface string
left in English where its catalog has a translation, `<html lang>` set, and a screenshot of each
page per language in test-artifacts/screenshots/<lang>/ to look at."""

from __future__ import annotations

import re
import string

import pytest
from babel.messages.pofile import read_po
from tests.web.test_accessibility import PAGES
from tests.web.test_api import _world
from tests.web.test_pages import SHOTS, _page, browse

from microscout.translations import LANGUAGES, LOCALE_DIR, SOURCE

# the text a reader meets: what is shown, and what the page says in labels, hints and placeholders
_TEXTS = """() => {
  const out = document.body.innerText.split('\\n');
  for (const el of document.querySelectorAll('[aria-label],[title],[placeholder],[alt]'))
    for (const a of ['aria-label', 'title', 'placeholder', 'alt']) if (el.getAttribute(a)) out.push(el.getAttribute(a));
  for (const el of document.querySelectorAll('option, button, input[type=submit]')) out.push(el.textContent || el.value);
  // the reasons folded under "Why": shown on a click, so not in innerText
  for (const el of document.querySelectorAll('details')) out.push(...el.textContent.split('\\n'));
  return out.map(s => s.trim()).filter(s => s);
}"""


def _catalog(lang: str) -> dict[str, str]:
    """English msgid -> translation, for the messages without placeholders (those a page shows
    whole); a translation the same as its English (`API`, `CSV`) cannot tell, so is left out."""
    with (LOCALE_DIR / lang / "LC_MESSAGES" / "messages.po").open("rb") as f:
        catalog = read_po(f)
    out = {}
    for m in catalog:
        if m.id and isinstance(m.id, str) and "%(" not in m.id and isinstance(m.string, str) and m.string != m.id:
            out[m.id] = m.string
    return out


def _sentence_words(lang: str) -> set[str]:
    """Runs of three or more English words from the analytics' sentence templates (microscout/
    sentences.py) that the catalog translates: found on a page, a sentence was left in English."""
    with (LOCALE_DIR / lang / "LC_MESSAGES" / "messages.po").open("rb") as f:
        catalog = read_po(f)
    runs = set()
    for m in catalog:
        ids = m.id if isinstance(m.id, tuple) else (m.id,)
        if not m.id or "{" not in ids[0]:
            continue
        for template in ids:
            for literal, *_ in string.Formatter().parse(template):
                words = literal.strip(" ,;:.()").split()
                if len(words) >= 3:
                    runs.add(" ".join(words))
    return runs


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    yield from browse(_world(tmp_path_factory.mktemp("languages")))


@pytest.mark.parametrize("lang", [x for x in LANGUAGES if x != SOURCE])
def test_every_page_speaks_the_language_asked_for(site, lang):
    url, browser = site
    translated = _catalog(lang)
    sentence_words = _sentence_words(lang)
    assert len(translated) > 150, f"{lang}: the catalog has {len(translated)} translations"
    (SHOTS / lang).mkdir(parents=True, exist_ok=True)
    left: dict[str, list[str]] = {}
    for name, path in PAGES.items():
        page, _, errors = _page(browser)
        page.goto(url + path + ("&" if "?" in path else "?") + f"lang={lang}")
        page.wait_for_load_state("networkidle")
        assert page.evaluate("document.documentElement.lang") == lang, name
        texts = page.evaluate(_TEXTS)
        english = sorted({t for t in texts if t in translated}
                         | {run for run in sentence_words for t in texts if run in t})
        if english:
            left[name] = english
        if name == "creator":  # the charts' axes write numbers as the language does: 0,5%, not 0.5%
            page.wait_for_selector("#chart-engagement[data-drawn=true]", timeout=30_000)
            ticks = page.locator("#chart-engagement svg text").all_text_contents()
            assert any(re.fullmatch(r"\d+,\d+\s?%", t) for t in ticks), ticks
        page.screenshot(path=str(SHOTS / lang / f"{name.replace(' ', '-')}.png"), full_page=True)
        assert not errors, (name, errors)
        page.close()
    assert not left, f"{lang}: English left on the page where the catalog translates it: {left}"
