/** What a machine knows about the simulated cluster. */
export class Topology {
  constructor(
    /** This machine's IP. */
    readonly myIp: string,
    /** IPs of all processes (the system under test), in boot order. */
    readonly processIps: readonly string[],
    /** IPs of all workloads. */
    readonly workloadIps: readonly string[],
    /** This machine's tags (empty for workloads). */
    readonly tags: Readonly<Record<string, string>>,
    private readonly tagsByIp: ReadonlyMap<string, Readonly<Record<string, string>>>,
    private readonly ipsByName: ReadonlyMap<string, readonly string[]>,
  ) {}

  /** IPs of the processes whose tag `key` equals `value`. */
  ipsTagged(key: string, value: string): string[] {
    return this.processIps.filter((ip) => this.tagsByIp.get(ip)?.[key] === value);
  }

  /** Tags of the process at `ip`. */
  tagsOf(ip: string): Readonly<Record<string, string>> {
    return this.tagsByIp.get(ip) ?? {};
  }

  /** IP of the first process or workload named `name`, or undefined. */
  peer(name: string): string | undefined {
    return this.ipsByName.get(name)?.[0];
  }

  /** IPs of every process or workload named `name`. */
  peers(name: string): readonly string[] {
    return this.ipsByName.get(name) ?? [];
  }
}

/** Tag dimensions: each process i gets `values[i % values.length]` of every dimension. */
export type TagDimensions = ReadonlyArray<readonly [key: string, values: readonly string[]]>;

export function tagsForProcess(dimensions: TagDimensions, index: number): Record<string, string> {
  const tags: Record<string, string> = {};
  for (const [key, values] of dimensions) {
    const value = values[index % values.length];
    if (value !== undefined) tags[key] = value;
  }
  return tags;
}

// Made once, not once per iteration (few: one per machine of the largest cluster run).
const PROCESS_IPS: string[] = [];
const WORKLOAD_IPS: string[] = [];

export function processIp(index: number): string {
  return (PROCESS_IPS[index] ??= `10.0.1.${index + 1}`);
}

export function workloadIp(index: number): string {
  return (WORKLOAD_IPS[index] ??= `10.0.0.${index + 1}`);
}
