"""Step 1 of the build: ask espeak-ng (offline) for isolated words and training clauses.

Writes <work>/words.tsv (word \t ipa), <work>/clauses.tsv (clause \t ipa) and
<work>/probes.tsv (generated word pairs \t ipa, used only to find fused groups).
Usage: python3 tools/g2p/collect.py [workdir]   (default /tmp/g2p)
"""
import os
import sys

sys.path.insert(0, os.path.dirname(__file__))
import corpus  # noqa: E402
from espeak import espeak_many  # noqa: E402


def write_tsv(path: str, keys: list[str]) -> None:
    vals = espeak_many(keys)
    with open(path, "w", encoding="utf-8") as f:
        for k, v in zip(keys, vals):
            f.write(f"{k}\t{v}\n")


def main() -> None:
    work = sys.argv[1] if len(sys.argv) > 1 else "/tmp/g2p"
    os.makedirs(work, exist_ok=True)
    train, _ = corpus.split_fortunes()
    clauses = sorted({c for f in train for c in corpus.crude_clauses(f)})
    extra = os.path.join(work, "extra-clauses.txt")  # normalised text, e.g. from frontend-cli
    if os.path.exists(extra):
        with open(extra, encoding="utf-8") as f:
            clauses = sorted(set(clauses) | {l.strip() for l in f if l.strip()})
    words = sorted(set(corpus.dict_words()) | {w for c in clauses for w in c.split()})
    write_tsv(os.path.join(work, "words.tsv"), words)
    write_tsv(os.path.join(work, "clauses.tsv"), clauses)
    write_tsv(os.path.join(work, "probes.tsv"), corpus.probe_clauses(clauses))
    print(f"{len(words)} words, {len(clauses)} clauses -> {work}")


if __name__ == "__main__":
    main()
