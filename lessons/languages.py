"""Language codes offered as suggestions on the lesson form (any BCP-47 code is accepted)."""

LANGUAGE_SUGGESTIONS: tuple[tuple[str, str], ...] = (
    ("ar-EG", "Arabic (Egypt)"),
    ("de-DE", "German (Germany)"),
    ("en-GB", "English (United Kingdom)"),
    ("en-US", "English (United States)"),
    ("es-ES", "Spanish (Spain)"),
    ("es-MX", "Spanish (Mexico)"),
    ("fr-CA", "French (Canada)"),
    ("fr-FR", "French (France)"),
    ("hi-IN", "Hindi (India)"),
    ("it-IT", "Italian (Italy)"),
    ("ja-JP", "Japanese (Japan)"),
    ("ko-KR", "Korean (Korea)"),
    ("nl-NL", "Dutch (Netherlands)"),
    ("pl-PL", "Polish (Poland)"),
    ("pt-BR", "Portuguese (Brazil)"),
    ("pt-PT", "Portuguese (Portugal)"),
    ("ru-RU", "Russian (Russia)"),
    ("sv-SE", "Swedish (Sweden)"),
    ("tr-TR", "Turkish (Turkey)"),
    ("zh-CN", "Chinese (Mandarin, China)"),
)
