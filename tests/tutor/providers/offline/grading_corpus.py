"""Learner mistakes on the demo lessons' steps, each labelled as a teacher would: the test data for the
offline tutor's grading (tests/tutor/providers/offline/test_grading.py, bench/bench_offline_grading.py).

Each case is an answer a learner might type or say, the step's expected answers, and the category of
its mistake. Some are hard on purpose (good/well is grammar, but two real words).
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
        ("fr-food", "Un croisant, s'il vous plaît", "spelling"),
        ("fr-food", "Je voudrais un croisant", "spelling"),
        ("fr-drink", "Je voudrias un café", "spelling"),
        ("fr-drink", "Je voudrait un café", "grammar"),
        ("fr-drink", "Je voudrai un café", "grammar"),
        ("fr-drink", "Je voudrais une café", "grammar"),
        ("fr-drink", "Je voudrais le café", "grammar"),
        ("fr-fruit", "Je voudrais les pommes", "grammar"),
        ("fr-drink", "Je voudrais un thé", "vocabulary"),
        ("fr-drink", "Je voudrais un chocolat, s'il vous plaît", "vocabulary"),
        ("fr-pay", "Par carde", "spelling"),
        ("fr-pay", "En espèce", "grammar"),
        ("fr-bye", "Merci, au revoire", "spelling"),
        ("fr-bye", "Merci, bone journée", "spelling"),
        ("fr-bye", "Merci, bon journée", "grammar"),
        ("fr-pay", "Carte par", "word_order"),
        ("fr-drink", "Je un café voudrais", "word_order"),
        ("fr-more", "Non mercy", "spelling"),
        ("fr-more", "La addition, s'il vous plaît", "grammar"),
        ("fr-food", "Je voudrais un croissants", "grammar"),
        ("fr-food", "Je voudrais un pain", "vocabulary"),
        ("fr-drink", "Je voudrais café", "grammar"),
        # Spanish
        ("es-museum", "¿Dónde está el muzeo del Prado?", "spelling"),
        ("es-museum", "¿Dónde está la museo del Prado?", "grammar"),
        ("es-museum", "¿Dónde es el museo del Prado?", "grammar"),
        ("es-walk", "Sí, vamos andando", "grammar"),
        ("es-walk", "Sí, voy corriendo", "vocabulary"),
        ("es-metro", "¿Dónde está el tren?", "vocabulary"),
        ("es-metro", "¿Dónde está la metro?", "grammar"),
        ("es-metro", "¿Dónde estás el metro?", "grammar"),
        ("es-metro", "¿Dónde está el metor?", "spelling"),
        ("es-thanks", "Muchas grasias", "spelling"),
        ("es-thanks", "Mucho gracias", "grammar"),
        ("es-thanks", "Gracias muchas", "word_order"),
        ("es-metro", "¿Hay un estación de metro cerca?", "grammar"),
        ("es-metro", "¿Hay una estación de metro lejos?", "vocabulary"),
        ("es-metro", "¿El metro dónde está?", "word_order"),
        ("es-walk", "Sí, voy andano", "spelling"),
        # German
        ("de-years", "Ich habe drei Jahr Erfahrung", "grammar"),
        ("de-years", "Ich habe drei Jahre Erfarung", "spelling"),
        ("de-years", "Ich hat drei Jahre Erfahrung", "grammar"),
        ("de-years", "Ich habe drei Jahre Erlebnis", "vocabulary"),
        ("de-strength", "Meine größte Stärke ist Teamarbiet", "spelling"),
        ("de-strength", "Mein größte Stärke ist Teamarbeit", "grammar"),
        ("de-strength", "Meine große Stärke ist Teamarbeit", "grammar"),
        ("de-strength", "Ich bin sehr zuverlasig", "spelling"),
        ("de-why", "Weil ich in einem jungen Team arbeiten möchten", "grammar"),
        ("de-why", "Weil ich in einen jungen Team arbeiten möchte", "grammar"),
        ("de-why", "Weil ich möchte in einem jungen Team arbeiten", "word_order"),
        ("de-why", "Weil ich in einem alten Team arbeiten möchte", "vocabulary"),
        ("de-ask", "Wie groß ist der Team?", "grammar"),
        ("de-ask", "Wie alt ist das Team?", "vocabulary"),
        ("de-ask", "Wie groß das Team ist?", "word_order"),
        ("de-ask", "Wann kann ich anfagen?", "spelling"),
        ("de-ask", "Wann kannst ich anfangen?", "grammar"),
        ("de-intro", "Ich heiße Alex und ich bin Lehrer", "vocabulary"),
        # Japanese (a script without spaces)
        ("ja-like", "すしをすきです", "grammar"),
        ("ja-like", "おんがくをすきです", "grammar"),
        ("ja-like", "すしがすきでした", "grammar"),
        ("ja-from", "ロンドンにきました", "grammar"),
        ("ja-from", "ロンドンからきます", "grammar"),
        ("ja-from", "パリからきました", "vocabulary"),
        ("ja-like", "すしがきらいです", "vocabulary"),
        ("ja-regards", "よろしくおねがいしまう", "spelling"),
        ("ja-regards", "よろしくおねがします", "spelling"),
        ("ja-name", "わたしがアレックスです", "grammar"),
        ("ja-name", "はじめまして、アレクスです", "spelling"),
        ("ja-like", "すしがすきてす", "spelling"),
        ("ja-from", "イギリスからきまいた", "spelling"),
        ("ja-like", "えいががすきです", "vocabulary"),
        ("ja-like", "にくがすきです", "vocabulary"),
        # English
        ("en-keynote", "Yes, it were great", "grammar"),
        ("en-keynote", "Yes, it was grate", "spelling"),
        ("en-keynote", "Yes, it was boring", "vocabulary"),
        ("en-why", "I'm here mostly for the netwoking", "spelling"),
        ("en-why", "I'm here mostly for a networking", "grammar"),
        ("en-why", "My company send me to learn about AI", "grammar"),
        ("en-work", "I've been swamp lately", "grammar"),
        ("en-work", "I've been swamped latly", "spelling"),
        ("en-work", "Pretty busy, to be honnest", "spelling"),
        ("en-work", "Pretty lazy, to be honest", "vocabulary"),
        ("en-drink", "I'd love too", "spelling"),
        ("en-drink", "Sure, that sound great", "grammar"),
        ("en-drink", "Sure, that sounds grate", "spelling"),
        ("en-bye", "Thanks, see you latter", "spelling"),
        ("en-bye", "Thanks, see you tomorrow", "vocabulary"),
        ("en-bye", "See later you", "word_order"),
        ("en-drink", "Sure, that great sounds", "word_order"),
        ("en-work", "It's been busy but well", "grammar"),
    )
)
