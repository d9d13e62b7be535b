// Checks the shaper against its own settings with bytes and a clock before any figure rests on it: a bulk transfer
// through a 300 kbit/s, 150 ms link must take what the rate and latency say, within 15%.
import { once } from 'node:events';
import { connect, createServer } from 'node:net';
import { startShaper } from './shaper.mjs';

const BYTES = 60_000;

/** Time for the first byte and for all of `BYTES`, fetched through a shaped link from a local server. */
async function timeTransfer(link) {
  const server = createServer((s) => s.once('data', () => s.end(Buffer.alloc(BYTES, 7)))).listen(0, '127.0.0.1');
  await once(server, 'listening');
  const shaper = await startShaper({ host: '127.0.0.1', port: server.address().port });
  shaper.setLink(link);
  try {
    const t0 = performance.now();
    let firstMs = null;
    let got = 0;
    const sock = connect(shaper.port, '127.0.0.1', () => sock.write('go'));
    sock.on('data', (d) => {
      firstMs ??= performance.now() - t0;
      got += d.length;
    });
    await once(sock, 'end');
    sock.destroy();
    return { firstMs, totalMs: performance.now() - t0, got, carried: shaper.counters().down };
  } finally {
    await shaper.close();
    server.close();
  }
}

/** Returns a description of the measurement; throws when the link is not what it claims. */
export async function calibrateShaper() {
  const link = { rateBps: 300_000, latencyMs: 150 };
  const r = await timeTransfer(link);
  // Request up and first bytes down each pay one latency; the body then takes its size over the rate.
  const wantFirst = 2 * link.latencyMs;
  const wantTotal = wantFirst + ((BYTES * 8) / link.rateBps) * 1000;
  const text = `${BYTES} bytes through ${link.rateBps / 1000} kbit/s + ${link.latencyMs} ms: first byte ${r.firstMs.toFixed(0)} ms (expected ~${wantFirst}), all ${r.totalMs.toFixed(0)} ms (expected ~${wantTotal.toFixed(0)}), ${((r.got * 8) / r.totalMs).toFixed(0)} kbit/s`;
  if (r.got !== BYTES || r.carried !== BYTES) throw new Error(`shaper lost bytes: got ${r.got}, counted ${r.carried} of ${BYTES}`);
  if (Math.abs(r.firstMs - wantFirst) > 0.15 * wantFirst) throw new Error(`shaper latency off: ${text}`);
  if (Math.abs(r.totalMs - wantTotal) > 0.15 * wantTotal) throw new Error(`shaper rate off: ${text}`);
  return text;
}
