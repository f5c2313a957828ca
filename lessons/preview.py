"""What the tutor is told for a lesson that may not be saved yet: the authoring page's live preview."""

from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from tutor import persona
from tutor.brief import LearnerProfile, RestoredContext

from .spec import LessonSpec


@dataclass(frozen=True)
class InstructionPreview:
    instructions: str
    offline_plan: str


def instruction_preview(spec: LessonSpec, *, learner_name: str = "", native_language: str = "en") -> InstructionPreview:
    """The instructions a first session with a new learner starts from, and what the offline tutor would do."""
    # The instructions are English, as the tutor services are given them, whatever the page's language.
    learner = LearnerProfile(name=learner_name or "the student", native_language=native_language)
    instructions = persona.build_instructions(spec.brief(), learner, RestoredContext())
    if spec.dialogue:
        count = len(spec.dialogue)
        plan = ngettext(
            "The offline tutor plays the dialogue's one step.",
            "The offline tutor plays the %(count)d dialogue steps in order.",
            count,
        ) % {"count": count}
    elif spec.vocabulary:
        count = len(spec.vocabulary)
        plan = ngettext(
            "The offline tutor drills the lesson's one word, repeat-after-me.",
            "The offline tutor drills the %(count)d vocabulary words, repeat-after-me.",
            count,
        ) % {"count": count}
    else:
        plan = _("The offline tutor has nothing to play yet: add dialogue steps or vocabulary.")
    return InstructionPreview(instructions=instructions, offline_plan=plan)
