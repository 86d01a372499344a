import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { threadId } from 'node:worker_threads';
import iconv from 'iconv-lite';
import ExcelJS from 'exceljs';
import { fileWorker, offThread } from './off-thread.ts';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ncms-offthread-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('file work in the worker thread', () => {
  it('is built with the package (npm install builds it)', () => {
    expect(existsSync(join(import.meta.dirname, '..', 'dist', 'file-worker.js'))).toBe(true);
  });

  it('hashes, transcodes GBK and reads XLSX as the functions do, several jobs at once', async () => {
    const text = '年度,乡镇,行政村\r\n' + Array.from({ length: 20_000 }, (_, i) => `2006,城关镇,东王村${i}\r\n`).join('');
    const gbk = join(dir, 'roll.csv');
    await writeFile(gbk, iconv.encode(text, 'gbk'));
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('s');
    ws.addRow(['机构编码', '机构名称']);
    ws.addRow(['H1', '城关镇卫生院']);
    const xlsx = join(dir, 'f.xlsx');
    await wb.xlsx.writeFile(xlsx);

    const [hash, ok, , bad] = await Promise.all([
      offThread({ op: 'hash', path: gbk }),
      offThread({ op: 'gb18030', path: gbk, out: join(dir, 'utf8.csv') }),
      offThread({ op: 'xlsx', path: xlsx, out: join(dir, 'sheet.csv') }),
      offThread({ op: 'xlsx', path: gbk, out: join(dir, 'not.csv') }).then(() => null, (e: Error) => e),
    ]);
    expect(hash).toBe(createHash('sha256').update(await readFile(gbk)).digest('hex'));
    expect(ok).toBe(true);
    expect(await readFile(join(dir, 'utf8.csv'), 'utf8')).toBe(text);
    expect(await readFile(join(dir, 'sheet.csv'), 'utf8')).toBe('__line,机构编码,机构名称\n2,H1,城关镇卫生院\n');
    // A failure in the worker comes back as an error of the job, and the next job still runs.
    expect(bad).toBeInstanceOf(Error);
    expect(await offThread({ op: 'hash', path: xlsx })).toBe(createHash('sha256').update(await readFile(xlsx)).digest('hex'));
  });

  it('runs in a worker thread, not on the main thread', async () => {
    await writeFile(join(dir, 'small.csv'), 'a\n1\n');
    await offThread({ op: 'hash', path: join(dir, 'small.csv') });
    expect(fileWorker()).toMatchObject({ running: true });
    expect(fileWorker().threadId).not.toBe(threadId);
  });
});
