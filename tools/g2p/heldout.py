"""Print the held-out fortunes (every 10th; never used to build the G2P) as JSON lines."""
import json
import os
import sys

sys.path.insert(0, os.path.dirname(__file__))
import corpus  # noqa: E402

if __name__ == "__main__":
    _, heldout = corpus.split_fortunes()
    for text in heldout:
        print(json.dumps(text, ensure_ascii=False))
