// Benchmark: normalise + chunk + phonemise 1,000 characters of mixed English.
//   node tools/bench-frontend.mjs
import { loadFrontend } from "./load-frontend.mjs";

const { planChunks, phonemizeChunk } = await loadFrontend();
const base =
  "On March 3, 2024, Dr. Smith paid $4.50 for 3 kg of apples at 7:15 pm. " +
  "The quick brown fox jumps over the lazy dog, and NASA's engineers said it was 50% faster than the 1990s. " +
  "Visit www.example.com or e-mail info@example.com; we're open 24/7, except Sundays! " +
  "Supercalifragilistic words, unusual names like Zbigniew or Quetzalcoatl, and numbers like -12.75 all work. ";
let text = base;
while (text.length < 1000) text += base;
text = text.slice(0, 1000);

const run = () => planChunks(text).map((c) => phonemizeChunk(c).ids.length);
for (let i = 0; i < 50; i++) run(); // warm up: JIT and lazy table parsing
const iters = 500;
const t0 = performance.now();
for (let i = 0; i < iters; i++) run();
const ms = (performance.now() - t0) / iters;
console.log(`normalise+chunk+phonemise 1,000 chars: ${ms.toFixed(3)} ms (mean of ${iters}, after warm-up)`);
