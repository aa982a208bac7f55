// `npm run build`: the package from a clean checkout, with the tools .ci/setup installs.
// Two builds of the same crate, each:
//   1. cargo build --profile wasm --target wasm32-unknown-unknown  (opt-level z, lto, panic abort)
//   2. wasm-bindgen --target web  (one ES module for the browser; node.js loads it in Node)
//   3. wasm-opt -O1 -s 1  (Debian's binaryen; see below why not -Oz)
// - the full package (default features)              → pkg/        (`cit-wasm`, `cit-wasm/web`)
// - the calculator's build (`--no-default-features`) → pkg/quota/  (`cit-wasm/quota`, `cit-wasm/quota/web`)
// and prints the size of each .wasm, raw and gzipped.
import { execFileSync } from "node:child_process";
import { readFileSync, rmSync, statSync } from "node:fs";
import { homedir } from "node:os";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";

const here = dirname(fileURLToPath(import.meta.url));
const pkgRoot = join(here, "..");
const repo = join(pkgRoot, "..");
const out = join(pkgRoot, "pkg");

function run(cmd, args, opts = {}) {
  console.log(`$ ${cmd} ${args.join(" ")}`);
  try {
    return execFileSync(cmd, args, { cwd: repo, stdio: "inherit", ...opts });
  } catch (e) {
    if (e.code === "ENOENT") {
      console.error(`build: \`${cmd}\` is not installed; run .ci/setup (see the README).`);
    }
    process.exit(1);
  }
}

// The CLI must be exactly the version of the wasm-bindgen crate pinned in Cargo.toml.
const pinned = /wasm-bindgen = "=([0-9.]+)"/.exec(readFileSync(join(pkgRoot, "Cargo.toml"), "utf8"))[1];
let cli = "";
try {
  cli = execFileSync("wasm-bindgen", ["--version"], { encoding: "utf8" }).trim();
} catch {
  console.error(`build: wasm-bindgen ${pinned} is not installed: cargo install --locked wasm-bindgen-cli --version ${pinned}`);
  process.exit(1);
}
if (cli !== `wasm-bindgen ${pinned}`) {
  console.error(`build: found ${cli}, need wasm-bindgen ${pinned} (the crate's pinned version)`);
  process.exit(1);
}

const cargo = process.env.CARGO || "cargo";
rmSync(out, { recursive: true, force: true });
// Rust's wasm32 target emits these post-MVP features (every current browser and Node has them).
const features = [
  "--enable-bulk-memory",
  "--enable-mutable-globals",
  "--enable-nontrapping-float-to-int",
  "--enable-sign-ext",
  "--enable-reference-types",
  "--enable-multivalue",
];
const kb = (n) => `${(n / 1024).toFixed(1)} KiB`;

// The same bytes from any checkout: the paths that panic messages carry are written relative
// to the repository and to cargo's home, not as they are on the machine that built them.
const remap = [
  `--remap-path-prefix=${repo}=cit`,
  `--remap-path-prefix=${process.env.CARGO_HOME || join(homedir(), ".cargo")}=cargo`,
];
const rustflags = `target.wasm32-unknown-unknown.rustflags=${JSON.stringify(remap)}`;

function build(cargoFlags, dir) {
  run(cargo, ["build", "-p", "cit-wasm", "--profile", "wasm", "--target", "wasm32-unknown-unknown", "--locked", "--config", rustflags, ...cargoFlags]);
  const input = join(repo, "target", "wasm32-unknown-unknown", "wasm", "cit_wasm.wasm");
  run("wasm-bindgen", ["--target", "web", "--out-dir", dir, "--out-name", "cit_wasm", input]);
  const wasm = join(dir, "cit_wasm_bg.wasm");
  // What is shipped is the gzipped .wasm, and binaryen's optimize level 2 (-Oz, -Os, -O2)
  // makes it *larger* gzipped: it reorders functions by use, scattering the similar serde
  // and formatting code that LLVM placed side by side. Measured 23 Nov 2026 (gzip -9):
  //                      full package                 pkg/quota
  //   wasm-opt -Oz       812.892 raw, 302.671 gzipped  342.065 raw, 135.711 gzipped
  //   wasm-opt -O1 -s 1  851.720 raw, 247.988 gzipped  355.275 raw, 117.494 gzipped
  // LLVM has already optimised for size (opt-level "z", fat LTO); -O1 -s 1 still removes
  // what wasm-bindgen leaves behind and shrinks locals and branches.
  run("wasm-opt", ["-O1", "-s", "1", ...features, "--strip-debug", "--strip-producers", wasm, "-o", wasm]);
  const raw = statSync(wasm).size;
  const gz = gzipSync(readFileSync(wasm), { level: 9 }).length;
  console.log(`${relative(pkgRoot, wasm)}: ${raw} bytes (${kb(raw)}) raw, ${gz} bytes (${kb(gz)}) gzipped`);
}

build([], out);
build(["--no-default-features"], join(out, "quota"));
