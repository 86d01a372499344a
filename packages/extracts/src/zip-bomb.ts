/**
 * A workbook is a zip: before one is unpacked, its central directory says how large each part
 * becomes. A few kilobytes that claim gigabytes (a "zip bomb") — or parts no sheet of a county's
 * extract comes near — are refused here with a Chinese reason, before any reader holds them.
 */
import { open } from 'node:fs/promises';

/** Everything a workbook unpacks to, at most (a full 1,048,576-row sheet of 20 columns is about 1 GB). */
export const XLSX_UNPACKED_BYTES = 2 * 1024 ** 3;
/** One part of a workbook, unpacked, at most (the shared-strings table is held whole by the reader). */
export const XLSX_PART_BYTES = 1024 ** 3;
/** A part compressed more than this (and over 50 MB unpacked) is no sheet of real data. */
export const XLSX_RATIO = 200;

const MB = 1024 * 1024;

/** Why the zip's directory says it must not be unpacked, or null when it may be. */
export async function zipBombReason(path: string): Promise<string | null> {
  const f = await open(path, 'r');
  try {
    const { size } = await f.stat();
    // The end-of-central-directory record sits in the last 64 KB + 22 bytes.
    const tailLength = Math.min(size, 65_557);
    const tail = Buffer.alloc(tailLength);
    await f.read(tail, 0, tailLength, size - tailLength);
    const eocd = tail.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
    if (eocd < 0) return null; // not readable as a zip: the reader says so in its own words
    const entries = tail.readUInt16LE(eocd + 10);
    const dirSize = tail.readUInt32LE(eocd + 12);
    const dirOffset = tail.readUInt32LE(eocd + 16);
    if (dirOffset === 0xffffffff || entries === 0xffff) return `工作簿使用 ZIP64 格式（解压后超过 4 GB），超过 ${XLSX_UNPACKED_BYTES / 1024 ** 3} GB 的上限，已拒绝：请另存为 CSV 或分成几个文件`;
    if (dirOffset + dirSize > size) return null;
    const dir = Buffer.alloc(dirSize);
    await f.read(dir, 0, dirSize, dirOffset);
    let total = 0;
    for (let at = 0, i = 0; i < entries && at + 46 <= dir.length; i++) {
      if (dir.readUInt32LE(at) !== 0x02014b50) break;
      const compressed = dir.readUInt32LE(at + 20);
      const unpacked = dir.readUInt32LE(at + 24);
      const nameLength = dir.readUInt16LE(at + 28);
      const name = dir.toString('utf8', at + 46, at + 46 + nameLength);
      at += 46 + nameLength + dir.readUInt16LE(at + 30) + dir.readUInt16LE(at + 32);
      if (unpacked === 0xffffffff) return `工作簿中的 ${name} 解压后超过 4 GB，超过上限，已拒绝：请另存为 CSV 或分成几个文件`;
      total += unpacked;
      if (unpacked > XLSX_PART_BYTES) return `工作簿中的 ${name} 解压后有 ${Math.round(unpacked / MB)} MB，超过单个部分 ${XLSX_PART_BYTES / MB} MB 的上限，已拒绝：请另存为 CSV 或分成几个文件`;
      if (unpacked > 50 * MB && unpacked > compressed * XLSX_RATIO)
        return `工作簿中的 ${name} 压缩比达 ${Math.round(unpacked / Math.max(1, compressed))}:1（${Math.round(unpacked / MB)} MB），不像真实数据（疑似压缩炸弹），已拒绝：请从原系统重新导出`;
    }
    if (total > XLSX_UNPACKED_BYTES) return `工作簿解压后共 ${Math.round(total / MB)} MB，超过 ${XLSX_UNPACKED_BYTES / MB} MB 的上限，已拒绝：请另存为 CSV 或分成几个文件`;
    return null;
  } finally {
    await f.close();
  }
}
