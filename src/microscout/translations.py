"""microscout's languages: gettext catalogs for its words, Babel for its numbers and dates, for
the dashboard (web/i18n.py chooses a request's language) and the shareable reports alike.

English is the source: the strings in the templates and the code are the msgids, and a language
without a translation of one shows it in English. Each other language is a `.po` file under
`locale/<lang>/LC_MESSAGES/`, compiled in memory the first time it is asked for (no binary
`.mo` files in the repository). A page's or report's language travels in its template context
(`lang`), never in shared state, so renderings in different languages can run at once."""

from __future__ import annotations

import copy
import functools
import io
from datetime import date, datetime
from gettext import NullTranslations
from pathlib import Path
from typing import Any

from babel import Locale
from babel.dates import format_date, format_datetime
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.numbers import NumberPattern, format_currency, format_decimal, get_decimal_symbol, get_group_symbol
from babel.support import Translations
from jinja2 import Environment, Undefined, pass_context
from jinja2.runtime import Context

LANGUAGES = ("en", "de", "pl", "da", "nl")
SOURCE = "en"
# each language by its own name, so that a reader finds theirs whatever the page's language
NAMES = {"en": "English", "de": "Deutsch", "pl": "Polski", "da": "Dansk", "nl": "Nederlands"}
LOCALE_DIR = Path(__file__).parent / "locale"
ENGLISH = NullTranslations()


def N_(text: str) -> str:
    """Marks a string for extraction where it is defined; it is translated where it is shown."""
    return text


@functools.cache
def translations(lang: str) -> NullTranslations:
    """The language's catalog, compiled from its .po once per process."""
    po = LOCALE_DIR / lang / "LC_MESSAGES" / "messages.po"
    if lang == SOURCE or lang not in LANGUAGES or not po.exists():
        return ENGLISH
    with po.open("rb") as f:
        catalog = read_po(f, locale=lang)
    # an untranslated plural is a tuple of empty strings, which write_mo would keep: the page
    # would show nothing instead of the English
    for message in list(catalog):
        if message.id and isinstance(message.string, tuple) and not all(message.string):
            catalog.delete(message.id, context=message.context)
    mo = io.BytesIO()
    write_mo(mo, catalog)
    mo.seek(0)
    return Translations(fp=mo)


def known(tag: str | None) -> str | None:
    """One of LANGUAGES for a tag such as 'de', 'de-DE' or 'de_AT'; None for any other."""
    primary = (tag or "").strip().replace("_", "-").split("-")[0].lower()
    return primary if primary in LANGUAGES else None



# --- numbers and dates in the reader's conventions


@functools.cache
def locale_of(lang: str) -> Locale:
    return Locale.parse(known(lang) or SOURCE)


def number(lang: str, value: Any, digits: int | None = None) -> str:
    """Grouped digits ('12,000', '12.000', '12 000'); `digits` fixes the decimals, else up to three."""
    pattern = None if digits is None else "#,##0" + ("." + "0" * digits if digits else "")
    return format_decimal(value, format=pattern, locale=locale_of(lang))


@functools.cache
def _percent_pattern(lang: str, digits: int) -> NumberPattern:
    pattern: NumberPattern = copy.copy(locale_of(lang).percent_formats[None])
    pattern.frac_prec = (digits, digits)
    return pattern


def percent(lang: str, share: Any, digits: int = 0, signed: bool = False) -> str:
    """A share (0.051) as the locale writes a percentage ('5.1%', '5,1 %'); `signed` shows '+'."""
    text = str(_percent_pattern(lang, digits).apply(share, locale_of(lang)))
    return "+" + text if signed and share >= 0 else text


def money(lang: str, amount: Any, currency: str | None) -> str:
    """An amount with its currency's name after it ('80.50 euros', '80,50 Euro'): read as a
    sentence, where a symbol before or after depends on the currency and the locale."""
    if not currency:
        return number(lang, amount, 2)
    return format_currency(amount, currency, locale=locale_of(lang), format_type="name")


def number_locale(lang: str) -> dict[str, Any]:
    """The locale's number symbols as d3-format (and so Vega) reads them, for charts drawn in the
    browser."""
    where = locale_of(lang)
    return {"decimal": get_decimal_symbol(where), "thousands": get_group_symbol(where), "grouping": [3],
            "currency": ["", ""]}


def _as_datetime(value: Any) -> datetime | date | None:
    if isinstance(value, datetime | date):
        return value
    text = str(value or "").strip()
    if not text:
        return None
    try:
        return datetime.fromisoformat(text) if len(text) > 10 else date.fromisoformat(text)
    except ValueError:
        return None


def day(lang: str, value: Any) -> str:
    """A date (or the date of a timestamp) in the locale's medium form ('Oct 9, 2026', '09.10.2026');
    text that is no ISO date is shown as it is."""
    when = _as_datetime(value)
    return str(value or "") if when is None else format_date(when, "medium", locale=locale_of(lang))


def moment(lang: str, value: Any) -> str:
    """A timestamp in the locale's medium form, in the time zone it was written in (UTC for the
    workspace's own stamps); a bare date is shown as a date."""
    when = _as_datetime(value)
    if when is None:
        return str(value or "")
    if not isinstance(when, datetime):
        return day(lang, when)
    return format_datetime(when, "medium", tzinfo=when.tzinfo, locale=locale_of(lang))


# --- Jinja


def context_language(context: Context) -> str:
    """The language a template renders in: its context's `lang`, else English."""
    return str(context.get("lang") or SOURCE)


@pass_context
def _gettext(context: Context, message: str) -> str:
    return translations(context_language(context)).gettext(message)


@pass_context
def _ngettext(context: Context, singular: str, plural: str, n: int) -> str:
    return translations(context_language(context)).ngettext(singular, plural, n)


def _filter(format_value: Any) -> Any:
    # a figure a record lacks (None, or a key it does not have) shows as nothing, as it did
    # before the filters
    @pass_context
    def apply(context: Context, value: Any, *args: Any, **kwargs: Any) -> str:
        if value is None or isinstance(value, Undefined):
            return ""
        return str(format_value(context_language(context), value, *args, **kwargs))
    return apply


def install(env: Environment) -> None:
    """`{% trans %}`, `_()`, `ngettext()` and the number and date filters, each in the language
    the page's context holds (`lang`); `{% trans %}` blocks are whitespace-trimmed."""
    env.add_extension("jinja2.ext.i18n")
    env.policies["ext.i18n.trimmed"] = True
    env.install_gettext_callables(_gettext, _ngettext, newstyle=True)  # type: ignore[attr-defined]
    env.filters.update(number=_filter(number), percent=_filter(percent), money=_filter(money),
                       date=_filter(day), datetime=_filter(moment))
    env.globals.update(languages=LANGUAGES, language_names=NAMES)
