import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createHash } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import iconv from 'iconv-lite';
import ExcelJS from 'exceljs';
import { FileRejection, prepareFile } from './prepare.ts';
import { writeXlsxBomb } from './test-support/xlsx-bomb.ts';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ncms-prepare-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function file(name: string, bytes: Buffer | string): Promise<string> {
  const p = join(dir, name);
  await writeFile(p, bytes);
  return p;
}

async function rejection(path: string): Promise<string> {
  try {
    await prepareFile(path, { tmpDir: dir });
  } catch (e) {
    expect(e).toBeInstanceOf(FileRejection);
    return (e as Error).message;
  }
  throw new Error('expected a rejection');
}

describe('prepareFile', () => {
  it('reads UTF-8 with a BOM as it is and hashes the bytes', async () => {
    const text = '\uFEFF年度,村\n2005,东村\n';
    const p = await file('a.csv', text);
    const r = await prepareFile(p, { tmpDir: dir });
    expect(r.encoding).toBe('utf-8');
    expect(r.readPath).toBe(p);
    expect(r.contentHash).toBe(createHash('sha256').update(Buffer.from(text)).digest('hex'));
  });

  it('judges the encoding from the first 64 KiB, not held back by a character cut at its end', async () => {
    // '张' (3 bytes in UTF-8) starts at byte 65,535, so the sample ends inside it.
    const text = 'a,b\n' + 'x'.repeat(65535 - 4) + '张三\n';
    const r = await prepareFile(await file('long.csv', text), { tmpDir: dir });
    expect(r.encoding).toBe('utf-8');
    const gbk = await prepareFile(await file('long-gbk.csv', iconv.encode('乡镇,村\n' + 'x'.repeat(70000) + '\n', 'gbk')), { tmpDir: dir });
    expect(gbk.encoding).toBe('gb18030');
  });

  it('detects GBK and transcodes it to UTF-8', async () => {
    const p = await file('gbk.csv', iconv.encode('年度,乡镇,行政村\r\n2006,城关镇,东王村\r\n', 'gbk'));
    const r = await prepareFile(p, { tmpDir: dir });
    expect(r.encoding).toBe('gb18030');
    expect(await readFile(r.readPath, 'utf8')).toBe('年度,乡镇,行政村\r\n2006,城关镇,东王村\r\n');
  });

  it('rejects UTF-16, random bytes, empty files and .xls with a plain message', async () => {
    expect(await rejection(await file('u16.csv', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('a,b\n', 'utf16le')])))).toMatch(/UTF-16.*UTF-8/);
    const noise = Buffer.alloc(4096);
    let x = 12345;
    for (let i = 0; i < noise.length; i++) noise[i] = (x = (x * 1103515245 + 12345) >>> 0) >>> 24;
    expect(await rejection(await file('noise.csv', noise))).toMatch(/unknown encoding/);
    expect(await rejection(await file('empty.csv', ''))).toMatch(/empty/);
    expect(await rejection(await file('old.xls', Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1])))).toMatch(/\.xlsx/);
  });

  it('turns the first sheet of an XLSX into CSV with sheet row numbers and flags numbers that lost digits', async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('名册');
    ws.addRow(['身份证号', '姓名', '缴费日期']);
    ws.addRow(['11010519491231002X', '张三', new Date(Date.UTC(2004, 10, 5))]);
    ws.addRow([]);
    // A number that lost digits on its way into Excel is the case under test.
    // eslint-disable-next-line no-loss-of-precision
    ws.addRow([410105199001011234, '李四', '2004-11-06']);
    const p = join(dir, 'roll.xlsx');
    await wb.xlsx.writeFile(p);
    const r = await prepareFile(p, { tmpDir: dir });
    expect(r.hasLineColumn).toBe(true);
    const lines = (await readFile(r.readPath, 'utf8')).trim().split('\n');
    expect(lines[0]).toBe('__line,身份证号,姓名,缴费日期');
    expect(lines[1]).toBe('2,11010519491231002X,张三,2004-11-05');
    expect(lines[2]).toMatch(/^4,4\.\d+e\+17,李四,2004-11-06$/);
  });

  it('refuses an XLSX zip bomb before unpacking it, in Chinese with the unpacked size (no runtime text)', async () => {
    const p = join(dir, 'bomb.xlsx');
    const onDisk = await writeXlsxBomb(p, 600);
    expect(onDisk).toBeLessThan(2 * 1024 * 1024); // 600 MB of text in under 2 MB: a bomb
    const started = performance.now();
    const message = await rejection(p);
    expect(performance.now() - started).toBeLessThan(5_000); // judged from the directory, not by unpacking
    expect(message).toMatch(/sharedStrings\.xml.*600 MB/);
    expect(message).toMatch(/已拒绝/);
    expect(message).not.toMatch(/Invalid string length|heap|RangeError|memory/i);
  }, 60_000);
});
