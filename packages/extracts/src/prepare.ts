/**
 * Turns one extract file into something DuckDB can read directly: the file itself
 * (UTF-8 CSV, Parquet) or a UTF-8 CSV written to a temp directory (GBK/GB18030 CSV,
 * XLSX). The encoding is chosen from the file's first 64 KiB; DuckDB's reader checks
 * the rest of a UTF-8 file as it reads it (see `ENCODING_SAMPLE_BYTES`).
 */
import { open, stat } from 'node:fs/promises';
import { extname, join } from 'node:path';
import { BAD_CHAR } from './file-work.ts';
import { offThread } from './off-thread.ts';
import { zipBombReason } from './zip-bomb.ts';

export type SourceFormat = 'csv' | 'xlsx' | 'parquet';
export type Encoding = 'utf-8' | 'gb18030';

export interface PreparedFile {
  /** What DuckDB should read. */
  readPath: string;
  readAs: 'csv' | 'parquet';
  /** For readAs 'csv': the first column `__line` already holds the source line (XLSX sheet rows). */
  hasLineColumn: boolean;
  format: SourceFormat;
  encoding: Encoding | null;
  contentHash: string;
  sizeBytes: number;
}

/** A whole-file problem: the file is rejected with this message. */
export class FileRejection extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FileRejection';
  }
}


export function formatOfPath(path: string): SourceFormat | 'xls' | null {
  const ext = extname(path).toLowerCase();
  if (ext === '.csv' || ext === '.txt') return 'csv';
  if (ext === '.xlsx') return 'xlsx';
  if (ext === '.parquet') return 'parquet';
  if (ext === '.xls') return 'xls';
  return null;
}

/** `n` bytes of the file from `at` (fewer at its end). */
async function bytesAt(path: string, at: number, n: number): Promise<Buffer> {
  const fh = await open(path, 'r');
  try {
    const buf = Buffer.alloc(n);
    const { bytesRead } = await fh.read(buf, 0, n, at);
    return buf.subarray(0, bytesRead);
  } finally {
    await fh.close();
  }
}

/** Said of a file that ends too soon: most often a copy or an export that stopped half way. */
const CUT_SHORT = '文件不完整（可能是复制或导出中途中断）：请重新导出或重新复制后再放入';

function looksUtf16(b: Buffer): boolean {
  if (b.length >= 2 && ((b[0] === 0xff && b[1] === 0xfe) || (b[0] === 0xfe && b[1] === 0xff))) return true;
  // UTF-16 without a BOM: ASCII text interleaved with NUL bytes.
  let nul = 0;
  for (let i = 0; i < Math.min(b.length, 512); i++) if (b[i] === 0) nul++;
  return nul > 8;
}

/** How much of a CSV is looked at to choose its encoding; DuckDB's reader checks every later byte is UTF-8. */
export const ENCODING_SAMPLE_BYTES = 1 << 16;

/**
 * Whether the sample decodes as UTF-8 and is free of replacement and control characters.
 * A multi-byte character cut at the end of the sample is not held against it.
 */
function sampleIsUtf8(sample: Buffer, whole: boolean): { utf8: boolean; badChar: boolean } {
  try {
    const text = new TextDecoder('utf-8', { fatal: true }).decode(sample, { stream: !whole });
    return { utf8: true, badChar: BAD_CHAR.test(text) };
  } catch {
    return { utf8: false, badChar: false };
  }
}

export interface PrepareOptions {
  /** Scratch directory for transcoded copies; the caller removes it. */
  tmpDir: string;
  /** Skip detection and read CSVs in this encoding. */
  encoding?: Encoding;
  /** The content hash when the caller has it already (saves a pass over the bytes). */
  contentHash?: string;
}

export async function prepareFile(path: string, opts: PrepareOptions): Promise<PreparedFile> {
  const fmt = formatOfPath(path);
  if (fmt === 'xls') throw new FileRejection('旧版 Excel .xls 文件无法读取：请在 Excel 中另存为 .xlsx (save as .xlsx)');
  if (fmt === null) throw new FileRejection(`不支持的文件类型 "${extname(path)}"：只接受 .csv、.xlsx、.parquet`);
  const { size } = await stat(path);
  if (size === 0) throw new FileRejection('空文件 (the file is empty): 重新导出后再放入');
  // One read of the file's beginning serves the format checks and the encoding sample.
  const sample = await bytesAt(path, 0, ENCODING_SAMPLE_BYTES);
  const magic = sample.subarray(0, 512);
  const base = { sizeBytes: size, format: fmt };

  if (magic.subarray(0, 4).equals(Buffer.from([0xd0, 0xcf, 0x11, 0xe0])))
    throw new FileRejection('这是旧版 Excel .xls 文件：请另存为 .xlsx (save as .xlsx)');
  const contentHash = opts.contentHash ?? (await hashFile(path));

  if (fmt === 'parquet') {
    if (magic.subarray(0, 4).toString('latin1') !== 'PAR1') throw new FileRejection('不是有效的 Parquet 文件 (missing PAR1 header)');
    // A whole Parquet file ends with the same mark it begins with.
    if ((await bytesAt(path, Math.max(0, size - 4), 4)).toString('latin1') !== 'PAR1') throw new FileRejection(`${CUT_SHORT} (truncated Parquet file: no PAR1 footer)`);
    return { ...base, readPath: path, readAs: 'parquet', hasLineColumn: false, encoding: null, contentHash };
  }
  if (fmt === 'xlsx') {
    if (magic.subarray(0, 2).toString('latin1') !== 'PK') throw new FileRejection('不是有效的 .xlsx 文件 (not a zip-based workbook)');
    const bomb = await zipBombReason(path);
    if (bomb) throw new FileRejection(bomb);
    const readPath = join(opts.tmpDir, 'sheet.csv');
    try {
      await offThread({ op: 'xlsx', path, out: readPath });
    } catch (e) {
      if (e instanceof FileRejection) throw e;
      const message = (e as Error).message;
      // The zip reader's words for a workbook that ends too soon.
      if (/FILE_ENDED|end of central directory|unexpected end/i.test(message)) throw new FileRejection(`${CUT_SHORT} (truncated workbook: ${message})`);
      // The runtime's words for a workbook too large to hold (a zip whose directory lied about its sizes).
      if (/Invalid string length|out of memory|allocation failed|ERR_WORKER_OUT_OF_MEMORY|Maximum call stack/i.test(message) || (e as NodeJS.ErrnoException).code === 'ERR_WORKER_OUT_OF_MEMORY')
        throw new FileRejection('工作簿解压后过大，读取时超出内存上限（疑似压缩炸弹），已拒绝：请另存为 CSV 或分成几个文件');
      throw new FileRejection(`无法读取 .xlsx 工作簿，文件可能已损坏：请在 Excel 中打开后重新另存为 .xlsx (${message})`);
    }
    return { ...base, readPath, readAs: 'csv', hasLineColumn: true, encoding: null, contentHash };
  }

  if (looksUtf16(magic)) throw new FileRejection('文件是 UTF-16 编码：请另存为 UTF-8 的 CSV (save as UTF-8)');
  if (magic.subarray(0, 2).toString('latin1') === 'PK')
    throw new FileRejection('文件内容是 .xlsx 工作簿而扩展名是 .csv：请改扩展名为 .xlsx 或另存为 CSV');

  // The encoding is judged from the beginning of the file. A UTF-8 reading is confirmed by
  // DuckDB as it reads the rest: a later line that is not UTF-8 makes the caller come back
  // with encoding 'gb18030'. This spares a pass over every byte in JavaScript.
  const scan = sampleIsUtf8(sample, size <= ENCODING_SAMPLE_BYTES);
  const wantUtf8 = opts.encoding ? opts.encoding === 'utf-8' : scan.utf8;
  if (wantUtf8) {
    if (!scan.utf8) throw new FileRejection('文件不是有效的 UTF-8 编码 (invalid UTF-8 bytes)；可去掉 --encoding 让系统自动识别');
    if (scan.badChar) throw new FileRejection('文件编码无法识别：内容含替换字符或控制字符 (unknown encoding)；请另存为 UTF-8 或 GBK 的 CSV');
    return { ...base, readPath: path, readAs: 'csv', hasLineColumn: false, encoding: 'utf-8', contentHash };
  }
  const readPath = join(opts.tmpDir, 'transcoded.csv');
  if (!(await offThread({ op: 'gb18030', path, out: readPath })))
    throw new FileRejection('文件编码无法识别：既不是 UTF-8 也不是 GBK/GB18030 (unknown encoding)；请另存为 UTF-8 的 CSV');
  return { ...base, readPath, readAs: 'csv', hasLineColumn: false, encoding: 'gb18030', contentHash };
}

/** SHA-256 of a file's bytes (hex), computed off the main thread. */
export function hashFile(path: string): Promise<string> {
  return offThread({ op: 'hash', path });
}
