// private-nginx.mjs - a second nginx in front of the stack's workers, for the
// tests that need other settings than the stack's own nginx (small rate
// limits; a worker missing). scripts/stack.sh renders and starts it from the
// same template in a directory of its own, whose run/ links to the sockets of
// the workers asked for.
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import net from 'node:net';

const ROOT = new URL('../..', import.meta.url).pathname;
const ALL_WORKERS = ['widget', 'esia', 'cabinet', 'voting', 'admin'];

/** A TCP port nobody listens on at 127.0.0.1. */
function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/**
 * Starts an nginx with the stack's configuration rendered under `settings`
 * (environment variables such as OTKLIK_USER_RATE), passing to `workers`
 * only. Returns {base, port, demoPort, stop}.
 */
export async function startNginx({ settings = {}, workers = ALL_WORKERS } = {}) {
  const dir = mkdtempSync('/tmp/otklik-nginx-');
  chmodSync(dir, 0o755);
  mkdirSync(`${dir}/run`);
  for (const worker of workers) {
    symlinkSync(`${process.env.OTKLIK_VAR}/run/${worker}.sock`, `${dir}/run/${worker}.sock`);
  }
  const port = await freePort();
  const demoPort = await freePort();
  const env = { ...process.env, ...settings, OTKLIK_VAR: dir, PORT: String(port), OTKLIK_DEMO_PORT: String(demoPort) };
  // stderr goes into the error thrown: nginx says there why it did not start
  const stack = (command) => execFileSync(`${ROOT}scripts/stack.sh`, [command], { env, stdio: ['ignore', 'ignore', 'pipe'] });
  try {
    stack('nginx-start');
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
  return {
    base: `http://127.0.0.1:${port}`,
    port,
    demoPort,
    stop() {
      stack('nginx-stop');
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
