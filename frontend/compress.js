// Brotli (.br) and gzip (.gz) copies of the static files, for WhiteNoise to send to browsers that accept them
// (core/assets.py). A copy is made again when its file is newer; files that barely shrink get none.
// Usage: node frontend/compress.js <folder> [<folder> ...]
"use strict";
const fs = require("fs");
const path = require("path");
const zlib = require("zlib");

const KINDS = new Set([".css", ".js", ".svg", ".json", ".txt", ".html", ".map", ".xml"]);
let made = 0;

function fresh(copy, source) {
  try {
    return fs.statSync(copy).mtimeMs >= fs.statSync(source).mtimeMs;
  } catch {
    return false;
  }
}

function write(copy, data, source) {
  fs.writeFileSync(copy + ".part", data, { mode: 0o644 });
  fs.renameSync(copy + ".part", copy);
  const { atime, mtime } = fs.statSync(source);
  fs.utimesSync(copy, atime, new Date(Math.max(mtime.getTime(), Date.now())));
  made += 1;
}

function compress(file) {
  const data = fs.readFileSync(file);
  if (data.length < 512) return;
  const brotli = zlib.brotliCompressSync(data, {
    params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 11, [zlib.constants.BROTLI_PARAM_SIZE_HINT]: data.length },
  });
  const gzip = zlib.gzipSync(data, { level: 9 });
  if (brotli.length > data.length * 0.95) return;
  if (!fresh(file + ".br", file)) write(file + ".br", brotli, file);
  if (!fresh(file + ".gz", file)) write(file + ".gz", gzip, file);
}

function walk(folder) {
  for (const entry of fs.readdirSync(folder, { withFileTypes: true })) {
    const full = path.join(folder, entry.name);
    if (entry.name.startsWith(".") || entry.name === "node_modules") continue;
    if (entry.isDirectory()) walk(full);
    else if (KINDS.has(path.extname(entry.name))) compress(full);
  }
}

for (const folder of process.argv.slice(2)) {
  if (fs.existsSync(folder)) walk(folder);
}
console.log(`frontend: ${made} compressed cop${made === 1 ? "y" : "ies"} of static files made`);
