"""The fake Gemini Live service's rules for `setup`: what it accepts, and the close code for what it refuses.

The real service parses protobuf JSON: it accepts lowerCamel and snake_case field names alike, refuses
unknown fields and bad enum values with 1007, and an unknown model (or key) with 1008. The lists here are
the reference's (docs/providers/gemini.md), kept apart from the product's so a typo there fails here.
"""

import re
from dataclasses import dataclass, field
from typing import Any

INVALID_ARGUMENT = "Request contains an invalid argument."


class Rejected(Exception):
    """Close the connection with `code` and `reason`, as the real service does (never an `error` JSON)."""

    def __init__(self, code: int, reason: str) -> None:
        super().__init__(f"{code} {reason}")
        self.code, self.reason = code, reason


@dataclass(frozen=True)
class ModelSpec:
    """What differs between the Live models a lesson may pick."""

    thinking: bool = True  # 3.8 refuses thinking_config
    affective_dialog: bool = False  # only 2.5 native audio has it
    bundles_parts: bool = False  # 3.1 sends transcription and audio in one event
    client_content_mid_session: bool = True  # 3.1 refuses client_content once realtime input flowed
    # Native-audio models choose the language themselves and "don't support explicitly setting the language
    # code"; the service may ignore it or refuse it (unverified): the fake refuses it, so sending it shows.
    native_audio: bool = True
    # NON_BLOCKING functions: 3.8 makes them the default, 2.5 takes them declared, 3.1 calls only blocking
    # (declaring NON_BLOCKING there: ignored or refused, unverified; the fake refuses it).
    async_tools: bool = True
    default_behavior: str = "BLOCKING"
    # Reasons in the background after it begins to answer: its first turnComplete says interactionStatus
    # IN_PROGRESS, and the answer goes on until a turnComplete says IDLE (3.8 extended thinking's model page).
    background_thinking: bool = False


MODELS = {
    "gemini-3.8-live": ModelSpec(thinking=False, default_behavior="NON_BLOCKING"),
    "gemini-3.8-live-extended-thinking": ModelSpec(
        thinking=False, default_behavior="NON_BLOCKING", background_thinking=True
    ),
    "gemini-3.1-flash-live-preview": ModelSpec(bundles_parts=True, client_content_mid_session=False, async_tools=False),
    "gemini-2.5-flash-native-audio-preview-12-2025": ModelSpec(affective_dialog=True),
    # A half-cascade model (the kind Vertex still serves as gemini-live-2.5-flash): it speaks through speech
    # synthesis, which takes speech_config.language_code. The Developer API's own have been retired.
    "gemini-live-2.5-flash": ModelSpec(native_audio=False),
}
# Live models Google has shut down (its changelog of 2025-12-09): refused as unknown ones are, 1008 "not found".
SHUT_DOWN = frozenset({"gemini-2.0-flash-live-001", "gemini-live-2.5-flash-preview"})
BEHAVIORS = frozenset({"UNSPECIFIED", "BLOCKING", "NON_BLOCKING"})
# Tokens a frame of realtime video costs at each media_resolution (google-genai 3.6.1's MediaResolution: LOW "64
# tokens", MEDIUM "256"; the default is a 768 px tile of 258).
FRAME_TOKENS = {
    "MEDIA_RESOLUTION_UNSPECIFIED": 258,
    "MEDIA_RESOLUTION_LOW": 64,
    "MEDIA_RESOLUTION_MEDIUM": 256,
    "MEDIA_RESOLUTION_HIGH": 256,
}

VOICES = frozenset((
    "Zephyr", "Puck", "Charon", "Kore", "Fenrir", "Leda", "Orus", "Aoede", "Callirrhoe", "Autonoe",
    "Enceladus", "Iapetus", "Umbriel", "Algieba", "Despina", "Erinome", "Algenib", "Rasalgethi",
    "Laomedeia", "Achernar", "Alnilam", "Schedar", "Gacrux", "Pulcherrima", "Achird", "Zubenelgenubi",
    "Vindemiatrix", "Sadachbia", "Sadaltager", "Sulafat",
))  # fmt: skip
SCHEMA_TYPES = frozenset({"TYPE_UNSPECIFIED", "STRING", "NUMBER", "INTEGER", "BOOLEAN", "ARRAY", "OBJECT", "NULL"})
TRANSCRIPTION_MODES = frozenset({"MODE_UNSPECIFIED", "VERBATIM", "SMART"})
SENSITIVITIES = {
    "startOfSpeechSensitivity": {"START_SENSITIVITY_UNSPECIFIED", "START_SENSITIVITY_HIGH", "START_SENSITIVITY_LOW"},
    "endOfSpeechSensitivity": {"END_SENSITIVITY_UNSPECIFIED", "END_SENSITIVITY_HIGH", "END_SENSITIVITY_LOW"},
}
FUNCTION_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_.\-]{0,63}$")
LANGUAGE_CODE = re.compile(r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$")


@dataclass(frozen=True)
class AcceptedSetup:
    """What the fake needs to know of a setup it accepted."""

    model: str
    spec: ModelSpec
    voice: str
    language_code: str | None
    instructions: str
    tools: frozenset[str]
    blocking: frozenset[str]  # the functions whose calls block the conversation until answered
    input_transcription: dict[str, Any] | None
    output_transcription: bool
    resumption: bool
    handle: str | None
    silence_ms: int | None
    manual_activity: bool  # automatic activity detection disabled: the client marks each turn
    compression: bool
    frame_tokens: int  # what a frame of realtime video costs at the setup's media_resolution
    raw: dict[str, Any] = field(repr=False)


def snake(name: str) -> str:
    return re.sub(r"([A-Z])", lambda m: "_" + m.group(1).lower(), name)


def get(obj: dict[str, Any], name: str, default: Any = None) -> Any:
    """A field by its lowerCamel name, spelled either way on the wire."""
    if name in obj:
        return obj[name]
    return obj.get(snake(name), default)


def only(obj: Any, where: str, allowed: set[str]) -> dict[str, Any]:
    """Refuses what is not an object or has a field the service does not know (1007, like protobuf)."""
    if not isinstance(obj, dict):
        raise Rejected(1007, f"Invalid value at '{where}': expected an object. {INVALID_ARGUMENT}")
    for key in obj:
        camel = re.sub(r"_([a-z])", lambda m: m.group(1).upper(), key)
        if camel not in allowed:
            raise Rejected(1007, f"Invalid JSON payload received. Unknown name \"{key}\" at '{where}'.")
    return obj


def check_setup(setup: Any, *, version: str, shut_down: frozenset[str] = frozenset()) -> AcceptedSetup:
    setup = only(
        setup,
        "setup",
        {
            "model",
            "generationConfig",
            "systemInstruction",
            "tools",
            "sessionResumption",
            "inputAudioTranscription",
            "outputAudioTranscription",
            "realtimeInputConfig",
            "contextWindowCompression",
            "proactivity",
            "historyConfig",
        },
    )
    model = get(setup, "model")
    name = model.removeprefix("models/") if isinstance(model, str) and model.startswith("models/") else None
    if name not in MODELS or name in SHUT_DOWN | shut_down:
        raise Rejected(
            1008,
            f"{model} is not found for API version {version}, or is not supported for bidiGenerateContent. "
            "Call ListModels to see the list of available models and their supported methods.",
        )
    spec = MODELS[name]
    voice, language_code = _generation(get(setup, "generationConfig"), spec)
    resolution = get(get(setup, "generationConfig") or {}, "mediaResolution", "MEDIA_RESOLUTION_UNSPECIFIED")
    if resolution not in FRAME_TOKENS:
        raise Rejected(1007, f"Invalid value at 'generation_config.media_resolution'. {INVALID_ARGUMENT}")
    if get(setup, "proactivity") is not None and not spec.affective_dialog:
        raise Rejected(1007, f"proactivity is not supported by {name}. {INVALID_ARGUMENT}")
    input_transcription = get(setup, "inputAudioTranscription")
    if input_transcription is not None:
        _transcription(input_transcription, "setup.input_audio_transcription")
    output_transcription = get(setup, "outputAudioTranscription")
    if output_transcription is not None:
        _transcription(output_transcription, "setup.output_audio_transcription")
    resumption = get(setup, "sessionResumption")
    handle = None
    if resumption is not None:
        handle = get(only(resumption, "setup.session_resumption", {"handle"}), "handle")
        if handle is not None and not isinstance(handle, str):
            raise Rejected(1007, INVALID_ARGUMENT)
    compression = get(setup, "contextWindowCompression")
    if compression is not None:
        _compression(compression)
    behaviors = _tools(get(setup, "tools", []), spec)
    return AcceptedSetup(
        model=name,
        spec=spec,
        voice=voice,
        language_code=language_code,
        instructions=_instructions(get(setup, "systemInstruction")),
        tools=frozenset(behaviors),
        blocking=frozenset(name for name, behavior in behaviors.items() if behavior == "BLOCKING"),
        input_transcription=input_transcription,
        output_transcription=output_transcription is not None,
        resumption=resumption is not None,
        handle=handle,
        silence_ms=_silence_ms(get(setup, "realtimeInputConfig")),
        manual_activity=_manual_activity(get(setup, "realtimeInputConfig")),
        compression=compression is not None,
        frame_tokens=FRAME_TOKENS[resolution],
        raw=setup,
    )


def _generation(config: Any, spec: ModelSpec) -> tuple[str, str | None]:
    """Native-audio models answer in audio only; returns the voice (Puck when none is named) and the language."""
    config = only(
        config,
        "setup.generation_config",
        {
            "responseModalities",
            "speechConfig",
            "thinkingConfig",
            "enableAffectiveDialog",
            "temperature",
            "topP",
            "topK",
            "maxOutputTokens",
            "mediaResolution",
            "seed",
        },
    )
    if get(config, "responseModalities") != ["AUDIO"]:
        raise Rejected(
            1007, f"This model answers in audio only: response_modalities must be [AUDIO]. {INVALID_ARGUMENT}"
        )
    if get(config, "thinkingConfig") is not None and not spec.thinking:
        raise Rejected(1007, f"thinking_config is not supported by this model. {INVALID_ARGUMENT}")
    if get(config, "enableAffectiveDialog") is not None and not spec.affective_dialog:
        raise Rejected(1007, f"enable_affective_dialog is not supported by this model. {INVALID_ARGUMENT}")
    speech = get(config, "speechConfig")
    if speech is None:
        return "Puck", None
    speech = only(speech, "setup.generation_config.speech_config", {"voiceConfig", "languageCode"})
    language = get(speech, "languageCode")
    if language is not None and not (isinstance(language, str) and LANGUAGE_CODE.match(language)):
        raise Rejected(1007, f"Invalid language code {language!r}. {INVALID_ARGUMENT}")
    if language is not None and spec.native_audio:
        raise Rejected(
            1007, f"Native audio models choose the language; language_code is not supported. {INVALID_ARGUMENT}"
        )
    voice_config = only(get(speech, "voiceConfig", {}), "speech_config.voice_config", {"prebuiltVoiceConfig"})
    prebuilt = only(get(voice_config, "prebuiltVoiceConfig", {}), "voice_config.prebuilt_voice_config", {"voiceName"})
    voice = get(prebuilt, "voiceName", "Puck")
    if voice not in VOICES:
        raise Rejected(1007, f"Voice {voice} is not available. {INVALID_ARGUMENT}")
    return voice, language


def _transcription(config: Any, where: str) -> None:
    config = only(config, where, {"languageCodes", "customVocabulary", "mode"})
    codes = get(config, "languageCodes", [])
    if not isinstance(codes, list) or not all(isinstance(c, str) and LANGUAGE_CODE.match(c) for c in codes):
        raise Rejected(1007, f"Invalid value at '{where}.language_codes'. {INVALID_ARGUMENT}")
    vocabulary = get(config, "customVocabulary", [])
    if not isinstance(vocabulary, list) or not all(isinstance(v, str) and v for v in vocabulary):
        raise Rejected(1007, f"Invalid value at '{where}.custom_vocabulary'. {INVALID_ARGUMENT}")
    if get(config, "mode", "MODE_UNSPECIFIED") not in TRANSCRIPTION_MODES:
        raise Rejected(1007, f"Invalid value at '{where}.mode'. {INVALID_ARGUMENT}")


def _silence_ms(config: Any) -> int | None:
    if config is None:
        return None
    config = only(
        config, "setup.realtime_input_config", {"automaticActivityDetection", "activityHandling", "turnCoverage"}
    )
    detection = only(
        get(config, "automaticActivityDetection", {}),
        "realtime_input_config.automatic_activity_detection",
        {"disabled", "startOfSpeechSensitivity", "endOfSpeechSensitivity", "prefixPaddingMs", "silenceDurationMs"},
    )
    for name, allowed in SENSITIVITIES.items():
        if get(detection, name, next(iter(allowed))) not in allowed:
            raise Rejected(1007, f"Invalid value at 'automatic_activity_detection.{snake(name)}'. {INVALID_ARGUMENT}")
    silence = get(detection, "silenceDurationMs")
    return None if silence is None else int(silence)


def _manual_activity(config: Any) -> bool:
    """`automaticActivityDetection.disabled`: the client must send activityStart and activityEnd."""
    if config is None:
        return False
    disabled = get(get(config, "automaticActivityDetection", {}), "disabled", False)
    if not isinstance(disabled, bool):
        raise Rejected(1007, f"Invalid value at 'automatic_activity_detection.disabled'. {INVALID_ARGUMENT}")
    return disabled


def _compression(config: Any) -> None:
    config = only(config, "setup.context_window_compression", {"triggerTokens", "slidingWindow"})
    window = get(config, "slidingWindow")
    if window is None:
        raise Rejected(1007, f"context_window_compression needs sliding_window. {INVALID_ARGUMENT}")
    only(window, "context_window_compression.sliding_window", {"targetTokens"})


def _instructions(content: Any) -> str:
    if content is None:
        return ""
    content = only(content, "setup.system_instruction", {"parts", "role"})
    return "".join(get(only(part, "system_instruction.parts", {"text"}), "text", "") for part in get(content, "parts"))


def _tools(tools: Any, spec: ModelSpec) -> dict[str, str]:
    """Each function's name and how its calls run: its declared behavior, else the model's default."""
    behaviors: dict[str, str] = {}
    for tool in tools:
        tool = only(tool, "setup.tools", {"functionDeclarations", "googleSearch"})
        for declaration in get(tool, "functionDeclarations", []):
            declaration = only(
                declaration,
                "tools.function_declarations",
                {"name", "description", "parameters", "parametersJsonSchema", "behavior", "response"},
            )
            name = get(declaration, "name")
            if not isinstance(name, str) or not FUNCTION_NAME.match(name) or name in behaviors:
                raise Rejected(1007, f"Invalid function name {name!r}. {INVALID_ARGUMENT}")
            if get(declaration, "parameters") is not None:
                _schema(get(declaration, "parameters"), f"function_declarations[{name}].parameters")
            behavior = get(declaration, "behavior", "UNSPECIFIED")
            if behavior not in BEHAVIORS:
                raise Rejected(1007, f"Invalid value at 'function_declarations[{name}].behavior'. {INVALID_ARGUMENT}")
            if behavior == "NON_BLOCKING" and not spec.async_tools:
                raise Rejected(
                    1007, f"Asynchronous function calling is not supported by this model. {INVALID_ARGUMENT}"
                )
            behaviors[name] = spec.default_behavior if behavior == "UNSPECIFIED" else behavior
    return behaviors


def _schema(schema: Any, where: str) -> None:
    """OpenAPI-style Schema: types are upper-case enum names ("object" is refused, as protobuf refuses it)."""
    schema = only(
        schema,
        where,
        {"type", "description", "enum", "properties", "required", "items", "nullable", "format", "anyOf"},
    )
    if get(schema, "type") not in SCHEMA_TYPES:
        raise Rejected(1007, f"Invalid value at '{where}.type' ({get(schema, 'type')!r}). {INVALID_ARGUMENT}")
    for key, value in get(schema, "properties", {}).items():
        _schema(value, f"{where}.properties[{key}]")
    if get(schema, "items") is not None:
        _schema(get(schema, "items"), f"{where}.items")
