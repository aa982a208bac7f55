// Node entry of `cit-wasm/quota`: the quota-only API, already instantiated.
export * from "./pkg/quota/cit_wasm.js";
