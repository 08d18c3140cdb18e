// First-load JS of a page, measured as a browser gets it: the <script src> files its HTML names, each gzipped.
// Reading the HTML rather than Next's build manifests keeps the check independent of the bundler's file layout.
import { runInNewContext } from 'node:vm';
import { gzipSync } from 'node:zlib';

/**
 * @typedef {{ src: string, text: string, gzip: number }} ScriptFile
 * @typedef {{ path: string, files: ScriptFile[], gzip: number }} PageJs
 */

/**
 * @param {string} url server base URL @param {string} path @param {Record<string, string>} [headers]
 * @returns {Promise<PageJs>}
 */
export async function firstLoadJs(url, path, headers = {}) {
  const response = await fetch(url + path, { headers, redirect: 'manual' });
  if (response.status !== 200) throw new Error(`bench: ${path} answered ${response.status}, not the page`);
  const html = await response.text();
  const sources = new Set(
    Array.from(html.matchAll(/<script\b[^>]*?\ssrc="([^"]+)"/g), (match) => match[1].replace(/&amp;/g, '&')),
  );
  const files = await Promise.all(
    Array.from(sources, async (src) => {
      const script = await fetch(new URL(src, url));
      if (!script.ok) throw new Error(`bench: ${src} answered ${script.status}`);
      const text = await script.text();
      return { src, text, gzip: gzipSync(text).length };
    }),
  );
  return { path, files, gzip: files.reduce((total, file) => total + file.gzip, 0) };
}

/**
 * What a page loads beyond a bare page: the gzip bytes it adds and the files only it loads.
 * @param {PageJs} page @param {PageJs} bare
 */
export function addedJs(page, bare) {
  const shared = new Set(bare.files.map((file) => file.src));
  return { added: page.gzip - bare.gzip, ownFiles: page.files.filter((file) => !shared.has(file.src)) };
}

/**
 * The module factories of a Turbopack chunk: each one's source text, keyed by the module ids listed before it (the
 * same in every chunk of a build, while the minifier may name locals differently in each). A chunk only pushes them
 * onto a global list when it runs, so running it against a stand-in list reads them without executing any module.
 * Empty for anything else.
 * @param {string} chunk @returns {Map<string, string>}
 */
function factories(chunk) {
  /** @type {unknown[][]} */
  const pushed = [];
  try {
    runInNewContext(
      chunk,
      { TURBOPACK: { push: (/** @type {unknown[]} */ entry) => pushed.push(entry) } },
      { timeout: 1000 },
    );
  } catch {
    return new Map();
  }
  const found = new Map();
  for (const entry of pushed) {
    /** @type {unknown[]} */
    let ids = [];
    for (const item of entry.slice(1)) {
      if (typeof item === 'function') {
        found.set(ids.join(','), String(item));
        ids = [];
      } else {
        ids.push(item);
      }
    }
  }
  return found;
}

/**
 * The client code two pages both add beyond the bare page — for /login and /dashboard, the auth client — as the gzip
 * bytes it adds to the first page: gzip of that page's own files, minus gzip of the same with that code cut out.
 * The bundler copies such modules into each page's chunk (tree-shaken for that page), or moves them into a file both
 * load; both cases are counted. NaN when the page's own files are not Turbopack chunks (nothing could be attributed).
 * @param {PageJs} page @param {PageJs} other @param {PageJs} bare
 */
export function sharedJs(page, other, bare) {
  const own = addedJs(page, bare).ownFiles;
  const otherOwn = addedJs(other, bare).ownFiles;
  if (own.length > 0 && own.every((file) => factories(file.text).size === 0)) return NaN;
  const otherSources = new Set(otherOwn.map((file) => file.src));
  const otherModules = new Set(otherOwn.flatMap((file) => Array.from(factories(file.text).keys())));
  let rest = own
    .filter((file) => !otherSources.has(file.src))
    .map((file) => file.text)
    .join('\n');
  for (const [ids, text] of factories(rest)) if (otherModules.has(ids)) rest = rest.replace(text, '');
  return gzipSync(own.map((file) => file.text).join('\n')).length - gzipSync(rest).length;
}

/**
 * The code instrumentation-client.ts brings into every page (it runs before hydration, so Next bundles it with its own
 * scripts, which every page loads): the gzip bytes of `bare`'s files minus those of the same with the client
 * instrumentation module and every module it imports cut out. Next registers that module under the name
 * "private-next-instrumentation-client"; its imports are followed through the factories' `x.i(id)` / `x.r(id)` calls,
 * among the factories these files carry (a stray match can only make the count larger). 0 without an
 * instrumentation-client; NaN when the files are not Turbopack chunks.
 * @param {PageJs} bare
 */
export function instrumentationJs(bare) {
  const byId = new Map();
  for (const file of bare.files) {
    for (const [ids, text] of factories(file.text)) for (const id of ids.split(',')) byId.set(id, text);
  }
  if (byId.size === 0) return NaN;
  const alias = Array.from(byId.values()).find((text) => text.includes('"private-next-instrumentation-client"'));
  const root = alias?.match(/"private-next-instrumentation-client":\{id:\(\)=>(\d+)/)?.[1];
  if (!root) return 0;
  const reached = new Set();
  const visit = (/** @type {string} */ id) => {
    const text = byId.get(id);
    if (!text || reached.has(text)) return;
    reached.add(text);
    for (const [, next] of text.matchAll(/\b[\w$]\.[ir]\((\d+)\)/g)) visit(next);
  };
  visit(root);
  const all = bare.files.map((file) => file.text).join('\n');
  let rest = all;
  for (const text of reached) rest = rest.replace(text, '');
  return gzipSync(all).length - gzipSync(rest).length;
}
