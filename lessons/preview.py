"""What the tutor is told for a lesson that may not be saved yet: the authoring page's live preview."""

from dataclasses import dataclass

from django.utils.translation import gettext as _

from tutor.live import persona
from tutor.live.setup import DialogueLine, LearnerProfile, LessonBrief, Persona, RestoredContext, VocabularyEntry

from .spec import LessonSpec


@dataclass(frozen=True)
class InstructionPreview:
    instructions: str
    offline_plan: str


def brief_of(spec: LessonSpec) -> LessonBrief:
    """The same brief tutor.selectors.lesson_brief_for makes of a saved lesson."""
    return LessonBrief(
        title=spec.title,
        language=spec.language,
        level=spec.level,
        scenario=spec.scenario,
        persona=Persona(
            name=spec.persona_name,
            temperament=spec.persona_temperament,
            correction_style=spec.correction_style,
            pace=spec.pace,
        ),
        objectives=spec.objectives,
        vocabulary=tuple(VocabularyEntry(v.term, v.translation, v.example) for v in spec.vocabulary),
        dialogue=tuple(DialogueLine(s.tutor, s.expected, s.hint) for s in spec.dialogue),
        max_minutes=spec.max_minutes,
    )


def instruction_preview(spec: LessonSpec, *, learner_name: str = "", native_language: str = "en") -> InstructionPreview:
    """The instructions a first session with a new learner starts from, and what the offline tutor would do."""
    learner = LearnerProfile(name=learner_name or _("the student"), native_language=native_language)
    instructions = persona.build_instructions(brief_of(spec), learner, RestoredContext())
    if spec.dialogue:
        plan = _("The offline tutor plays the %(count)d dialogue steps in order.") % {"count": len(spec.dialogue)}
    elif spec.vocabulary:
        plan = _("The offline tutor drills the %(count)d vocabulary words, repeat-after-me.") % {
            "count": len(spec.vocabulary)
        }
    else:
        plan = _("The offline tutor has nothing to play yet: add dialogue steps or vocabulary.")
    return InstructionPreview(instructions=instructions, offline_plan=plan)
