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
    m = len(utterance)
    lengths = np.array([len(t) for t in templates])
    n = int(lengths.max())
    stacked = np.zeros((len(templates), n, utterance.shape[1]), dtype=np.float32)
    for k, template in enumerate(templates):
        stacked[k, : len(template)] = template
    # Euclidean distances, all templates and frames at once: |a|^2 + |b|^2 - 2ab.
    squared = (stacked**2).sum(axis=2)[:, :, None] + (utterance**2).sum(axis=1)[None, None, :]
    cost = np.sqrt(np.maximum(squared - 2 * stacked @ utterance.T, 0.0))
    padding = np.arange(n)[None, :] >= lengths[:, None]
    background = np.where(padding[:, :, None], np.inf, cost).min(axis=(0, 1))
    acc = cost[:, 0, :].copy()  # a template may start on any utterance frame
    moves = np.zeros((len(templates), n, m), dtype=np.int8)
    finals = np.where((lengths == 1)[:, None], acc, np.inf)
    never = np.full((len(templates), 2), np.inf, dtype=np.float32)
    for i in range(1, n):
        stay = acc + STAY_PENALTY
        step = np.concatenate([never[:, :1], acc[:, :-1]], axis=1)
        skip = np.concatenate([never, acc[:, :-2]], axis=1)[:, :m] + SKIP_PENALTY
        choice = np.where(step <= stay, 1, 0).astype(np.int8)
        best = np.minimum(step, stay)
        choice[skip < best] = 2
        acc = np.minimum(best, skip) + cost[:, i, :]
        moves[:, i, :] = choice
        ending = lengths == i + 1
        finals[ending] = acc[ending]
    alignments = [_backtrack(moves[k], cost[k], finals[k], int(lengths[k])) for k in range(len(templates))]
    return alignments, background


def _backtrack(moves: np.ndarray, cost: np.ndarray, final: np.ndarray, length: int) -> Alignment:
    j = int(final.argmin())
    frames = np.empty(length, dtype=int)
    for i in range(length - 1, -1, -1):
        frames[i] = j
        if i > 0:
            j -= int(moves[i, j])
    return Alignment(frames=frames, costs=cost[np.arange(length), frames])
