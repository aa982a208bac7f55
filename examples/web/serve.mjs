// The calculator's static server: `node examples/web/serve.mjs [port]` (or
// `npm --prefix cit-wasm run serve`), on 127.0.0.1 only. It serves
//   /            examples/web/          (the page)
//   /pkg/        cit-wasm/pkg/          (the built package: run `npm --prefix cit-wasm run build` first)
//   /tariffs/    examples/tariffs/      (the bundled tariffs)
//   /data/       examples/data/         (the comuni: ANPR residents, the 2011 census)
import { createServer } from "node:http";
import { readFile } from "node:fs/promises";
import { existsSync } from "node:fs";
import { extname, join, normalize, resolve, sep } from "node:path";
import { fileURLToPath } from "node:url";

const here = resolve(fileURLToPath(new URL(".", import.meta.url)));
const repo = join(here, "..", "..");
const ROOTS = [
  ["/pkg/", join(repo, "cit-wasm", "pkg")],
  ["/tariffs/", join(repo, "examples", "tariffs")],
  ["/data/", join(repo, "examples", "data")],
  ["/", here],
];
const TYPES = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json; charset=utf-8",
  ".csv": "text/csv; charset=utf-8",
  ".wasm": "application/wasm",
  ".svg": "image/svg+xml",
  ".ts": "text/plain; charset=utf-8",
};

/** Starts the server; resolves to the node http server once it listens. */
export function serve(port = 8080, host = "127.0.0.1") {
  const server = createServer(async (req, res) => {
    const url = new URL(req.url, "http://localhost");
    let path = decodeURIComponent(url.pathname);
    if (path === "/") path = "/index.html";
    const [prefix, root] = ROOTS.find(([p]) => path.startsWith(p));
    const file = normalize(join(root, path.slice(prefix.length)));
    if (!file.startsWith(root + sep) && file !== root) {
      res.writeHead(403).end("forbidden");
      return;
    }
    try {
      const body = await readFile(file);
      res.writeHead(200, {
        "content-type": TYPES[extname(file)] ?? "application/octet-stream",
        "cache-control": "no-cache",
      });
      res.end(body);
    } catch {
      res.writeHead(404, { "content-type": "text/plain; charset=utf-8" }).end(`non trovato: ${path}`);
    }
  });
  return new Promise((resolve) => server.listen(port, host, () => resolve(server)));
}

if (process.argv[1] && fileURLToPath(import.meta.url) === normalize(process.argv[1])) {
  if (!existsSync(join(repo, "cit-wasm", "pkg", "cit_wasm.js"))) {
    console.error("serve: the package is not built; run `npm --prefix cit-wasm run build` first");
    process.exit(1);
  }
  const port = Number.parseInt(process.argv[2] ?? process.env.PORT ?? "8080", 10);
  const server = await serve(port);
  const { port: actual } = server.address();
  console.log(`Calcolatore della quota CIT: http://127.0.0.1:${actual}/  (Ctrl+C per fermare)`);
}
