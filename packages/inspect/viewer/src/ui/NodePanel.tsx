/**
 * The selected node: its restart explanations (from `BackoffScheduled.explanation`), its
 * supervisor's restarts and give-ups, and its machines drawn from the recorded definitions
 * with the state at the scrubber's moment lit.
 *
 * @module
 */
import type { BackoffScheduled } from '@statevisor/core';
import { elapsed } from '../model/format-line.ts';
import { nodeMachines } from '../model/node-machines.ts';
import type { Positioned } from '../model/node-track.ts';
import type { RecordingModel } from '../model/recording-model.ts';
import { MachineDiagram } from './MachineDiagram.tsx';

/**
 * Props of {@link NodePanel}.
 *
 * @example
 * ```ts
 * const props: NodePanelProps = { model, path: 'app/web', position: 42, since: startedAt };
 * ```
 */
export interface NodePanelProps {
  readonly model: RecordingModel;
  readonly path: string | undefined;
  readonly position: number;
  readonly since: number;
}

function Explanation({ entry, since }: { readonly entry: Positioned<BackoffScheduled>; readonly since: number }) {
  const { event } = entry;
  const why = event.explanation;
  return (
    <li data-testid="explanation" data-attempt={event.attempt}>
      <div>
        <b>{elapsed(event.at, since)}</b> after attempt {event.attempt} ({event.backoffSource}
        {event.reason === undefined ? '' : `: ${event.reason}`}): next attempt in {event.delayMs} ms
      </div>
      {why === undefined ? null : (
        <div class="why">
          {why.strategy}, restarts in window {why.restartsBefore} → {why.restartsAfter}
          {why.maxRestarts === undefined ? '' : ` of ${String(why.maxRestarts)}`}
          {why.periodMs === undefined ? '' : ` per ${String(why.periodMs)} ms`}, delay {why.delayMs} ms
          {why.baseMs === undefined ? '' : ` (base ${String(why.baseMs)} ms)`}, {why.allowed ? 'allowed' : 'not allowed'}
          {why.streakReset === undefined ? '' : `, streak reset after ${String(why.streakReset.uptimeMs)} ms up`}
        </div>
      )}
    </li>
  );
}

/**
 * The panel.
 *
 * @example
 * ```tsx
 * <NodePanel model={model} path="app/web" position={position} since={startedAt} />
 * ```
 */
export function NodePanel({ model, path, position, since }: NodePanelProps) {
  const track = path === undefined ? undefined : model.nodes.get(path);
  if (path === undefined || track === undefined) {
    return (
      <section class="panel" data-testid="node-panel">
        <h2>Node</h2>
        <p class="hint">Select a node in the tree.</p>
      </section>
    );
  }
  const backoffs = track.backoffs.filter((entry) => entry.position <= position);
  const decisions = track.decisions.filter((entry) => entry.position <= position);
  const machines = nodeMachines(model, path, position);
  return (
    <section class="panel" data-testid="node-panel" data-path={path}>
      <h2 data-testid="panel-title">{path}</h2>
      <h3>Restarts</h3>
      {backoffs.length === 0 && decisions.length === 0 ? <p class="hint" data-testid="no-explanations">No restart decision yet.</p> : null}
      <ul class="explanations">
        {backoffs.map((entry) => (
          <Explanation key={entry.position} entry={entry} since={since} />
        ))}
        {decisions.map(({ position: at, event }) => (
          <li key={at} data-testid="supervisor-decision">
            <b>{elapsed(event.at, since)}</b>{' '}
            {event.kind === 'SupervisorRestarting'
              ? `${event.strategy}: restarting ${event.affected.join(', ')}`
              : `${String(event.restarts)} restarts within ${String(event.periodMs)} ms: giving up`}
          </li>
        ))}
      </ul>
      {machines.map((machine) => (
        <div class="machine" key={machine.actor}>
          <h3>
            {machine.title} <span class="hint">({machine.actor})</span>
          </h3>
          {machine.graph === undefined ? (
            <p class="hint" data-testid="no-definition">
              No machine definition was recorded: record with {'{ inspect: true }'} to see the machine
              {machine.lit === undefined ? '' : ` (state now: ${machine.lit})`}.
            </p>
          ) : (
            <div class="diagram-box">
              <MachineDiagram graph={machine.graph} lit={machine.lit} />
            </div>
          )}
        </div>
      ))}
    </section>
  );
}
