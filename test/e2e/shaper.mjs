// A TCP proxy that emulates a network link between the browser and `wrangler dev`: a rate limit per direction
// (token bucket in bits per second, shared by every connection like one access link) and a one-way latency (each
// byte leaves `latencyMs` after it cleared the rate limiter, order kept), plus dropAll(), an abrupt drop of every
// open connection. It works below HTTP, so it shapes WebSocket frames too, which Chrome's DevTools throttling may not.
import { createServer, connect } from 'node:net';

/** Bytes the shaper holds per direction before it stops reading from the sender (a bottleneck queue + socket buffers). */
const QUEUE_LIMIT = 64 * 1024;
/** Pump interval: at 300 kbit/s a 5 ms tick is ~190 bytes, fine-grained against 20–80 ms audio chunks. */
const TICK_MS = 5;
/** Bucket depth: short bursts up to about one MTU pass at once, as on a real link. */
const BURST_BYTES = 1500;

/** One direction of the link: rate limiter, then a delay line. */
class Direction {
  constructor(name) {
    this.name = name;
    this.rateBps = Infinity;
    this.latencyMs = 0;
    this.tokens = BURST_BYTES * 8;
    this.lastFill = performance.now();
    /** @type {{ conn: object, buf: Buffer }[]} waiting for the rate limiter */
    this.queue = [];
    this.queued = 0;
    /** @type {{ at: number, conn: object, buf: Buffer }[]} cleared the limiter, waiting out the latency */
    this.line = [];
    this.bytes = 0;
    this.timer = null;
  }

  push(conn, buf) {
    this.queue.push({ conn, buf });
    this.queued += buf.length;
    this.pump();
  }

  /** Moves bytes the bucket allows into the delay line, then delivers what is due. */
  pump() {
    const now = performance.now();
    if (Number.isFinite(this.rateBps)) {
      this.tokens = Math.min(BURST_BYTES * 8, this.tokens + ((now - this.lastFill) / 1000) * this.rateBps);
    } else {
      this.tokens = Infinity;
    }
    this.lastFill = now;
    while (this.queue.length > 0 && this.tokens >= 8) {
      const head = this.queue[0];
      const n = Math.min(head.buf.length, Math.floor(this.tokens / 8));
      const part = n === head.buf.length ? head.buf : head.buf.subarray(0, n);
      if (n === head.buf.length) this.queue.shift();
      else head.buf = head.buf.subarray(n);
      this.tokens -= n * 8;
      this.queued -= n;
      this.line.push({ at: now + this.latencyMs, conn: head.conn, buf: part });
      head.conn.onDrained(this);
    }
    while (this.line.length > 0 && this.line[0].at <= now) {
      const { conn, buf } = this.line.shift();
      this.bytes += buf.length;
      conn.deliver(this, buf);
    }
    this.schedule();
  }

  schedule() {
    if (this.timer || (this.queue.length === 0 && this.line.length === 0)) return;
    // Wait for the next due delivery, or one tick when the limiter still holds bytes.
    const wait = this.queue.length > 0 ? TICK_MS : Math.max(0, this.line[0].at - performance.now());
    this.timer = setTimeout(() => {
      this.timer = null;
      this.pump();
    }, wait);
  }

  forget(conn) {
    this.queue = this.queue.filter((e) => e.conn !== conn);
    this.queued = this.queue.reduce((n, e) => n + e.buf.length, 0);
    this.line = this.line.filter((e) => e.conn !== conn);
  }
}

/**
 * Starts the proxy on 127.0.0.1 (a free port) in front of `target` (`{ host, port }`).
 * @returns {Promise<{ port: number, setLink: (l: { rateBps?: number, latencyMs?: number }) => void,
 *   dropAll: () => number, counters: () => { up: number, down: number, connections: number, open: number },
 *   close: () => Promise<void> }>}
 */
export async function startShaper(target) {
  const up = new Direction('up');
  const down = new Direction('down');
  const conns = new Set();
  let connections = 0;

  const server = createServer({ noDelay: true, allowHalfOpen: true }, (client) => {
    connections++;
    const upstream = connect({ host: target.host, port: target.port, noDelay: true, allowHalfOpen: true });
    const conn = {
      closed: false,
      /** A direction's bytes for this connection reached the far side: write them to the receiving socket. */
      deliver(dir, buf) {
        if (this.closed) return;
        (dir === up ? upstream : client).write(buf);
      },
      /** Resume reading from the sender once this direction's queue has room again. */
      onDrained(dir) {
        const src = dir === up ? client : upstream;
        if (src.isPaused() && dir.queued < QUEUE_LIMIT / 2) src.resume();
      },
      destroy(abrupt) {
        if (this.closed) return;
        this.closed = true;
        conns.delete(this);
        up.forget(this);
        down.forget(this);
        for (const s of [client, upstream]) {
          // resetAndDestroy sends a TCP RST: both ends see the connection die, not a clean close.
          if (abrupt && typeof s.resetAndDestroy === 'function' && !s.destroyed) s.resetAndDestroy();
          else s.destroy();
        }
      },
    };
    conns.add(conn);
    const feed = (dir, src) => (buf) => {
      dir.push(conn, buf);
      if (dir.queued > QUEUE_LIMIT) src.pause();
    };
    client.on('data', feed(up, client));
    upstream.on('data', feed(down, upstream));
    // A FIN from one side is passed on only after the bytes before it went through the link.
    const endAfterLine = (dir, dst) => () => {
      const check = () => {
        if (conn.closed) return;
        const pending = dir.queue.some((e) => e.conn === conn) || dir.line.some((e) => e.conn === conn);
        if (pending) setTimeout(check, TICK_MS);
        else dst.end();
      };
      check();
    };
    client.on('end', endAfterLine(up, upstream));
    upstream.on('end', endAfterLine(down, client));
    // With allowHalfOpen each socket closes only after both FINs passed, i.e. after the link delivered its bytes;
    // an error (e.g. a reset) ends both sides at once.
    let open = 2;
    const closed = () => {
      if (--open === 0) conn.destroy(false);
    };
    client.on('close', closed);
    upstream.on('close', closed);
    client.on('error', () => conn.destroy(false));
    upstream.on('error', () => conn.destroy(false));
  });

  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });

  return {
    port: server.address().port,
    setLink({ rateBps = Infinity, latencyMs = 0 } = {}) {
      for (const d of [up, down]) {
        d.pump();
        d.rateBps = rateBps;
        d.latencyMs = latencyMs;
        d.tokens = Math.min(d.tokens, BURST_BYTES * 8);
      }
    },
    /** Destroys every open connection abruptly (RST both ways); returns how many there were. */
    dropAll() {
      const n = conns.size;
      for (const c of [...conns]) c.destroy(true);
      return n;
    },
    counters: () => ({ up: up.bytes, down: down.bytes, connections, open: conns.size }),
    close() {
      for (const c of [...conns]) c.destroy(false);
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}
