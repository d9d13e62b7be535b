import pytest

from distill.phonemize import phonemes_to_ids, split_clauses

ID_MAP = {"_": 0, "^": 1, "$": 2, " ": 3, ",": 8, ".": 10, "?": 13, "h": 20, "a": 14, "ə": 59}


@pytest.mark.parametrize("text,expected", [
    ("Hello world.", [("Hello world", ".")]),
    ("Yes, no; maybe: fine!", [("Yes", ","), ("no", ","), ("maybe", ","), ("fine", "!")]),
    ("Is it - really?", [("Is it", ","), ("really", "?")]),
    ("No final mark", [("No final mark", ".")]),
    ("Trailing comma,", [("Trailing comma", ".")]),
    ('"Quoted" (aside).', [("Quoted aside", ".")]),
    ("... !!", []),
])
def test_split_clauses(text, expected):
    assert split_clauses(text) == expected


def test_ids_intersperse_pad_between_bos_and_eos():
    assert phonemes_to_ids("ha ə.", ID_MAP) == [1, 0, 20, 0, 14, 0, 3, 0, 59, 0, 10, 0, 2]


def test_unknown_symbols_are_dropped():
    assert phonemes_to_ids("h§a", ID_MAP) == [1, 0, 20, 0, 14, 0, 2]
