"""Learner mistakes on the demo lessons' steps, each labelled as a teacher would: the test data for the
offline tutor's grading (tests/tutor/providers/offline/test_grading.py, bench/bench_offline_grading.py).

Each case is an answer a learner might type or say, the step's expected answers, the category of its mistake,
and the rule it breaks, named (tutor/providers/offline/rules.py: conjugation, agreement, article, grammar_word,
particle, verb_ending, spelling, word_choice, missing_word, extra_word, word_order; two kinds joined by "+"; a
rule outside those kinds by its own name, which the tutor cannot name). Some are hard on purpose (good/well is
grammar, but two real words).
"""

from dataclasses import dataclass

EXPECTED: dict[str, tuple[str, ...]] = {
    "fr-drink": ("Je voudrais un café, s'il vous plaît", "Un café, s'il vous plaît", "Je voudrais un café"),
    "fr-food": ("Je voudrais un croissant", "Un croissant, s'il vous plaît", "Oui, un croissant s'il vous plaît"),
    "fr-fruit": ("Je voudrais des pommes",),
    "fr-more": ("Non merci", "Non, merci", "L'addition, s'il vous plaît"),
    "fr-pay": ("Par carte, s'il vous plaît", "Par carte", "En espèces"),
    "fr-bye": ("Merci, au revoir", "Au revoir", "Merci, bonne journée"),
    "es-museum": (
        "Sí, por favor. ¿Dónde está el museo del Prado?",
        "¿Dónde está el museo del Prado?",
        "Sí, busco el museo del Prado",
    ),
    "es-walk": ("Sí, voy andando", "Sí, a pie", "Voy andando"),
    "es-metro": ("¿Dónde está el metro?", "¿Hay una estación de metro cerca?", "¿Dónde está la estación de metro?"),
    "es-thanks": ("Muchas gracias", "Gracias, adiós", "Muchas gracias, adiós"),
    "de-intro": (
        "Guten Tag, ich heiße Alex und ich bin Webentwickler",
        "Ich heiße Alex und ich bin Entwickler",
        "Mein Name ist Alex, ich bin Webentwickler",
    ),
    "de-years": (
        "Ich habe drei Jahre Erfahrung",
        "Ich habe zwei Jahre Erfahrung",
        "Ich arbeite seit drei Jahren als Entwickler",
    ),
    "de-strength": ("Meine größte Stärke ist Teamarbeit", "Ich bin sehr zuverlässig", "Meine Stärke ist Teamarbeit"),
    "de-why": (
        "Weil ich in einem jungen Team arbeiten möchte",
        "Ich möchte in einem jungen Team arbeiten",
        "Weil mir Ihre Produkte gefallen",
    ),
    "de-ask": ("Ja, wie groß ist das Team?", "Wie groß ist das Team?", "Wann kann ich anfangen?"),
    "ja-name": ("はじめまして、アレックスです", "アレックスです", "わたしはアレックスです"),
    "ja-from": ("ロンドンからきました", "イギリスからきました", "ロンドンしゅっしんです"),
    "ja-like": ("すしがすきです", "にほんごがすきです", "おんがくがすきです"),
    "ja-regards": ("よろしくおねがいします", "こちらこそ、よろしくおねがいします", "どうぞよろしくおねがいします"),
    "en-keynote": ("Yes, I did, it was really interesting", "Yes, it was great", "No, I missed it, was it good?"),
    "en-why": (
        "I'm here mostly for the networking",
        "I work as a developer and I wanted to learn about new tools",
        "My company sent me to learn about AI",
    ),
    "en-work": ("I've been swamped lately", "Pretty busy, to be honest", "It's been busy but good"),
    "en-drink": ("I'd love to", "Sure, that sounds great", "I'd love to, thanks for asking"),
    "en-bye": ("Thanks, see you later", "You too, see you later", "See you later"),
}

LANGUAGES = {"fr": "fr-FR", "es": "es-ES", "de": "de-DE", "ja": "ja-JP", "en": "en-GB"}


@dataclass(frozen=True)
class Case:
    step: str  # a key of EXPECTED
    answer: str
    category: str  # spelling, grammar, vocabulary or word_order
    rule: str  # the kind of rule broken, as a teacher would name it (rules.KINDS, or another when none fits)

    @property
    def language(self) -> str:
        return LANGUAGES[self.step[:2]]

    @property
    def expected(self) -> tuple[str, ...]:
        return EXPECTED[self.step]


CASES: tuple[Case, ...] = tuple(
    Case(*row)
    for row in (
        # French
        ("fr-food", "Un croisant, s'il vous plaît", "spelling", "spelling"),
        ("fr-food", "Je voudrais un croisant", "spelling", "spelling"),
        ("fr-drink", "Je voudrias un café", "spelling", "spelling"),
        ("fr-drink", "Je voudrait un café", "grammar", "conjugation"),
        ("fr-drink", "Je voudrai un café", "grammar", "conjugation"),
        ("fr-drink", "Je voudrais une café", "grammar", "article"),
        ("fr-drink", "Je voudrais le café", "grammar", "article"),
        ("fr-fruit", "Je voudrais les pommes", "grammar", "article"),
        ("fr-drink", "Je voudrais un thé", "vocabulary", "word_choice"),
        ("fr-drink", "Je voudrais un chocolat, s'il vous plaît", "vocabulary", "word_choice"),
        ("fr-pay", "Par carde", "spelling", "spelling"),
        ("fr-pay", "En espèce", "grammar", "agreement"),
        ("fr-bye", "Merci, au revoire", "spelling", "spelling"),
        ("fr-bye", "Merci, bone journée", "spelling", "spelling"),
        ("fr-bye", "Merci, bon journée", "grammar", "agreement"),
        ("fr-pay", "Carte par", "word_order", "word_order"),
        ("fr-drink", "Je un café voudrais", "word_order", "word_order"),
        ("fr-more", "Non mercy", "spelling", "spelling"),
        ("fr-more", "La addition, s'il vous plaît", "grammar", "article"),
        ("fr-food", "Je voudrais un croissants", "grammar", "agreement"),
        ("fr-food", "Je voudrais un pain", "vocabulary", "word_choice"),
        ("fr-drink", "Je voudrais café", "grammar", "missing_word"),
        # Spanish
        ("es-museum", "¿Dónde está el muzeo del Prado?", "spelling", "spelling"),
        ("es-museum", "¿Dónde está la museo del Prado?", "grammar", "article"),
        ("es-museum", "¿Dónde es el museo del Prado?", "grammar", "grammar_word"),
        ("es-walk", "Sí, vamos andando", "grammar", "conjugation"),
        ("es-walk", "Sí, voy corriendo", "vocabulary", "word_choice"),
        ("es-metro", "¿Dónde está el tren?", "vocabulary", "word_choice"),
        ("es-metro", "¿Dónde está la metro?", "grammar", "article"),
        ("es-metro", "¿Dónde estás el metro?", "grammar", "conjugation"),
        ("es-metro", "¿Dónde está el metor?", "spelling", "spelling"),
        ("es-thanks", "Muchas grasias", "spelling", "spelling"),
        ("es-thanks", "Mucho gracias", "grammar", "agreement"),
        ("es-thanks", "Gracias muchas", "word_order", "word_order"),
        ("es-metro", "¿Hay un estación de metro cerca?", "grammar", "article"),
        ("es-metro", "¿Hay una estación de metro lejos?", "vocabulary", "word_choice"),
        ("es-metro", "¿El metro dónde está?", "word_order", "word_order"),
        ("es-walk", "Sí, voy andano", "spelling", "spelling"),
        # German
        ("de-years", "Ich habe drei Jahr Erfahrung", "grammar", "agreement"),
        ("de-years", "Ich habe drei Jahre Erfarung", "spelling", "spelling"),
        ("de-years", "Ich hat drei Jahre Erfahrung", "grammar", "conjugation"),
        ("de-years", "Ich habe drei Jahre Erlebnis", "vocabulary", "word_choice"),
        ("de-strength", "Meine größte Stärke ist Teamarbiet", "spelling", "spelling"),
        ("de-strength", "Mein größte Stärke ist Teamarbeit", "grammar", "article"),
        ("de-strength", "Meine große Stärke ist Teamarbeit", "grammar", "comparison"),  # the superlative
        ("de-strength", "Ich bin sehr zuverlasig", "spelling", "spelling"),
        ("de-why", "Weil ich in einem jungen Team arbeiten möchten", "grammar", "conjugation"),
        ("de-why", "Weil ich in einen jungen Team arbeiten möchte", "grammar", "article"),
        ("de-why", "Weil ich möchte in einem jungen Team arbeiten", "word_order", "word_order"),
        ("de-why", "Weil ich in einem alten Team arbeiten möchte", "vocabulary", "word_choice"),
        ("de-ask", "Wie groß ist der Team?", "grammar", "article"),
        ("de-ask", "Wie alt ist das Team?", "vocabulary", "word_choice"),
        ("de-ask", "Wie groß das Team ist?", "word_order", "word_order"),
        ("de-ask", "Wann kann ich anfagen?", "spelling", "spelling"),
        ("de-ask", "Wann kannst ich anfangen?", "grammar", "conjugation"),
        ("de-intro", "Ich heiße Alex und ich bin Lehrer", "vocabulary", "word_choice"),
        # Japanese (a script without spaces)
        ("ja-like", "すしをすきです", "grammar", "particle"),
        ("ja-like", "おんがくをすきです", "grammar", "particle"),
        ("ja-like", "すしがすきでした", "grammar", "verb_ending"),
        ("ja-from", "ロンドンにきました", "grammar", "particle"),
        ("ja-from", "ロンドンからきます", "grammar", "verb_ending"),
        ("ja-from", "パリからきました", "vocabulary", "word_choice"),
        ("ja-like", "すしがきらいです", "vocabulary", "word_choice"),
        ("ja-regards", "よろしくおねがいしまう", "spelling", "spelling"),
        ("ja-regards", "よろしくおねがします", "spelling", "spelling"),
        ("ja-name", "わたしがアレックスです", "grammar", "particle"),
        ("ja-name", "はじめまして、アレクスです", "spelling", "spelling"),
        ("ja-like", "すしがすきてす", "spelling", "spelling"),
        ("ja-from", "イギリスからきまいた", "spelling", "spelling"),
        ("ja-like", "えいががすきです", "vocabulary", "word_choice"),
        ("ja-like", "にくがすきです", "vocabulary", "word_choice"),
        # English
        ("en-keynote", "Yes, it were great", "grammar", "conjugation"),
        ("en-keynote", "Yes, it was grate", "spelling", "spelling"),
        ("en-keynote", "Yes, it was boring", "vocabulary", "word_choice"),
        ("en-why", "I'm here mostly for the netwoking", "spelling", "spelling"),
        ("en-why", "I'm here mostly for a networking", "grammar", "article"),
        ("en-why", "My company send me to learn about AI", "grammar", "conjugation"),
        ("en-work", "I've been swamp lately", "grammar", "conjugation"),
        ("en-work", "I've been swamped latly", "spelling", "spelling"),
        ("en-work", "Pretty busy, to be honnest", "spelling", "spelling"),
        ("en-work", "Pretty lazy, to be honest", "vocabulary", "word_choice"),
        ("en-drink", "I'd love too", "spelling", "spelling"),
        ("en-drink", "Sure, that sound great", "grammar", "conjugation"),
        ("en-drink", "Sure, that sounds grate", "spelling", "spelling"),
        ("en-bye", "Thanks, see you latter", "spelling", "spelling"),
        ("en-bye", "Thanks, see you tomorrow", "vocabulary", "word_choice"),
        ("en-bye", "See later you", "word_order", "word_order"),
        ("en-drink", "Sure, that great sounds", "word_order", "word_order"),
        ("en-work", "It's been busy but well", "grammar", "adverb"),  # an adverb where the adjective goes
    )
)
