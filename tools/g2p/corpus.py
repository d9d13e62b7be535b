"""Text sources for the G2P build: Debian wamerican words and fortunes (never the dev set).

Fortunes are split deterministically: every 10th fortune is held out for figures
(per.mjs), the rest feed the lexicon and the in-context model.
"""
import glob
import os
import re
import unicodedata

FORTUNE_DIR = "/usr/share/games/fortunes"
# The wamerican list itself, not the /usr/share/dict/words alternative (which other packages may switch).
WORDS = "/usr/share/dict/american-english"
WORD_RE = re.compile(r"[a-z]+(?:'[a-z]+)*")


def fortunes() -> list[str]:
    """All fortunes, in a stable order (file name, then position)."""
    out = []
    for path in sorted(glob.glob(os.path.join(FORTUNE_DIR, "*"))):
        if "." in os.path.basename(path) or os.path.isdir(path):
            continue
        with open(path, encoding="utf-8", errors="replace") as f:
            text = f.read()
        out += [t.strip() for t in re.split(r"^%\s*$", text, flags=re.M) if t.strip()]
    return out


def split_fortunes() -> tuple[list[str], list[str]]:
    """(train, heldout): every 10th fortune is held out."""
    allf = fortunes()
    return ([f for i, f in enumerate(allf) if i % 10 != 0], [f for i, f in enumerate(allf) if i % 10 == 0])


PRONOUN_I = re.compile(r"I(?:'(?:m|ve|ll|d))?")


def crude_clauses(text: str) -> list[str]:
    """Letter-only clauses, lower-cased as the normaliser does (which keeps the pronoun
    "I" and its contractions: espeak says "I" unstressed but "i" stressed); clauses with
    digits are skipped (the normaliser owns those)."""
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    text = text.replace("`", "'")
    out = []
    for part in re.split(r"[,;:.?!()\[\]{}\"<>|/\\*_=+&@#~^-]+|--|\s'|'\s", text):
        if re.search(r"\d", part):
            continue
        words = [w if PRONOUN_I.fullmatch(w) else w.lower() for w in re.findall(r"[A-Za-z]+(?:'[A-Za-z]+)*", part)]
        if words:
            out.append(" ".join(words))
    return out


def dict_words() -> list[str]:
    out = set()
    with open(WORDS, encoding="utf-8") as f:
        for line in f:
            w = unicodedata.normalize("NFKD", line.strip()).encode("ascii", "ignore").decode().lower()
            if WORD_RE.fullmatch(w):
                out.add(w)
    return sorted(out)


PROBE_FRAMES = ("then {} {}", "then {} {} cat", "then {} {} apple")


def probe_clauses(clauses: list[str], firsts: int = 400, seconds: int = 80) -> list[str]:
    """Generated clauses pairing frequent training words (the `firsts` most frequent,
    then one of the `seconds` most frequent, where fusing words such as have, not, the,
    been live) in three frames (clause end, before a consonant, before a vowel), so
    each fusion espeak makes between common words ("couldn't have" → kˌʊdəntəv) is
    seen in each context."""
    import collections
    freq = collections.Counter(w for c in clauses for w in c.split())
    ranked = [w for w, _ in freq.most_common(firsts)]
    # Negated auxiliaries fuse with "have" ("couldn't have" → kˌʊdəntəv) but are rarer.
    extra = sorted(w for w, n in freq.items() if w.endswith("n't") and n >= 5 and w not in ranked)
    return [f.format(a, b) for a in ranked + extra for b in ranked[:seconds] for f in PROBE_FRAMES]
