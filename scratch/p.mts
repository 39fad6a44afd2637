import fs from 'node:fs';
import { parseStream, monthFromFileName } from '/work/main/lib/entsoe/parse-stream.ts';
for (const f of process.argv.slice(2)) {
  const t = Date.now();
  try {
  const r = await parseStream(fs.createReadStream(f, { highWaterMark: 1 << 20 }), { month: monthFromFileName(f.split('/').pop()!), write: () => {} });
  console.log(f.split('/').slice(-1)[0], r.dataset.name, r.layout, r.month, r.rows, JSON.stringify(r.rejected), r.spreadsheetUpdateTimes, r.firstTs, r.lastTs, r.bytesOut, Date.now() - t, 'ms', r.sha256.slice(0,8));
  } catch (e) { console.log(f, 'ERR', (e as Error).message.slice(0, 200)); }
}
