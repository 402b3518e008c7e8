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

    def __new__(cls, phrases: Iterable[Phrase], capital: bool = False, text: str | None = None) -> Sentence:
        """`text`: the English, when the caller has it already (a sum of two sentences)."""
        kept = tuple(phrases)
        self = super().__new__(cls, _capitalised(_say(kept, None), capital) if text is None else text)
        self.phrases, self.capital = kept, capital
        return self

    def __add__(self, other: str) -> Sentence:
        return Sentence(self.phrases + _phrases(other), self.capital, str.__add__(self, other))

    def __radd__(self, other: str) -> Sentence:
        return Sentence(_phrases(other) + self.phrases, False, str.__add__(str(other), self))

    def __reduce__(self) -> tuple[Any, ...]:
        return Sentence, (self.phrases, self.capital, str.__str__(self))

    def __copy__(self) -> Sentence:
        return self

    def __deepcopy__(self, memo: dict[int, Any]) -> Sentence:
        return self

    def capitalised(self) -> Sentence:
        """The same sentence with its first letter upper-case in every language."""
        return Sentence(self.phrases, True, _capitalised(str.__str__(self), True))


def say(template: str, /, **values: Any) -> Sentence:
    """A sentence (or part of one) from an English template: `say("Posts {n:f1} times a week.", n=3.5)`."""
    return Sentence((Phrase(template, None, values),))


def say_n(singular: str, plural: str, count: int, /, **values: Any) -> Sentence:
    """A template whose words depend on a number (`count`, also a field): each language's plural rules."""
    return Sentence((Phrase(singular, plural, {**values, "count": count}),))


def marked(text: str) -> Sentence:
    """Text marked for the catalogs where it is defined (`N_`), such as a step's name: said in each
    language when it is shown."""
    return Sentence((Phrase(text),))


def join(separator: str, parts: Iterable[str]) -> Sentence:
    """`separator.join(parts)` that keeps the parts' phrases (the separator is punctuation, the same
    in every language, or a Sentence such as `say(" or ")`)."""
    phrases: list[Phrase] = []
    texts = []
    for i, part in enumerate(parts):
        if i:
            phrases.extend(_phrases(separator))
        phrases.extend(_phrases(part))
        texts.append(str.__str__(part))
    return Sentence(phrases, False, str.__str__(separator).join(texts))


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
    words = None
    if lang is not None:
        from microscout.translations import translations
        words = translations(lang)
    return "".join(_phrase(p, lang, words) for p in phrases)


def _phrase(p: Phrase, lang: str | None, words: Any) -> str:
    if p.template is None:
        text = p.args["text"]
        return render(text, lang) if lang is not None else str(text)
    if words is None:
        template = p.template if p.plural is None or p.args["count"] == 1 else p.plural
    elif p.plural is None:
        template = words.gettext(p.template)
    else:
        template = words.ngettext(p.template, p.plural, p.args["count"])
    # str.format parses the template in C and hands each field's format to the value's __format__
    return template.format_map({k: _Value(v, lang, words) for k, v in p.args.items()})


class _Value:
    """A field's value that writes itself in a language, by the format its template names."""

    __slots__ = ("lang", "value", "words")

    def __init__(self, value: Any, lang: str | None, words: Any) -> None:
        self.value, self.lang, self.words = value, lang, words

    def __format__(self, spec: str) -> str:
        value, lang = self.value, self.lang
        if value is None:
            return "unknown" if self.words is None else str(self.words.gettext("unknown"))
        if isinstance(value, Sentence):
            return render(value, lang) if lang is not None else str(value)
        if not spec:
            return ", ".join(map(str, value)) if isinstance(value, list | tuple) else str(value)
        signed = spec.startswith("+")
        kind = spec.lstrip("+")
        if lang is None:
            return _plain(value, kind, signed)
        from microscout.translations import day, number, percent
        if kind.startswith("pct"):
            return percent(lang, float(value), int(kind[3:] or 0), signed=signed)
        if kind == "int" or (kind.startswith("f") and kind[1:].isdigit()):
            digits = 0 if kind == "int" else int(kind[1:])
            text = number(lang, round(float(value)) if kind == "int" else float(value), digits)
            return "+" + text if signed and float(value) >= 0 else text
        if kind == "ord":
            return _ordinal(lang, int(value))
        if kind == "date":
            return day(lang, value)
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
