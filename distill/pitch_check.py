"""`python -m distill pitch-check`: where the student's pitch is lost, on the evaluation text (never trained on).

Each sentence of distill/evaltext is cut into the Worker's chunks (corpus.frontend_chunks); the teacher speaks each
chunk; the shipped vocoder with the Worker's phase rebuild (evaluate.Student) then speaks four inputs, and each is
scored against the teacher's audio as voice_eval counts F0 agreement (frames within 100 cents along a DTW path):
  teacher z          the teacher's own features: what the vocoder can do
  teacher pitch      the acoustic model (float, latest weights) with the teacher's per-id pitch and durations
  predicted pitch    the same with its own pitch and the teacher's durations
  as served          its own pitch and durations
It also prints how the predicted per-id pitch relates to the teacher's (voiced ids): correlation and spread ratio.
The acoustic model sees every id, Piper's interspersed pads included, as the served graph does."""
import numpy as np
import torch

from . import corpus, voice_eval
from .config import HOP, SAMPLE_RATE
from .metrics import dtw_path, mel_cepstrum
from .pitch import frame_f0, id_pitch
from .stream import synthesize_whole


def agreement(teacher_audio: np.ndarray, audio: np.ndarray) -> tuple[int, int]:
    """(frames within 100 cents, frames both voice) of `audio` against the teacher's, as voice_eval counts them."""
    hop = HOP / SAMPLE_RATE
    path = dtw_path(mel_cepstrum(teacher_audio), mel_cepstrum(audio))
    return voice_eval.f0_agreement(voice_eval.praat_tracks(teacher_audio), voice_eval.praat_tracks(audio), path, hop, hop)


def pitch_relation(predicted: np.ndarray, target: np.ndarray) -> tuple[float, float]:
    """(correlation, spread of the prediction / spread of the target) over paired per-id pitches."""
    return float(np.corrcoef(predicted, target)[0, 1]), float(predicted.std() / target.std())


def main(limit: int = 20) -> dict[str, float]:
    from .evaluate import Student
    from .teacher import Teacher
    from .train import load_model
    from .voices import voice_table

    teacher, student, model = Teacher(threads=1), Student(), load_model("acoustic")
    voice = voice_table()["joe"]
    counts = {k: [0, 0] for k in ("teacher z", "teacher pitch", "predicted pitch", "as served")}
    pairs = []
    for chunks in corpus.frontend_chunks(voice_eval.sentences()[:limit]):
        for chunk in chunks:
            t = teacher.synthesize_ids(chunk["ids"])
            durations = torch.from_numpy(t["durations"].astype(np.int64))[None]
            target = torch.from_numpy(id_pitch(frame_f0(t["audio"]), t["durations"]))[None]
            ids = torch.tensor([chunk["ids"]])
            mask = torch.ones_like(ids, dtype=torch.bool)
            with torch.no_grad():
                h, logd = model.encode(ids, voice, mask)
                predicted = model.predict_pitch(h)
                own = torch.clamp(torch.round(torch.exp(logd)), min=0).long()
                features = {
                    "teacher z": torch.from_numpy(t["z"].astype(np.float32))[None],
                    "teacher pitch": model.decode(model.with_pitch(h, target, mask), durations, voice),
                    "predicted pitch": model.decode(model.with_pitch(h, predicted, mask), durations, voice),
                    "as served": model.decode(model.with_pitch(h, predicted, mask), own, voice),
                }
            voiced = target[0] != 0
            pairs.append(np.stack([predicted[0][voiced].numpy(), target[0][voiced].numpy()]))
            reference = t["audio"].astype(np.float64)
            for name, f in features.items():
                audio = synthesize_whole(student.spectra, f[0].numpy().astype(np.float32))
                within, both = agreement(reference, audio)
                counts[name][0] += within
                counts[name][1] += both
    paired = np.concatenate(pairs, 1)
    corr, spread = pitch_relation(paired[0], paired[1])
    result = {name: w / max(b, 1) for name, (w, b) in counts.items()}
    for name, value in result.items():
        print(f"F0 within 100 cents, {name:15s} {value:.3f}  ({counts[name][1]} frames both voice)")
    print(f"predicted vs teacher per-id pitch (voiced ids): correlation {corr:.3f}, spread ratio {spread:.2f}")
    return {**result, "correlation": corr, "spread_ratio": spread}
