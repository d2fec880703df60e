// Builds dashboard/vendor/plotly-atlas.min.js from the pinned plotly.js package (package.json), with the
// same esbuild settings as plotly.js's own bundles. Licence comments are kept at the end of the file. The .br
// and .gz beside it are compressed here once, at the highest levels, and served as they are
// (dashboard/static_files.py).
import { build } from 'esbuild';
import { readFile, writeFile } from 'node:fs/promises';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

// plotly.js's geo subplot keeps its prototype to itself; the atlas frames its maps through it (js/plotly-atlas.js).
const exposeGeo = {
    name: 'expose-geo',
    setup(builder) {
        builder.onLoad({ filter: /plots[\\/]geo[\\/]geo\.js$/ }, async (args) => ({
            loader: 'js',
            contents: (await readFile(args.path, 'utf8')) + '\nmodule.exports.Geo = Geo;\n',
        }));
    },
};

// plotly.js's registry carries MapLibre's stylesheet for its WebGL maps, which the atlas does not draw.
const noMapLibreCss = {
    name: 'no-maplibre-css',
    setup(builder) {
        builder.onResolve({ filter: /^maplibre-gl\/dist\/maplibre-gl\.css$/ },
                          () => ({ path: 'maplibre-gl.css', namespace: 'unused' }));
        builder.onLoad({ filter: /.*/, namespace: 'unused' }, () => ({ contents: '', loader: 'js' }));
    },
};

const outfile = path.join(root, 'dashboard', 'vendor', 'plotly-atlas.min.js');

await build({
    entryPoints: [path.join(root, 'js', 'plotly-atlas.js')],
    outfile,
    format: 'iife',
    globalName: 'Plotly',
    bundle: true,
    minify: true,
    legalComments: 'eof',
    target: 'es2016',
    plugins: [noMapLibreCss, exposeGeo],
    define: { global: 'window', 'define.amd': 'false', 'process.env.NODE_DEBUG': 'false' },
    logLevel: 'warning',
});

const bundle = await readFile(outfile);
await writeFile(`${outfile}.br`, brotliCompressSync(bundle, {
    params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: bundle.length },
}));
await writeFile(`${outfile}.gz`, gzipSync(bundle, { level: 9 }));

// Dash's renderer needs the global `regeneratorRuntime`, which Dash brings in Babel's whole polyfill (core-js
// 2 for browsers of 2015). The atlas sends only the runtime, ahead of its own scripts (dashboard/static_files.py).
const runtimeFile = path.join(root, 'dashboard', 'vendor', 'regenerator-runtime.min.js');
await build({
    entryPoints: [path.join(root, 'node_modules', 'regenerator-runtime', 'runtime.js')],
    outfile: runtimeFile,
    format: 'iife',
    bundle: true,
    minify: true,
    legalComments: 'eof',
    target: 'es2016',
    logLevel: 'warning',
});
await writeFile(path.join(root, 'dashboard', 'vendor', 'LICENSE.regenerator-runtime.txt'),
                await readFile(path.join(root, 'node_modules', 'regenerator-runtime', 'LICENSE')));
