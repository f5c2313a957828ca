from django.utils import translation

from practice.templatetags.tutor_format import category_label, duration, language_name


def test_durations_read_as_seconds_minutes_or_hours():
    assert [duration(v) for v in (None, 42, 60, 754, 3900)] == ["0 s", "42 s", "1 min", "13 min", "1 h 05 min"]


def test_language_codes_become_names_in_the_pages_language():
    assert language_name("fr-FR") == "French" and language_name("ja") == "Japanese"
    assert language_name("xx-YY") == "xx-YY"
    with translation.override("fr"):
        assert language_name("de-DE") == "Allemand"


def test_correction_categories_read_as_words():
    assert category_label("word_order") == "Word order" and category_label("mystery") == "mystery"
