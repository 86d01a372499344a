/**
 * The files the server builds from rows — a page's table as a workbook, an analyst's result as
 * CSV, XLSX or the newline-delimited JSON that DuckDB turns into Parquet or Arrow — as plain
 * jobs, run in the file worker thread (`off-loop.ts`) so that building one never stops the
 * server answering everyone else.
 */
import { writeFile } from 'node:fs/promises';
import { postedTableToXlsx } from '../xlsx';
import { answerCsv, answerNdjson, answerXlsx, type AnswerFile } from './answer-formats';
import type { QueryAnswer } from '@ncms/lake';

export type FileJob =
  /** `body`: the JSON text a page posted (parsed and checked in the worker, not on the event loop). */
  | { op: 'table-xlsx'; body: string }
  /** `answer`: the JSON text of a QueryAnswer in the parts the sandbox sent it in. */
  | { op: 'answer'; answer: string[]; format: 'csv' | 'xlsx' }
  | { op: 'answer-ndjson'; answer: string[]; out: string };

export type FileJobResult<J extends FileJob> = J extends { op: 'table-xlsx' } ? { file: Uint8Array; title: string } : J extends { op: 'answer' } ? AnswerFile & { file: Uint8Array } : AnswerFile;

export async function runFileJob<J extends FileJob>(job: J): Promise<FileJobResult<J>> {
  if (job.op === 'table-xlsx') return (await postedTableToXlsx(job.body)) as FileJobResult<J>;
  const answer = JSON.parse(job.answer.join('')) as QueryAnswer;
  const about: AnswerFile = { columns: answer.columns, rows: answer.rows.length, truncated: answer.truncated };
  if (job.op === 'answer') return { ...about, file: job.format === 'csv' ? answerCsv(answer) : await answerXlsx(answer) } as FileJobResult<J>;
  await writeFile(job.out, answerNdjson(answer));
  return about as FileJobResult<J>;
}
