// pgbench-script.mjs - turns the workers' own prepared statements (printed by
// `otklikctl sql MODULE NAME`) into a pgbench script, so the ceiling runs
// exactly the SQL an endpoint runs. Each argument is a line of the script:
//   "\set uid random(1, 10)" | "BEGIN" | "COMMIT"
//   | "MODULE:NAME" followed by JSON for its parameters: {"1": ":uid", "3": "NULL"}
// pgbench -M prepared sends :variables as parameters, like the workers do.
import { execFileSync } from 'node:child_process';

const ctl = `${process.env.OTKLIK_BIN ?? 'bin'}/otklikctl`;
const out = [];
const args = process.argv.slice(2);
for (let i = 0; i < args.length; i++) {
  const line = args[i];
  if (line.startsWith('\\')) { out.push(line); continue; }
  if (!line.includes(':')) { out.push(`${line};`); continue; }
  const [module, name] = line.split(':');
  const params = JSON.parse(args[++i]);
  const sql = execFileSync(ctl, ['sql', module, name]).toString().trim()
    .replace(/\$(\d+)/g, (_, n) => {
      if (!(n in params)) throw new Error(`${line}: no value for $${n}`);
      return params[n];
    });
  out.push(`${sql.replace(/\s+/g, ' ')};`);
}
process.stdout.write(`${out.join('\n')}\n`);
