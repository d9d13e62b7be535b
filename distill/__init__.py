"""Offline pipeline that distils Piper's joe-medium VITS voice into a small
int8 student (acoustic model + iSTFT vocoder) for the edge Worker.

Stages: corpus -> phonemize -> teacher -> train (acoustic, vocoder) -> export -> eval.
"""

__version__ = "0.1.0"
