"""What the tutor is told for a lesson that may not be saved yet: the authoring page's live preview."""

from dataclasses import dataclass

from django.utils.translation import gettext as _

from tutor import persona
from tutor.brief import LearnerProfile, RestoredContext

from .spec import LessonSpec


@dataclass(frozen=True)
class InstructionPreview:
    instructions: str
    offline_plan: str


def instruction_preview(spec: LessonSpec, *, learner_name: str = "", native_language: str = "en") -> InstructionPreview:
    """The instructions a first session with a new learner starts from, and what the offline tutor would do."""
    learner = LearnerProfile(name=learner_name or _("the student"), native_language=native_language)
    instructions = persona.build_instructions(spec.brief(), learner, RestoredContext())
    if spec.dialogue:
        plan = _("The offline tutor plays the %(count)d dialogue steps in order.") % {"count": len(spec.dialogue)}
    elif spec.vocabulary:
        plan = _("The offline tutor drills the %(count)d vocabulary words, repeat-after-me.") % {
            "count": len(spec.vocabulary)
        }
    else:
        plan = _("The offline tutor has nothing to play yet: add dialogue steps or vocabulary.")
    return InstructionPreview(instructions=instructions, offline_plan=plan)
