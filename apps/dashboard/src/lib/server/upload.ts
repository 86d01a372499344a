/**
 * The upload box of the data-quality page: one extract file saved into its kind's folder of the
 * county's source directory, under its own name (a name already taken gets the upload time in
 * front, so nothing there is overwritten). The pipelines then load it like any other new file.
 */
import { createWriteStream } from 'node:fs';
import { mkdir, stat } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';

export const UPLOAD_KINDS = [
  { kind: 'census', zh: '人口统计（统计局）' },
  { kind: 'facilities', zh: '定点医疗机构目录' },
  { kind: 'enrollment', zh: '参合名册' },
  { kind: 'his', zh: '医院结算（HIS）' },
  { kind: 'ledger', zh: '基金台账' },
] as const;

const EXTENSIONS = /\.(csv|txt|xlsx|parquet)$/i;

export class UploadError extends Error {}

export async function saveUpload(form: FormData, sourceDir: string): Promise<{ kind: string; path: string }> {
  const kind = String(form.get('kind') ?? '');
  if (!UPLOAD_KINDS.some((k) => k.kind === kind)) throw new UploadError(`请选择文件类别（${UPLOAD_KINDS.map((k) => k.zh).join('、')}）`);
  const file = form.get('file');
  if (!(file instanceof File) || file.size === 0) throw new UploadError('请选择要上传的文件（不能为空文件）');
  // Only the file's own name: a name with folders in it must not write outside the kind's folder.
  const name = basename(file.name.replace(/\\/g, '/'));
  if (!EXTENSIONS.test(name) || name.startsWith('.')) throw new UploadError(`不支持的文件类型：${name}（可上传 .csv、.txt、.xlsx、.parquet）`);
  const dir = join(sourceDir, kind);
  await mkdir(dir, { recursive: true });
  let path = join(dir, name);
  if (await stat(path).catch(() => null)) {
    const stamp = new Date().toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
    path = join(dir, `${stamp}-${name}`);
  }
  await pipeline(Readable.fromWeb(file.stream() as import('node:stream/web').ReadableStream), createWriteStream(path, { flags: 'wx' }));
  return { kind, path: path.slice(sourceDir.length + 1) };
}
