import { classifyScript, p2pkhScript, fromHex } from '@chaintrail/core';
console.log(classifyScript(p2pkhScript(fromHex('62e907b15cbf27d5425399ebf6f0fb50ebb88f18'))).address);
console.log(classifyScript(p2pkhScript(fromHex('119b098e2e980a229e139a9ed01a469e518e6f26'))).address);
