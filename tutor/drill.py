"""A spoken review of a student's due cards as a lesson the tutor plays: each card is one dialogue step (its
cue spoken in the target language, its answer the one expected), so the offline tutor drills it like any
lesson and a live model is told the same cards in its scenario."""

from dataclasses import dataclass
from typing import Literal

from .brief import DialogueLine, LessonBrief, Persona

CardKind = Literal["correction", "word", "pronunciation"]


@dataclass(frozen=True, slots=True)
class DrillItem:
    kind: CardKind
    cue: str  # the mistake as said, the word's translation, the word to say
    answer: str  # in the target language
    hint: str = ""


@dataclass(frozen=True, slots=True)
class Prompts:
    opening: str
    correction: str  # {cue}
    word: str  # {cue}
    pronunciation: str  # {cue}


PROMPTS: dict[str, Prompts] = {
    "fr": Prompts("On révise vos cartes.", "Dites-le correctement : {cue}", "Comment dit-on « {cue} » ?",
                  "Répétez : {cue}"),
    "es": Prompts("Repasamos tus tarjetas.", "Dilo correctamente: {cue}", "¿Cómo se dice «{cue}»?",
                  "Repite: {cue}"),
    "de": Prompts("Wir wiederholen Ihre Karten.", "Sagen Sie es richtig: {cue}", "Wie sagt man „{cue}“?",
                  "Sprechen Sie nach: {cue}"),
    "it": Prompts("Ripassiamo le tue carte.", "Dillo correttamente: {cue}", "Come si dice «{cue}»?",
                  "Ripeti: {cue}"),
    "pt": Prompts("Vamos rever os seus cartões.", "Diga corretamente: {cue}", "Como se diz «{cue}»?",
                  "Repita: {cue}"),
    "ja": Prompts("カードを復習しましょう。", "正しく言ってください：{cue}", "「{cue}」は何と言いますか？",
                  "繰り返してください：{cue}"),
    "en": Prompts("Let's review your cards.", "Say it correctly: {cue}", "How do you say “{cue}”?", "Repeat: {cue}"),
}  # fmt: skip


def prompts_for(language: str) -> Prompts:
    return PROMPTS.get(language.split("-")[0].lower(), PROMPTS["en"])


def drill_line(item: DrillItem, prompts: Prompts) -> str:
    template = {"correction": prompts.correction, "word": prompts.word, "pronunciation": prompts.pronunciation}
    return template[item.kind].format(cue=item.cue)


def drill_brief(
    items: tuple[DrillItem, ...], *, title: str, language: str, level: str, persona_name: str, max_minutes: int
) -> LessonBrief:
    prompts = prompts_for(language)
    lines = [drill_line(item, prompts) for item in items]
    if lines:
        lines[0] = f"{prompts.opening} {lines[0]}"
    cards = "\n".join(f"{n}. {drill_line(item, prompts)} (answer: {item.answer})" for n, item in enumerate(items, 1))
    scenario = (
        "A spoken review of the student's flashcards. Ask these cards one at a time, in this order, and wait "
        "for each answer:\n" + cards + "\nWhen an answer is wrong or unclear, correct it (note_correction) and "
        "let them try again; after two tries give the answer, have them repeat it, and go on to the next card. "
        "Do not skip a card, do not add cards, and say when the review is done."
    )
    return LessonBrief(
        title=title,
        language=language,
        level=level,
        scenario=scenario,
        persona=Persona(name=persona_name, temperament="encouraging and brisk", correction_style="immediate",
                        pace="slow"),
        dialogue=tuple(
            DialogueLine(tutor=line, expected=(item.answer,), hint=item.hint)
            for line, item in zip(lines, items, strict=True)
        ),
        max_minutes=max_minutes,
    )  # fmt: skip
