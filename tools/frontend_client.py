"""Python access to the serving text front end (normalise + chunk + phonemise).

Training text must be normalised exactly as the Worker does it, so this runs the
TypeScript front end through `node tools/frontend-cli.mjs` (one process per call).

    from tools.frontend_client import frontend   # or put tools/ on sys.path
    rows = frontend(["Hello world, the 3 cats."], espeak=True)
    # rows[0] == [{"text": "hello world,", "phonemes": "həlˈoʊ wˈɜːld,", "espeak": "həlˈoʊ wˈɜːld,"},
    #             {"text": "the three cats.", "phonemes": "ðə θɹˈiː kˈæts.", "espeak": "ðə θɹˈiː kˈæts."}]
"""
import json
import os
import subprocess

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CLI = os.path.join(ROOT, "tools", "frontend-cli.mjs")


def frontend(texts: list[str], espeak: bool = False, ids: bool = False) -> list[list[dict]]:
    """Chunks for each text: dicts with "text" (normalised), "phonemes" (this repo's G2P),
    "espeak" (reference per the training contract, if asked) and "ids" (if asked)."""
    args = ["node", CLI] + (["--espeak"] if espeak else []) + (["--ids"] if ids else [])
    # A newline inside a text would split it into two inputs; the CLI reads lines.
    data = "".join(t.replace("\r", " ").replace("\n", " ") + "\n" for t in texts)
    out = subprocess.run(args, input=data, capture_output=True, text=True, check=True, cwd=ROOT).stdout
    rows = [json.loads(l)["chunks"] for l in out.splitlines() if l.strip()]
    assert len(rows) == len(texts), "frontend-cli returned a different number of lines"
    return rows
