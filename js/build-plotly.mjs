// Builds dashboard/vendor/plotly-atlas.min.js from the pinned plotly.js package (package.json), with the
// same esbuild settings as plotly.js's own bundles; MapLibre's stylesheet is injected at run time, as
// plotly.js's bundles do. Licence comments are kept at the end of the file.
import { build } from 'esbuild';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

const injectCss = {
    name: 'inject-css',
    setup(builder) {
        builder.onLoad({ filter: /\.css$/ }, async (args) => {
            const css = (await readFile(args.path, 'utf8')).replace(/\s+/g, ' ');
            return {
                loader: 'js',
                contents: `if (typeof document !== 'undefined') { var s = document.createElement('style');
                    s.textContent = ${JSON.stringify(css)}; document.head.appendChild(s); }`,
            };
        });
    },
};

await build({
    entryPoints: [path.join(root, 'js', 'plotly-atlas.js')],
    outfile: path.join(root, 'dashboard', 'vendor', 'plotly-atlas.min.js'),
    format: 'iife',
    globalName: 'Plotly',
    bundle: true,
    minify: true,
    legalComments: 'eof',
    target: 'es2016',
    plugins: [injectCss],
    define: { global: 'window', 'define.amd': 'false', 'process.env.NODE_DEBUG': 'false' },
    logLevel: 'warning',
});
