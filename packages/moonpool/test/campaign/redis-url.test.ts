import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { inspect } from 'node:util';
import { UsageError } from '../../src/cli/errors.js';
import { parseCampaignArgs } from '../../src/campaign/campaign-args.js';
import { parseRedisUrl } from '../../src/campaign/redis-url.js';

const SECRET = 'p@ss:w0rd/x';

describe('parseRedisUrl', () => {
  it('reads host, port, database, user and password; shows the password as ***', () => {
    const t = parseRedisUrl(`redis://alice:${encodeURIComponent(SECRET)}@cache.example:6380/2`);
    assert.deepEqual(t.clientOptions(), { host: 'cache.example', port: 6380, db: 2, username: 'alice', password: SECRET });
    assert.equal(t.display, 'redis://alice:***@cache.example:6380/2');
    for (const shown of [String(t), JSON.stringify({ t }), inspect(t), `${t.display}`]) {
      assert.ok(!shown.includes('w0rd'), shown);
    }
  });

  it('takes rediss:// (TLS) and a password without a user; defaults to port 6379, database 0', () => {
    const t = parseRedisUrl('rediss://:secret@10.0.0.5');
    assert.equal(t.display, 'rediss://:***@10.0.0.5:6379');
    assert.deepEqual(t.clientOptions(), { host: '10.0.0.5', port: 6379, db: 0, password: 'secret', tls: { servername: '10.0.0.5' } });
    assert.equal(parseRedisUrl('redis://localhost').display, 'redis://localhost:6379');
  });

  it('refuses other URLs without repeating them (they may hold a password)', () => {
    for (const text of [`http://u:${SECRET}@h`, `not a url ${SECRET}`, `redis://u:${SECRET}@h/x`, `redis://u:${SECRET}@h?a=1`]) {
      assert.throws(
        () => parseRedisUrl(text),
        (err: unknown) => err instanceof UsageError && !err.message.includes('w0rd'),
      );
    }
  });
});

describe('parseCampaignArgs', () => {
  const url = ['--redis', 'redis://h'];
  it('parses start with its run options; chunk defaults to min(seeds, 1000)', () => {
    const a = parseCampaignArgs(['start', 'maze', ...url, '--seeds', '5000', '--base-seed', '7', '--check-determinism'], {});
    assert.equal(a.command, 'start');
    if (a.command !== 'start') return;
    assert.equal(a.simulation, 'maze');
    assert.equal(a.seeds, 5000);
    assert.equal(a.chunk, 1000);
    assert.deepEqual(a.run, { baseSeed: 7n, checkDeterminism: true, stallTimeoutSeconds: 60 });
  });

  it('takes the URL from MOONPOOL_REDIS_URL when --redis is not given', () => {
    const a = parseCampaignArgs(['status'], { MOONPOOL_REDIS_URL: 'redis://:pw@h:1' });
    assert.equal(a.command === 'status' && a.redis.display, 'redis://:***@h:1');
  });

  it('rejects what would be ignored or is missing', () => {
    const bad: [string[], RegExp][] = [
      [['start', 'maze', ...url], /needs --seeds/],
      [['start', ...url, '--seeds', '3'], /needs a <simulation>/],
      [['worker', ...url, '--seeds', '3'], /--seeds does not apply to campaign worker/],
      [['report', ...url], /needs a campaign <id>/],
      [['status'], /need --redis/],
      [['start', 'maze', ...url, '--seeds', '0'], /--seeds must be a positive integer/],
      [['launch', ...url], /unknown command 'campaign launch'/],
    ];
    for (const [argv, message] of bad) assert.throws(() => parseCampaignArgs(argv, {}), message);
  });
});
