"""The Gemini Live session config for a lesson: voice, transcription tuned for learners, tools, resumption."""

from google.genai import types

from tutor import patience
from tutor.brief import SessionSetup, ToolSpec

from ..catalog import ModelFacts

END_SENSITIVITY = {"low": types.EndSensitivity.END_SENSITIVITY_LOW, "high": types.EndSensitivity.END_SENSITIVITY_HIGH}


def live_config(
    setup: SessionSetup,
    *,
    model: ModelFacts | None = None,
    site_silence_ms: int | None = None,
    app_turns: bool = True,
) -> types.LiveConnectConfig:
    """Only fields every Live model accepts (no thinking or affective-dialog knobs), so a lesson may pick any;
    where models differ, the catalog's facts of `model` decide (None, a model the catalog does not know, is
    taken to be like the current ones). `app_turns`: the app decides the student's turns (the service's
    detection disabled); else `site_silence_ms`, the operator's GEMINI_SILENCE_DURATION_MS, if set
    (tutor/patience.py)."""
    transcription = setup.transcription
    # Native-audio models pick the language themselves and don't support setting it: the persona's
    # instructions name it. Only a model that takes it is sent it (docs/providers/gemini.md).
    language_code = setup.language if model is not None and model.uses_language_code else None
    blocking = model is not None and model.blocking_only
    # Shared camera and screen frames at LOW resolution: about 64 tokens each instead of 258, and a frame every
    # 1.5 s is re-billed every turn (docs/providers/gemini.md, "Pictures and shared screens").
    low_resolution = model is None or model.low_media_resolution
    return types.LiveConnectConfig(
        response_modalities=[types.Modality.AUDIO],
        media_resolution=types.MediaResolution.MEDIA_RESOLUTION_LOW if low_resolution else None,
        speech_config=types.SpeechConfig(
            voice_config=types.VoiceConfig(prebuilt_voice_config=types.PrebuiltVoiceConfig(voice_name=setup.voice)),
            language_code=language_code,
        ),
        system_instruction=types.Content(role="user", parts=[types.Part(text=setup.instructions)]),
        tools=(
            [types.Tool(function_declarations=[_declaration(tool, blocking=blocking) for tool in setup.tools])]
            if setup.tools
            else None
        ),
        input_audio_transcription=_learner_transcription(setup) if transcription else None,
        output_audio_transcription=types.AudioTranscriptionConfig() if transcription else None,
        realtime_input_config=types.RealtimeInputConfig(
            automatic_activity_detection=_activity_detection(setup, site_silence_ms, app_turns=app_turns)
        ),
        # A handle of None still asks for handles; the service then sends sessionResumptionUpdate.
        session_resumption=types.SessionResumptionConfig(handle=setup.resumption_handle),
        # A safety net only: the runner summarises long before the window fills.
        context_window_compression=types.ContextWindowCompressionConfig(sliding_window=types.SlidingWindow()),
    )


def _activity_detection(
    setup: SessionSetup, site_silence_ms: int | None, *, app_turns: bool
) -> types.AutomaticActivityDetection:
    """The app's turns: the service's detection off, activityStart/activityEnd sent (provider.py); the start of
    activity still interrupts the model (the default activity handling). The service's own: learners pause
    mid-sentence to find a word, so the lesson's patience (its level's by default) sets how sensitive the end
    of speech is and how long a silence ends the turn."""
    if app_turns:
        return types.AutomaticActivityDetection(disabled=True)
    lesson = setup.lesson
    waits = patience.patience_for(lesson.level, lesson.patience)
    return types.AutomaticActivityDetection(
        end_of_speech_sensitivity=END_SENSITIVITY[waits.gemini_end_sensitivity],
        silence_duration_ms=patience.silence_ms(lesson.level, lesson.patience, site_silence_ms),
    )


def _learner_transcription(setup: SessionSetup) -> types.AudioTranscriptionConfig:
    """The lesson's language and the student's own, the lesson's words, and VERBATIM so mistakes stay visible.

    Left to detect the language itself, the service transcribes a beginner's French as English (a known pain
    point); naming both languages keeps transcripts in the language actually spoken.
    """
    languages = list(dict.fromkeys(code for code in (setup.language, setup.learner.native_language) if code))
    vocabulary = list(dict.fromkeys(entry.term for entry in setup.lesson.vocabulary if entry.term.strip()))
    return types.AudioTranscriptionConfig(
        language_codes=languages,
        custom_vocabulary=vocabulary or None,
        mode=types.AudioTranscriptionConfigMode.VERBATIM,
    )


def _declaration(tool: ToolSpec, *, blocking: bool) -> types.FunctionDeclaration:
    """JSON Schema in, the service's upper-case Schema out (it refuses `"type": "object"`). NON_BLOCKING wherever
    the model allows it: the service ignores a response's scheduling for a blocking call, so only then does
    SILENT keep the tutor from speaking about a note being taken (and the tutor talks on while it is taken)."""
    return types.FunctionDeclaration(
        name=tool.name,
        description=tool.description,
        parameters=types.Schema.from_json_schema(json_schema=types.JSONSchema(**tool.parameters)),
        behavior=None if blocking else types.Behavior.NON_BLOCKING,
    )
