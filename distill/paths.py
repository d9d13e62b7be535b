"""Where each stage reads and writes. Work data (teacher dumps, checkpoints)
stays out of git under distill/.work; shipped files go to models-int8/."""
from pathlib import Path

PKG = Path(__file__).resolve().parent
ROOT = PKG.parent
WORK = PKG / ".work"
CORPUS = WORK / "corpus.jsonl"
# Text the teacher never speaks aloud: only its text encoder and duration predictor run on it (prior.py).
CORPUS_EXTRA = WORK / "corpus-extra.jsonl"
PRIOR_DIR = WORK / "prior"
TEACHER_DIR = WORK / "teacher"
CKPT_DIR = WORK / "ckpt"
# Small float weights committed so a fresh machine can resume training.
RESUME_DIR = PKG / "weights"
MODELS = ROOT / "models-int8"
REPORTS = PKG / "reports"
DEV_SENTENCES = ROOT.parent / "shared" / "eval" / "sentences-dev.txt"
# The project's own evaluation text (`npm run bench:voice`): never trained on.
EVAL_SENTENCES = PKG / "evaltext" / "sentences.txt"
