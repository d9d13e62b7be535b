"""In-clause pronunciation: what espeak does to a word because of its neighbours.

From training clauses we learn, per word, the form espeak gives it by clause
position (B first, M middle, F last) and by whether the next word starts with a
vowel (V), a consonant (C) or nothing (E); e.g. "the" → ðə / ðɪ (before vowels),
"it" → ɪɾ before vowels. We also learn espeak's fused multi-word entries
("of the" → ʌvðə). Mirrors src/phonemes/context.ts.
"""
import collections

VOWELS = set("aeiouæɑɐɒɔəɚɛɜɪʊʌᵻ")
MAX_GROUP = 3


NO_LINK = {"and", "or", "if"}


def link_r(ipa: str, nxt: str, next_word: str | None) -> str:
    """espeak links a final r-coloured schwa to a following vowel ("killer of" → kˈɪlɚɹ ʌv),
    except before and/or/if."""
    return ipa + "ɹ" if nxt == "V" and ipa.endswith("ɚ") and next_word not in NO_LINK else ipa


def strip(p: str) -> str:
    return p.replace("ˈ", "").replace("ˌ", "")


def initial_class(ipa: str | None) -> str:
    if ipa is None:
        return "E"
    for ch in ipa:
        if ch not in "ˈˌ":
            return "V" if ch in VOWELS else "C"
    return "C"


def position(i: int, n: int) -> str:
    return "F" if i == n - 1 else ("B" if i == 0 else "M")


def edit(a: str, b: str) -> int:
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i]
        for j, cb in enumerate(b, 1):
            cur.append(min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb)))
        prev = cur
    return prev[-1]


def segment(ws: list[str], toks: list[str], base: dict[str, str]):
    """Split espeak's tokens over the words: [(first word, word count, token)]."""
    W, T = len(ws), len(toks)
    if W == T:
        return [(i, 1, t) for i, t in enumerate(toks)]
    INF = float("inf")
    best = [[INF] * (T + 1) for _ in range(W + 1)]
    back = {}
    best[0][0] = 0.0
    for i in range(W):
        for j in range(T):
            if best[i][j] == INF:
                continue
            for k in range(1, MAX_GROUP + 1):
                if i + k > W:
                    break
                c = edit(strip("".join(base[x] for x in ws[i:i + k])), strip(toks[j])) + (k - 1) * 0.5
                if best[i][j] + c < best[i + k][j + 1]:
                    best[i + k][j + 1] = best[i][j] + c
                    back[(i + k, j + 1)] = (i, j, k)
    if best[W][T] == INF:
        return None
    out, i, j = [], W, T
    while i > 0:
        pi, pj, k = back[(i, j)]
        out.append((pi, k, toks[pj]))
        i, j = pi, pj
    return out[::-1]


def split_point(token: str, first: str, rest: str) -> int:
    """Where the first word's part of a fused token ends: the cut whose two parts best
    match the words' base forms (`rest`: the base forms of the following words)."""
    best, at = None, 1
    for cut in range(1, len(token)):
        d = edit(strip(token[:cut]), strip(first)) + edit(strip(token[cut:]), strip(rest))
        if best is None or d < best:
            best, at = d, cut
    return at


def learn(clauses: list[tuple[str, str]], base: dict[str, str]):
    # (word, pos, next class, prev word, next word) → forms, "=" for the base form (+ linking r)
    forms = collections.defaultdict(collections.Counter)
    # (words, next class) → fused tokens; also (words, "!prev word") to find blocking words
    fused = collections.defaultdict(collections.Counter)
    adjacent = collections.Counter()  # same keys, all occurrences of the group
    for text, ipa in clauses:
        ws, toks = text.split(), ipa.split(" ")
        if any(w not in base or " " in base[w] for w in ws):
            continue
        for k in range(2, MAX_GROUP + 1):
            for i in range(len(ws) - k + 1):
                nxt = initial_class(base[ws[i + k]] if i + k < len(ws) else None)
                adjacent[(tuple(ws[i:i + k]), nxt)] += 1
                adjacent[(tuple(ws[i:i + k]), "!" + (ws[i - 1] if i > 0 else "#"))] += 1
        seg = segment(ws, toks, base)
        if seg is None:
            continue
        for i, k, tok in seg:
            nxt = initial_class(base[ws[i + k]] if i + k < len(ws) else None)
            if k == 1:
                if len(ws) == 1:
                    continue  # a one-word clause is the word said alone: its base form
                prev = ws[i - 1] if i > 0 else "#"
                following = ws[i + 1] if i + 1 < len(ws) else "#"
                expected = link_r(base[ws[i]], nxt, following)
                forms[(ws[i], position(i, len(ws)), nxt, prev, following)]["=" if tok == expected else tok] += 1
            else:
                fused[(tuple(ws[i:i + k]), nxt)][tok] += 1
                fused[(tuple(ws[i:i + k]), "!" + (ws[i - 1] if i > 0 else "#"))][tok] += 1
    return forms, fused, adjacent
