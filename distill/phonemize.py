"""The phonemisation contract shared with the Worker's front end.

A text is cut into clauses at punctuation; each clause is phonemised by
espeak-ng (en-us, IPA, the teacher's phonemiser) and followed by its
punctuation mark (`,` for , ; : and dashes). Clauses are joined by one space.
Ids follow Piper: `^ _ p1 _ p2 _ ... pn _ $` over the phoneme codepoints.
"""
import json
import re
import subprocess
import unicodedata
from functools import lru_cache

from .config import BOS_ID, EOS_ID, PAD_ID

CLAUSE = re.compile(r"([^,;:.!?\u2014\u2013]+)([,;:.!?\u2014\u2013]+|\s+-\s+|$)")


def split_clauses(text: str) -> list[tuple[str, str]]:
    """[(clause words, punctuation mark)] with marks reduced to , . ? !"""
    out = []
    text = " ".join(text.split()).replace(" - ", " \u2014 ")
    for words, mark in CLAUSE.findall(text):
        words = " ".join(words.replace('"', " ").replace("(", " ").replace(")", " ").split())
        if not re.search(r"[A-Za-z0-9]", words):
            continue
        out.append((words, _mark(mark)))
    if out and out[-1][1] == ",":
        out[-1] = (out[-1][0], ".")
    return out


def _mark(mark: str) -> str:
    for m in "?!.":
        if m in mark:
            return m
    return ","


@lru_cache(maxsize=65536)
def espeak_ipa(words: str) -> str:
    res = subprocess.run(["espeak-ng", "-q", "--ipa", "-v", "en-us", words],
                         capture_output=True, text=True, check=True)
    return " ".join(res.stdout.split())


def phonemize(text: str) -> str:
    return " ".join(espeak_ipa(w) + m for w, m in split_clauses(text))


def load_id_map(config_path: str) -> dict[str, int]:
    with open(config_path) as f:
        return {k: v[0] for k, v in json.load(f)["phoneme_id_map"].items()}


def phonemes_to_ids(phonemes: str, id_map: dict[str, int]) -> list[int]:
    """Unknown symbols are dropped (as Piper does) rather than mapped to pad."""
    ids = [BOS_ID, PAD_ID]
    for ch in unicodedata.normalize("NFD", phonemes):
        if ch in id_map:
            ids += [id_map[ch], PAD_ID]
    return ids + [EOS_ID]
