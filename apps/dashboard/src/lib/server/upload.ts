/**
 * The upload box of the data-quality page: one extract file saved into its kind's folder of the
 * county's source directory, under its own name (a name already taken gets the upload time in
 * front, so nothing there is overwritten). The pipelines then load it like any other new file.
 *
 * The multipart body is parsed as it arrives (busboy) and the file streamed to disk: a county's
 * roll of hundreds of megabytes never sits in the server's memory, and past the configured limit
 * the partial file is removed and the upload refused (413).
 */
import { createWriteStream } from 'node:fs';
import { mkdir, rm, stat } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { Readable, type Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import busboy from 'busboy';
import { MULTIPART_SLACK, TooLargeError } from './body-limits';

export const UPLOAD_KINDS = [
  { kind: 'census', zh: '人口统计（统计局）' },
  { kind: 'facilities', zh: '定点医疗机构目录' },
  { kind: 'enrollment', zh: '参合名册' },
  { kind: 'his', zh: '医院结算（HIS）' },
  { kind: 'ledger', zh: '基金台账' },
] as const;

const EXTENSIONS = /\.(csv|txt|xlsx|parquet)$/i;
/** Bytes of a file name (UTF-8); a file system takes 255, and the upload time may go in front. */
export const NAME_BYTES = 200;

export class UploadError extends Error {}

/** The file's own name, checked: no folders, no control characters, a length any disk takes. */
export function uploadName(raw: string): string {
  // Only the file's own name: a name with folders in it must not write outside the kind's folder.
  const name = basename(raw.replace(/\\/g, '/'));
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(name)) throw new UploadError('文件名含有控制字符（如 NUL），请改名后再上传 (control characters in the file name)');
  if (Buffer.byteLength(name) > NAME_BYTES) throw new UploadError(`文件名过长：最多 ${NAME_BYTES} 字节（约 ${Math.floor(NAME_BYTES / 3)} 个汉字），请改短后再上传 (file name too long)`);
  if (!EXTENSIONS.test(name) || name.startsWith('.')) throw new UploadError(`不支持的文件类型：${name}（可上传 .csv、.txt、.xlsx、.parquet）`);
  return name;
}

async function targetPath(sourceDir: string, kind: string, name: string): Promise<string> {
  const dir = join(sourceDir, kind);
  await mkdir(dir, { recursive: true });
  const path = join(dir, name);
  if (!(await stat(path).catch(() => null))) return path;
  const stamp = new Date().toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
  return join(dir, `${stamp}-${name}`);
}

/**
 * Reads the upload form (`kind`, then `file`, as the page's form sends them) from the request
 * body and streams the file into place. At most `limit` bytes of file.
 */
export async function saveUpload(request: Request, sourceDir: string, limit: number): Promise<{ kind: string; path: string }> {
  const type = request.headers.get('content-type') ?? '';
  if (!/^multipart\/form-data/i.test(type) || !request.body) throw new UploadError('请用页面上的上传表单提交文件 (multipart/form-data expected)');
  let parser: busboy.Busboy;
  try {
    // Browsers send a file's name as raw UTF-8 (Chinese names): not busboy's default latin1.
    parser = busboy({ headers: { 'content-type': type }, defParamCharset: 'utf8', limits: { fileSize: limit, files: 1, fields: 4, fieldSize: 1024, parts: 6 } });
  } catch {
    throw new UploadError('上传的表单格式不正确 (malformed multipart/form-data)');
  }
  const body = Readable.fromWeb(request.body as import('node:stream/web').ReadableStream);

  return new Promise((resolve, reject) => {
    let kind = '';
    let written: Promise<{ kind: string; path: string }> | undefined;
    let settled = false;
    let stopWriting: ((e: Error) => void) | undefined;
    const finish = (e: Error | undefined, r?: { kind: string; path: string }) => {
      if (settled) return;
      settled = true;
      // What is left of the body is not read (see body-limits.ts).
      body.unpipe(parser);
      body.removeAllListeners('data');
      body.pause();
      if (e) reject(e);
      else resolve(r!);
    };
    parser.on('field', (name, value) => {
      if (name === 'kind') kind = value;
    });
    parser.on('file', (field, file, info) => {
      if (field !== 'file' || written) return void file.resume();
      written = (async () => {
        if (!UPLOAD_KINDS.some((k) => k.kind === kind)) throw new UploadError(`请选择文件类别（${UPLOAD_KINDS.map((k) => k.zh).join('、')}）`);
        const name = uploadName(info.filename ?? '');
        const path = await targetPath(sourceDir, kind, name);
        const out: Writable = createWriteStream(path, { flags: 'wx' });
        // Past the limit: stop at once (the partial file is removed), not after the rest arrives.
        stopWriting = (e) => out.destroy(e);
        file.once('limit', () => stopWriting!(new TooLargeError(limit, '上传的文件')));
        try {
          await pipeline(file, out);
        } catch (e) {
          await rm(path, { force: true });
          throw e;
        }
        if ((await stat(path)).size === 0) {
          await rm(path, { force: true });
          throw new UploadError('请选择要上传的文件（不能为空文件）');
        }
        return { kind, path: path.slice(sourceDir.length + 1) };
      })();
      written.then(
        (r) => finish(undefined, r),
        (e: Error) => {
          file.resume();
          finish(e);
        },
      );
    });
    // The whole body counts too: a body that never reaches its file part (or never ends one) is
    // stopped at the same limit, not read to its end.
    let received = 0;
    body.on('data', (chunk: Buffer) => {
      received += chunk.length;
      if (received <= limit + MULTIPART_SLACK) return;
      const e = new TooLargeError(limit, '上传的文件');
      if (stopWriting) stopWriting(e);
      else finish(e);
    });
    parser.on('error', () => finish(new UploadError('上传的表单格式不正确：表单头或文件名含有非法字符（如 NUL），请改名后用页面上的上传表单提交 (malformed multipart/form-data)')));
    body.on('error', (e: Error & { status?: number }) => finish(e.status === 413 ? new TooLargeError(limit, '上传的文件') : new UploadError(`上传中断：${e.message}`)));
    parser.on('close', () => {
      if (!written) finish(new UploadError('请选择要上传的文件（不能为空文件）'));
    });
    body.pipe(parser);
  });
}
