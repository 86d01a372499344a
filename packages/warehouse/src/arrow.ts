/**
 * Large results as Arrow tables (apache-arrow), built from DuckDB's column chunks:
 * `@duckdb/node-api` has no Arrow export and no DuckDB extension can be downloaded here.
 * Numbers go straight into typed arrays; money keeps its exact text, as in JSON.
 *   BOOLEAN → Bool · up to 32-bit integers → Int32 · BIGINT/HUGEINT (counts) and DOUBLE → Float64
 *   DECIMAL, VARCHAR, DATE, TIMESTAMP → Utf8 · LIST → List<Utf8 | Float64> of the same
 */
import { Bool, Field, Float64, Int32, List, Table, Utf8, makeData, makeVector, tableToIPC, vectorFromArray, type DataType, type Vector } from 'apache-arrow';
import { DuckDBTypeId, type DuckDBConnection, type DuckDBType, type DuckDBVector } from '@duckdb/node-api';
import type { Params } from './database.ts';
import { plainValue } from './rows.ts';

const INT32 = new Set<DuckDBTypeId>([DuckDBTypeId.TINYINT, DuckDBTypeId.SMALLINT, DuckDBTypeId.INTEGER, DuckDBTypeId.UTINYINT, DuckDBTypeId.USMALLINT]);
const FLOAT64 = new Set<DuckDBTypeId>([DuckDBTypeId.DOUBLE, DuckDBTypeId.FLOAT, DuckDBTypeId.UINTEGER, DuckDBTypeId.BIGINT, DuckDBTypeId.UBIGINT, DuckDBTypeId.HUGEINT, DuckDBTypeId.UHUGEINT]);

function arrowType(t: DuckDBType): DataType {
  if (t.typeId === DuckDBTypeId.BOOLEAN) return new Bool();
  if (INT32.has(t.typeId)) return new Int32();
  if (FLOAT64.has(t.typeId)) return new Float64();
  if (t.typeId === DuckDBTypeId.LIST) {
    const child = (t as unknown as { valueType: DuckDBType }).valueType;
    return new List(new Field('item', arrowType(child), true));
  }
  return new Utf8();
}

/** One column's values, appended chunk by chunk. */
interface ColumnSink {
  push(vector: DuckDBVector, rows: number): void;
  finish(): Vector;
}

function numberSink(type: Int32 | Float64, capacity: number): ColumnSink {
  let values = type instanceof Int32 ? new Int32Array(capacity) : new Float64Array(capacity);
  let valid = new Uint8Array(Math.ceil(capacity / 8));
  let length = 0;
  let nulls = 0;
  return {
    push(vector, rows) {
      if (length + rows > values.length) {
        const grown = type instanceof Int32 ? new Int32Array((length + rows) * 2) : new Float64Array((length + rows) * 2);
        grown.set(values);
        values = grown;
        const v = new Uint8Array(Math.ceil(grown.length / 8));
        v.set(valid);
        valid = v;
      }
      for (let i = 0; i < rows; i++, length++) {
        const item = vector.getItem(i);
        if (item === null) {
          nulls++;
          continue;
        }
        values[length] = typeof item === 'bigint' ? Number(item) : (item as number);
        valid[length >> 3]! |= 1 << (length & 7);
      }
    },
    finish() {
      const common = { length, nullCount: nulls, nullBitmap: nulls ? valid.subarray(0, Math.ceil(length / 8)) : null };
      return type instanceof Int32
        ? makeVector(makeData({ ...common, type, data: values.subarray(0, length) as Int32Array }))
        : makeVector(makeData({ ...common, type, data: values.subarray(0, length) as Float64Array }));
    },
  };
}

function valueSink(type: DataType, duckType: DuckDBType): ColumnSink {
  const values: unknown[] = [];
  return {
    push(vector, rows) {
      for (let i = 0; i < rows; i++) {
        const v = plainValue(vector.getItem(i), duckType, plainValue);
        values.push(type instanceof Bool || type instanceof List ? v : v === null ? null : String(v));
      }
    },
    finish: () => vectorFromArray(values, type),
  };
}

/** The result of `sql` as an Arrow table. */
export async function arrowTable(conn: DuckDBConnection, sql: string, params?: Params): Promise<Table> {
  const result = await conn.run(sql, params);
  const names = result.columnNames();
  const types = result.columnTypes();
  const sinks = types.map((t) => {
    const at = arrowType(t);
    return at instanceof Int32 || at instanceof Float64 ? numberSink(at, 2048) : valueSink(at, t);
  });
  for (let chunk = await result.fetchChunk(); chunk && chunk.rowCount > 0; chunk = await result.fetchChunk())
    for (let c = 0; c < names.length; c++) sinks[c]!.push(chunk.getColumnVector(c), chunk.rowCount);
  return new Table(Object.fromEntries(names.map((n, c) => [n, sinks[c]!.finish()])));
}

/** Arrow IPC stream bytes of a table (the `application/vnd.apache.arrow.stream` body). */
export function arrowStream(table: Table): Uint8Array {
  return tableToIPC(table, 'stream');
}
