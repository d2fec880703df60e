'use strict';
// Marker shapes of the atlas's sectors that plotly.js has no symbol for (dashboard/figures.py GLYPH_SHAPES),
// in the form of plotly.js's symbol definitions: a number of its own (plotly.js's end at 54) and a function
// from the marker's radius to an SVG path. Coordinates on a unit square (-1 … 1), y downwards.

function round(x) { return Math.round(x * 100) / 100; }

function polygon(points) {
    return function (r) {
        return 'M' + points.map(function (p) { return round(p[0] * r) + ',' + round(p[1] * r); }).join('L') + 'Z';
    };
}

// A circle as two arcs; `sweep` 0 draws it the other way round, which cuts a hole in a shape drawn the first way.
function circle(cx, cy, radius, sweep) {
    return function (r) {
        var x = round(cx * r), y = round(cy * r), s = round(radius * r), flag = sweep === 0 ? 0 : 1;
        return 'M' + round(x + s) + ',' + y + 'A' + s + ',' + s + ' 0 1,' + flag + ' ' + round(x - s) + ',' + y +
            'A' + s + ',' + s + ' 0 1,' + flag + ' ' + round(x + s) + ',' + y + 'Z';
    };
}

function all(parts) {
    return function (r) { return parts.map(function (part) { return part(r); }).join(''); };
}

var club = all([circle(0, -0.48, 0.42), circle(-0.48, 0.2, 0.42), circle(0.48, 0.2, 0.42),
                polygon([[-0.14, 0], [0.14, 0], [0.3, 0.95], [-0.3, 0.95]])]);
var bar = polygon([[-1, -0.42], [1, -0.42], [1, 0.42], [-1, 0.42]]);
var plane = polygon([[1, 0], [0.75, -0.13], [0.2, -0.13], [-0.25, -0.95], [-0.48, -0.95], [-0.22, -0.13],
                     [-0.7, -0.13], [-0.88, -0.45], [-1, -0.45], [-0.88, 0], [-1, 0.45], [-0.88, 0.45],
                     [-0.7, 0.13], [-0.22, 0.13], [-0.48, 0.95], [-0.25, 0.95], [0.2, 0.13], [0.75, 0.13]]);
// The left half filled; the right half a rim, open in the middle.
function half(r) {
    var s = round(0.9 * r), i = round(0.55 * r);
    return 'M0,-' + s + 'A' + s + ',' + s + ' 0 0,0 0,' + s + 'Z' +
        'M0,-' + s + 'A' + s + ',' + s + ' 0 0,1 0,' + s + 'L0,' + i + 'A' + i + ',' + i + ' 0 0,0 0,-' + i + 'Z';
}
var ring = all([circle(0, 0, 0.9), circle(0, 0, 0.45, 0)]);
// An Alps4EU partner: a ring around a dot.
var partner = all([circle(0, 0, 0.95), circle(0, 0, 0.62, 0), circle(0, 0, 0.32)]);

function symbol(n, path) { return {n: n, noDot: true, f: function (r) { return path(r); }}; }

module.exports = {
    club: symbol(55, club),
    bar: symbol(56, bar),
    plane: symbol(57, plane),
    half: symbol(58, half),
    ring: symbol(59, ring),
    partner: symbol(60, partner),
};
