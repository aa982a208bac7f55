// Node entry: the package's API, already instantiated.
export * from "./pkg/cit_wasm.js";
