"""The student's deck: its cards by tab (due, new, learned), the review page with the four ratings and an answer
the student types or says (graded as in a lesson, practice/answers.py), a card's audio, the Anki export and the
start of a spoken review. A student sees only their own deck; a card's audio also plays for their teacher
(practice/access.py)."""

from urllib.parse import urlencode

from asgiref.sync import sync_to_async
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from ..access import cards_visible_to
from ..anki import deck_package
from ..answers import MAX_SPEECH_SECONDS, Graded, grade_spoken, grade_typed
from ..budgets import BudgetSpent
from ..forms import AnswerForm, LanguageForm, RatingForm, ReviewScopeForm
from ..models import Card, Rating
from ..selectors import deck as deck_selectors
from ..services.deck import card_audio_make
from ..services.drills import NothingToDrill, drill_start
from ..services.reviews import card_review, next_due_by_rating
from .sessions import CAPTURE_PROCESSING

TABS = ("due", "new", "learned", "all")
PER_PAGE = 50


def _language(request: HttpRequest) -> str:
    form = LanguageForm(request.GET)
    return form.cleaned_data["language"] if form.is_valid() else ""


def _first_tab(counts: deck_selectors.DeckCounts) -> str:
    """The deck opens where there is something to do: cards due, else new cards, else all of them."""
    return "due" if counts.due else "new" if counts.new else "all"


@login_required
def deck_page(request: HttpRequest) -> HttpResponse:
    student, language = request.user, _language(request)
    counts = deck_selectors.deck_counts(student=student, language=language)
    show = request.GET.get("show") if request.GET.get("show") in TABS else _first_tab(counts)
    cards = deck_selectors.deck_list(student=student, show=show, language=language)
    return render(
        request,
        "student/deck.html",
        {
            "counts": counts,
            "page_obj": Paginator(cards, PER_PAGE).get_page(request.GET.get("page")),
            "show": show,
            "tabs": TABS,
            "language": language,
            "languages": deck_selectors.deck_languages(student=student),
        },
    )


def _scope(data) -> tuple[str, int | None]:
    form = ReviewScopeForm(data)
    if not form.is_valid():
        return "", None
    return form.cleaned_data["language"] or "", form.cleaned_data["session"]


def _scope_query(language: str, session_id: int | None) -> str:
    query = {name: value for name, value in (("language", language), ("session", session_id)) if value}
    return f"?{urlencode(query)}" if query else ""


@login_required
def review_page(request: HttpRequest) -> HttpResponse:
    language, session_id = _scope(request.GET)
    card = deck_selectors.next_card(student=request.user, language=language, session_id=session_id)
    return _review(request, card, language=language, session_id=session_id)


def _review(
    request: HttpRequest, card: Card | None, *, language: str, session_id: int | None, graded: Graded | None = None,
    form: AnswerForm | None = None,
) -> HttpResponse:  # fmt: skip
    ratings = []
    if card is not None:
        due = next_due_by_rating(card)
        ratings = [(value, label, due[value] - timezone.now()) for value, label in Rating.choices]
    return render(
        request,
        "student/review.html",
        {
            "card": card,
            "ratings": ratings,
            "language": language,
            "session_id": session_id,
            "graded": graded,
            "answer_form": form or AnswerForm(),
            "counts": deck_selectors.deck_counts(student=request.user, language=language),
            # The recognizer is the offline tutor's: the microphone is asked for what it hears best.
            "capture_processing": CAPTURE_PROCESSING["offline"],
        },
    )


MAX_SPEECH_BYTES = MAX_SPEECH_SECONDS * 16_000 * 2


def _answer_error(code: str, message: str, status: int = 400) -> JsonResponse:
    return JsonResponse({"error": {"code": code, "message": message}}, status=status)


@require_POST
async def card_answer(request: HttpRequest, card_id: int) -> HttpResponse:
    """POST an answer to a card: the form's `answer` (typed) or, as application/octet-stream, the student's speech
    (PCM16 little-endian mono at 16 kHz, at most MAX_SPEECH_SECONDS). With a script the page asks for JSON (the
    verdict, the suggested rating and the result's HTML); without one it gets the review page with the result."""
    user = await request.auser()
    wants_json = "application/json" in request.headers.get("Accept", "")
    if not user.is_authenticated:
        return (
            _answer_error("not_authenticated", _("Log in first."), 401)
            if wants_json
            else redirect_to_login(request.get_full_path())
        )
    card = await Card.objects.filter(pk=card_id, student=user).afirst()
    if card is None:
        raise Http404
    reader = translation.get_language()
    form = None
    if request.content_type == "application/octet-stream":
        pcm = request.body
        if not pcm or len(pcm) % 2 or len(pcm) > MAX_SPEECH_BYTES:
            message = _("Send at most %(seconds)d seconds of speech, as 16 kHz PCM16.") % {
                "seconds": MAX_SPEECH_SECONDS
            }
            return _answer_error("bad_audio", message)
        others = await sync_to_async(deck_selectors.other_answers)(card=card)
        graded = await grade_spoken(card, pcm, others=others, explain_in=reader)
    else:
        form = AnswerForm(request.POST)
        if not form.is_valid():
            if wants_json:
                return _answer_error("no_answer", " ".join(form.errors["answer"]))
            language, session_id = _scope(request.POST)
            return await sync_to_async(_review)(request, card, language=language, session_id=session_id, form=form)
        graded = await sync_to_async(grade_typed)(card, form.cleaned_data["answer"], explain_in=reader)
    if wants_json:
        html = await sync_to_async(render_to_string)(
            "student/includes/answer_result.html", {"graded": graded, "card": card}, request=request
        )
        return JsonResponse(
            {"verdict": graded.verdict, "said": graded.said, "expected": graded.expected, "rating": graded.rating,
             "html": html}
        )  # fmt: skip
    language, session_id = _scope(request.POST)
    return await sync_to_async(_review)(
        request, card, language=language, session_id=session_id, graded=graded, form=form
    )


@login_required
@require_POST
def card_rate(request: HttpRequest, card_id: int) -> HttpResponse:
    card = Card.objects.filter(pk=card_id, student=request.user).first()
    if card is None:
        raise Http404
    form = RatingForm(request.POST)
    if form.is_valid():
        card_review(card_id=card.pk, rating=form.cleaned_data["rating"], duration_ms=form.cleaned_data["duration_ms"])
    else:
        messages.error(request, _("Choose one of the four ratings."))
    language, session_id = _scope(request.POST)
    return redirect(reverse("deck_review") + _scope_query(language, session_id))


@login_required
@require_GET
def card_audio(request: HttpRequest, card_id: int) -> HttpResponse:
    """The card's answer spoken in its language (made now if the card has none yet)."""
    card = cards_visible_to(user=request.user).select_related("audio").filter(pk=card_id).first()
    if card is None:
        raise Http404
    audio = getattr(card, "audio", None)
    if audio is None or audio.text != card.back:
        audio = card_audio_make(card=card)
    if audio is None:
        raise Http404
    response = HttpResponse(bytes(audio.mp3), content_type="audio/mpeg")
    response["Cache-Control"] = "private, max-age=86400"
    return response


@login_required
@require_GET
def deck_export(request: HttpRequest) -> HttpResponse:
    """The deck (or one language of it) as an Anki package."""
    language = _language(request)
    cards = deck_selectors.deck_cards(student=request.user, language=language).select_related("audio")
    title = _("Language tutor")
    package = deck_package(cards.order_by("pk"), student_id=request.user.pk, title=title)
    name = slugify(f"{title} {request.user.username} {language}".strip()) or "deck"
    response = HttpResponse(package, content_type="application/apkg")
    response["Content-Disposition"] = f'attachment; filename="{name}.apkg"'
    return response


@login_required
@require_POST
def spoken_review_start(request: HttpRequest) -> HttpResponse:
    form = LanguageForm(request.POST)
    if not form.is_valid():
        raise Http404
    try:
        session = drill_start(
            student=request.user, language=form.cleaned_data["language"], reader_language=translation.get_language()
        )
    except NothingToDrill as nothing:
        messages.info(request, str(nothing))
        return redirect("deck")
    except BudgetSpent as spent:
        messages.error(request, str(spent))
        return redirect("deck")
    return redirect("session_live", session_id=session.pk)
