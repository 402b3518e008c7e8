"""Which language a short text is written in, from its function words: transparent and portable.

Comments are short, so a model buys little over the words every sentence needs: a text is in
a language when it carries that language's marker words or letters. A text with none (emoji,
names, one-word praise) has no language. One regular expression per text, using only
features that DuckDB and Spark read alike, keeps this cheap on millions of comments.
"""

from __future__ import annotations

import ibis
import ibis.expr.types as ir

# Short, frequent words (and letters) that mark a language and rarely appear in the others.
MARKERS: dict[str, tuple[str, ...]] = {
    "de": ("und", "ist", "das", "nicht", "ich", "du", "ein", "eine", "mit", "auch", "sehr", "wie", "schön", "danke",
           "aus", "für", "mega", "lecker", "wo", "hab", "muss", "sieht", "gibt", "ß", "ä", "ö", "ü"),
    "pl": ("jest", "nie", "się", "że", "to", "jak", "bardzo", "dzięki", "super", "wygląda", "gdzie", "muszę", "ą",
           "ę", "ł", "ś", "ć", "ż", "ź", "ń"),
    "da": ("og", "er", "det", "ikke", "jeg", "med", "hvor", "tak", "godt", "så", "virkelig", "må", "æ", "ø", "å"),
    "nl": ("en", "het", "een", "niet", "ik", "je", "van", "dat", "wat", "leuk", "echt", "mooi", "bedankt", "waar",
           "ziet", "ij"),
    "fr": ("le", "la", "les", "est", "et", "pas", "je", "c'est", "très", "merci", "trop", "une", "des", "ça", "où",
           "é", "è", "ê", "à"),
    "en": ("the", "is", "and", "it", "you", "this", "so", "love", "looks", "good", "thanks", "how", "what", "where",
           "that", "for", "my"),
}


def marker_pattern(markers: tuple[str, ...]) -> str:
    """One regex for a set of markers: words as whole words, single letters anywhere."""
    words = sorted((m for m in markers if len(m) > 1), key=len, reverse=True)
    letters = "".join(m for m in markers if len(m) == 1)
    alternatives = [r"(^|[^\p{L}])(" + "|".join(words) + r")([^\p{L}]|$)"]
    if letters:
        alternatives.append("[" + letters + "]")
    return "(" + "|".join(alternatives) + ")"


ANY_LANGUAGE = marker_pattern(tuple(m for markers in MARKERS.values() for m in markers))


def written_in(text: ir.StringValue, language: ir.StringValue) -> ir.BooleanValue:
    """Whether `text` carries marker words of `language` (null when the language is not one we know)."""
    # lower-case first: Java's (?i) folds only ASCII letters, RE2's folds all
    lower = text.lower()
    cases = [(language == lang, lower.re_search(marker_pattern(markers))) for lang, markers in MARKERS.items()]
    return ibis.cases(*cases, else_=ibis.null("boolean"))


def has_language(text: ir.StringValue) -> ir.BooleanValue:
    """Whether `text` carries marker words of any known language (emoji and names alone do not)."""
    return text.lower().re_search(ANY_LANGUAGE)
