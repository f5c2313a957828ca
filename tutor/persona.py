"""The tutor's instructions and tools, built from the lesson, the learner's memory and the context."""

from .brief import LearnerProfile, LessonBrief, RestoredContext, SessionSetup
from .tools import TOOLS

_STYLE = {
    "recast": (
        "Correct by recasting: repeat the student's sentence correctly, naturally, inside your reply, "
        "then carry on with the conversation. Do not lecture."
    ),
    "immediate": (
        "Correct every mistake as soon as it happens: briefly stop, give the correct form and a "
        "one-sentence reason, ask the student to repeat it, then go on."
    ),
    "minimal": (
        "Correct only mistakes that get in the way of understanding; let small slips pass so the conversation flows."
    ),
}

_PACE = {
    "slow": "Speak slowly and clearly, in short sentences, pausing between ideas.",
    "natural": "Speak at a natural, unhurried pace.",
    "fast": "Speak at a natural native pace, as you would with a confident speaker.",
}

_LEVEL = {
    "A1": "The student is a beginner (CEFR A1): use very simple words and present-tense sentences.",
    "A2": "The student is elementary (CEFR A2): simple sentences, everyday words, the common past tense.",
    "B1": "The student is intermediate (CEFR B1): everyday topics in connected sentences.",
    "B2": "The student is upper-intermediate (CEFR B2): natural speech with some idioms.",
    "C1": "The student is advanced (CEFR C1): speak as to a fluent speaker, with nuance.",
    "C2": "The student is near-native (CEFR C2): speak with full native range.",
}


def build_instructions(
    lesson: LessonBrief, learner: LearnerProfile, context: RestoredContext, *, max_memory_chars: int = 1200
) -> str:
    persona = lesson.persona
    parts = [
        f"You are {persona.name}, a language tutor who is {persona.temperament}. You are talking, by voice, "
        f"with {learner.name}, who is learning {lesson.language}. Their own language is "
        f"{learner.native_language}.",
        f"Role-play this scenario: {lesson.scenario} Stay in your role as {persona.name} throughout.",
        f"Speak only in {lesson.language}, except for a short explanation of a mistake, which you may give in "
        f"{learner.native_language} when the student is stuck.",
        _LEVEL.get(lesson.level, ""),
        _PACE[persona.pace],
        _STYLE[persona.correction_style],
        "Each time you correct a mistake, call note_correction, with its rule: one short line in "
        f"{learner.native_language} that names the rule broken (conjugation, agreement, article, word order, "
        "spelling, word choice, a missing or extra word) and says it, one line per mistake. When the student uses "
        "a lesson word, call note_vocabulary. When a word is hard to understand or mispronounced, help them say "
        "it and call note_pronunciation. When they achieve an objective, call complete_objective. Never mention "
        "these tools.",
        "Keep your turns short (one to three sentences) and end most of them with a question, so the "
        "student does most of the talking. If the student interrupts you, stop and listen.",
        "If the student shows you a picture, talk about it in the target language as part of the scenario.",
    ]
    if lesson.objectives:
        parts.append("Lesson objectives, in order: " + "; ".join(lesson.objectives) + ".")
    if lesson.vocabulary:
        words = ", ".join(f"{v.term} ({v.translation})" if v.translation else v.term for v in lesson.vocabulary)
        parts.append(f"Lesson vocabulary to bring in naturally: {words}.")
    memory = _memory(learner, max_memory_chars)
    if memory:
        parts.append(memory)
    if context.summary:
        parts.append(
            "This conversation was interrupted and has resumed. What happened so far: " + context.summary.strip()
        )
    if context.recent:
        lines = "\n".join(f"{turn.role}: {turn.text}" for turn in context.recent)
        parts.append("The last exchanges, verbatim:\n" + lines + "\nContinue from there without greeting again.")
    elif context.empty:
        parts.append(f"Start by greeting {learner.name} in character and opening the scenario.")
    return "\n\n".join(part for part in parts if part)


def _memory(learner: LearnerProfile, limit: int) -> str:
    """What earlier sessions showed, cut to `limit` characters so it never crowds out the lesson."""
    if not (learner.weak_points or learner.words_learned):
        return ""
    text = f"From {learner.name}'s earlier sessions ({learner.sessions_before} so far):"
    if learner.weak_points:
        text += " they often struggle with " + "; ".join(learner.weak_points) + "."
    if learner.words_learned:
        text += " Words they have learned: " + ", ".join(learner.words_learned) + "."
    text += " Revisit a weak point when the scenario allows."
    return text if len(text) <= limit else text[: limit - 1].rsplit(" ", 1)[0] + "…"


def build_setup(
    *,
    lesson: LessonBrief,
    learner: LearnerProfile,
    model: str,
    voice: str,
    context: RestoredContext | None = None,
    resumption_handle: str | None = None,
    max_memory_chars: int = 1200,
) -> SessionSetup:
    context = context or RestoredContext()
    return SessionSetup(
        model=model,
        instructions=build_instructions(lesson, learner, context, max_memory_chars=max_memory_chars),
        language=lesson.language,
        voice=voice,
        lesson=lesson,
        learner=learner,
        tools=TOOLS,
        resumption_handle=resumption_handle,
        context=context,
    )


def help_cue(lesson: LessonBrief, count: int) -> str:
    """What the tutor is told when the student has said nothing for the level's patience after its turn
    (`count` 1, then 2): help in the lesson's language, without answering for them."""
    if count <= 1:
        return (
            f"(The student has not answered. In {lesson.language}, help in one short sentence: say your question "
            "again more simply, or give a hint. Do not answer for them.)"
        )
    return (
        f"(The student still has not answered. In {lesson.language}, give them the first words of a possible "
        "answer and invite them to finish it.)"
    )
