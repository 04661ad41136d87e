// install.test.mjs - `make install` into a temporary DESTDIR, as a hosting
// provider would use it: the files it puts where README.md's "Installing"
// says, the nginx snippet inside Debian's own nginx.conf (nginx -t), the
// systemd units (systemd-analyze verify and security), the installed
// otklikctl's configuration check, and `make uninstall`. Needs `make all`.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const ROOT = new URL('../..', import.meta.url).pathname;
const PREFIX = '/usr/local';
const MODULES = readFileSync(join(ROOT, 'Makefile'), 'utf8').match(/^MODULES\s*:=\s*(.+)$/m)[1].trim().split(/\s+/);
let dest;

/** Every file under dir, as paths relative to it. */
function files(dir, base = dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = join(dir, e.name);
    return e.isDirectory() ? files(p, base) : [p.slice(base.length)];
  }).sort();
}

/** Copies of the installed files in dir with the installed paths moved into
 * the DESTDIR, so that tools that check them (systemd-analyze, nginx -t) find
 * the installed binaries and snippets there (dir's own files: the copies). */
function relocated(dir, out) {
  mkdirSync(out, { recursive: true });
  for (const name of readdirSync(dir)) {
    const text = readFileSync(join(dir, name), 'utf8').replaceAll(dir.slice(dest.length), out)
      .replaceAll(`${PREFIX}/`, `${dest}${PREFIX}/`);
    writeFileSync(join(out, name), text);
  }
  return out;
}

function make(...args) {
  return spawnSync('make', ['-s', '--no-print-directory', ...args], { cwd: ROOT, encoding: 'utf8' });
}

before(() => {
  dest = mkdtempSync(join(tmpdir(), 'otklik-install.'));
  const r = make('install', `DESTDIR=${dest}`);
  assert.equal(r.status, 0, r.stderr);
});
after(() => rmSync(dest, { recursive: true, force: true }));

test('make install puts every program, file, unit and setting where README.md says', () => {
  const installed = files(dest);
  const expected = [
    '/usr/local/bin/otklikctl',
    '/usr/local/libexec/otklik/otklik-notifier',
    ...MODULES.map((m) => `/usr/local/libexec/otklik/otklik-${m}`),
    '/usr/local/share/otklik/sql/001_core.sql',
    '/usr/local/share/otklik/sql/demo/demo.sql',
    '/usr/local/share/otklik/widget-js/dist/otklik.js',
    '/usr/local/share/otklik/widget-js/dist/frame.html',
    '/usr/local/share/otklik/web/dist/cabinet/index.html',
    '/usr/local/share/otklik/web/dist/portal/index.html',
    '/usr/local/share/otklik/docs/dist/openapi.json',
    '/usr/local/share/doc/otklik/README.md',
    '/usr/local/share/man/man1/otklikctl.1',
    '/usr/local/etc/otklik/otklik.env',
    '/usr/local/etc/otklik/nginx/otklik.conf',
    '/usr/local/etc/otklik/nginx/fastcgi.conf',
    '/usr/local/etc/otklik/nginx/security-headers.conf',
    '/usr/local/lib/sysusers.d/otklik.conf',
    ...MODULES.flatMap((m) => [`/usr/local/lib/systemd/system/otklik-${m}.socket`, `/usr/local/lib/systemd/system/otklik-${m}.service`]),
    '/usr/local/lib/systemd/system/otklik-notifier.service',
    '/usr/local/lib/systemd/system/otklik-tick.service',
    '/usr/local/lib/systemd/system/otklik-tick.timer',
    '/usr/local/lib/systemd/system/otklik.target',
  ];
  assert.deepEqual(expected.filter((f) => !installed.includes(f)), []);
  // every migration, nothing outside the prefix
  const migrations = readdirSync(join(ROOT, 'sql')).filter((f) => f.endsWith('.sql'));
  assert.deepEqual(migrations.filter((f) => !installed.includes(`/usr/local/share/otklik/sql/${f}`)), []);
  assert.deepEqual(installed.filter((f) => !f.startsWith('/usr/local/')), []);
  for (const f of ['/usr/local/bin/otklikctl', `/usr/local/libexec/otklik/otklik-${MODULES[0]}`]) {
    assert.equal(statSync(dest + f).mode & 0o777, 0o755, f);
  }
  // what scripts/install.sh lists is what it wrote (make uninstall removes that list)
  const listed = execFileSync('make', ['-s', '--no-print-directory', 'install-list'], { cwd: ROOT, encoding: 'utf8' })
    .trim().split('\n').sort();
  assert.deepEqual(installed, listed);
});

test('the installed otklikctl finds its SQL where it was installed, not beside itself', () => {
  const r = spawnSync(`${dest}/usr/local/bin/otklikctl`, ['config', 'check'], { encoding: 'utf8', env: { PATH: process.env.PATH } });
  assert.match(r.stdout, /^OTKLIK_SQL_DIR=\/usr\/local\/share\/otklik\/sql {2}# default$/m);
  assert.match(r.stdout, /^OTKLIK_TOKEN_KEY_FILE=\/usr\/local\/etc\/otklik\/token\.key {2}# default$/m);
  assert.match(r.stdout, /^OTKLIK_WIDGET_DIR=\/usr\/local\/share\/otklik\/widget-js\/dist {2}# default$/m);
});

test('the nginx snippet is rendered for the installed paths and loads in Debian\'s nginx.conf', (t) => {
  const conf = readFileSync(`${dest}/usr/local/etc/otklik/nginx/otklik.conf`, 'utf8');
  assert.doesNotMatch(conf, /@[A-Z_]+@/, 'every placeholder filled');
  assert.doesNotMatch(conf, /^(http|events)\b|^\s*(pid|error_log|worker_processes|include \/etc\/nginx\/mime\.types)\b/m,
    'a snippet for the http block: nginx.conf has these');
  assert.doesNotMatch(conf, new RegExp(ROOT), 'nothing from the checkout');
  for (const m of MODULES) assert.match(conf, new RegExp(`server unix:/run/otklik/${m}\\.sock`));
  assert.match(conf, /include \/usr\/local\/etc\/otklik\/nginx\/fastcgi\.conf;/);
  assert.match(conf, /alias \/usr\/local\/share\/otklik\/widget-js\/dist\/;/);
  assert.match(conf, /alias \/usr\/local\/share\/otklik\/docs\/dist\/openapi\.json;/);
  if (!existsSync('/etc/nginx/nginx.conf') || process.getuid() !== 0) {
    t.skip('needs Debian\'s /etc/nginx/nginx.conf and root');
    return;
  }
  // Debian's nginx.conf with the snippet where a site would be
  const snippets = relocated(`${dest}/usr/local/etc/otklik/nginx`, join(dest, 'check-nginx'));
  const main = readFileSync('/etc/nginx/nginx.conf', 'utf8')
    .replace(/^\s*include \/etc\/nginx\/(sites-enabled|conf\.d)\/\*[^;]*;/gm, '')
    .replace(/^(http \{)/m, `$1\n    include ${snippets}/otklik.conf;`);
  writeFileSync(join(dest, 'nginx.conf'), main);
  const r = spawnSync('/usr/sbin/nginx', ['-t', '-q', '-c', join(dest, 'nginx.conf')], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
});

test('systemd-analyze verify accepts the units, and their sandbox is tight', () => {
  const units = relocated(`${dest}/usr/local/lib/systemd/system`, join(dest, 'check-units'));
  const names = readdirSync(units).map((f) => join(units, f));
  const r = spawnSync('systemd-analyze', ['verify', ...names], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stderr.trim(), '', 'no warnings');
  for (const m of MODULES) {
    const unit = readFileSync(join(units, `otklik-${m}.service`), 'utf8');
    assert.match(unit, /^StandardInput=socket$/m, 'the socket as fd 0');
    assert.match(unit, /^User=otklik$/m);
    for (const d of ['ProtectSystem=strict', 'PrivateTmp=yes', 'NoNewPrivileges=yes', 'MemoryMax=']) {
      assert.match(unit, new RegExp(`^${d}`, 'm'), d);
    }
    assert.doesNotMatch(unit, /^ReadWritePaths=/m, 'the workers write nothing but their runtime directory');
  }
  // systemd's own exposure score (0 safe, 10 unsafe): at most 2 ("OK")
  const services = names.filter((n) => n.endsWith('.service'));
  const s = spawnSync('systemd-analyze', ['security', '--offline=yes', '--threshold=20', ...services], { encoding: 'utf8' });
  assert.equal(s.status, 0, s.stdout.split('\n').filter((l) => /Overall|✗/.test(l)).join('\n'));
});

test('make uninstall removes what make install wrote, keeping the administrator\'s settings', () => {
  const r = make('uninstall', `DESTDIR=${dest}`);
  assert.equal(r.status, 0, r.stderr);
  const left = files(dest).filter((f) => !/^\/(check-|nginx\.conf)/.test(f));
  assert.deepEqual(left, ['/usr/local/etc/otklik/otklik.env']);
  assert.equal(existsSync(`${dest}/usr/local/share/otklik`), false);
});
