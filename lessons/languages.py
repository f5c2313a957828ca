"""Language codes offered as suggestions on the lesson form (any BCP-47 code is accepted), each named in
the teacher's language."""

from django.utils.translation import gettext_lazy as _

LANGUAGE_SUGGESTIONS: tuple[tuple[str, str], ...] = (
    ("ar-EG", _("Arabic (Egypt)")),
    ("de-DE", _("German (Germany)")),
    ("en-GB", _("English (United Kingdom)")),
    ("en-US", _("English (United States)")),
    ("es-ES", _("Spanish (Spain)")),
    ("es-MX", _("Spanish (Mexico)")),
    ("fr-CA", _("French (Canada)")),
    ("fr-FR", _("French (France)")),
    ("hi-IN", _("Hindi (India)")),
    ("it-IT", _("Italian (Italy)")),
    ("ja-JP", _("Japanese (Japan)")),
    ("ko-KR", _("Korean (Korea)")),
    ("nl-NL", _("Dutch (Netherlands)")),
    ("pl-PL", _("Polish (Poland)")),
    ("pt-BR", _("Portuguese (Brazil)")),
    ("pt-PT", _("Portuguese (Portugal)")),
    ("ru-RU", _("Russian (Russia)")),
    ("sv-SE", _("Swedish (Sweden)")),
    ("tr-TR", _("Turkish (Turkey)")),
    ("zh-CN", _("Chinese (Mandarin, China)")),
)
