/**
 * Splits `total` satoshis in proportion to `weights`, exactly: each part is rounded down
 * and the satoshis left over go one each to the parts that lost most to rounding (ties to
 * the earlier part), the largest-remainder method. Used to say how much of a payment came
 * through each input of its transaction, and so on backward (haircut read in reverse).
 */
export function proportionalShares(total: bigint, weights: readonly bigint[]): bigint[] {
  if (weights.length === 0) return [];
  let sum = 0n;
  for (const w of weights) {
    if (w < 0n) throw new RangeError('proportionalShares: weights must not be negative');
    sum += w;
  }
  if (sum === 0n) {
    // Nothing to weigh by (inputs of zero value): an even split keeps every satoshi.
    return proportionalShares(total, weights.map(() => 1n));
  }
  const shares = weights.map((w) => (total * w) / sum);
  let left = total - shares.reduce((a, b) => a + b, 0n);
  const order = weights
    .map((w, i) => ({ i, loss: (total * w) % sum }))
    .sort((a, b) => (a.loss === b.loss ? a.i - b.i : a.loss > b.loss ? -1 : 1));
  for (const { i } of order) {
    if (left === 0n) break;
    shares[i] = (shares[i] as bigint) + 1n;
    left--;
  }
  return shares;
}
