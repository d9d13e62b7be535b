"""CLI: python -m distill <stage>. `all` runs every stage in order; each
stage resumes from what earlier runs left in distill/.work."""
import argparse
import sys
from pathlib import Path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m distill")
    sub = parser.add_subparsers(dest="stage", required=True)
    sub.add_parser("corpus", help="build the training sentences")
    t = sub.add_parser("teacher", help="dump teacher durations, features and audio")
    t.add_argument("--workers", type=int, default=2)
    sub.add_parser("pitch", help="Praat F0 of the teacher's audio, the acoustic model's pitch targets")
    r = sub.add_parser("prior", help="pitch and duration targets for text the teacher never speaks: its text encoder's "
                                     "m_p and frames, a labeller from m_p to pitch, labels (resumable)")
    r.add_argument("--workers", type=int, default=2)
    for name in ("acoustic", "vocoder"):
        p = sub.add_parser(f"train-{name}", help=f"train the {name} student (resumable)")
        p.add_argument("--steps", type=int, default=None)
        p.add_argument("--threads", type=int, default=1)
        if name == "vocoder":
            p.add_argument("--gta", action="store_true",
                           help="fine-tune on the acoustic student's predicted features")
        else:
            p.add_argument("--spectral", type=float, default=0.0,
                           help="weight of a log-magnitude loss through the frozen vocoder against the teacher's audio")
            p.add_argument("--pitch", type=float, default=0.1, help="weight of the per-id pitch loss")
            p.add_argument("--extra", type=float, default=0.0,
                           help="weight of the duration and pitch losses on the unspoken chunks (stage prior)")
    sub.add_parser("export", help="export ONNX, quantise int8, optimise, write models-int8/")
    sub.add_parser("requantize", help="re-quantise the acoustic model from its weights and optimise both shipped "
                                      "models (no teacher data needed)")
    e = sub.add_parser("eval", help="student vs teacher figures, side by side")
    e.add_argument("--limit", type=int, default=None)
    v = sub.add_parser("voice-eval", help="served student (WAVs from `npm run bench:voice`) vs the teacher run by piper-tts")
    v.add_argument("--student-dir", type=Path, required=True)
    v.add_argument("--teacher-dir", type=Path, default=None, help="cache of the teacher's WAVs (default: beside --student-dir)")
    v.add_argument("--no-asr", action="store_true", help="skip PocketSphinx (WER)")
    c = sub.add_parser("pitch-check", help="where the student's pitch is lost: F0 agreement with the teacher's z, its pitch, "
                                           "the predicted pitch (evaluation text, Worker chunks)")
    c.add_argument("--limit", type=int, default=20, help="sentences of distill/evaltext")
    sub.add_parser("all", help="every stage in order")
    args = parser.parse_args(argv)
    return run(args.stage, args)


def run(stage: str, args: argparse.Namespace) -> int:
    every = stage == "all"
    if every or stage == "corpus":
        from . import corpus
        print("corpus:", corpus.build())
    if every or stage == "teacher":
        from . import teacher
        teacher.dump(getattr(args, "workers", 2))
    if every or stage == "pitch":
        from . import pitch
        pitch.dump()
    if every or stage == "prior":
        from . import prior
        prior.dump(getattr(args, "workers", 2))
        if not prior.LABELLER.exists():
            prior.train_labeller()
        print("labelled", prior.label(), "unspoken chunks")
    if every or stage.startswith("train-"):
        from .train import train_acoustic, train_vocoder
        steps, threads = getattr(args, "steps", None), getattr(args, "threads", 1)
        if every:  # the shipped acoustic model's step count and final pitch weight
            train_acoustic(steps=12000, pitch=1.0)
        elif stage == "train-acoustic":
            train_acoustic(steps=steps, threads=threads, spectral=args.spectral, pitch=args.pitch, extra=args.extra)
        if every:  # plain, then fine-tuned on the acoustic student's features
            train_vocoder()
            train_vocoder(steps=10000, gta=True)
        elif stage == "train-vocoder":
            train_vocoder(steps=steps, threads=threads, gta=args.gta)
    if every or stage == "export":
        from . import export
        export.export_all()
    if stage == "requantize":
        from . import export
        export.requantize_acoustic()
        return 0
    if stage == "pitch-check":
        from . import pitch_check
        pitch_check.main(args.limit)
        return 0
    if stage == "voice-eval":
        from . import voice_eval
        voice_eval.main(args.student_dir, args.teacher_dir, asr=not args.no_asr)
        return 0
    if every or stage == "eval":
        from . import evaluate
        evaluate.main(limit=getattr(args, "limit", None))
    return 0


if __name__ == "__main__":
    sys.exit(main())
