import { Distance, type TagDimensions } from 'moonpool';

/**
 * Five replicas on five machines in two data centres (SPEC §4.2's round-robin tags):
 * 10.0.1.1–3 in `east` (machines m1–m3), 10.0.1.4–5 in `west` (m4, m5).
 */
export const MACHINES = ['m1', 'm2', 'm3', 'm4', 'm5'] as const;
export const DCS = ['east', 'east', 'east', 'west', 'west'] as const;
export const REPLICA_TAGS: TagDimensions = [
  ['machine', MACHINES],
  ['dc', DCS],
];
export const REPLICAS = MACHINES.length;

/** Where a client runs: on the machine of replica `home` (its index), in that replica's data centre. */
export interface Home {
  readonly machine: string;
  readonly dc: string;
}

export function homeOf(replica: number): Home {
  return { machine: MACHINES[replica] as string, dc: DCS[replica] as string };
}

/** A replica's distance from a client: its machine, its data centre, or another one. */
export function distanceFrom(home: Home, tags: Readonly<Record<string, string>>): Distance {
  if (tags.machine === home.machine) return Distance.SameMachine;
  if (tags.dc === home.dc) return Distance.SameDc;
  return Distance.Remote;
}
