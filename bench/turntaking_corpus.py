"""The labelled corpus turn-taking is tuned and measured on: learners' answers in the five demo languages,
said by eSpeak NG voices at speeds of their own, rendered into a cache directory (never committed); a seed
fixes every choice (pause lengths, sounds, noise).

Two splits that share no voice, speed or sentence: "tuning" (what the thresholds were chosen on,
`python -m bench.turntaking_tune`) and "test" (what `make bench` reports; the demo lessons' answers are
added to its finished answers). Each case is what a browser sends, 16 kHz PCM16 with a -50 dBFS noise
floor, and its labels in milliseconds:

- finished: a whole answer, then silence;
- pause: the answer cut at a mid-phrase word boundary by a silence of 0.5-2.5 s;
- filler: the same with a filler ("euh", "eh", "äh", "えーと", "uh") before the silence;
- stuck: the beginning of an answer, a filler, then a silence that goes on;
- silent: nothing at all after the tutor's turn;
- backchannel, cough: a short sound while the tutor speaks ("mm", "oui", "ja", "はい", "ok"; a synthetic
  cough: a burst of shaped noise), which must not interrupt it;
- interruption: a real sentence while the tutor speaks, which must.
"""

import hashlib
import json
import pickle
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Literal

import numpy as np

from tutor.audio import INPUT_RATE as RATE
from tutor.providers.offline import tts
from tutor.providers.offline.features import loud_span

from .speech_cases import demo_steps

VERSION = 1
CACHE = Path(__file__).resolve().parent.parent / ".data" / "bench-cache" / "turntaking"
NOISE_DBFS = -50.0
LANGUAGES = ("fr", "es", "de", "ja", "en")
VOICES: dict[str, tuple[tuple[str, int], ...]] = {  # (eSpeak variant, words per minute)
    "tuning": (("m1", 150), ("f1", 130), ("m4", 170), ("f2", 160)),
    "test": (("m2", 120), ("f3", 145), ("m6", 180), ("f5", 135)),
}
Kind = Literal["finished", "pause", "filler", "stuck", "silent", "backchannel", "cough", "interruption"]
Split = Literal["tuning", "test"]

# Answers a learner gives; "|" marks where a learner may stop to find the next word. The first six of each
# language are the tuning split's, the last six the test split's.
SENTENCES: dict[str, tuple[str, ...]] = {
    "fr": (
        "Je voudrais | une table pour | deux personnes",
        "Le week-end dernier, je suis allé | au cinéma avec | mes amis",
        "Est-ce que vous avez | une chambre | pour ce soir ?",
        "Mon frère habite | à Marseille depuis | trois ans",
        "Je prends | le train de | huit heures",
        "Nous avons visité | le musée | et le vieux port",
        "J'aimerais réserver | un billet pour | Bordeaux",
        "Il fait beau, alors on va | se promener | au parc",
        "Je cherche | la pharmacie | la plus proche",
        "Ma sœur travaille | dans un hôpital | à Lille",
        "Pouvez-vous me donner | l'adresse | de l'hôtel ?",
        "Hier soir, nous avons mangé | dans un petit | restaurant",
    ),
    "es": (
        "Quiero | un café con | leche, por favor",
        "Mañana voy | a la playa | con mi familia",
        "¿Puede decirme | dónde está | la estación?",
        "Mi hermana vive | en Sevilla desde | hace dos años",
        "Necesito | comprar un billete | de tren",
        "El sábado fuimos | al mercado | y al parque",
        "Me gustaría | reservar una mesa | para cuatro",
        "Trabajo | en una oficina | en el centro",
        "¿Tiene | una habitación | para esta noche?",
        "Por la tarde | estudio español | en casa",
        "Ayer comimos | en un restaurante | muy bonito",
        "Quiero visitar | el museo | del Prado",
    ),
    "de": (
        "Ich möchte | einen Tisch für | zwei Personen",
        "Am Wochenende bin ich | mit Freunden | ins Kino gegangen",
        "Haben Sie | ein Zimmer | für heute Nacht?",
        "Mein Bruder wohnt | seit drei Jahren | in Hamburg",
        "Ich nehme | den Zug um | acht Uhr",
        "Wir haben | das Museum | und den Hafen besucht",
        "Ich suche | die nächste | Apotheke",
        "Meine Schwester arbeitet | in einem Krankenhaus | in Köln",
        "Können Sie mir | die Adresse | des Hotels geben?",
        "Gestern Abend haben wir | in einem kleinen | Restaurant gegessen",
        "Ich würde gern | eine Fahrkarte | nach Berlin kaufen",
        "Am Nachmittag | lerne ich | zu Hause Deutsch",
    ),
    "ja": (
        "わたしは | まいにち | コーヒーを のみます",
        "きのう | ともだちと | えいがを みました",
        "えきは | どこに | ありますか",
        "あねは | とうきょうに | すんで います",
        "らいしゅう | きょうとへ | いきます",
        "しゅうまつに | こうえんで | さんぽを しました",
        "すみません | この でんしゃは | おおさかに いきますか",
        "わたしの しゅみは | りょうりと | おんがくです",
        "あした | しごとの あとで | かいものに いきます",
        "ちちは | ぎんこうで | はたらいて います",
        "レストランを | よやく | したいです",
        "ゆうべ | にほんごの | べんきょうを しました",
    ),
    "en": (
        "I would like | a table for | two people",
        "Last weekend I went | to the cinema | with my friends",
        "Do you have | a room | for tonight?",
        "My brother has lived | in Manchester for | three years",
        "I usually take | the train | at eight o'clock",
        "We visited | the museum | and the old harbour",
        "I'm looking | for the nearest | pharmacy",
        "My sister works | in a hospital | in Leeds",
        "Could you give me | the address | of the hotel?",
        "Yesterday evening we had dinner | in a small | restaurant",
        "I'd like to buy | a ticket | to Edinburgh",
        "In the afternoon I study | at home | with my cousin",
    ),
}
FILLERS = {"fr": "euh", "es": "eh", "de": "äh", "ja": "えーと", "en": "uh"}
BACKCHANNELS = {
    "fr": ("mm", "oui", "ok", "d'accord", "ah oui", "euh"),
    "es": ("mm", "sí", "ok", "vale", "ajá", "eh"),
    "de": ("mm", "ja", "ok", "genau", "aha", "äh"),
    "ja": ("はい", "うん", "ええ", "ok", "へえ", "えーと"),
    "en": ("mm", "yeah", "ok", "right", "uh-huh", "uh"),
}
INTERRUPTIONS = {
    "fr": ("Attendez, je n'ai pas compris", "Pardon, vous pouvez répéter ?", "Non, ce n'est pas ça"),
    "es": ("Perdón, ¿puede repetir?", "Espere, no entiendo", "No, no es eso"),
    "de": ("Moment, das habe ich nicht verstanden", "Entschuldigung, noch einmal bitte", "Nein, das stimmt nicht"),
    "ja": ("すみません もういちど おねがいします", "ちょっと まって ください", "いいえ そうじゃ ありません"),
    "en": ("Sorry, could you say that again?", "Wait, I don't understand", "No, that's not what I meant"),
}


@dataclass(frozen=True)
class Case:
    kind: Kind
    language: str
    voice: str
    text: str
    pcm: bytes
    speech_end_ms: float = 0.0  # where the answer's last word ends
    pause_ms: tuple[float, float] | None = None  # the mid-phrase silence: where the speech stops and resumes
    sound_ms: tuple[float, float] | None = None  # the sound heard while the tutor speaks
    tutor_speaking: bool = False

    @property
    def duration_ms(self) -> float:
        return len(self.pcm) / 2 / RATE * 1000


def _speech(text: str, language: str, voice: tuple[str, int]) -> tts.Speech:
    return tts.speak_words(text, language=language, rate=RATE, variant=voice[0], pace=voice[1])


def _quietest(signal: np.ndarray, around: int, reach: int = 640) -> int:
    """The sample near `around` in the quietest 10 ms: where a cut between two words makes no click."""
    low, high = max(0, around - reach), min(signal.size - 160, around + reach)
    if high <= low:
        return around
    energies = [float(np.abs(signal[i : i + 160]).mean()) for i in range(low, high, 32)]
    return low + 32 * int(np.argmin(energies)) + 80


def _word_start(text: str, speech: tts.Speech, char: int) -> int:
    """The first sample of the word that begins at or after character `char` of `text`."""
    for mark in speech.words:
        if mark.start_char >= char:
            return mark.sample
    return len(speech.pcm) // 2


def _ms(samples: int) -> float:
    return samples / RATE * 1000


def _with_noise(signal: np.ndarray, rng: np.random.Generator) -> bytes:
    noisy = signal + rng.normal(0, 32768 * 10 ** (NOISE_DBFS / 20), signal.size)
    return np.clip(noisy, -32768, 32767).astype("<i2").tobytes()


def _silence(ms: float) -> np.ndarray:
    return np.zeros(int(RATE * ms / 1000))


def _finished(language: str, text: str, voice: tuple[str, int], rng: np.random.Generator) -> Case:
    said = np.frombuffer(_speech(text, language, voice).pcm, dtype="<i2").astype(np.float64)
    lead = _silence(500)
    signal = np.concatenate([lead, said, _silence(2000)])
    end = lead.size + loud_span(said / 32768)[1]
    return Case("finished", language, _name(voice), text, _with_noise(signal, rng), speech_end_ms=_ms(end))


def _paused(
    language: str, sentence: str, mark: int, voice: tuple[str, int], pause_ms: float, filler: bool,
    rng: np.random.Generator,
) -> Case:  # fmt: skip
    """The sentence said whole (so its words keep their mid-sentence melody), cut before the word after the
    `mark`-th "|", with a silence there (and the language's filler before it)."""
    parts = [p.strip() for p in sentence.split("|")]
    before, after = " ".join(parts[: mark + 1]), " ".join(parts[mark + 1 :])
    if filler:
        before = f"{before}, {FILLERS[language]},"
    text = f"{before} {after}"
    speech = _speech(text, language, voice)
    said = np.frombuffer(speech.pcm, dtype="<i2").astype(np.float64)
    cut = _quietest(said, _word_start(text, speech, len(before) + 1))
    first, second = said[:cut], said[cut:]
    lead, gap = _silence(500), _silence(pause_ms)
    signal = np.concatenate([lead, first, gap, second, _silence(2000)])
    stops = lead.size + loud_span(first / 32768)[1]
    resumes = lead.size + first.size + gap.size + loud_span(second / 32768)[0]
    end = lead.size + first.size + gap.size + loud_span(second / 32768)[1]
    kind: Kind = "filler" if filler else "pause"
    label = f"{before} [{pause_ms:.0f} ms] {after}"
    return Case(kind, language, _name(voice), label, _with_noise(signal, rng), speech_end_ms=_ms(end),
                pause_ms=(_ms(stops), _ms(resumes)))  # fmt: skip


def _stuck(language: str, sentence: str, voice: tuple[str, int], rng: np.random.Generator) -> Case:
    start = f"{sentence.split('|')[0].strip()}, {FILLERS[language]},"
    said = np.frombuffer(_speech(start, language, voice).pcm, dtype="<i2").astype(np.float64)
    lead = _silence(500)
    signal = np.concatenate([lead, said, _silence(8000)])
    stops = lead.size + loud_span(said / 32768)[1]
    return Case("stuck", language, _name(voice), f"{start} …", _with_noise(signal, rng), speech_end_ms=_ms(stops),
                pause_ms=(_ms(stops), _ms(signal.size)))  # fmt: skip


def _silent(language: str, rng: np.random.Generator) -> Case:
    return Case("silent", language, "-", "(nothing)", _with_noise(_silence(10_000), rng))


def cough(rng: np.random.Generator) -> np.ndarray:
    """One or two coughs: a broadband burst (the glottis opening) then a shorter, darker decay."""
    parts = []
    for _ in range(int(rng.integers(1, 3))):
        burst_ms, tail_ms = rng.uniform(40, 80), rng.uniform(120, 260)
        noise = rng.normal(0, 1, int(RATE * (burst_ms + tail_ms) / 1000))
        smooth = np.convolve(noise, np.ones(3) / 3, mode="same")  # a little less hiss than white noise
        t = np.arange(noise.size) / RATE * 1000
        envelope = np.where(t < burst_ms, np.minimum(1, t / 8), np.exp(-(t - burst_ms) / (tail_ms / 3)))
        peak = 32768 * 10 ** (rng.uniform(-18, -8) / 20)
        parts += [smooth / np.abs(smooth).max() * envelope * peak, _silence(rng.uniform(120, 260))]
    return np.concatenate(parts)


def _during_tutor(kind: Kind, language: str, voice: tuple[str, int], text: str, rng: np.random.Generator) -> Case:
    if kind == "cough":
        sound = cough(rng)
    else:
        sound = np.frombuffer(_speech(text, language, voice).pcm, dtype="<i2").astype(np.float64)
    lead = _silence(rng.uniform(600, 1200))
    signal = np.concatenate([lead, sound, _silence(2500)])
    start, end = loud_span(sound / 32768)
    return Case(kind, language, _name(voice), text, _with_noise(signal, rng),
                sound_ms=(_ms(lead.size + start), _ms(lead.size + end)), tutor_speaking=True)  # fmt: skip


def _name(voice: tuple[str, int]) -> str:
    return f"{voice[0]}@{voice[1]}"


def _build(split: Split, seed: int) -> list[Case]:
    rng = np.random.default_rng([seed, 0 if split == "tuning" else 1])
    cases: list[Case] = []
    for language in LANGUAGES:
        sentences = SENTENCES[language][:6] if split == "tuning" else SENTENCES[language][6:]
        answers = [s.replace("|", " ").replace("  ", " ") for s in sentences]
        answers = [" ".join(a.split()) for a in answers]
        if split == "test":
            answers += [a for step in demo_steps() if step.language[:2] == language for a in step.expected]
        for number, voice in enumerate(VOICES[split]):
            cases += [_finished(language, answer, voice, rng) for answer in answers]
            for index, sentence in enumerate(sentences):
                for mark in range(sentence.count("|")):
                    for filler in (False, True):
                        pause = float(rng.uniform(500, 2500))
                        cases.append(_paused(language, sentence, mark, voice, pause, filler, rng))
                if index % 2 == number % 2:
                    cases.append(_stuck(language, sentence, voice, rng))
            cases += [_during_tutor("backchannel", language, voice, text, rng) for text in BACKCHANNELS[language]]
            cases += [_during_tutor("cough", language, voice, "(cough)", rng) for _ in range(4)]
            cases += [_during_tutor("interruption", language, voice, t, rng) for t in INTERRUPTIONS[language]]
            cases.append(_silent(language, rng))
    return cases


def _fingerprint() -> str:
    """Anything that changes the audio changes the cache's name."""
    source = Path(__file__).read_bytes() + Path(tts.__file__).read_bytes()
    return hashlib.sha256(source).hexdigest()[:12]


@cache
def corpus(split: Split, seed: int = 23) -> tuple[Case, ...]:
    """The split's cases, rendered once into the cache directory and read from it afterwards."""
    path = CACHE / f"v{VERSION}-{_fingerprint()}-{split}-{seed}.pickle"
    if path.exists():
        return tuple(pickle.loads(path.read_bytes()))
    cases = _build(split, seed)
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_suffix(".partial")
    partial.write_bytes(pickle.dumps(cases))
    partial.replace(path)
    return tuple(cases)


def summary(cases: tuple[Case, ...]) -> str:
    counts: dict[str, int] = {}
    for case in cases:
        counts[case.kind] = counts.get(case.kind, 0) + 1
    return json.dumps(counts)


if __name__ == "__main__":
    for split in ("tuning", "test"):
        print(split, summary(corpus(split)))
