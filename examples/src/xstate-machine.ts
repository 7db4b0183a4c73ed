/**
 * An XState machine under supervision: `task(name, machine)` runs each attempt as a fresh actor
 * of the machine. The machine errors on its first attempt (an invoked promise rejects and it
 * has no `onError`), the supervisor restarts it with backoff, and the second attempt reaches the
 * final state: its output becomes the task's outcome.
 *
 *   pnpm example src/xstate-machine.ts
 *
 *   order machine:  charging --(charge done)--> packing --(after 50 ms)--> shipped (final)
 *                   charging --(charge rejects)--> the actor errors: TaskFailed, retried
 *
 * @expect order: completed after 2 attempts, output {"order":"A-1001","receipt":"receipt-A-1001-2"}
 */
import { assign, fromPromise, setup } from 'xstate';
import { createSupervisor, task } from '@statevisor/core';

const ORDER = 'A-1001';
let charges = 0;

const orderMachine = setup({
  types: {
    context: {} as { readonly order: string; readonly receipt: string | undefined },
    output: {} as { readonly order: string; readonly receipt: string | undefined },
  },
  actors: {
    // The payment gateway is down for the first call.
    charge: fromPromise<string, { readonly order: string }>(async ({ input }) => {
      charges++;
      await new Promise((resolve) => setTimeout(resolve, 20));
      if (charges === 1) throw new Error('payment gateway unavailable');
      return `receipt-${input.order}-${charges}`;
    }),
  },
}).createMachine({
  id: 'order',
  context: { order: ORDER, receipt: undefined },
  initial: 'charging',
  states: {
    charging: {
      // No onError: a rejected charge errors the whole actor, and the supervisor restarts it.
      invoke: {
        src: 'charge',
        input: ({ context }) => ({ order: context.order }),
        onDone: { target: 'packing', actions: assign({ receipt: ({ event }) => event.output }) },
      },
    },
    packing: { after: { 50: 'shipped' } },
    shipped: { type: 'final' },
  },
  output: ({ context }) => ({ order: context.order, receipt: context.receipt }),
});

const app = createSupervisor({
  name: 'shop',
  children: [task('order', orderMachine, { restart: 'on-failure', maxRetries: 3, backoff: { firstMs: 100, maxMs: 1_000, factor: 2, jitter: 'none' } })],
});

let attempts = 0;
app.subscribe({
  name: 'log',
  next: (event) => {
    if (event.task !== 'shop/order') return;
    if (event.kind === 'TaskStarting') {
      attempts = event.attempt;
      console.log(`attempt ${event.attempt}: a fresh order actor`);
    }
    if (event.kind === 'TaskFailed') console.log(`attempt ${event.attempt} failed: ${event.reason}`);
    if (event.kind === 'BackoffScheduled') console.log(`restarting in ${event.delayMs} ms`);
    if (event.kind === 'TaskStopped') console.log(`attempt ${event.attempt} reached its final state`);
  },
});

await app.start();
const outcome = await app.outcome('order');
await app.shutdown();
console.log(`order: ${outcome.kind} after ${attempts} attempts, output ${JSON.stringify(outcome.output)}`);
