// Offline use: the page, the engine, the tariffs and the comuni are cached on first load;
// afterwards they are served from the cache (refreshed from the network when it answers).
const CACHE = "cit-calcolatore-v4";
const ASSETS = [
  "./", "./index.html", "./style.css", "./app.js",
  "./pkg/quota/cit_wasm.js", "./pkg/quota/cit_wasm_bg.wasm",
  "./tariffs/bs-2015.json", "./tariffs/bs-2021-services.json", "./tariffs/av-2018.json",
  "./tariffs/graduated-2026.json", "./data/comuni-anpr-2024.csv",
];

self.addEventListener("install", (event) => {
  event.waitUntil(caches.open(CACHE).then((c) => c.addAll(ASSETS)).then(() => self.skipWaiting()));
});

self.addEventListener("activate", (event) => {
  event.waitUntil(self.clients.claim());
});

self.addEventListener("fetch", (event) => {
  event.respondWith(
    fetch(event.request)
      .then((response) => {
        const copy = response.clone();
        caches.open(CACHE).then((c) => c.put(event.request, copy));
        return response;
      })
      .catch(() => caches.match(event.request, { ignoreSearch: true })),
  );
});
