import type { RandomProvider } from 'moonpool';

/** Where the dungeon draws its randomness (map generation included): the simulation's provider. */
export type RandomSource = Pick<RandomProvider, 'random'>;

export const WIDTH = 35;
export const HEIGHT = 20;
export const CELLS = WIDTH * HEIGHT;
/** The floor holding the treasure (the others have stairs down). */
export const TARGET_FLOOR = 8;

export const WALL = 0;
export const FLOOR = 1;
export const STAIRS = 2;
export const TREASURE = 3;
export const POTION = 4;
export const TRAP = 5;

/** `roomOf` value of a cell outside every room (walls, corridors). */
export const NO_ROOM = 255;

const MIN_ROOMS = 4;
const MAX_ROOMS = 6;
const MIN_ROOM_W = 3;
const MAX_ROOM_W = 6;
const MIN_ROOM_H = 3;
const MAX_ROOM_H = 5;
const MIN_ENEMIES = 2;
export const MAX_ENEMIES = 5;
/** Tries at finding a free floor cell before giving up on placing an item. */
const PLACEMENT_TRIES = 64;

/** Uniform integer in [lo, hi) from one draw. */
export function randomInt(random: RandomSource, lo: number, hi: number): number {
  return lo + Math.floor(random.random() * (hi - lo));
}

export function cellOf(x: number, y: number): number {
  return y * WIDTH + x;
}

/** A floor as plain data (see `DungeonFloor.save`). */
export interface FloorData {
  readonly tiles: Uint8Array;
  readonly roomOf: Uint8Array;
  readonly roomX: Int32Array;
  readonly roomY: Int32Array;
  readonly roomW: Int32Array;
  readonly roomH: Int32Array;
  readonly roomCount: number;
  readonly start: number;
  readonly goal: number;
  readonly keyCell: number;
  readonly enemies: Int32Array;
  readonly enemyCount: number;
}

/**
 * One floor of the dungeon, generated in place into preallocated arrays (no allocation per floor):
 * 4–6 rooms sorted left to right and joined by L-shaped corridors, the start in the first room, the
 * stairs (or, on the target floor, the treasure) in the last one, a hidden key in a middle room,
 * 1–2 potions, 2–3 traps and 2–5 enemies (more on deeper floors).
 */
export class DungeonFloor {
  readonly tiles = new Uint8Array(CELLS);
  /** Room index of each cell, `NO_ROOM` outside rooms. */
  readonly roomOf = new Uint8Array(CELLS);
  private readonly roomX = new Int32Array(MAX_ROOMS);
  private readonly roomY = new Int32Array(MAX_ROOMS);
  private readonly roomW = new Int32Array(MAX_ROOMS);
  private readonly roomH = new Int32Array(MAX_ROOMS);
  roomCount = 0;
  /** Cell where the player arrives (centre of room 0). */
  start = 0;
  /** Cell of the stairs, or of the treasure on the target floor (centre of the last room). */
  goal = 0;
  /** Cell hiding this floor's key; -1 on the target floor. */
  keyCell = -1;
  readonly enemies = new Int32Array(MAX_ENEMIES);
  enemyCount = 0;

  /** The floor as plain data (copies of its arrays): a state-machine snapshot. */
  save(): FloorData {
    return {
      tiles: this.tiles.slice(),
      roomOf: this.roomOf.slice(),
      roomX: this.roomX.slice(),
      roomY: this.roomY.slice(),
      roomW: this.roomW.slice(),
      roomH: this.roomH.slice(),
      roomCount: this.roomCount,
      start: this.start,
      goal: this.goal,
      keyCell: this.keyCell,
      enemies: this.enemies.slice(),
      enemyCount: this.enemyCount,
    };
  }

  /** Becomes the floor `save` returned (copied: several games restore one snapshot). */
  load(data: FloorData): void {
    this.tiles.set(data.tiles);
    this.roomOf.set(data.roomOf);
    this.roomX.set(data.roomX);
    this.roomY.set(data.roomY);
    this.roomW.set(data.roomW);
    this.roomH.set(data.roomH);
    this.roomCount = data.roomCount;
    this.start = data.start;
    this.goal = data.goal;
    this.keyCell = data.keyCell;
    this.enemies.set(data.enemies);
    this.enemyCount = data.enemyCount;
  }

  generate(random: RandomSource, level: number): void {
    const { tiles, roomOf } = this;
    tiles.fill(WALL);
    roomOf.fill(NO_ROOM);

    const n = randomInt(random, MIN_ROOMS, MAX_ROOMS + 1);
    this.roomCount = n;
    for (let i = 0; i < n; i++) {
      const w = randomInt(random, MIN_ROOM_W, MAX_ROOM_W + 1);
      const h = randomInt(random, MIN_ROOM_H, MAX_ROOM_H + 1);
      // Keep a wall border: x in [1, WIDTH - 1 - w], y in [1, HEIGHT - 1 - h].
      this.roomX[i] = randomInt(random, 1, WIDTH - w);
      this.roomY[i] = randomInt(random, 1, HEIGHT - h);
      this.roomW[i] = w;
      this.roomH[i] = h;
    }
    this.sortRoomsByCentre();

    for (let r = 0; r < n; r++) {
      const x0 = this.roomX[r] as number;
      const y0 = this.roomY[r] as number;
      const x1 = x0 + (this.roomW[r] as number);
      const y1 = y0 + (this.roomH[r] as number);
      for (let y = y0; y < y1; y++) {
        for (let x = x0; x < x1; x++) {
          tiles[y * WIDTH + x] = FLOOR;
          roomOf[y * WIDTH + x] = r;
        }
      }
    }
    for (let r = 0; r + 1 < n; r++) this.carveCorridor(r, r + 1);

    this.start = this.centre(0);
    this.goal = this.centre(n - 1);
    tiles[this.goal] = level < TARGET_FLOOR ? STAIRS : TREASURE;
    this.keyCell = level < TARGET_FLOOR ? this.centre(randomInt(random, 1, n - 1)) : -1;

    const potions = randomInt(random, 1, 3);
    for (let i = 0; i < potions; i++) this.place(random, POTION);
    const traps = randomInt(random, 2, 4);
    for (let i = 0; i < traps; i++) this.place(random, TRAP);

    // Deeper floors are more crowded: 2–4 enemies on floors 1–3, 3–5 on 4–6, 4–5 on 7–8.
    const lo = MIN_ENEMIES + Math.floor((level - 1) / 3);
    const hi = Math.min(MAX_ENEMIES, lo + 2);
    const wanted = randomInt(random, lo, hi + 1);
    this.enemyCount = 0;
    for (let i = 0; i < wanted; i++) {
      const cell = this.freeCell(random);
      if (cell >= 0) this.enemies[this.enemyCount++] = cell;
    }
  }

  isWall(cell: number): boolean {
    return this.tiles[cell] === WALL;
  }

  /** Centre cell of room `r`. */
  centre(r: number): number {
    const x = (this.roomX[r] as number) + ((this.roomW[r] as number) >> 1);
    const y = (this.roomY[r] as number) + ((this.roomH[r] as number) >> 1);
    return y * WIDTH + x;
  }

  private centreX(r: number): number {
    return (this.roomX[r] as number) + ((this.roomW[r] as number) >> 1);
  }

  /** Insertion sort of the room arrays by centre x, so corridors run left to right. */
  private sortRoomsByCentre(): void {
    for (let i = 1; i < this.roomCount; i++) {
      for (let j = i; j > 0 && this.centreX(j - 1) > this.centreX(j); j--) {
        swap(this.roomX, j, j - 1);
        swap(this.roomY, j, j - 1);
        swap(this.roomW, j, j - 1);
        swap(this.roomH, j, j - 1);
      }
    }
  }

  /** Horizontal from the centre of `a` to the column of `b`'s centre, then vertical to it. */
  private carveCorridor(a: number, b: number): void {
    const from = this.centre(a);
    const to = this.centre(b);
    const ax = from % WIDTH;
    const ay = (from - ax) / WIDTH;
    const bx = to % WIDTH;
    const by = (to - bx) / WIDTH;
    for (let x = Math.min(ax, bx); x <= Math.max(ax, bx); x++) this.open(ay * WIDTH + x);
    for (let y = Math.min(ay, by); y <= Math.max(ay, by); y++) this.open(y * WIDTH + bx);
  }

  private open(cell: number): void {
    if (this.tiles[cell] === WALL) this.tiles[cell] = FLOOR;
  }

  private place(random: RandomSource, tile: number): void {
    const cell = this.freeCell(random);
    if (cell >= 0) this.tiles[cell] = tile;
  }

  /** A plain floor cell away from the start and the key, or -1 after a few misses. */
  private freeCell(random: RandomSource): number {
    for (let i = 0; i < PLACEMENT_TRIES; i++) {
      const cell = randomInt(random, 0, CELLS);
      if (this.tiles[cell] === FLOOR && cell !== this.start && cell !== this.keyCell) return cell;
    }
    return -1;
  }
}

function swap(a: Int32Array, i: number, j: number): void {
  const t = a[i] as number;
  a[i] = a[j] as number;
  a[j] = t;
}
