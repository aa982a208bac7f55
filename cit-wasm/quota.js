// Node entry of `cit-wasm/quota`, the calculator's build (`pkg/quota/`): `Tariff` one ente at
// a time (without `adopt`, `lint`, `quoteMany`, `quoteTotals`), `sumMoney`, `formatEuro`, `errorCodes`, `rules` and `version`, instantiated
// synchronously like node.js does for the full package.
import { readFileSync } from "node:fs";
import { initSync } from "./pkg/quota/cit_wasm.js";

initSync({ module: readFileSync(new URL("./pkg/quota/cit_wasm_bg.wasm", import.meta.url)) });

export * from "./pkg/quota/cit_wasm.js";
