from django.template import Context, Template
from django.utils import translation

from practice.templatetags.formatting import category_label, language_name, text_direction


def test_language_codes_become_names_in_the_pages_language():
    assert language_name("fr-FR") == "French" and language_name("ja") == "Japanese"
    assert language_name("xx-YY") == "xx-YY"
    with translation.override("fr"):
        assert language_name("de-DE") == "Allemand"


def test_right_to_left_languages_are_told_apart_from_the_rest():
    assert [text_direction(code) for code in ("ar-EG", "he", "fa", "fr-FR", "ja-JP", "xx")] == [
        "rtl", "rtl", "rtl", "ltr", "ltr", "ltr"]  # fmt: skip


def test_lesson_text_gets_its_language_and_direction():
    html = Template("{% load formatting %}<p {% lang_attrs code %}>x</p>").render(Context({"code": "ar-EG"}))
    assert html == '<p lang="ar-EG" dir="rtl">x</p>'


def test_correction_categories_read_as_words():
    assert category_label("word_order") == "Word order" and category_label("mystery") == "mystery"


def test_the_filters_write_through_the_one_formatter():
    html = Template("{% load formatting %}{{ s|duration }} · {{ usd|money }} · {{ n|number }}").render(
        Context({"s": 18, "usd": 0.004, "n": 1234.5})
    )
    assert html == "18 s · &lt; $0.01 · 1,234.5"
