"""Fits the final-lowering model's weights and picks its threshold, on the tuning split only
(`python -m bench.turntaking_train`); paste what it prints into tutor/turntaking/prosody.py. The threshold
is folded into the bias, so the model's probability is finished from 0.5, as Smart Turn's is. Finished
answers are the positives, mid-phrase pauses (with and without a filler) the negatives, each heard as the
detector hears it: up to the silence's first 160 ms."""

import numpy as np

from tutor.turntaking import prosody

from .turntaking_corpus import corpus

HEARD_SILENCE_MS = 160
MOST_CUT = 0.01  # the threshold keeps the tuning split's cut-offs at most this, in every language


def samples() -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    levels, finished, languages = [], [], []
    for case in corpus("tuning"):
        if case.kind not in ("finished", "pause", "filler"):
            continue
        stop = case.speech_end_ms if case.kind == "finished" else case.pause_ms[0]
        heard = case.pcm[: int((stop + HEARD_SILENCE_MS) * 16) * 2]
        found = prosody.final_levels(heard)
        levels.append(found if found is not None else (1.0, 1.0))
        finished.append(case.kind == "finished")
        languages.append(case.language)
    return np.array(levels), np.array(finished, dtype=float), np.array(languages)


def fit(x: np.ndarray, y: np.ndarray, l2: float = 0.01, steps: int = 6000) -> tuple:
    means, scales = x.mean(axis=0), x.std(axis=0) + 1e-9
    z = np.c_[(x - means) / scales, np.ones(len(x))]
    w = np.zeros(z.shape[1])
    for _ in range(steps):
        p = 1 / (1 + np.exp(-z @ w))
        w -= 0.5 * (z.T @ (p - y) / len(y) + l2 * np.r_[w[:-1], 0])
    return means, scales, w[:-1], w[-1]


def main() -> None:
    x, y, languages = samples()
    means, scales, weights, bias = fit(x, y)
    p = 1 / (1 + np.exp(-(bias + ((x - means) / scales) @ weights)))
    for threshold in np.arange(0.30, 0.99, 0.01):
        worst = max(float((p[(y == 0) & (languages == lang)] >= threshold).mean()) for lang in set(languages))
        if worst <= MOST_CUT:
            break
    print(f"MEANS = ({means[0]:.4f}, {means[1]:.4f})")
    print(f"SCALES = ({scales[0]:.4f}, {scales[1]:.4f})")
    print(f"WEIGHTS = ({weights[0]:.4f}, {weights[1]:.4f})")
    print(f"BIAS = {bias - np.log(threshold / (1 - threshold)):.4f}  # threshold {threshold:.2f} folded in")
    print(f"tuning split: finished answers heard as finished {100 * (p[y == 1] >= threshold).mean():.0f} %, "
          f"mid-phrase pauses at most {100 * worst:.1f} % in any language")  # fmt: skip


if __name__ == "__main__":
    main()
