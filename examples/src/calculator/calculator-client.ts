import { NetTransport, PeerConfig, type Providers, ReplyError, type ServiceClient, serviceClient } from 'moonpool';
import { Calculator } from './calculator-service.js';

type CalculatorClient = ServiceClient<typeof Calculator>;

/** One call and what it must give: a result, or a `ReplyError` of that kind. */
interface Case {
  readonly what: string;
  readonly call: (calc: CalculatorClient) => Promise<{ result: number }>;
  readonly expect: number | 'Serialization';
}

const CASES: readonly Case[] = [
  { what: 'add(2, 3)', call: (c) => c.add.getReply({ a: 2, b: 3 }), expect: 5 },
  { what: 'multiply(6, 7)', call: (c) => c.multiply.getReply({ a: 6, b: 7 }), expect: 42 },
  { what: 'divide(1, 4)', call: (c) => c.divide.getReply({ a: 1, b: 4 }), expect: 0.25 },
  // The types allow it; the server's schema does not.
  { what: 'divide(1, 0)', call: (c) => c.divide.getReply({ a: 1, b: 0 }), expect: 'Serialization' },
  // What a client with a stale or hand-written definition could send: the types would refuse it.
  { what: "add('two', 2)", call: (c) => c.add.getReply({ a: 'two', b: 2 } as never), expect: 'Serialization' },
];

export interface CalculatorSession {
  /** Calls that gave what they should, out of `calls`. */
  readonly asExpected: number;
  readonly calls: number;
  /** The message of every `Serialization` reply, in order. */
  readonly refusals: readonly string[];
}

/**
 * The calculator client: a few calls with the typed client (`getReply`, at least once), two of them
 * requests the server must refuse, each printed with what came back. The same code runs in the
 * simulation and as an OS process.
 */
export async function useCalculator(
  providers: Providers,
  server: string,
  log: (line: string) => void,
): Promise<CalculatorSession> {
  const transport = NetTransport.builder(providers).peerConfig(PeerConfig.localNetwork()).build();
  const calc = serviceClient(transport, Calculator, server);
  let asExpected = 0;
  const refusals: string[] = [];
  try {
    for (const { what, call, expect } of CASES) {
      try {
        const { result } = await call(calc);
        log(`${what} = ${result}`);
        if (result === expect) asExpected++;
      } catch (err) {
        if (!(err instanceof ReplyError)) throw err;
        log(`${what} refused: ${err.message}`);
        if (err.kind === 'Serialization') refusals.push(err.message);
        if (err.kind === expect) asExpected++;
      }
    }
  } finally {
    await transport.close();
  }
  return { asExpected, calls: CASES.length, refusals };
}
