"""Training text: English sentences from Debian's `fortunes` package (BSD
licence, see the model card) plus generated sentences that cover numbers,
times, money and questions. The dev set in shared/eval is excluded.

Each sentence goes through the Worker's own front end (`tools/frontend-cli.mjs`:
normalisation, chunking, G2P, Piper ids), and every chunk it makes is one
training utterance with exactly the ids the Worker would feed the model, so
training and serving agree on text, phonemes and where utterances begin and end."""
import json
import random
import re
import subprocess
from pathlib import Path

from .paths import CORPUS, CORPUS_EXTRA, DEV_SENTENCES, EVAL_SENTENCES, ROOT

FORTUNE_DIR = Path("/usr/share/games/fortunes")
# Files with plain prose; the others are mostly ASCII art, verse or offensive.
FORTUNE_FILES = ["fortunes", "wisdom", "people", "humorists", "literature", "science",
                 "work", "education", "food", "computers", "politics", "definitions",
                 "law", "medicine", "miscellaneous", "pets", "platitudes", "sports",
                 "songs-poems", "magic", "linux", "love", "goedel", "kids", "news"]
SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z\"'])")
ALLOWED = re.compile(r"^[A-Za-z0-9 ,.;:!?'\"$%&()-]+$")


def _key(s: str) -> str:
    return re.sub(r"[^a-z0-9]+", " ", s.lower()).strip()


def fortune_sentences() -> list[str]:
    out: list[str] = []
    for name in FORTUNE_FILES:
        path = FORTUNE_DIR / name
        if not path.exists():
            continue
        for block in path.read_text(errors="ignore").split("\n%\n"):
            if "--" in block or "\t" in block:  # attributions and layouted text
                block = block.split("--")[0]
            text = " ".join(block.split())
            out.extend(s for s in SENTENCE_END.split(text) if _usable(s))
    return out


def _usable(s: str) -> bool:
    words = s.split()
    return 3 <= len(words) <= 28 and bool(ALLOWED.match(s)) and s[-1] in ".!?"


NAMES = ["Anna", "the doctor", "my neighbour", "our team", "the pilot", "Grandpa", "the teacher"]
PLACES = ["the station", "the museum", "Main Street", "the harbour", "the library", "room 12"]
THINGS = ["tickets", "apples", "boxes", "chairs", "emails", "books", "cups of tea"]


def generated_sentences(rng: random.Random, n: int) -> list[str]:
    """Numbers, money, times, dates and questions the fortunes lack."""
    templates = [
        lambda: f"{rng.choice(NAMES).capitalize()} bought {rng.randint(2, 999)} {rng.choice(THINGS)} for ${rng.randint(1, 500)}.{rng.randint(10, 99)}.",
        lambda: f"Is {rng.choice(PLACES)} open at {rng.randint(1, 12)}:{rng.choice(['00', '15', '30', '45'])}?",
        lambda: f"The train leaves on the {rng.randint(1, 28)}th of {rng.choice(['May', 'June', 'October', 'March'])} at {rng.randint(1, 12)} pm.",
        lambda: f"Why did {rng.choice(NAMES)} sell {rng.randint(2, 60)} {rng.choice(THINGS)}?",
        lambda: f"In {rng.randint(1900, 2030)}, about {rng.randint(2, 99)} percent of people lived near {rng.choice(PLACES)}.",
        lambda: f"Call me at {rng.randint(200, 999)} {rng.randint(100, 999)} {rng.randint(1000, 9999)}, please.",
        lambda: f"Turn left after {rng.randint(2, 900)} metres, then walk to {rng.choice(PLACES)}.",
        lambda: f"How many {rng.choice(THINGS)} are left?",
        lambda: "Yes.",
        lambda: f"It costs {rng.randint(2, 90)} dollars and {rng.randint(2, 99)} cents, doesn't it?",
        lambda: f"The temperature fell to minus {rng.randint(1, 30)} degrees, and {rng.choice(NAMES)} stayed home.",
    ]
    return [rng.choice(templates)() for _ in range(n)]


def frontend_chunks(sentences: list[str]) -> list[list[dict]]:
    """Per sentence, the Worker's chunks: [{"text", "phonemes", "ids"}] (node and the repo's npm packages needed)."""
    res = subprocess.run(["node", str(ROOT / "tools" / "frontend-cli.mjs"), "--ids"], input="\n".join(sentences) + "\n",
                         capture_output=True, text=True, check=True, cwd=ROOT)
    rows = [json.loads(line)["chunks"] for line in res.stdout.splitlines()]
    assert len(rows) == len(sentences), "the front end must answer one line per sentence"
    return rows


# Training utterances are the front end's chunks, named c<sentence>-<chunk>; `u` names were whole sentences
# phonemised by espeak-ng (the first corpus), which the current pipeline no longer reads.
def build(n_fortunes: int = 6000, n_generated: int = 800, seed: int = 1234) -> Path:
    """The first 2,000 fortunes and 400 generated sentences are the first corpus's (same seed, same order)."""
    rng = random.Random(seed)
    fortunes = sorted(set(fortune_sentences()))
    rng.shuffle(fortunes)
    chosen = fortunes[:n_fortunes] + generated_sentences(rng, n_generated)
    return _write(CORPUS, "c", chosen)


def build_extra(n_fortunes: int = 6000, n_mixed: int = 6000, seed: int = 1234) -> Path:
    """Text for pitch and duration targets only (prior.py): the fortunes `build` leaves out, and as many sentences
    made by joining the opening clause of one fortune to the rest of another, which gives the teacher's prosody
    sequences no sentence of ours has."""
    rng = random.Random(seed)
    fortunes = sorted(set(fortune_sentences()))
    rng.shuffle(fortunes)  # the same order as `build`, whose sentences are fortunes[:n_fortunes]
    rest = fortunes[n_fortunes:]
    split = [s.split(", ", 1) for s in fortunes if ", " in s]
    mixed = [f"{split[rng.randrange(len(split))][0]}, {split[rng.randrange(len(split))][1]}" for _ in range(n_mixed)]
    return _write(CORPUS_EXTRA, "x", rest + mixed)


def _write(path: Path, prefix: str, sentences: list[str]) -> Path:
    """One line per front-end chunk, named <prefix><sentence>-<chunk>; evaluation and dev sentences are left out."""
    dev = {_key(s) for p in (DEV_SENTENCES, EVAL_SENTENCES) if p.exists() for s in p.read_text().splitlines()}
    chosen = [s for s in dict.fromkeys(sentences) if _key(s) not in dev]
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w") as f:
        for i, (sentence, chunks) in enumerate(zip(chosen, frontend_chunks(chosen))):
            for j, c in enumerate(chunks):
                f.write(json.dumps({"id": f"{prefix}{i:05d}-{j:02d}", "sentence": sentence, "text": c["text"],
                                    "ids": c["ids"]}) + "\n")
    return path


def load(path: Path = CORPUS) -> list[dict]:
    return [json.loads(line) for line in path.read_text().splitlines()]
