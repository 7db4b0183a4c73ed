/**
 * An XState machine under supervision: `task(name, machine, { input })` runs each attempt as a
 * fresh actor of the machine, created with that input. The machine errors on its first attempt
 * (an invoked promise rejects and it has no `onError`), the supervisor restarts it with backoff,
 * and the second attempt gets as far as packing, where it waits for a `ship` event that the
 * program sends through the child's handle (`app.child('order').send(...)`, which reaches
 * whichever attempt is current). The final state's output becomes the task's outcome.
 *
 *   pnpm example src/xstate-machine.ts
 *
 *   order machine:  charging --(charge done)--> packing --(ship, sent by the program)--> shipped (final)
 *                   charging --(charge rejects)--> the actor errors: TaskFailed, retried
 *
 * @expect order: completed after 2 attempts, output {"order":"A-1001","receipt":"receipt-A-1001-2"}
 */
import { assign, fromPromise, setup, type SnapshotFrom } from 'xstate';
import { createSupervisor, task } from '@statevisor/core';

let charges = 0;

const orderMachine = setup({
  types: {
    context: {} as { readonly order: string; readonly receipt: string | undefined },
    input: {} as { readonly order: string },
    events: {} as { readonly type: 'ship' },
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
  // Every attempt starts from the task's input: a restarted actor is fresh, the order the same.
  context: ({ input }) => ({ order: input.order, receipt: undefined }),
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
    packing: { on: { ship: 'shipped' } },
    shipped: { type: 'final' },
  },
  output: ({ context }) => ({ order: context.order, receipt: context.receipt }),
});

const app = createSupervisor({
  name: 'shop',
  children: [
    task('order', orderMachine, {
      input: { order: 'A-1001' },
      restart: 'on-failure',
      maxRetries: 3,
      backoff: { firstMs: 100, maxMs: 1_000, factor: 2, jitter: 'none' },
    }),
  ],
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
// The handle follows the child across its restart: it talks to whichever attempt is current
// (getSnapshot() is undefined, and send() false, while the child waits in backoff).
const order = app.child('order');
const stage = (): unknown => (order.getSnapshot() as SnapshotFrom<typeof orderMachine> | undefined)?.value;
for (let waited = 0; stage() !== 'packing' && waited < 5_000; waited += 10) {
  await new Promise((resolve) => setTimeout(resolve, 10));
}
console.log(`attempt ${attempts} is packing: sending it 'ship'`);
order.send({ type: 'ship' }); // true: delivered to the current attempt's actor
const outcome = await app.outcome('order');
await app.shutdown();
console.log(`order: ${outcome.kind} after ${attempts} attempts, output ${JSON.stringify(outcome.output)}`);
