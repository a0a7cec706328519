import { generateWorld } from '@chaintrail/scenario';
const t = Date.now();
const s = await generateWorld({ users: Number(process.argv[2]), seed: 7 }, process.argv[3]!);
console.log(JSON.stringify({ ms: Date.now() - t, blocks: s.blocks, txs: s.transactions, bytes: s.blockBytes, seized: s.seizedList.lines, tagged: s.taggedAddresses }));
