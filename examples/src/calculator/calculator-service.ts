import { defineService, method } from 'moonpool';
import { z } from 'zod';

/** Two operands; a divisor of 0 is refused by the schema, so the handler never sees one. */
const Operands = z.object({ a: z.number(), b: z.number() });
const Division = z.object({
  a: z.number(),
  b: z.number().refine((b) => b !== 0, { message: 'cannot divide by zero' }),
});
const Result = z.object({ result: z.number() });

/**
 * The calculator: one definition (id, ordered methods, zod schemas through Standard Schema) from
 * which both the typed server (`serve`) and the typed client (`serviceClient`) are made. Requests
 * are validated where they arrive (the server): one that does not fit its schema is answered with a
 * `Serialization` error, never handed to a handler.
 */
export const Calculator = defineService({
  id: 0xca1cn,
  name: 'Calculator',
  methods: {
    add: method({ request: Operands, response: Result }),
    multiply: method({ request: Operands, response: Result }),
    divide: method({ request: Division, response: Result }),
  },
});

/** The port the calculator listens on in simulation (for real, any: `127.0.0.1:0` picks one). */
export const CALCULATOR_PORT = 4800;
