"""A card's answer spoken in its language, as MP3: eSpeak NG (the offline tutor's voice, so it needs no key
and no network) encoded by LAME. Browsers play it on the review page and Anki plays it in the export."""

import lameenc

from tutor.providers.offline.tts import speak

RATE = 22_050  # eSpeak NG's own rate: no resampling
BIT_RATE_KBPS = 40  # speech in mono: a short sentence is a few kilobytes


def spoken_mp3(text: str, *, language: str) -> bytes:
    encoder = lameenc.Encoder()
    encoder.set_bit_rate(BIT_RATE_KBPS)
    encoder.set_in_sample_rate(RATE)
    encoder.set_channels(1)
    encoder.set_quality(5)
    pcm = speak(text, language=language, rate=RATE, pace="slow")
    return bytes(encoder.encode(pcm) + encoder.flush())
