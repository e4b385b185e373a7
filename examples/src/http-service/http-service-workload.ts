import { assertAlways, assertSometimes, httpAgent, type SimContext, type Workload } from 'moonpool';
import { CheckedOperations } from './checked-operations.js';
import { ItemModel } from './item-model.js';
import { ServiceClient } from './service-client.js';
import { CHECK_POLICY, type ClientPolicy, ITEM_IDS, RUN_POLICY } from './service-config.js';

export interface HttpServiceWorkloadOptions {
  /** Concurrent clients, each a task with its own keep-alive agent. */
  readonly clients: number;
  /** Simulated time the clients keep issuing requests. */
  readonly durationMs: number;
}

/**
 * Clients of the item service over plain `http.request` with a simulated-network agent: each one
 * puts, reads and deletes random items for `durationMs`, often reading an item right after writing
 * it. All of them share one model. The final check, after chaos, expects the service to be back and
 * every item readable with a possible value.
 */
export class HttpServiceWorkload implements Workload {
  readonly name = 'http-client';
  private model: ItemModel | null = null;

  constructor(private readonly options: HttpServiceWorkloadOptions) {}

  async run(ctx: SimContext): Promise<void> {
    const model = new ItemModel(ctx, serverIp(ctx));
    this.model = model;
    const deadline = ctx.time.now() + this.options.durationMs;
    const clients = Array.from({ length: this.options.clients }, (_, i) =>
      ctx.task.spawn(`client-${i}`, () => withClient(ctx, model, `c${i}`, RUN_POLICY, (ops) => clientLoop(ctx, ops, i, deadline))),
    );
    for (const client of clients) await client.join();
  }

  async check(ctx: SimContext): Promise<void> {
    const model = this.model;
    if (model === null) throw new Error('check ran without run');
    await withClient(ctx, model, 'check', CHECK_POLICY, async (ops, client) => {
      const health = await client.call('GET', '/health');
      assertAlways(health.kind === 'reply' && health.status === 200, 'service is healthy after chaos');
      for (const id of ITEM_IDS) {
        assertAlways((await ops.get(id)) !== undefined, 'every item is readable after chaos');
      }
    });
  }
}

/** The one server's address (the simulation has a single process). */
function serverIp(ctx: SimContext): string {
  const ip = ctx.topology.processIps[0];
  if (ip === undefined) throw new Error('the http-service simulation needs a server process');
  return ip;
}

/** Runs `body` with a fresh keep-alive agent, destroyed afterwards so no idle socket outlives it. */
async function withClient(
  ctx: SimContext,
  model: ItemModel,
  name: string,
  policy: ClientPolicy,
  body: (ops: CheckedOperations, client: ServiceClient) => Promise<void>,
): Promise<void> {
  const agent = httpAgent(ctx.network, ctx.time, { keepAlive: true });
  try {
    const client = new ServiceClient(ctx, agent, serverIp(ctx), name, policy);
    await body(new CheckedOperations(ctx, client, model), client);
  } finally {
    agent.destroy();
  }
}

/** Random operations until `deadline`: 45% put (half followed by a read), 45% get, 10% delete. */
async function clientLoop(ctx: SimContext, ops: CheckedOperations, index: number, deadline: number): Promise<void> {
  const { random, time } = ctx;
  for (let seq = 1; time.now() < deadline; seq++) {
    const id = ITEM_IDS[random.randomRange(0, ITEM_IDS.length)] ?? 'apple';
    const roll = random.random();
    if (roll < 0.45) {
      const value = `c${index}-${seq}`;
      if ((await ops.put(id, value)) && random.randomBool(0.5)) {
        const read = await ops.get(id);
        if (read !== undefined) assertSometimes(read === value, 'get after put returns it');
      }
    } else if (roll < 0.9) {
      await ops.get(id);
    } else {
      await ops.remove(id);
    }
    await time.sleep(random.randomRange(10, 200));
  }
}
