/**
 * The header bar: mode, name, event count, and any drops reported by `SubscriberOverflow`.
 *
 * @module
 */

/**
 * Props of {@link HeaderBar}.
 *
 * @example
 * ```ts
 * const props: HeaderBarProps = { mode: 'live', name: 'app', events: 12, dropped, droppedTotal: 0, problem: undefined };
 * ```
 */
export interface HeaderBarProps {
  readonly mode: string;
  readonly name: string;
  readonly events: number;
  readonly dropped: ReadonlyMap<string, number>;
  readonly droppedTotal: number;
  readonly problem: string | undefined;
}

/**
 * The bar.
 *
 * @example
 * ```tsx
 * <HeaderBar mode="live" name="app" events={1200} dropped={model.dropped} droppedTotal={5} problem={undefined} />
 * ```
 */
export function HeaderBar({ mode, name, events, dropped, droppedTotal, problem }: HeaderBarProps) {
  const who = [...dropped].map(([subscriber, count]) => `${subscriber}: ${String(count)}`).join(', ');
  return (
    <header class="bar">
      <span class="brand">Statevisor</span>
      <span class={`mode mode-${mode}`} data-testid="mode">
        {mode}
      </span>
      <span class="name" data-testid="name">
        {name}
      </span>
      <span class="count" data-testid="event-count" data-count={events}>
        {events} events
      </span>
      {droppedTotal > 0 ? (
        <span class="drops" data-testid="drops" data-dropped={droppedTotal} title={`events dropped (${who})`}>
          ⚠ {droppedTotal} dropped
        </span>
      ) : null}
      {problem === undefined ? null : (
        <span class="problem" data-testid="problem">
          {problem}
        </span>
      )}
    </header>
  );
}
