"""The analytics' own sentences (score reasons, flag reasons, the planner's notes) kept as English
templates with their values, so that a page can say them in its reader's language.

A `Sentence` is the English text (a `str`: the CLI, the JSON of the API and the tests read it as
before) that also carries its phrases: each an English template, the msgid of the catalogs, with
named fields and their raw values. `render(text, lang)` says it again in a language, its numbers
and dates in the locale's form. A field's format names how its value is written:

- `pct0`, `pct1`, `pct2`: a share as a percentage with so many decimals (`+pct2`: signed);
- `int` (`+int`): a whole number with grouped digits; `f0`..`f3`: a number with so many decimals;
- `ord`: an ordinal (93rd, 93., 93e); `date`: a date; none: the value as it is (a list joined
  with commas, a nested Sentence said in the same language).

A value that is None is written as the catalog's "unknown". Templates are extracted for the
catalogs from the calls `say("...")` and `say_n("...", "...", count)` (babel.cfg, docs/web.md)."""

from __future__ import annotations

import string
from collections.abc import Iterable, Mapping
from typing import Any

from microscout.words import ordinal


class Phrase:
    """One template with its values; `plural`: the template's plural form, chosen by `count`."""

    __slots__ = ("args", "plural", "template")

    def __init__(self, template: str | None, plural: str | None = None,
                 args: Mapping[str, Any] | None = None) -> None:
        self.template, self.plural, self.args = template, plural, dict(args or {})

    def __reduce__(self) -> tuple[Any, ...]:
        return Phrase, (self.template, self.plural, self.args)

    def __repr__(self) -> str:
        return f"Phrase({self.template!r}, {self.plural!r}, {self.args!r})"


class Sentence(str):
    """English text that can be said again in another language (`render`). Joining Sentences
    with `+` keeps the phrases; any other str operation gives plain (English) text."""

    phrases: tuple[Phrase, ...]
    capital: bool

    def __new__(cls, phrases: Iterable[Phrase], capital: bool = False) -> Sentence:
        kept = tuple(phrases)
        self = super().__new__(cls, _capitalised(_say(kept, None), capital))
        self.phrases, self.capital = kept, capital
        return self

    def __add__(self, other: str) -> Sentence:
        return Sentence(self.phrases + _phrases(other), self.capital)

    def __radd__(self, other: str) -> Sentence:
        return Sentence(_phrases(other) + self.phrases)

    def __reduce__(self) -> tuple[Any, ...]:
        return Sentence, (self.phrases, self.capital)

    def __copy__(self) -> Sentence:
        return self

    def __deepcopy__(self, memo: dict[int, Any]) -> Sentence:
        return self

    def capitalised(self) -> Sentence:
        """The same sentence with its first letter upper-case in every language."""
        return Sentence(self.phrases, True)


def say(template: str, /, **values: Any) -> Sentence:
    """A sentence (or part of one) from an English template: `say("Posts {n:f1} times a week.", n=3.5)`."""
    return Sentence((Phrase(template, None, values),))


def say_n(singular: str, plural: str, count: int, /, **values: Any) -> Sentence:
    """A template whose words depend on a number (`count`, also a field): each language's plural rules."""
    return Sentence((Phrase(singular, plural, {**values, "count": count}),))


def join(separator: str, parts: Iterable[str]) -> Sentence:
    """`separator.join(parts)` that keeps the parts' phrases (the separator is punctuation, the same
    in every language)."""
    phrases: list[Phrase] = []
    for i, part in enumerate(parts):
        if i:
            phrases.append(Phrase(None, None, {"text": separator}))
        phrases.extend(_phrases(part))
    return Sentence(phrases)


def render(text: Any, lang: str) -> str:
    """A Sentence in `lang` (numbers and dates as the locale writes them); other text as it is."""
    if text is None:
        return ""
    if not isinstance(text, Sentence):
        return str(text)
    return _capitalised(_say(text.phrases, lang), text.capital)


def templates(text: Any) -> list[str]:
    """The English templates a sentence was said with (for tests and the catalogs' checks)."""
    if not isinstance(text, Sentence):
        return []
    found: list[str] = []
    for p in text.phrases:
        if p.template is not None:
            found.append(p.template)
        found.extend(t for v in p.args.values() for t in templates(v))
    return found


def _phrases(text: str) -> tuple[Phrase, ...]:
    if isinstance(text, Sentence):
        if text.capital:  # the capital letter is the sentence's start: keep it when it is joined
            return (Phrase(None, None, {"text": text}),)
        return text.phrases
    return (Phrase(None, None, {"text": str(text)}),)


def _capitalised(text: str, capital: bool) -> str:
    return text[:1].upper() + text[1:] if capital else text


def _say(phrases: tuple[Phrase, ...], lang: str | None) -> str:
    """The phrases in `lang`; None: the plain English of the CLI and the API (Python's number forms,
    ISO dates), without loading the catalogs."""
    formatter = _Formatter(lang)
    return "".join(formatter.phrase(p) for p in phrases)


class _Formatter(string.Formatter):
    def __init__(self, lang: str | None) -> None:
        self.lang = lang
        if lang is None:
            self.gettext: Any = None
        else:
            from microscout.translations import translations
            self.gettext = translations(lang)

    def phrase(self, p: Phrase) -> str:
        if p.template is None:
            text = p.args["text"]
            return render(text, self.lang) if self.lang is not None else str(text)
        if self.gettext is None:
            template = p.template if p.plural is None or p.args["count"] == 1 else p.plural
        elif p.plural is None:
            template = self.gettext.gettext(p.template)
        else:
            template = self.gettext.ngettext(p.template, p.plural, p.args["count"])
        return self.vformat(template, (), p.args)

    def format_field(self, value: Any, spec: str) -> str:
        if value is None:
            return "unknown" if self.gettext is None else str(self.gettext.gettext("unknown"))
        if isinstance(value, Sentence):
            return render(value, self.lang) if self.lang is not None else str(value)
        if not spec:
            return ", ".join(map(str, value)) if isinstance(value, list | tuple) else str(value)
        signed = spec.startswith("+")
        kind = spec.lstrip("+")
        if self.lang is None:
            return _plain(value, kind, signed)
        from microscout.translations import day, number, percent
        if kind.startswith("pct"):
            return percent(self.lang, float(value), int(kind[3:] or 0), signed=signed)
        if kind == "int" or (kind.startswith("f") and kind[1:].isdigit()):
            digits = 0 if kind == "int" else int(kind[1:])
            shown = round(float(value)) if kind == "int" else float(value)
            text = number(self.lang, shown, digits)
            return "+" + text if signed and float(value) >= 0 else text
        if kind == "ord":
            return _ordinal(self.lang, int(value))
        if kind == "date":
            return day(self.lang, value)
        raise ValueError(f"unknown format {spec!r} in a sentence template")


def _ordinal(lang: str, n: int) -> str:
    """93rd, 93., 93e: CLDR has no ordinal digits; these five languages write them so."""
    return ordinal(n) if lang == "en" else f"{n}e" if lang == "nl" else f"{n}."


def _plain(value: Any, kind: str, signed: bool) -> str:
    sign = "+" if signed else ""
    if kind.startswith("pct"):
        return f"{float(value) * 100:{sign}.{int(kind[3:] or 0)}f}%"
    if kind == "int":
        return f"{round(float(value)):{sign},}"
    if kind.startswith("f") and kind[1:].isdigit():
        return f"{float(value):{sign}.{int(kind[1:])}f}"
    if kind == "ord":
        return ordinal(int(value))
    if kind == "date":
        return str(value)[:10]
    raise ValueError(f"unknown format {kind!r} in a sentence template")
