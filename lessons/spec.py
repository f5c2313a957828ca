"""Lessons as plain values: what a lesson file holds, independent of the database."""

from dataclasses import dataclass, field

from tutor.brief import DialogueLine, LessonBrief, Persona, VocabularyEntry


@dataclass(frozen=True)
class VocabularySpec:
    term: str
    translation: str = ""
    example: str = ""


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
            vocabulary=tuple(VocabularySpec(**item) for item in data["vocabulary"]),
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
            "vocabulary": [
                {"term": v.term, "translation": v.translation, "example": v.example} for v in self.vocabulary
            ],
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
