/**
 * Maps address strings to dense integer ids (0, 1, 2, ... in order of first sight) so
 * the union-find and link tables work on typed arrays instead of strings. Ids depend on
 * arrival order and never leave the process; entity ids, which must not, are derived
 * from the addresses themselves (see `entity-id.ts`).
 */
export class AddressInterner {
  private readonly ids = new Map<string, number>();
  private readonly addresses: string[] = [];

  get size(): number {
    return this.addresses.length;
  }

  /** The id of `address`, assigning the next one on first sight. */
  intern(address: string): number {
    let id = this.ids.get(address);
    if (id === undefined) {
      id = this.addresses.length;
      this.ids.set(address, id);
      this.addresses.push(address);
    }
    return id;
  }

  /** The id of `address`, or undefined when it was never interned. */
  idOf(address: string): number | undefined {
    return this.ids.get(address);
  }

  /** The address with id `id`; throws a RangeError for an id never handed out. */
  addressOf(id: number): string {
    const address = this.addresses[id];
    if (address === undefined) throw new RangeError(`No address has id ${id}; ids run from 0 to ${this.addresses.length - 1}.`);
    return address;
  }
}
