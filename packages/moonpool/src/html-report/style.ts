/**
 * The page's only style sheet. The Content-Security-Policy allows exactly this text (by its hash),
 * so it has no `style` attributes to rely on: everything is a class.
 */
export const STYLE = `
:root { color-scheme: light dark; --pass: #1a7f37; --fail: #cf222e; --miss: #9a6700; --muted: #6e7781; }
body { font: 14px/1.45 system-ui, sans-serif; margin: 1.5em auto; max-width: 72em; padding: 0 1em; }
h1 { font-size: 1.5em; margin: 0 0 .3em; }
h2 { font-size: 1.25em; margin: 2em 0 .4em; border-bottom: 1px solid var(--muted); }
h3 { font-size: 1.05em; margin: 1.4em 0 .4em; }
table { border-collapse: collapse; margin: .4em 0; }
th, td { text-align: left; padding: .15em .6em; border-bottom: 1px solid color-mix(in srgb, var(--muted) 30%, transparent); vertical-align: top; }
td.n, th.n { text-align: right; font-variant-numeric: tabular-nums; }
code, pre, .mono { font-family: ui-monospace, monospace; font-size: .95em; }
pre { white-space: pre-wrap; overflow-wrap: anywhere; margin: .2em 0; }
.cmd { display: block; user-select: all; padding: .25em .5em; margin: .2em 0; overflow-wrap: anywhere;
  background: color-mix(in srgb, var(--muted) 15%, transparent); border-radius: 4px; }
.verdict { font-weight: 700; padding: .1em .5em; border-radius: 4px; color: #fff; }
.pass { background: var(--pass); } .fail { background: var(--fail); } .miss { background: var(--miss); }
.status-pass { color: var(--pass); font-weight: 600; } .status-fail { color: var(--fail); font-weight: 600; }
.status-miss { color: var(--miss); font-weight: 600; }
.banner { padding: .5em .8em; border-left: 4px solid var(--miss); margin: .6em 0; }
.muted { color: var(--muted); }
.facts { display: flex; flex-wrap: wrap; gap: .3em 1.6em; margin: .4em 0; }
.facts b { font-variant-numeric: tabular-nums; }
details { margin: .15em 0 .15em .2em; }
details details { margin-left: 1em; }
summary { cursor: pointer; }
.bug { color: var(--fail); }
svg.chart { max-width: 100%; height: auto; }
svg.chart .curve { fill: none; stroke: var(--pass); stroke-width: 2; }
svg.chart .axis { stroke: var(--muted); }
svg.chart .seed { stroke: var(--miss); stroke-dasharray: 4 3; }
svg.chart text { fill: currentColor; font-size: 11px; }
`;
