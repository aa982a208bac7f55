// Node entry of `cit-wasm/quota`: the calculator's API (one ente at a time), already instantiated.
export * from "./pkg/quota/cit_wasm.js";
