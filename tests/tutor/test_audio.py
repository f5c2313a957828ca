"""Resampling a live stream: every chunk out at once, and the sound kept."""

import numpy as np

from tutor.audio import StreamResampler, bytes_for_ms, to_samples


def _tone(hz: float, seconds: float, rate: int = 16_000) -> bytes:
    t = np.arange(int(rate * seconds)) / rate
    return (np.sin(2 * np.pi * hz * t) * 8000).astype("<i2").tobytes()


def test_the_quick_stream_gives_each_twenty_ms_frame_out_at_once_where_hq_holds_some_back():
    frames = [bytes(bytes_for_ms(20, 16_000))] * 10
    quick, careful = StreamResampler(16_000, 24_000, quality="QQ"), StreamResampler(16_000, 24_000)
    assert all(quick.process(frame) for frame in frames)
    assert not all(careful.process(frame) for frame in frames)  # HQ's 734-sample blocks


def test_the_quick_stream_keeps_a_tone_at_its_pitch_and_the_length_at_its_rate():
    resampler = StreamResampler(16_000, 24_000, quality="QQ")
    pcm = _tone(440, 1.0)
    out = b"".join(resampler.process(pcm[i : i + 1280]) for i in range(0, len(pcm), 1280))
    samples = to_samples(out).astype(float)
    assert abs(len(samples) - 24_000) <= 8
    spectrum = np.abs(np.fft.rfft(samples))
    assert abs(np.argmax(spectrum) * 24_000 / len(samples) - 440) < 2
