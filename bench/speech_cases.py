"""Spoken test cases for the offline recognizer: the demo lessons' answers said with a greeting or a filler
around them, and wrong answers, in eSpeak NG voices and speeds other than the recognizer's templates.

The audio is what a browser sends: silence before and after, a little noise, 16 kHz PCM16.
"""

from dataclasses import dataclass
from functools import cache
from pathlib import Path

import numpy as np
import yaml

from tutor.audio import silence
from tutor.providers.offline import tts

RATE = 16_000
DEMO = Path(__file__).resolve().parent.parent / "lessons" / "demo" / "lessons.yaml"

# The thresholds were set on these voices; the targets are measured on the held-out ones.
CALIBRATION_VOICES: tuple[tuple[str, str], ...] = (("m1", "natural"), ("f1", "slow"), ("m5", "fast"), ("f4", "natural"))
HELD_OUT_VOICES: tuple[tuple[str, str], ...] = (("m2", "slow"), ("f3", "natural"), ("m6", "natural"), ("f5", "fast"))

AROUND = {  # a greeting and a filler, per language
    "fr": ("Bonjour", "euh"),
    "es": ("Hola", "eh"),
    "de": ("Guten Tag", "äh"),
    "ja": ("こんにちは", "えーと"),
    "en": ("Hello", "um"),
}

# Per demo lesson, per step: a near miss (one word changed) and something else entirely.
WRONG: dict[str, tuple[tuple[str, str], ...]] = {
    "fr": (
        ("Je voudrais un thé, s'il vous plaît", "Où sont les toilettes ?"),
        ("Je voudrais une baguette", "Il fait beau aujourd'hui"),
        ("Oui, merci", "Je ne sais pas"),
        ("Par chèque, s'il vous plaît", "Quelle heure est-il ?"),
        ("Merci, à demain", "J'ai très faim"),
    ),
    "es": (
        ("¿Dónde está la playa?", "Me llamo Pedro"),
        ("No, voy en taxi", "Tengo mucha hambre"),
        ("¿Dónde está el hotel?", "Hace mucho calor"),
        ("Buenas noches", "No entiendo nada"),
    ),
    "de": (
        ("Guten Tag, ich heiße Alex und ich bin Lehrer", "Wo ist der Bahnhof?"),
        ("Ich habe vier Jahre Erfahrung", "Das Wetter ist schön"),
        ("Meine größte Schwäche ist Ungeduld", "Ich trinke gern Kaffee"),
        ("Weil ich mehr Geld verdienen möchte", "Ich weiß es nicht"),
        ("Wie alt ist das Team?", "Wo ist die Toilette?"),
    ),
    "ja": (
        ("はじめまして、マリアです", "いただきます"),
        ("フランスからきました", "おはようございます"),
        ("にくがすきです", "ありがとうございます"),
        ("さようなら", "いってきます"),
    ),
    "en": (
        ("No, I was asleep", "Where is the station?"),
        ("I'm here mostly for the food", "What time is it?"),
        ("I've been sick lately", "I like apples"),
        ("No, I can't tonight", "The weather is nice"),
        ("Thanks, see you tomorrow", "I need a taxi"),
    ),
}


@dataclass(frozen=True)
class Step:
    language: str
    expected: tuple[str, ...]
    others: tuple[str, ...]  # the lesson's other sentences: what the tutor knows as wrong answers
    wrong: tuple[str, ...]


@dataclass(frozen=True)
class Case:
    step: Step
    said: str  # what the voice says, for a report
    pcm: bytes
    right: bool  # an expected answer was said


@cache
def demo_steps() -> tuple[Step, ...]:
    steps = []
    for lesson in yaml.safe_load(DEMO.read_text())["lessons"]:
        dialogue = lesson["dialogue"]
        examples = tuple(v["example"] for v in lesson["vocabulary"] if v.get("example"))
        for index, line in enumerate(dialogue):
            others = tuple(a for j, other in enumerate(dialogue) if j != index for a in other["expected"]) + examples
            wrong = WRONG[lesson["language"][:2]][index]
            steps.append(Step(lesson["language"], tuple(line["expected"]), others, wrong))
    return tuple(steps)


def browser_audio(pcm: bytes, *, seed: int, lead_ms: int = 400, tail_ms: int = 0, noise_dbfs: float = -50) -> bytes:
    """Silence around the speech and a noise floor, as a microphone without noise suppression sends."""
    signal = np.frombuffer(silence(lead_ms, RATE) + pcm + silence(tail_ms, RATE), dtype="<i2").astype(np.float64)
    noise = np.random.default_rng(seed).normal(0, 32768 * 10 ** (noise_dbfs / 20), signal.size)
    return np.clip(signal + noise, -32768, 32767).astype("<i2").tobytes()


def speech(text: str, language: str, voice: tuple[str, str]) -> bytes:
    return tts.speak(text, language=language, rate=RATE, variant=voice[0], pace=voice[1])


def right_cases(step: Step, voice: tuple[str, str], seed: int = 0) -> list[Case]:
    """Each expected answer after a greeting (one sentence), after a filler and before one (with pauses)."""
    greeting, filler = AROUND[step.language[:2]]
    cases = []
    for number, answer in enumerate(step.expected):
        pause = silence(300, RATE)
        said = {
            f"{greeting}, {answer}": speech(f"{greeting}, {answer}", step.language, voice),
            f"{filler}… {answer}": speech(filler, step.language, voice) + pause + speech(answer, step.language, voice),
            f"{answer}… {filler}": speech(answer, step.language, voice) + pause + speech(filler, step.language, voice),
        }
        for k, (text, pcm) in enumerate(said.items()):
            cases.append(Case(step, text, browser_audio(pcm, seed=seed + number * 3 + k), right=True))
    return cases


def wrong_cases(step: Step, voice: tuple[str, str], seed: int = 0) -> list[Case]:
    return [
        Case(step, text, browser_audio(speech(text, step.language, voice), seed=seed + k), right=False)
        for k, text in enumerate(step.wrong)
    ]
