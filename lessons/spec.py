"""Lessons as plain values: what a lesson file holds, independent of the database."""

from dataclasses import dataclass, field

from tutor.brief import DialogueLine, LessonBrief, Persona, VocabularyEntry


@dataclass(frozen=True)
class VocabularySpec:
    term: str
    translation: str = ""  # in the lesson's text_language
    example: str = ""
    translations: dict[str, str] = field(default_factory=dict)  # {"es": "la cuenta"}: in other languages


@dataclass(frozen=True)
class TextTranslation:
    """A lesson's own text in another language, for its readers (lessons/texts.py); "" and () leave a part to
    the lesson's own language."""

    title: str = ""
    scenario: str = ""
    student_scenario: str = ""
    objectives: tuple[str, ...] = ()  # one per objective of the lesson, in the same order

    @classmethod
    def from_dict(cls, data: dict) -> "TextTranslation":
        return cls(
            title=data.get("title", ""),
            scenario=data.get("scenario", ""),
            student_scenario=data.get("student_scenario", ""),
            objectives=tuple(data.get("objectives", ())),
        )

    def to_dict(self) -> dict:
        """Only what is given: a file or a database row holds no empty parts."""
        parts = {
            "title": self.title,
            "scenario": self.scenario,
            "student_scenario": self.student_scenario,
            "objectives": list(self.objectives),
        }
        return {name: value for name, value in parts.items() if value}

    @property
    def empty(self) -> bool:
        return not self.to_dict()


@dataclass(frozen=True)
class StepSpec:
    tutor: str
    expected: tuple[str, ...]
    hint: str = ""
    objective: str = ""  # one of the lesson's objectives, achieved by answering this step without the hint


@dataclass(frozen=True)
class LessonSpec:
    title: str
    language: str
    level: str
    scenario: str
    persona_name: str
    student_scenario: str = ""
    persona_temperament: str = "warm and patient"
    correction_style: str = "recast"
    pace: str = "natural"
    objectives: tuple[str, ...] = ()
    text_language: str = "en"  # the language of the title, scenarios, objectives and word translations
    translations: dict[str, TextTranslation] = field(default_factory=dict)  # that text in other languages
    provider: str = ""
    voice: str = ""
    model: str = ""
    max_minutes: int = 15
    patience: str = ""  # tutor.patience.PATIENCE; "" follows the level
    published: bool = False
    vocabulary: tuple[VocabularySpec, ...] = field(default_factory=tuple)
    dialogue: tuple[StepSpec, ...] = field(default_factory=tuple)

    @classmethod
    def from_dict(cls, data: dict) -> "LessonSpec":
        """Build from one schema-valid lesson object (see lesson.schema.json)."""
        persona = data["persona"]
        return cls(
            title=data["title"],
            language=data["language"],
            level=data["level"],
            scenario=data["scenario"],
            student_scenario=data.get("student_scenario", ""),
            objectives=tuple(data.get("objectives", ())),
            text_language=data.get("text_language", "en"),
            translations={
                language: TextTranslation.from_dict(text) for language, text in data.get("translations", {}).items()
            },
            persona_name=persona["name"],
            persona_temperament=persona.get("temperament", "warm and patient"),
            correction_style=persona.get("correction_style", "recast"),
            pace=persona.get("pace", "natural"),
            provider=data.get("provider", ""),
            voice=data.get("voice", ""),
            model=data.get("model", ""),
            max_minutes=data.get("max_minutes", 15),
            patience=data.get("patience", ""),
            published=data.get("published", False),
            vocabulary=tuple(
                VocabularySpec(
                    term=item["term"],
                    translation=item.get("translation", ""),
                    example=item.get("example", ""),
                    translations=dict(item.get("translations", {})),
                )
                for item in data["vocabulary"]
            ),
            dialogue=tuple(
                StepSpec(
                    tutor=s["tutor"],
                    expected=tuple(s["expected"]),
                    hint=s.get("hint", ""),
                    objective=s.get("objective", ""),
                )
                for s in data["dialogue"]
            ),
        )

    def to_dict(self) -> dict:
        """The schema's shape, for export; round-trips through from_dict."""
        return {
            "title": self.title,
            "language": self.language,
            "level": self.level,
            "scenario": self.scenario,
            "student_scenario": self.student_scenario,
            "objectives": list(self.objectives),
            "text_language": self.text_language,
            "translations": {
                language: text.to_dict() for language, text in sorted(self.translations.items()) if not text.empty
            },
            "persona": {
                "name": self.persona_name,
                "temperament": self.persona_temperament,
                "correction_style": self.correction_style,
                "pace": self.pace,
            },
            "provider": self.provider,
            "voice": self.voice,
            "model": self.model,
            "max_minutes": self.max_minutes,
            "patience": self.patience,
            "published": self.published,
            "vocabulary": [_vocabulary_dict(v) for v in self.vocabulary],
            "dialogue": [
                {"tutor": s.tutor, "expected": list(s.expected), "hint": s.hint, "objective": s.objective}
                for s in self.dialogue
            ],
        }

    def brief(self) -> LessonBrief:
        """What the live engine is given of this lesson (saved or not: the authoring preview uses it too)."""
        return LessonBrief(
            title=self.title,
            language=self.language,
            level=self.level,
            scenario=self.scenario,
            persona=Persona(
                name=self.persona_name,
                temperament=self.persona_temperament,
                correction_style=self.correction_style,
                pace=self.pace,
            ),
            objectives=self.objectives,
            vocabulary=tuple(VocabularyEntry(v.term, v.translation, v.example) for v in self.vocabulary),
            dialogue=tuple(DialogueLine(s.tutor, s.expected, s.hint, s.objective) for s in self.dialogue),
            max_minutes=self.max_minutes,
            patience=self.patience,
        )


def _vocabulary_dict(item: VocabularySpec) -> dict:
    data = {"term": item.term, "translation": item.translation, "example": item.example}
    if translations := {language: text for language, text in sorted(item.translations.items()) if text}:
        data["translations"] = translations
    return data
