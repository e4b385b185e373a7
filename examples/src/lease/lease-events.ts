/** Event appended to the `lease` timeline. */
export type LeaseEvent =
  | { type: 'elected'; holder: string; epoch: number }
  | { type: 'reboot'; ip: string; kind: 'Crash' | 'Graceful'; wasLeader: boolean };

export const LEASE_TIMELINE = 'lease';
