import { classifyScript } from '@chaintrail/core';
import { join } from 'node:path';
import { BufferedFile } from './buffered-file.js';
import type { Key } from './keys.js';
import { nodeHasher } from './node-hasher.js';
import type { Prng } from './prng.js';
import type { SeizedListNoise } from './truth.js';

/**
 * The site's deposit addresses as an investigator gets them from a server image:
 * `seized-addresses.txt`, one address a line with the noise real exports carry (blank
 * lines, duplicates, stray whitespace, Windows line ends, a few truncated or mistyped
 * entries and test-network addresses), and `seized-addresses.csv`, a database dump of the
 * accounts with extra columns. Where the noise is goes into truth.json, so a seed-list
 * parser can be checked line by line.
 */
export interface SeizedListOptions {
  readonly users: number;
  readonly blankLineShare: number;
  readonly duplicateShare: number;
}

const SYLLABLES = ['ka', 'lo', 'mi', 'ne', 'ru', 'ta', 'vo', 'zi', 'pe', 'su', 'do', 'ha', 'ri', 'bo', 'le', 'xu'];

export class SeizedListWriter {
  private readonly txt: BufferedFile;
  private readonly csv: BufferedFile;
  private readonly malformedAt: Set<number>;
  private readonly wrongNetworkAt: Set<number>;
  private readonly recent: string[] = [];
  private line = 0;
  private blankLines = 0;
  private duplicates = 0;
  private readonly malformedLines: number[] = [];
  private readonly wrongNetworkLines: number[] = [];

  constructor(
    outDir: string,
    private readonly rng: Prng,
    private readonly options: SeizedListOptions,
  ) {
    this.txt = new BufferedFile(join(outDir, 'seized-addresses.txt'));
    this.csv = new BufferedFile(join(outDir, 'seized-addresses.csv'));
    this.csv.write('user_id,username,btc_address,registered_at,points,last_login_ip\r\n');
    const users = options.users;
    this.malformedAt = this.positions(Math.max(3, Math.round(users / 2000)), users);
    this.wrongNetworkAt = this.positions(Math.max(2, Math.round(users / 5000)), users);
  }

  /** Lists user `userIndex`'s deposit address, registered at `time` (unix seconds). */
  add(userIndex: number, key: Key, time: number): void {
    const rng = this.rng;
    if (rng.chance(this.options.blankLineShare)) {
      this.emit(rng.chance(0.5) ? '' : '   ');
      this.blankLines++;
    }
    if (this.malformedAt.has(userIndex)) {
      const bad = this.malformed(key.address);
      this.emit(bad);
      this.malformedLines.push(this.line);
      this.csv.write(`,,${bad},,,\r\n`);
    }
    if (this.wrongNetworkAt.has(userIndex)) {
      const testnet = classifyScript(key.scriptPubKey, { network: 'testnet', hasher: nodeHasher }).address as string;
      this.emit(testnet);
      this.wrongNetworkLines.push(this.line);
      this.csv.write(`,,${testnet},,,\r\n`);
    }
    const padding = rng.chance(0.01) ? ' ' : rng.chance(0.01) ? '\t' : '';
    this.emit(padding + key.address + (rng.chance(0.02) ? ' ' : ''));
    if (this.recent.length > 0 && rng.chance(this.options.duplicateShare)) {
      this.emit(rng.pick(this.recent));
      this.duplicates++;
    }
    this.recent.push(key.address);
    if (this.recent.length > 64) this.recent.shift();

    const name = this.username();
    // Sign-ups fall anywhere in the ten minutes before the block that holds them.
    const registered = new Date((time - rng.below(600)) * 1000).toISOString().replace('T', ' ').slice(0, 19);
    const ip = `${rng.between(1, 223)}.${rng.below(256)}.${rng.below(256)}.${rng.between(1, 254)}`;
    this.csv.write(`${userIndex + 1},${name},${key.address},${registered},${rng.below(500)},${ip}\r\n`);
  }

  finish(): SeizedListNoise {
    this.txt.close();
    this.csv.close();
    return {
      lines: this.line,
      blankLines: this.blankLines,
      duplicates: this.duplicates,
      malformedLines: this.malformedLines,
      wrongNetworkLines: this.wrongNetworkLines,
    };
  }

  abort(): void {
    this.txt.close();
    this.csv.close();
  }

  private emit(text: string): void {
    this.line++;
    // Server exports mix line ends: a share of lines end in CRLF.
    this.txt.write(text + (this.rng.chance(0.05) ? '\r\n' : '\n'));
  }

  /** A mistake an export or a copy-paste makes: a cut-off address, a mistyped character, a placeholder. */
  private malformed(address: string): string {
    switch (this.rng.below(4)) {
      case 0:
        return address.slice(0, address.length - this.rng.between(1, 6));
      case 1: {
        const at = this.rng.between(5, address.length - 2);
        const c = address[at] === 'q' ? 'p' : 'q';
        return address.slice(0, at) + c + address.slice(at + 1);
      }
      case 2:
        return `${address}${address.slice(-4)}`;
      default:
        return this.rng.pick(['N/A', 'null', 'pending', '<generating>']);
    }
  }

  private username(): string {
    let name = '';
    const n = this.rng.between(2, 4);
    for (let i = 0; i < n; i++) name += this.rng.pick(SYLLABLES);
    name += String(this.rng.below(1000));
    // Free-text columns need quoting now and then.
    return this.rng.chance(0.01) ? `"${name}, ${this.rng.pick(SYLLABLES)}"` : name;
  }

  private positions(count: number, users: number): Set<number> {
    const out = new Set<number>();
    const want = Math.min(count, users);
    while (out.size < want) out.add(this.rng.below(users));
    return out;
  }
}
