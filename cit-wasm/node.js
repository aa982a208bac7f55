// Node entry of cit-wasm: the same ES module as the browser's (`pkg/cit_wasm.js`, built with
// `wasm-bindgen --target web`), instantiated synchronously from the file next to it, so that
// `import { Tariff } from "cit-wasm"` is ready to use.
import { readFileSync } from "node:fs";
import { initSync } from "./pkg/cit_wasm.js";

initSync({ module: readFileSync(new URL("./pkg/cit_wasm_bg.wasm", import.meta.url)) });

export * from "./pkg/cit_wasm.js";
