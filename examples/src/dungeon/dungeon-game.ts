import {
  DungeonFloor,
  FLOOR,
  type FloorData,
  NO_ROOM,
  POTION,
  type RandomSource,
  randomInt,
  STAIRS,
  TRAP,
  TREASURE,
  WALL,
  WIDTH,
} from './dungeon-floor.js';

/** Actions 0–7 move (N, NE, E, SE, S, SW, W, NW); then descend and search. */
export const ACTION_DESCEND = 8;
export const ACTION_SEARCH = 9;
export const ACTION_COUNT = 10;

/** Direction deltas; index 8 (enemies only) stays in place. */
const DX = Int8Array.of(0, 1, 1, 1, 0, -1, -1, -1, 0);
const DY = Int8Array.of(-1, -1, 0, 1, 1, 1, 0, -1, 0);
/** Cell-index offset of each direction (`DY * WIDTH + DX`): one add per step, no division. */
const STEP = Int16Array.from(DX, (dx, d) => (DY[d] as number) * WIDTH + dx);

export const START_HP = 5;
export const MAX_HP = 5;
const POTION_HP = 2;

/** What happened during one action: a bit set, so several events can be reported at once. */
export const Event = {
  EnteredRoom: 1,
  Healed: 2,
  Trapped: 4,
  Hit: 8,
  Died: 16,
  Descended: 32,
  MissingKey: 64,
  Won: 128,
} as const;

/** A game as plain data (see `DungeonGame.save`). */
export interface GameData {
  readonly floor: FloorData;
  readonly level: number;
  readonly hp: number;
  readonly hasKey: boolean;
  readonly alive: boolean;
  readonly player: number;
  readonly room: number;
}

/**
 * The roguelike's rules: the player's position, health, key and floor, and what one action does.
 * Finding the key is decided by the caller (it is the probability gate the explorer must pass). The
 * game draws from the random source each call is given and keeps none, so a saved game is plain data.
 */
export class DungeonGame {
  readonly floor = new DungeonFloor();
  level = 1;
  hp = START_HP;
  hasKey = false;
  alive = true;
  /** Cell index of the player. */
  player = 0;
  /** Room the player is in, `NO_ROOM` in corridors. */
  room = NO_ROOM;

  private constructor() {}

  /** A new game on its first floor. */
  static start(random: RandomSource): DungeonGame {
    const game = new DungeonGame();
    game.enterFloor(random);
    return game;
  }

  /** The game `save` returned (a copy of it). */
  static restore(data: GameData): DungeonGame {
    const game = new DungeonGame();
    game.floor.load(data.floor);
    game.level = data.level;
    game.hp = data.hp;
    game.hasKey = data.hasKey;
    game.alive = data.alive;
    game.player = data.player;
    game.room = data.room;
    return game;
  }

  save(): GameData {
    const { level, hp, hasKey, alive, player, room } = this;
    return { floor: this.floor.save(), level, hp, hasKey, alive, player, room };
  }

  /** Performs `action`, then lets the enemies move; returns a bit set of `Event`s. */
  act(action: number, random: RandomSource): number {
    if (!this.alive) return Event.Died;
    const floor = this.floor;
    let events = 0;
    if (action < ACTION_DESCEND) {
      events |= this.move(action);
      if (!this.alive) return events;
    } else if (action === ACTION_DESCEND) {
      if (floor.tiles[this.player] === STAIRS) {
        if (!this.hasKey) events |= Event.MissingKey;
        else {
          this.level++;
          this.hasKey = false;
          this.enterFloor(random);
          return Event.Descended;
        }
      }
    } else if (floor.tiles[this.player] === TREASURE) {
      this.alive = false;
      return Event.Won;
    }
    return events | this.moveEnemies(random);
  }

  /** Whether the player stands on this floor's (still hidden) key. */
  onKeyTile(): boolean {
    return this.player === this.floor.keyCell;
  }

  tile(): number {
    return this.floor.tiles[this.player] as number;
  }

  private enterFloor(random: RandomSource): void {
    this.floor.generate(random, this.level);
    this.player = this.floor.start;
    this.room = this.floor.roomOf[this.player] as number;
  }

  private move(direction: number): number {
    const floor = this.floor;
    const tiles = floor.tiles;
    // The border is always wall, so an in-grid neighbour of a floor cell never leaves the grid.
    const target = this.player + (STEP[direction] as number);
    const tile = tiles[target];
    if (tile === WALL) return 0;
    this.player = target;
    let events = 0;
    const room = floor.roomOf[target] as number;
    if (room !== this.room && room !== NO_ROOM) events |= Event.EnteredRoom;
    this.room = room;
    if (tile === POTION) {
      this.hp = Math.min(MAX_HP, this.hp + POTION_HP);
      tiles[target] = FLOOR;
      events |= Event.Healed;
    } else if (tile === TRAP) {
      this.hp--;
      tiles[target] = FLOOR;
      events |= Event.Trapped;
      if (this.hp <= 0) {
        this.alive = false;
        events |= Event.Died;
      }
    }
    return events;
  }

  /** Every enemy takes a random step (or stays); one touching the player hits for 1–2 hp. */
  private moveEnemies(random: RandomSource): number {
    const { tiles, enemies, enemyCount } = this.floor;
    const player = this.player;
    let contact = false;
    for (let i = 0; i < enemyCount; i++) {
      const cell = enemies[i] as number;
      const target = cell + (STEP[randomInt(random, 0, 9)] as number);
      const next = tiles[target] === WALL ? cell : target;
      enemies[i] = next;
      if (next === player) contact = true;
    }
    if (!contact) return 0;
    this.hp -= randomInt(random, 1, 3);
    if (this.hp > 0) return Event.Hit;
    this.alive = false;
    return Event.Hit | Event.Died;
  }
}
