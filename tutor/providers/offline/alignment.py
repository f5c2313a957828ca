"""Finding a rendering of an expected answer inside a longer utterance: subsequence dynamic time warping.

The template (eSpeak saying the answer) is aligned frame by frame to some stretch of the utterance,
which may start and end anywhere, so a greeting, a filler or a repetition around the answer costs
nothing. Each template frame is matched to exactly one utterance frame, advancing by 0, 1 or 2 frames
(the learner may be up to twice as slow as eSpeak, or faster): the cost is then a mean over the
template, comparable between answers of different lengths, and each row of the table depends only on
the one before, so it is computed with whole-row numpy operations for every template at once.
"""

from dataclasses import dataclass

import numpy as np

STAY_PENALTY = 0.1  # two template frames on one utterance frame: the learner is faster here
SKIP_PENALTY = 0.05  # an utterance frame skipped: the learner is slower here


@dataclass(frozen=True, slots=True)
class Alignment:
    frames: np.ndarray  # for each template frame, the utterance frame it matched
    costs: np.ndarray  # for each template frame, its distance to that utterance frame

    @property
    def start(self) -> int:
        return int(self.frames[0])

    @property
    def end(self) -> int:
        return int(self.frames[-1]) + 1


def align_all(templates: list[np.ndarray], utterance: np.ndarray) -> tuple[list[Alignment], np.ndarray]:
    """The best alignment of each template (frames x features) inside `utterance`, and for each utterance
    frame its distance to the nearest frame of any template: how well the lesson's sounds can match it
    at all, against which an alignment's costs are judged (a speaker far from eSpeak is far from all)."""
    m, count = len(utterance), len(templates)
    lengths = np.array([len(t) for t in templates])
    n = int(lengths.max())
    stacked = np.zeros((n, count, utterance.shape[1]), dtype=np.float32)
    for k, template in enumerate(templates):
        stacked[: len(template), k] = template
    # Euclidean distances, every template frame against every utterance frame: |a|^2 + |b|^2 - 2ab.
    squared = (stacked**2).sum(axis=2)[:, :, None] + (utterance**2).sum(axis=1)[None, None, :]
    cost = np.sqrt(np.maximum(squared - 2 * stacked @ utterance.T, 0.0))  # n x count x m
    cost[np.arange(n)[:, None] >= lengths[None, :]] = np.inf  # rows past a shorter template's end
    background = cost.min(axis=(0, 1))
    # The previous row, with two columns of infinity in front so that steps and skips are plain views.
    row = np.full((count, m + 2), np.inf, dtype=np.float32)
    row[:, 2:] = cost[0]  # a template may start on any utterance frame
    moves = np.zeros((n, count, m), dtype=np.int8)
    finals = np.full((count, m), np.inf, dtype=np.float32)
    ending = {length: np.flatnonzero(lengths == length) for length in set(lengths.tolist())}
    if 1 in ending:
        finals[ending[1]] = row[ending[1], 2:]
    stay, skip, best = (np.empty((count, m), dtype=np.float32) for _ in range(3))
    stepped, skipped = np.empty((count, m), dtype=bool), np.empty((count, m), dtype=bool)
    for i in range(1, n):
        np.add(row[:, 2:], STAY_PENALTY, out=stay)
        np.add(row[:, :-2], SKIP_PENALTY, out=skip)
        step = row[:, 1:-1]
        np.less_equal(step, stay, out=stepped)
        np.minimum(step, stay, out=best)
        np.less(skip, best, out=skipped)
        np.minimum(best, skip, out=best)
        np.multiply(skipped, 2, out=moves[i], casting="unsafe")
        np.maximum(moves[i], stepped, out=moves[i], casting="unsafe")
        np.add(best, cost[i], out=row[:, 2:])
        if i + 1 in ending:
            finals[ending[i + 1]] = row[ending[i + 1], 2:]
    alignments = [_backtrack(moves[:, k], cost[:, k], finals[k], int(lengths[k])) for k in range(count)]
    return alignments, background


def _backtrack(moves: np.ndarray, cost: np.ndarray, final: np.ndarray, length: int) -> Alignment:
    j = int(final.argmin())
    frames = np.empty(length, dtype=int)
    for i in range(length - 1, -1, -1):
        frames[i] = j
        if i > 0:
            j -= int(moves[i, j])
    return Alignment(frames=frames, costs=cost[np.arange(length), frames])
