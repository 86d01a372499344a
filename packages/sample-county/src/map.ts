/**
 * A map of the sample county's townships (GeoJSON, WGS 84): irregular quadrilaterals on a
 * jittered lattice, so neighbouring townships share their borders exactly and the county looks
 * like a county rather than a chessboard. Deterministic: the same townships give the same file.
 * A real county replaces it with its own boundaries (properties `code` and `name`).
 */

export interface MapTownship {
  code: string;
  name: string;
}

type Point = [number, number];

// Around 114.35° E, 35.9° N (the county of the sample's division code); one cell ≈ 8 km.
const ORIGIN: Point = [114.2, 36.05];
const CELL = 0.075;

/** A stable offset in [-0.5, 0.5) from a lattice position (no random state to thread through). */
function jitter(i: number, j: number, salt: number): number {
  let h = (i * 73856093) ^ (j * 19349663) ^ (salt * 83492791);
  h = Math.imul(h ^ (h >>> 13), 0x5bd1e995);
  return (((h ^ (h >>> 15)) >>> 0) % 1000) / 1000 - 0.5;
}

export function townshipGeoJson(townships: readonly MapTownship[]): object {
  const cols = Math.ceil(Math.sqrt(townships.length));
  const rows = Math.ceil(townships.length / cols);
  // Border points move inwards less, so the county's outline stays a plausible shape.
  const corner = (i: number, j: number): Point => {
    const edge = i === 0 || j === 0 || i === cols || j === rows;
    const k = edge ? 0.15 : 0.35;
    return [round(ORIGIN[0] + (i + k * jitter(i, j, 1)) * CELL), round(ORIGIN[1] - (j + k * jitter(i, j, 2)) * CELL * 0.8)];
  };
  // Each edge bends at a midpoint shared by the two cells it separates.
  const mid = (a: [number, number], b: [number, number]): Point => {
    const [p, q] = [corner(...a), corner(...b)];
    const s = jitter(a[0] + b[0], a[1] + b[1], 3) * 0.2 * CELL;
    return [round((p[0] + q[0]) / 2 + s), round((p[1] + q[1]) / 2 - s)];
  };
  const features = townships.map((t, n) => {
    const i = n % cols;
    const j = Math.floor(n / cols);
    const c: [number, number][] = [[i, j], [i + 1, j], [i + 1, j + 1], [i, j + 1]];
    const ring: Point[] = [];
    for (let k = 0; k < 4; k++) {
      ring.push(corner(...c[k]!));
      ring.push(mid(c[k]!, c[(k + 1) % 4]!));
    }
    // GeoJSON outer rings run counter-clockwise; the lattice walk above runs clockwise on the map.
    ring.reverse();
    ring.push(ring[0]!);
    return { type: 'Feature', properties: { code: t.code, name: t.name }, geometry: { type: 'Polygon', coordinates: [ring] } };
  });
  return { type: 'FeatureCollection', features };
}

const round = (x: number) => Math.round(x * 1e5) / 1e5;
