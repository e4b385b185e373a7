import { EventKind } from '../kernel/event-kind.js';
import type { Machine } from '../kernel/machine.js';
import { spawnTask } from '../kernel/tasks.js';
import { msToTicks } from '../kernel/ticks.js';
import type { SimWorld } from '../kernel/world.js';
import type { Process, SimContext } from './context.js';
import {
  DEFAULT_GRACE_PERIOD_MS,
  DEFAULT_RECOVERY_DELAY_MS,
  type RebootKind,
  type RebootOptions,
} from '../chaos/reboot.js';
import { FAULT_LOG, type ProcessFaultEvent } from '../chaos/fault-events.js';
import type { EventLogs } from './event-logs.js';

/**
 * How a machine stopped: `graceful` (send buffers drain, files intact), `crash` (connections reset,
 * power loss for unsynced data), `wipe` (a crash that also deletes the machine's storage).
 */
export type StopKind = 'graceful' | 'crash' | 'wipe';

/** Builds the context of one incarnation of a machine. */
export type ContextFactory = (machine: Machine) => SimContext;

/** A process of the system under test: booted by its factory, killed, rebooted. */
export class ProcessHost {
  /** Set while a graceful shutdown waits for `run` to return. */
  private onExit: (() => void) | null = null;
  private rebooting = false;

  /** From the start of a reboot until the restart. */
  get isRebooting(): boolean {
    return this.rebooting;
  }

  constructor(
    readonly machine: Machine,
    private readonly factory: () => Process,
    private readonly makeContext: ContextFactory,
    private readonly world: SimWorld,
    private readonly timelines: EventLogs,
    /** The machine stopped: its connections and files are dealt with according to `how`. */
    private readonly onStopped: (how: StopKind) => void = () => {},
  ) {}

  /** Starts a new incarnation: a fresh object from the factory, its `run` as a task. */
  boot(): void {
    const ctx = this.makeContext(this.machine);
    const instance = this.factory();
    const machine = this.machine;
    spawnTask(this.world, machine, 'run', async () => {
      await instance.run(ctx);
      machine.exited = true;
      this.onExit?.();
    });
  }

  reboot(kind: RebootKind, options: RebootOptions = {}): void {
    if (this.rebooting || !this.machine.alive) return;
    this.rebooting = true;
    const rng = this.world.rng;
    const recoveryMs =
      options.recoveryDelayMs ??
      rng.range(DEFAULT_RECOVERY_DELAY_MS[0], DEFAULT_RECOVERY_DELAY_MS[1]);
    if (kind === 'Graceful') {
      const graceMs =
        options.gracePeriodMs ?? rng.range(DEFAULT_GRACE_PERIOD_MS[0], DEFAULT_GRACE_PERIOD_MS[1]);
      this.gracefulShutdown(graceMs, recoveryMs);
    } else {
      this.crash(recoveryMs, kind === 'CrashAndWipe' ? 'wipe' : 'crash');
    }
  }

  private gracefulShutdown(graceMs: number, recoveryMs: number): void {
    const machine = this.machine;
    this.fault({ type: 'ProcessGracefulShutdown', ip: machine.ip });
    const forceKill = this.world.schedule(
      msToTicks(graceMs),
      EventKind.ProcessForceKill,
      null,
      () => this.crash(recoveryMs, 'graceful'),
      machine.ip,
      false,
    );
    this.onExit = () => {
      this.world.cancel(forceKill);
      this.stop(recoveryMs, 'graceful');
    };
    machine.shutdown.abort(new Error('graceful shutdown'));
    if (machine.exited) this.onExit();
  }

  private crash(recoveryMs: number, how: StopKind): void {
    this.fault({ type: 'ProcessForceKill', ip: this.machine.ip });
    this.stop(recoveryMs, how);
  }

  /** Ends the incarnation (killed first, so no code of it runs during clean-up) and schedules the restart. */
  private stop(recoveryMs: number, how: StopKind): void {
    this.onExit = null;
    this.world.cancelEventsOf(this.machine);
    this.world.tracer?.machineStopped(this.machine);
    this.machine.kill();
    this.onStopped(how);
    this.world.schedule(
      msToTicks(recoveryMs),
      EventKind.ProcessRestart,
      null,
      () => {
        this.rebooting = false;
        this.fault({ type: 'ProcessRestart', ip: this.machine.ip });
        this.machine.revive();
        this.boot();
      },
      this.machine.ip,
      false,
    );
  }

  private fault(event: ProcessFaultEvent): void {
    this.world.tracer?.fault(event);
    this.timelines.emit(FAULT_LOG, event, this.world.nowMs(), 'sim');
  }
}
