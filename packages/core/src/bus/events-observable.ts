/**
 * The event bus's `events$`: a hot Observable whose observers the bus calls itself, and the
 * normalisation of what rxjs callers hand to `subscribe` (DESIGN.md §4 "Delivery", "Panics").
 *
 * @module
 */
import { Observable, Subscriber, Subscription, type Observer } from 'rxjs';
import type { SupervisorEvent } from '../events.ts';

/**
 * Prefix of the names of `events$` subscriptions in `SubscriberPanicked` reports: `events$#<n>`.
 *
 * @example
 * ```ts
 * if (event.kind === 'SubscriberPanicked' && event.subscriber.startsWith(`${EVENTS_OBSERVER_NAME}#`)) fixObserver();
 * ```
 */
export const EVENTS_OBSERVER_NAME = 'events$';

/**
 * One `events$` observer. Delivered synchronously, never buffered, never dropped. `next` and
 * `complete` are called as methods of `observer`, as rxjs does.
 *
 * @example
 * ```ts
 * const sink: Sink = { closed: false, observer: { next: (event) => log(event) }, name: EVENTS_OBSERVER_NAME };
 * ```
 */
export interface Sink {
  closed: boolean;
  readonly observer: Partial<Observer<SupervisorEvent>>;
  /** `events$#<n>`, given when it attaches. */
  name: string;
}

type ObserverOrNext = Partial<Observer<SupervisorEvent>> | ((value: SupervisorEvent) => void);

function isSubscriberLike(value: unknown): value is Subscriber<SupervisorEvent> {
  if (value instanceof Subscriber) return true;
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return (
    typeof v['next'] === 'function' &&
    typeof v['error'] === 'function' &&
    typeof v['complete'] === 'function' &&
    typeof v['add'] === 'function' &&
    typeof v['unsubscribe'] === 'function'
  );
}

/**
 * The bus's hot observable. It overrides `subscribe` so that the bus calls each direct observer
 * itself, inside its own try/catch: rxjs would otherwise swallow a throwing `next` and rethrow it
 * on a timer, where the bus could neither report it nor keep the process alive.
 *
 * @example
 * ```ts
 * const events$ = new BusEvents((sink) => attach(sink)); // attach returns the detach teardown
 * events$.subscribe((event) => console.log(event.kind));
 * ```
 */
export class BusEvents extends Observable<SupervisorEvent> {
  readonly #attach: (sink: Sink) => () => void;

  /** @param attach - adds a sink to the bus and returns its teardown */
  constructor(attach: (sink: Sink) => () => void) {
    super();
    this.#attach = attach;
  }

  override subscribe(
    observerOrNext?: ObserverOrNext | null,
    _error?: ((error: unknown) => void) | null,
    complete?: (() => void) | null,
  ): Subscription {
    if (isSubscriberLike(observerOrNext)) {
      // An operator chain (`events$.pipe(...)`) or firstValueFrom & co: rxjs rules apply downstream.
      const subscriber = observerOrNext;
      subscriber.add(this.#attach({ closed: false, observer: subscriber, name: EVENTS_OBSERVER_NAME }));
      return subscriber;
    }
    let observer: Partial<Observer<SupervisorEvent>>;
    if (typeof observerOrNext === 'function') {
      observer = complete == null ? { next: observerOrNext } : { next: observerOrNext, complete };
    } else if (typeof observerOrNext === 'object' && observerOrNext !== null) {
      observer = observerOrNext;
    } else {
      observer = complete == null ? {} : { complete };
    }
    return new Subscription(this.#attach({ closed: false, observer, name: EVENTS_OBSERVER_NAME }));
  }
}

/**
 * Completes a sink's observer at close; a throw is swallowed (there is no one left to report to).
 *
 * @param sink - a sink already marked closed
 * @example
 * ```ts
 * sink.closed = true;
 * completeSink(sink);
 * ```
 */
export function completeSink(sink: Sink): void {
  try {
    sink.observer.complete?.();
  } catch {
    // The bus is closed: there is no one left to report to.
  }
}
