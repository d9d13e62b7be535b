"""Letter-to-phone alignment for the letter-to-sound model (hard EM / Viterbi).

Each letter emits 0, 1 or 2 phone units; a unit is one IPA segment with its stress
mark and length/diacritics attached ("ˈeɪ", "ɜː", "tʃ"), so stress is learned as part
of the vowel it sits on (espeak writes stress immediately before the vowel).
"""
import collections
import math
import re

UNIT_RE = re.compile(r"[ˈˌ]?(?:tʃ|dʒ|eɪ|aɪ|aʊ|oʊ|ɔɪ|.)[ːˑ̩̃ʲ]*")
MAX_UNITS = 2  # per letter


def units(ipa: str) -> list[str]:
    return UNIT_RE.findall(ipa.replace(" ", ""))


def bare(u: str) -> str:
    return u.lstrip("ˈˌ")


def viterbi(word: str, us: list[str], logp) -> list[str] | None:
    """Best split of `us` over the letters of `word`; None when impossible."""
    n, m = len(word), len(us)
    NEG = -1e18
    best = [[NEG] * (m + 1) for _ in range(n + 1)]
    back = [[0] * (m + 1) for _ in range(n + 1)]
    best[0][0] = 0.0
    for i in range(n):
        row, nxt = best[i], best[i + 1]
        ch = word[i]
        for j in range(m + 1):
            b = row[j]
            if b == NEG:
                continue
            for k in range(0, MAX_UNITS + 1):
                if j + k > m:
                    break
                out = " ".join(bare(u) for u in us[j:j + k])
                s = b + logp(ch, out)
                if s > nxt[j + k]:
                    nxt[j + k] = s
                    back[i + 1][j + k] = k
    if best[n][m] == NEG:
        return None
    outs, j = [], m
    for i in range(n, 0, -1):
        k = back[i][j]
        outs.append("".join(us[j - k:j]))
        j -= k
    return outs[::-1]


def align_all(pairs: list[tuple[str, str]], iterations: int = 3) -> dict[str, list[str]]:
    """word → list of per-letter outputs (with stress marks), for alignable words."""
    data = [(w, units(p)) for w, p in pairs if " " not in p]
    counts: collections.Counter = collections.Counter()
    totals: collections.Counter = collections.Counter()

    def logp(ch: str, out: str) -> float:
        if not counts:  # first pass: prefer one unit per letter
            return {0: -2.0, 1: -1.0, 2: -3.0}[0 if out == "" else out.count(" ") + 1]
        return math.log((counts[(ch, out)] + 0.1) / (totals[ch] + 10.0))

    result: dict[str, list[str]] = {}
    for _ in range(iterations):
        new_c: collections.Counter = collections.Counter()
        new_t: collections.Counter = collections.Counter()
        result = {}
        for w, us in data:
            a = viterbi(w, us, logp)
            if a is None:
                continue
            result[w] = a
            for ch, out in zip(w, a):
                key = " ".join(bare(u) for u in units(out))
                new_c[(ch, key)] += 1
                new_t[ch] += 1
        counts, totals = new_c, new_t
    return result
