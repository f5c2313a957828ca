"""What kind of mistake a close answer makes, as a teacher would label it: spelling, grammar (articles,
agreement, conjugation, particles), vocabulary or word order.

Words are compared one by one against the expected answer. Two forms of one word (voudrait/voudrais,
Jahr/Jahre, was/were) are a grammar mistake: simplemma's lemmatizer, which ships its dictionaries for
French, Spanish, German, English and about fifty more languages, says whether they share a lemma. Two
function words (un/une, der/das, は/が) are grammar too. A word the dictionary does not know that is close
to the right one is a spelling slip; a real, different word is vocabulary, unless it is only a letter
or two away (to/too, grate/great). Japanese, written without spaces, is compared by characters: a
changed particle or verb ending is grammar, a changed kana or voicing mark spelling. What rule a mistake
breaks, named (conjugation, article, …), is rules.py's, from these same comparisons.
"""

import difflib
from functools import cache

import simplemma
from rapidfuzz import fuzz
from rapidfuzz.distance import Levenshtein


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Articles, determiners, prepositions, pronouns and auxiliaries: changing one is a grammar mistake.
FUNCTION_WORDS: dict[str, frozenset[str]] = {
    "fr": _words(
        "le la les l un une des du de d au aux ce cet cette ces mon ma mes ton ta tes son sa ses notre nos votre "
        "vos leur leurs a à en par pour dans sur avec sans je j tu il elle on nous vous ils elles me m te t se s "
        "y est sont suis es sommes etes ai as avons avez ont"
    ),
    "es": _words(
        "el la los las un una unos unas lo al del de a en por para con sin mi mis tu tus su sus nuestro nuestra "
        "es esta estoy estas estan son soy eres somos hay voy vas va vamos van yo me te se nos le les"
    ),
    "de": _words(
        "der die das den dem des ein eine einen einem einer eines kein keine keinen keinem mein meine meinen "
        "meinem in im an am auf aus bei mit nach von zu zum zur fur ich du er sie es wir ihr mich mir dich dir "
        "bin bist ist sind seid habe hast hat haben habt kann kannst konnen mochte mochtest mochten"
    ),
    "en": _words(
        "a an the to of in on at for with by from i you he she it we they me him her us them my your his its our "
        "their is are am was were be been being have has had do does did will would can could"
    ),
}
# Articles and the determiners that stand where one would (possessives, demonstratives): two of them differing is
# an article mistake (rules.py). Each language's are among its function words.
DETERMINERS: dict[str, frozenset[str]] = {
    "fr": _words(
        "le la les l un une des du au aux ce cet cette ces mon ma mes ton ta tes son sa ses notre nos votre vos"
    ),
    "es": _words("el la los las un una unos unas al del mi mis tu tus su sus nuestro nuestra"),
    "de": _words(
        "der die das den dem des ein eine einen einem einer eines kein keine keinen keinem mein meine meinen meinem"
    ),
    "en": _words("a an the my your his her its our their"),
}
JA_PARTICLES = _words("は が を に で へ と も の か から まで より や")
JA_ENDINGS = ("ませんでした", "ました", "ません", "ます", "でした", "です", "だった", "だ")


def base(language: str) -> str:
    return language.split("-")[0].lower()


@cache
def _lexicon_ready(language: str) -> bool:
    """simplemma loads a language's dictionary on first use (about a second): callers do it off the loop."""
    try:
        simplemma.lemmatize("a", lang=language)
    except ValueError:
        return False
    return True


def prepare(language: str) -> None:
    """Load the dictionary for the lesson's language now rather than at the first answer."""
    _lexicon_ready(base(language))


def lemma(word: str, language: str) -> str | None:
    """The dictionary form of a word as written (accents kept), as the dictionary spells it (German nouns
    capitalized); None for a language without a dictionary."""
    lang = base(language)
    return simplemma.lemmatize(word.casefold(), lang=lang) if _lexicon_ready(lang) else None


def same_word(said: str, meant: str, language: str) -> bool:
    """Two forms of one word (voudrait/voudrais), by the dictionary; False without one."""
    said_lemma, meant_lemma = lemma(said, language), lemma(meant, language)
    return said_lemma is not None and meant_lemma is not None and said_lemma.casefold() == meant_lemma.casefold()


def pair(wrong: str, right: str, language: str, *, written: tuple[str, str] | None = None) -> str:
    """The category of one word said instead of another: `wrong` and `right` normalized (matching.normalize),
    `written` as typed, accents kept, for the dictionary."""
    lang = base(language)
    if lang == "ja":
        return _japanese_pair(wrong, right)
    function_words = FUNCTION_WORDS.get(lang, frozenset())
    if wrong in function_words and right in function_words:
        return "grammar"
    said, meant = (word.casefold() for word in written or (wrong, right))
    known = _lexicon_ready(lang)
    if same_word(said, meant, lang):
        return "grammar"
    distance = Levenshtein.distance(wrong, right)
    transposed = sorted(wrong) == sorted(right)
    if distance <= 1 or transposed or (distance == 2 and len(right) >= 6):
        return "spelling"
    if known and not simplemma.is_known(said, lang=lang) and fuzz.ratio(wrong, right) >= 60:
        return "spelling"
    return "vocabulary"


def japanese_grammar(wrong: str, right: str) -> tuple[tuple[str, str, str], ...]:
    """What a Japanese phrase changed that is grammar: its verb ending (("verb_ending", said, meant)) or only
    particles (("particle", said, meant) for each; one side empty when a particle is missing or extra)."""
    for said_end in JA_ENDINGS:
        for right_end in JA_ENDINGS:
            same_stem = wrong.endswith(said_end) and wrong[: -len(said_end)] == right[: -len(right_end)]
            if said_end != right_end and right.endswith(right_end) and same_stem:
                return (("verb_ending", said_end, right_end),)
    changes = [
        (wrong[i1:i2], right[j1:j2])
        for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, wrong, right, autojunk=False).get_opcodes()
        if tag != "equal"
    ]
    if changes and all(said in JA_PARTICLES | {""} and meant in JA_PARTICLES | {""} for said, meant in changes):
        return tuple(("particle", said, meant) for said, meant in changes)
    return ()


def _japanese_pair(wrong: str, right: str) -> str:
    if japanese_grammar(wrong, right):
        return "grammar"
    if Levenshtein.distance(wrong, right) <= 1:
        return "spelling"
    return "vocabulary"


def is_function_word(word: str, language: str) -> bool:
    lang = base(language)
    return word in JA_PARTICLES if lang == "ja" else word in FUNCTION_WORDS.get(lang, frozenset())
