import { NetTransport, type NetworkAddress, PeerConfig, type Providers, serve } from 'moonpool';
import { Calculator } from './calculator-service.js';

/** A running calculator server. */
export interface CalculatorServer {
  readonly address: NetworkAddress;
  /** Requests answered so far (refused ones are not counted: no handler saw them). */
  readonly answered: number;
  stop(): Promise<void>;
}

/**
 * The calculator server: listens on `listenOn` (`ip:port`; port 0 picks one) and serves
 * `Calculator` with one handler per method. The same code runs in the simulation and as an OS
 * process (`NodeProviders`).
 */
export async function startCalculatorServer(
  providers: Providers,
  listenOn: string,
  log: (line: string) => void,
): Promise<CalculatorServer> {
  const transport = NetTransport.builder(providers).peerConfig(PeerConfig.localNetwork()).build();
  const address = await transport.listen(listenOn);
  let answered = 0;
  const answer = (what: string, result: number): { result: number } => {
    answered++;
    log(`${what} = ${result}`);
    return { result };
  };
  const handle = serve(transport, Calculator, {
    add: ({ a, b }) => answer(`add(${a}, ${b})`, a + b),
    multiply: ({ a, b }) => answer(`multiply(${a}, ${b})`, a * b),
    divide: ({ a, b }) => answer(`divide(${a}, ${b})`, a / b),
  });
  return {
    address,
    get answered() {
      return answered;
    },
    async stop() {
      handle.stop();
      await transport.close();
    },
  };
}
